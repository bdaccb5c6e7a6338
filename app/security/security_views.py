"""FAB's permission, view/menu and group screens with explicit columns.

FAB declares no ``search_columns`` on them (so every column is searchable) and few column
lists; ours declare all four. Each keeps FAB's class name as its permission resource, so the
role catalog and existing roles stay valid.
"""

from flask_appbuilder.security.views import (
    PermissionModelView,
    PermissionViewModelView,
    UserGroupModelView,
    ViewMenuModelView,
)

from app.views.base import UNSCOPED_ROUTES


class SunshinePermissionModelView(PermissionModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "PermissionModelView"
    list_columns = ["name"]
    show_columns = ["name"]
    search_columns = ["name"]
    order_columns = ["name"]


class SunshineViewMenuModelView(ViewMenuModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "ViewMenuModelView"
    list_columns = ["name"]
    show_columns = ["name"]
    search_columns = ["name"]
    order_columns = ["name"]


class SunshinePermissionViewModelView(PermissionViewModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "PermissionViewModelView"
    list_columns = ["permission", "view_menu"]
    show_columns = ["permission", "view_menu"]
    search_columns = ["permission", "view_menu"]
    order_columns = []


class SunshineUserGroupModelView(UserGroupModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    class_permission_name = "UserGroupModelView"
    list_columns = ["name", "label", "roles"]
    show_columns = ["name", "label", "description", "users", "roles"]
    search_columns = ["name", "label"]
    order_columns = ["name", "label"]
