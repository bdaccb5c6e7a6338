"""FAB's role screens, with each catalog role's description in the reader's language."""

from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.views import RoleModelView
from flask_babel import lazy_gettext as _l

from app.security.roles import ROLE_CATALOG
from app.views.base import UNSCOPED_ROUTES

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


class SunshineRoleModelView(RoleModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "RoleModelView"  # FAB's resource name, kept for the role catalog
    label_columns = {**RoleModelView.label_columns, DESCRIPTION: _l("Description")}
    list_columns = ["name", DESCRIPTION]
    show_columns = ["name", DESCRIPTION, "permissions"]
    add_columns = ["name", "permissions"]
    edit_columns = add_columns
    search_columns = ["name"]
    order_columns = ["name"]
