"""Import and export of the catalog (matters with their required documents, and the
disclosure catalog) as records of :mod:`app.catalog.spreadsheet`.

An import is one transaction: every row is checked (cell types, references, and
the rules of :mod:`app.catalog.validation`); if any row is bad, nothing is
written and every problem is reported as ``row N, column C: reason``.
Matters are upserted by code, required documents by (matter, name) so their ids stay,
disclosure items by (category code, title).
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.catalog.validation import MatterDraft, matter_problems
from app.extensions import db
from app.models.cases import CaseMaterial
from app.models.catalog import (
    DisclosureCategory,
    DisclosureItem,
    Matter,
    MatterCategory,
    RequiredDocument,
)
from app.models.org import Division
from app.models.workflow import WorkflowTemplate

MATTER, DOCUMENT, DISCLOSURE = "matter", "document", "disclosure"
TRUE_WORDS = {"yes", "y", "true", "1", "是"}
FALSE_WORDS = {"no", "n", "false", "0", "否"}
CATEGORIES = {c.value for c in MatterCategory}


# ---------------------------------------------------------------- export


def export_records():
    """The whole catalog as records, parents before children: a handful of queries."""
    matters = (
        db.session.query(Matter)
        .options(
            selectinload(Matter.required_documents),
            selectinload(Matter.parent),
            selectinload(Matter.responsible_division),
            selectinload(Matter.workflow),
        )
        .order_by(Matter.level, Matter.code)
        .all()
    )
    records = []
    for matter in matters:
        records.append(matter_record(matter))
        records.extend(document_record(matter, doc) for doc in matter.required_documents)
    items = (
        db.session.query(DisclosureItem)
        .join(DisclosureItem.category)
        .options(
            selectinload(DisclosureItem.category),
            selectinload(DisclosureItem.responsible_division),
        )
        .order_by(DisclosureCategory.position, DisclosureCategory.code, DisclosureItem.id)
        .all()
    )
    records.extend(disclosure_record(item) for item in items)
    return records


def matter_record(matter):
    return {
        "record": MATTER,
        "code": matter.code,
        "name": matter.name,
        "level": matter.level,
        "parent": matter.parent.code if matter.parent else None,
        "category": matter.category,
        "legal_basis": matter.legal_basis,
        "conditions": matter.conditions,
        "promised_days": matter.promised_days,
        "statutory_days": matter.statutory_days,
        "max_extension_days": matter.max_extension_days,
        "fee_standard": matter.fee_standard,
        "division": matter.responsible_division.code if matter.responsible_division else None,
        "workflow": matter.workflow.code if matter.workflow else None,
        "public": matter.public,
        "active": matter.active,
    }


def document_record(matter, doc):
    return {
        "record": DOCUMENT,
        "code": matter.code,
        "name": doc.name,
        "copies": doc.copies,
        "original": doc.original,
        "note": doc.note,
    }


def disclosure_record(item):
    return {
        "record": DISCLOSURE,
        "code": item.category.code,
        "category_name": item.category.name,
        "name": item.title,
        "content": item.content,
        "division": item.responsible_division.code if item.responsible_division else None,
        "published_on": item.published_on,
        "public": item.public,
    }


# ---------------------------------------------------------------- import


@dataclass
class ImportReport:
    matters: int = 0
    documents: int = 0
    disclosure_items: int = 0


@dataclass
class RowError:
    row: int
    column: str
    reason: str

    def __str__(self):
        return f"row {self.row}, column {self.column}: {self.reason}"


class ImportFailed(ValueError):
    def __init__(self, errors):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass
class _Import:
    """The state of one import: lookups loaded once, the rows applied so far."""

    units: dict = field(default_factory=dict)
    templates: dict = field(default_factory=dict)
    matters: dict = field(default_factory=dict)
    categories: dict = field(default_factory=dict)
    items: dict = field(default_factory=dict)
    matter_rows: dict = field(default_factory=dict)
    documents: dict = field(default_factory=dict)
    parents: list = field(default_factory=list)
    imported_items: set = field(default_factory=set)
    errors: list = field(default_factory=list)
    report: ImportReport = field(default_factory=ImportReport)

    def error(self, row, column, reason):
        self.errors.append(RowError(row, column, str(reason)))


def import_records(rows, progress=None):
    """Apply ``rows`` (``[(row number, values)]``) in one transaction.

    ``progress`` wraps the row iterable (e.g. a progress bar). Returns an
    :class:`ImportReport`; raises :class:`ImportFailed` (nothing written) on any bad row.
    """
    state = _load_state()
    with db.session.no_autoflush:
        for number, values in progress(rows) if progress else rows:
            kind = (values.get("record") or "").strip().lower()
            handler = _HANDLERS.get(kind)
            if handler is None:
                state.error(number, "record", "must be matter, document or disclosure")
                continue
            handler(state, number, values)
        _link_parents(state)
        _sync_documents(state)
        _validate_matters(state)
    if state.errors:
        db.session.rollback()
        state.errors.sort(key=lambda e: e.row)
        raise ImportFailed(state.errors)
    db.session.commit()
    return state.report


def _load_state():
    return _Import(
        units={d.code: d for d in db.session.query(Division)},
        templates={
            t.code: t for t in db.session.query(WorkflowTemplate).filter_by(is_current=True)
        },
        matters={
            m.code: m for m in db.session.query(Matter).options(selectinload(Matter.documents))
        },
        categories={c.code: c for c in db.session.query(DisclosureCategory)},
        items={
            (i.category.code, i.title): i
            for i in db.session.query(DisclosureItem).options(selectinload(DisclosureItem.category))
        },
    )


class _Cells:
    """Typed access to one row's cells; each bad cell becomes a RowError."""

    def __init__(self, state, number, values):
        self.state, self.number, self.values = state, number, values
        self.ok = True

    def bad(self, column, reason):
        self.ok = False
        self.state.error(self.number, column, reason)

    def text(self, column, required=False):
        value = self.values.get(column)
        if value is None:
            if required:
                self.bad(column, "is required")
            return None
        return str(value) if not isinstance(value, float) else str(int(value))

    def integer(self, column, default=0, minimum=None):
        value = self.values.get(column)
        if value is None:
            return default
        try:
            number = int(str(value).strip()) if not isinstance(value, float) else int(value)
            if isinstance(value, float) and value != number:
                raise ValueError
        except ValueError:
            self.bad(column, f"{value!r} is not a whole number")
            return default
        if minimum is not None and number < minimum:
            self.bad(column, f"must be at least {minimum}")
        return number

    def boolean(self, column, default):
        value = self.values.get(column)
        if value is None:
            return default
        if isinstance(value, bool):
            return value
        word = str(value).strip().lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        self.bad(column, f"{value!r} is not yes or no")
        return default

    def day(self, column):
        value = self.values.get(column)
        if value is None or isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value).strip())
        except ValueError:
            self.bad(column, f"{value!r} is not a date (YYYY-MM-DD)")
            return None

    def unit(self, column):
        code = self.text(column)
        if code is None:
            return None
        if code not in self.state.units:
            self.bad(column, f"unknown unit {code!r}")
        return self.state.units.get(code)


def _apply_matter(state, number, values):
    cells = _Cells(state, number, values)
    code = cells.text("code", required=True)
    name = cells.text("name", required=True)
    category = cells.text("category") or MatterCategory.LICENCE.value
    if category not in CATEGORIES:
        cells.bad("category", f"must be one of {', '.join(sorted(CATEGORIES))}")
    workflow_code = cells.text("workflow")
    workflow = state.templates.get(workflow_code) if workflow_code else None
    if workflow_code and workflow is None:
        cells.bad("workflow", f"unknown workflow template {workflow_code!r}")
    fields = {
        "name": name,
        "level": cells.integer("level", default=1),
        "category": category,
        "legal_basis": cells.text("legal_basis"),
        "conditions": cells.text("conditions"),
        "promised_days": cells.integer("promised_days"),
        "statutory_days": cells.integer("statutory_days"),
        "max_extension_days": cells.integer("max_extension_days"),
        "fee_standard": cells.text("fee_standard"),
        "responsible_division": cells.unit("division"),
        "workflow": workflow,
        "public": cells.boolean("public", True),
        "active": cells.boolean("active", True),
    }
    if code is None:
        return
    if code in state.matter_rows:
        cells.bad("code", f"duplicate code {code} (already in row {state.matter_rows[code]})")
        return
    state.matter_rows[code] = number
    if not cells.ok:
        return
    matter = state.matters.get(code)
    if matter is None:
        matter = Matter(code=code)
        state.matters[code] = matter
        db.session.add(matter)
    for attribute, value in fields.items():
        setattr(matter, attribute, value)
    state.documents.setdefault(code, [])
    state.parents.append((number, matter, cells.text("parent")))
    state.report.matters += 1


def _apply_document(state, number, values):
    cells = _Cells(state, number, values)
    code = cells.text("code", required=True)
    document = {
        "name": cells.text("name", required=True),
        "copies": cells.integer("copies", default=1, minimum=1),
        "original": cells.boolean("original", False),
        "note": cells.text("note"),
    }
    if code is not None and code not in state.matter_rows:
        cells.bad("code", f"no matter row with code {code} comes before this document")
    if cells.ok and code in state.documents:
        state.documents[code].append(document)
        state.report.documents += 1


def _apply_disclosure(state, number, values):
    cells = _Cells(state, number, values)
    code = cells.text("code", required=True)
    title = cells.text("name", required=True)
    fields = {
        "content": cells.text("content"),
        "responsible_division": cells.unit("division"),
        "published_on": cells.day("published_on"),
        "public": cells.boolean("public", True),
    }
    category_name = cells.text("category_name")
    if code is not None and code not in state.categories and not category_name:
        cells.bad("category_name", f"is required for the new category {code}")
    if not cells.ok:
        return
    if (code, title) in state.imported_items:
        cells.bad("name", f"duplicate item {title!r} in category {code}")
        return
    state.imported_items.add((code, title))
    category = state.categories.get(code)
    if category is None:
        category = DisclosureCategory(code=code, name=category_name, position=0)
        category.position = len(state.categories) + 1
        state.categories[code] = category
        db.session.add(category)
    elif category_name:
        category.name = category_name
    item = state.items.get((code, title))
    if item is None:
        item = DisclosureItem(title=title, category=category)
        db.session.add(item)
    state.items[(code, title)] = item
    for attribute, value in fields.items():
        setattr(item, attribute, value)
    state.report.disclosure_items += 1


_HANDLERS = {MATTER: _apply_matter, DOCUMENT: _apply_document, DISCLOSURE: _apply_disclosure}


def _link_parents(state):
    for number, matter, parent_code in state.parents:
        if parent_code is None:
            matter.parent = None
        elif parent_code in state.matters:
            matter.parent = state.matters[parent_code]
        else:
            state.error(number, "parent", f"unknown parent matter {parent_code!r}")


def _sync_documents(state):
    """Each imported document updates the matter's document of the same name, which keeps
    its id (cases and clients hold it): an unchanged file changes nothing. A document no
    longer listed is deleted, or retired when a case refers to it."""
    referenced = set(
        db.session.scalars(
            select(CaseMaterial.document_id).where(CaseMaterial.document_id.is_not(None)).distinct()
        )
    )
    for code, documents in state.documents.items():
        matter = state.matters[code]
        by_name = {}
        for document in matter.documents:
            by_name.setdefault(document.name, []).append(document)
        kept = []
        for position, values in enumerate(documents, start=1):
            same_name = by_name.get(values["name"])
            document = same_name.pop(0) if same_name else RequiredDocument()
            for attribute, value in {**values, "position": position, "retired": False}.items():
                setattr(document, attribute, value)
            kept.append(document)
        unlisted = [document for left in by_name.values() for document in left]
        for document in unlisted:
            if document.id in referenced:
                document.retired = True
                kept.append(document)
        matter.documents = kept  # the others are deleted (delete-orphan)


def _validate_matters(state):
    for number, matter, _ in state.parents:
        for problem in matter_problems(MatterDraft.of(matter)):
            state.error(number, problem.field, problem.message)
