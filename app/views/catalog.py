"""Catalog screens and APIs: matters with their required documents, and the
disclosure catalog. Admin edits; every signed-in user reads. Rules live in
:mod:`app.catalog.validation`, the spreadsheet format in :mod:`app.catalog`."""

import io
from datetime import date

from flask import send_file
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, NumberRange

from app.catalog.spreadsheet import write_workbook
from app.catalog.transfer import export_records
from app.catalog.validation import MatterDraft, matter_problems, raise_if
from app.models.catalog import (
    DisclosureCategory,
    DisclosureItem,
    Matter,
    RequiredDocument,
)
from app.security.permissions import MODEL_VIEW_METHODS, READ, Resource
from app.views.base import (
    EagerSQLAInterface,
    RuleCheckedApi,
    SunshineModelRestApi,
    SunshineModelView,
    checked_form,
)
from app.views.labelled import vocabulary_select

MATTER_LABELS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "level": _l("Level"),
    "parent": _l("Parent matter"),
    "category": _l("Category"),
    "legal_basis": _l("Legal basis"),
    "conditions": _l("Acceptance conditions"),
    "promised_days": _l("Promised days"),
    "statutory_days": _l("Statutory days"),
    "max_extension_days": _l("Maximum extension days"),
    "fee_standard": _l("Fees"),
    "responsible_division": _l("Responsible division"),
    "workflow": _l("Workflow template"),
    "public": _l("Public"),
    "active": _l("Active"),
}

DOCUMENT_LABELS = {
    "matter": _l("Matter"),
    "position": _l("No."),
    "name": _l("Document"),
    "copies": _l("Copies"),
    "original": _l("Original"),
    "note": _l("Note"),
}

DISCLOSURE_LABELS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "position": _l("Order"),
    "category": _l("Category"),
    "title": _l("Title"),
    "content": _l("Content"),
    "responsible_division": _l("Responsible division"),
    "published_on": _l("Published on"),
    "public": _l("Public"),
}

MATTER_FORM_COLUMNS = [
    "code",
    "name",
    "level",
    "parent",
    "category",
    "legal_basis",
    "conditions",
    "promised_days",
    "statutory_days",
    "max_extension_days",
    "fee_standard",
    "responsible_division",
    "workflow",
    "public",
    "active",
]
CURRENT_TEMPLATES = [["is_current", FilterEqual, True]]


def matter_form_problems(form):
    return matter_problems(MatterDraft.of(form.data, id=getattr(form, "_id", None)))


class RequiredDocumentView(SunshineModelView):
    """The required documents of a matter, each a row of its own (shown under the matter)."""

    datamodel = SQLAInterface(RequiredDocument)
    class_permission_name = Resource.MATTER
    list_title = _l("Required documents")
    show_title = _l("Required document")
    add_title = _l("Add required document")
    edit_title = _l("Edit required document")
    label_columns = DOCUMENT_LABELS
    list_columns = ["position", "name", "copies", "original", "note"]
    show_columns = ["matter", "position", "name", "copies", "original", "note"]
    add_columns = show_columns
    edit_columns = show_columns
    search_columns = ["name", "original"]
    order_columns = ["position", "name", "copies"]
    base_order = ("position", "asc")
    validators_columns = {"copies": [NumberRange(min=1)], "position": [NumberRange(min=1)]}


class MatterModelView(SunshineModelView):
    datamodel = EagerSQLAInterface(Matter, eager=("parent", "responsible_division", "workflow"))
    class_permission_name = Resource.MATTER
    method_permission_name = {**MODEL_VIEW_METHODS, "export": READ}
    list_template = "catalog/matter_list.html"
    list_title = _l("Matter catalog")
    show_title = _l("Matter")
    add_title = _l("Add matter")
    edit_title = _l("Edit matter")
    vocabulary_columns = {"category": "matter_category"}
    label_columns = MATTER_LABELS
    list_columns = [
        "code",
        "name",
        "level",
        "parent",
        "responsible_division",
        "promised_days",
        "statutory_days",
        "workflow",
        "public",
        "active",
    ]
    show_columns = MATTER_FORM_COLUMNS
    add_columns = MATTER_FORM_COLUMNS
    edit_columns = MATTER_FORM_COLUMNS
    search_columns = [
        "code",
        "name",
        "level",
        "category",
        "responsible_division",
        "public",
        "active",
    ]
    order_columns = ["code", "name", "level", "promised_days", "statutory_days"]
    base_order = ("code", "asc")
    related_views = [RequiredDocumentView]
    add_form_query_rel_fields = {"workflow": CURRENT_TEMPLATES}
    edit_form_query_rel_fields = add_form_query_rel_fields
    validators_columns = {
        "level": [DataRequired(), NumberRange(min=1, max=3)],
        "promised_days": [NumberRange(min=0)],
        "statutory_days": [NumberRange(min=0)],
        "max_extension_days": [NumberRange(min=0)],
    }
    add_form_extra_fields = {
        "category": vocabulary_select(
            "matter_category", _l("Category"), validators=[DataRequired()]
        )
    }
    edit_form_extra_fields = add_form_extra_fields

    def _init_forms(self):
        super()._init_forms()
        self.add_form = checked_form(self.add_form, matter_form_problems)
        self.edit_form = checked_form(self.edit_form, matter_form_problems)

    @expose("/export")
    @has_access
    def export(self):
        """The whole catalog in the import format (``flask catalog import`` reads it)."""
        stream = io.BytesIO()
        write_workbook(export_records(), stream)
        stream.seek(0)
        return send_file(
            stream,
            mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            as_attachment=True,
            download_name=f"catalog-{date.today().isoformat()}.xlsx",
        )


class MatterApi(RuleCheckedApi):
    resource_name = "matter"
    datamodel = SQLAInterface(Matter)
    class_permission_name = Resource.MATTER
    list_columns = [
        "id",
        "code",
        "name",
        "level",
        "parent.code",
        "category",
        "promised_days",
        "statutory_days",
        "max_extension_days",
        "responsible_division.code",
        "workflow.code",
        "workflow.version",
        "public",
        "active",
    ]
    show_columns = [
        *list_columns,
        "legal_basis",
        "conditions",
        "fee_standard",
        "required_documents.id",  # what POST /api/v1/case/ takes as ``materials``
        "required_documents.position",
        "required_documents.name",
        "required_documents.copies",
        "required_documents.original",
        "required_documents.note",
    ]
    add_columns = MATTER_FORM_COLUMNS
    edit_columns = MATTER_FORM_COLUMNS
    search_columns = ["code", "name", "level", "category", "public", "active"]
    order_columns = ["code", "name", "level", "promised_days"]
    add_query_rel_fields = {"workflow": CURRENT_TEMPLATES}
    edit_query_rel_fields = add_query_rel_fields

    def pre_add(self, item):
        raise_if(matter_problems(MatterDraft.of(item)))

    def pre_update(self, item):
        raise_if(matter_problems(MatterDraft.of(item)))


class DisclosureItemView(SunshineModelView):
    datamodel = EagerSQLAInterface(DisclosureItem, eager=("category", "responsible_division"))
    class_permission_name = Resource.DISCLOSURE
    list_title = _l("Disclosure items")
    show_title = _l("Disclosure item")
    add_title = _l("Add disclosure item")
    edit_title = _l("Edit disclosure item")
    label_columns = DISCLOSURE_LABELS
    list_columns = ["category", "title", "responsible_division", "published_on", "public"]
    show_columns = [
        "category",
        "title",
        "content",
        "responsible_division",
        "published_on",
        "public",
    ]
    add_columns = show_columns
    edit_columns = show_columns
    search_columns = ["category", "title", "responsible_division", "published_on", "public"]
    order_columns = ["title", "published_on"]
    base_order = ("published_on", "desc")


class DisclosureCategoryView(SunshineModelView):
    """The 政务公开目录: categories, each listing its items."""

    datamodel = SQLAInterface(DisclosureCategory)
    class_permission_name = Resource.DISCLOSURE
    list_title = _l("Disclosure catalog")
    show_title = _l("Disclosure category")
    add_title = _l("Add disclosure category")
    edit_title = _l("Edit disclosure category")
    label_columns = DISCLOSURE_LABELS
    list_columns = ["position", "code", "name"]
    show_columns = ["code", "name", "position"]
    add_columns = show_columns
    edit_columns = show_columns
    search_columns = ["code", "name"]
    order_columns = ["position", "code", "name"]
    base_order = ("position", "asc")
    related_views = [DisclosureItemView]


class DisclosureApi(SunshineModelRestApi):
    resource_name = "disclosure"
    datamodel = SQLAInterface(DisclosureItem)
    class_permission_name = Resource.DISCLOSURE
    list_columns = [
        "id",
        "category.code",
        "category.name",
        "title",
        "responsible_division.code",
        "published_on",
        "public",
    ]
    show_columns = [*list_columns, "content"]
    add_columns = ["category", "title", "content", "responsible_division", "published_on", "public"]
    edit_columns = add_columns
    search_columns = ["category", "title", "published_on", "public"]
    order_columns = ["title", "published_on"]
