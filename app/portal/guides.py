"""Matter guides (办事指南): the part of the matter catalog marked public and active.

The catalog is a tree of three levels; a matter whose parent is hidden shows at the
top. Every function runs a fixed number of statements, whatever the catalog's size.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select
from sqlalchemy.orm import aliased, joinedload, selectinload

from app.extensions import db
from app.models.catalog import Matter
from app.models.workflow import StepKind, WorkflowStage, WorkflowStep, WorkflowTemplate

SEARCH_LIMIT = 50
SEARCH_MAX_LENGTH = 100
LEADERSHIP = _l("Bureau leadership")


def is_public(matter=Matter):
    return and_(matter.public.is_(True), matter.active.is_(True))


@dataclass
class Entry:
    """A matter as the catalog lists it: enough to find and open its guide."""

    code: str
    name: str
    level: int
    category: str
    promised_days: int
    parent_name: str | None = None
    children: list = field(default_factory=list)


def catalog_tree():
    """The public matters as a forest of :class:`Entry`, each level ordered by code."""
    rows = db.session.execute(
        select(
            Matter.id,
            Matter.parent_id,
            Matter.code,
            Matter.name,
            Matter.level,
            Matter.category,
            Matter.promised_days,
        )
        .where(is_public())
        .order_by(Matter.level, Matter.code)
    ).all()
    entries = {}
    roots = []
    for row in rows:
        entry = Entry(row.code, row.name, row.level, row.category, row.promised_days)
        entries[row.id] = entry
        parent = entries.get(row.parent_id)
        (parent.children if parent is not None else roots).append(entry)
    return roots


def clean_query(text):
    """The search words as typed, trimmed; None when there is nothing to look for."""
    text = (text or "").strip()[:SEARCH_MAX_LENGTH]
    return text or None


def search(text):
    """Public matters whose name or code contains ``text``: ``(entries, more)``, where
    ``more`` says there were more than :data:`SEARCH_LIMIT`."""
    parent = aliased(Matter)
    rows = db.session.execute(
        select(
            Matter.code,
            Matter.name,
            Matter.level,
            Matter.category,
            Matter.promised_days,
            parent.name.label("parent_name"),
        )
        .outerjoin(parent, and_(parent.id == Matter.parent_id, is_public(parent)))
        .where(
            is_public(),
            or_(
                Matter.name.icontains(text, autoescape=True),
                Matter.code.icontains(text, autoescape=True),
            ),
        )
        .order_by(Matter.code)
        .limit(SEARCH_LIMIT + 1)
    ).all()
    entries = [
        Entry(r.code, r.name, r.level, r.category, r.promised_days, r.parent_name)
        for r in rows[:SEARCH_LIMIT]
    ]
    return entries, len(rows) > SEARCH_LIMIT


def guide(code):
    """The public matter ``code`` with everything its guide shows, or None."""
    if not isinstance(code, str) or len(code) > 32:
        return None
    steps = selectinload(Matter.workflow).selectinload(WorkflowTemplate.stages)
    steps = steps.selectinload(WorkflowStage.steps)
    return db.session.execute(
        select(Matter)
        .where(Matter.code == code, is_public())
        .options(
            joinedload(Matter.responsible_division),
            joinedload(Matter.parent).joinedload(Matter.parent),
            selectinload(Matter.required_documents),
            steps.joinedload(WorkflowStep.division),
        )
    ).scalar_one_or_none()


def breadcrumbs(matter):
    """The public ancestors of a matter, outermost first (the parent chain is at most
    two levels, loaded with the guide)."""
    chain = []
    parent = matter.parent
    while parent is not None and parent.public and parent.active:
        chain.insert(0, parent)
        parent = parent.parent
    return chain


def handler_label(step):
    """Who handles a step, as the public reads it: a unit's name, never a person's."""
    if step.division is not None:
        return step.division.name
    return str(LEADERSHIP)


def what_you_receive(matter):
    """What the applicant takes home, read from the matter's workflow."""
    kinds = {
        step.kind
        for stage in (matter.workflow.stages if matter.workflow else [])
        for step in stage.steps
    }
    results = [_l("An acknowledgment receipt with a receipt number and a query code")]
    if StepKind.DRAFT_PERMIT.value in kinds:
        results.append(_l("If approved: the approval document, signed by the director"))
    else:
        results.append(_l("A written decision on the application"))
    if StepKind.RELEASE.value in kinds:
        results.append(_l("Collected at the service window when the case is finished"))
    return results
