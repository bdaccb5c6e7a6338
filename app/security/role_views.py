"""FAB's role screens, with each catalog role's description in the reader's language."""

from flask import current_app
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.views import RoleModelView
from flask_appbuilder.widgets import ListWidget, ShowWidget
from flask_babel import lazy_gettext as _l

from app import labels
from app.extensions import db
from app.security.roles import ROLE_CATALOG
from app.views.base import UNSCOPED_ROUTES
from app.views.labelled import LabelledViewMixin, labelled_select, labelled_select_many

DESCRIPTION = "description"


def role_description(role_name):
    """The catalog's description of a role (translated now), or "" for a hand-made role."""
    for spec in ROLE_CATALOG:
        if spec.name == role_name:
            return str(spec.description)
    return ""


class RoleInterface(SQLAInterface):
    """FAB's role model has no description column: the view reads it from the catalog."""

    @staticmethod
    def _get_attr_value(item, col):
        if col == DESCRIPTION:
            return role_description(item.name)
        return SQLAInterface._get_attr_value(item, col)


def all_roles():
    role = current_app.appbuilder.sm.role_model
    return db.session.query(role).order_by(role.name)


def role_label(role):
    return labels.role(role.name)


def roles_select(**kwargs):
    """A multiple select of roles by their translated names."""
    return labelled_select_many(_l("Role"), all_roles, role_label, **kwargs)


def role_select(**kwargs):
    """A select of one role by its translated name (search forms)."""
    return labelled_select(_l("Role"), all_roles, role_label, **kwargs)


def all_permissions():
    permission_view = current_app.appbuilder.sm.permissionview_model
    return db.session.query(permission_view).order_by(permission_view.id)


class SunshineRoleModelView(LabelledViewMixin, RoleModelView):
    """Roles by their translated names; permissions as "查看 · 办件", not "can read on Case"."""

    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "RoleModelView"  # FAB's resource name, kept for the role catalog
    # FAB's role widgets print raw values (no formatters); the plain widgets apply ours.
    list_widget = ListWidget
    show_widget = ShowWidget
    label_columns = {**RoleModelView.label_columns, DESCRIPTION: _l("Description")}
    formatters_columns = {"name": labels.role, "permissions": labels.permission_list}
    add_form_extra_fields = {
        "permissions": labelled_select_many(_l("Permissions"), all_permissions, labels.permission)
    }
    edit_form_extra_fields = add_form_extra_fields
    list_columns = ["name", DESCRIPTION]
    show_columns = ["name", DESCRIPTION, "permissions"]
    add_columns = ["name", "permissions"]
    edit_columns = add_columns
    search_columns = ["name"]
    order_columns = ["name"]
