"""FAB's permission, view/menu and group screens with explicit columns, in words.

FAB declares no ``search_columns`` on them (so every column is searchable) and few column
lists; ours declare all four. Each keeps FAB's class name as its permission resource, so the
role catalog and existing roles stay valid. Permissions, resources and roles show as their
labels (app/labels.py), never as ``can_read`` or a class name.
"""

from flask_appbuilder.security.views import (
    PermissionModelView,
    PermissionViewModelView,
    UserGroupModelView,
    ViewMenuModelView,
)

from app import labels
from app.security.role_views import role_select, roles_select
from app.views.base import UNSCOPED_ROUTES
from app.views.labelled import LabelledViewMixin


class SunshinePermissionModelView(LabelledViewMixin, PermissionModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "PermissionModelView"
    formatters_columns = {"name": labels.labeller("permission")}
    list_columns = ["name"]
    show_columns = ["name"]
    search_columns = ["name"]
    order_columns = ["name"]


class SunshineViewMenuModelView(LabelledViewMixin, ViewMenuModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "ViewMenuModelView"
    formatters_columns = {"name": labels.resource}
    list_columns = ["name"]
    show_columns = ["name"]
    search_columns = ["name"]
    order_columns = ["name"]


class SunshinePermissionViewModelView(LabelledViewMixin, PermissionViewModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "PermissionViewModelView"
    formatters_columns = {
        "permission": lambda permission: labels.label("permission", permission.name),
        "view_menu": lambda view_menu: labels.resource(view_menu.name),
    }
    list_columns = ["permission", "view_menu"]
    show_columns = ["permission", "view_menu"]
    search_columns = ["permission", "view_menu"]
    order_columns = []


class SunshineUserGroupModelView(LabelledViewMixin, UserGroupModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "UserGroupModelView"
    formatters_columns = {"roles": labels.role_list}
    add_form_extra_fields = {"roles": roles_select()}
    edit_form_extra_fields = add_form_extra_fields
    search_form_extra_fields = {"roles": role_select()}
    list_columns = ["name", "label", "roles"]
    show_columns = ["name", "label", "description", "users", "roles"]
    search_columns = ["name", "label"]
    order_columns = ["name", "label"]
