"""Organisation screens: divisions, counties, branches, agencies (Admin edits)."""

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, Regexp

from app.models.org import Division
from app.security.permissions import Resource
from app.views.audit import AuditHistoryLinkMixin
from app.views.base import EagerSQLAInterface, SunshineModelRestApi, SunshineModelView
from app.views.labelled import vocabulary_select

DIVISION_LABELS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "name_en": _l("English name"),
    "kind": _l("Kind"),
    "parent": _l("Parent unit"),
    "active": _l("Active"),
}

CODE_RULE = Regexp(
    r"^[a-z][a-z0-9_]{1,31}$",
    message=_l(
        "Use 2 to 32 lower-case ASCII letters, digits or underscores, starting with a letter."
    ),
)


class DivisionModelView(AuditHistoryLinkMixin, SunshineModelView):
    datamodel = EagerSQLAInterface(Division, eager=("parent",))
    class_permission_name = Resource.DIVISION
    list_title = _l("Divisions and units")
    show_title = _l("Unit")
    add_title = _l("Add unit")
    edit_title = _l("Edit unit")
    vocabulary_columns = {"kind": "division_kind"}
    label_columns = DIVISION_LABELS
    list_columns = ["code", "name", "kind", "parent", "active"]
    show_columns = ["code", "name", "name_en", "kind", "parent", "active"]
    add_columns = ["code", "name", "name_en", "kind", "parent", "active"]
    edit_columns = add_columns
    search_columns = ["code", "name", "kind", "parent", "active"]
    order_columns = ["code", "name", "kind", "active"]
    base_order = ("code", "asc")
    validators_columns = {"code": [DataRequired(), CODE_RULE]}
    add_form_extra_fields = {
        "kind": vocabulary_select("division_kind", _l("Kind"), validators=[DataRequired()])
    }
    edit_form_extra_fields = add_form_extra_fields


class DivisionApi(SunshineModelRestApi):
    resource_name = "division"
    datamodel = SQLAInterface(Division)
    class_permission_name = Resource.DIVISION
    list_columns = ["id", "code", "name", "name_en", "kind", "parent_id", "active"]
    show_columns = list_columns
    add_columns = ["code", "name", "name_en", "kind", "parent", "active"]
    edit_columns = add_columns
    search_columns = ["code", "name", "kind", "active"]
    order_columns = ["code", "name", "kind"]
