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


class SunshinePermissionModelView(PermissionModelView):
    class_permission_name = "PermissionModelView"
    list_columns = ["name"]
    show_columns = ["name"]
    search_columns = ["name"]
    order_columns = ["name"]


class SunshineViewMenuModelView(ViewMenuModelView):
    class_permission_name = "ViewMenuModelView"
    list_columns = ["name"]
    show_columns = ["name"]
    search_columns = ["name"]
    order_columns = ["name"]


class SunshinePermissionViewModelView(PermissionViewModelView):
    class_permission_name = "PermissionViewModelView"
    list_columns = ["permission", "view_menu"]
    show_columns = ["permission", "view_menu"]
    search_columns = ["permission", "view_menu"]
    order_columns = []


class SunshineUserGroupModelView(UserGroupModelView):
    class_permission_name = "UserGroupModelView"
    list_columns = ["name", "label", "roles"]
    show_columns = ["name", "label", "description", "users", "roles"]
    search_columns = ["name", "label"]
    order_columns = ["name", "label"]
