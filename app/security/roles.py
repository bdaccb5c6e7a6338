"""The role catalog of DESIGN §1, as data, and the sync that makes the database match it.

Each role is a list of (permission, resource) pairs; ``ALL`` stands for every
permission that exists on a resource. Roles build on ``SIGNED_IN``. Menu entries
are pairs too (``menu_access`` on the menu name), so the catalog decides what
each role sees. ``flask roles sync`` restores exactly this catalog; roles the
Admin created by hand are left alone.
"""

from dataclasses import dataclass

from flask import current_app
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.security.permissions import READ, WRITE, Resource, perm

ALL = "*"
MENU = "menu_access"

USER_VIEW = "SunshineUserDBModelView"
FAB_SECURITY_RESOURCES = (
    USER_VIEW,
    "RoleModelView",
    "UserGroupModelView",
    "PermissionModelView",
    "ViewMenuModelView",
    "PermissionViewModelView",
    "UserStatsChartView",
    "ResetPasswordView",
    "OpenApi",
    "SwaggerView",
)
FAB_SECURITY_MENUS = (
    "Security",
    "List Users",
    "List Roles",
    "List Groups",
    "User's Statistics",
    "Base Permissions",
    "Views/Menus",
    "Permission on Views/Menus",
)


def menus(*names):
    return [(MENU, name) for name in names]


def read(*resources):
    return [(perm(READ), resource) for resource in resources]


def read_write(*resources):
    return [(perm(action), r) for r in resources for action in (READ, WRITE)]


SIGNED_IN = [
    ("can_userinfo", USER_VIEW),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
    ("can_get", "MenuApi"),
    *read(Resource.MATTER, Resource.WORKFLOW, Resource.DISCLOSURE),
    *menus("Catalog", "Matters", "Workflows", "Disclosure catalog"),
]
BUREAU_STAFF = [
    *SIGNED_IN,
    *read(Resource.DIRECTORY),
    *menus("Assistant", "Directory"),
]


@dataclass(frozen=True)
class RoleSpec:
    name: str
    description: str
    permissions: tuple


ROLE_CATALOG = (
    RoleSpec(
        "Admin",
        _l(
            "System administrator: users, roles, divisions, catalog and calendar; "
            "never acts in a case"
        ),
        (
            *BUREAU_STAFF,
            *[(ALL, resource) for resource in FAB_SECURITY_RESOURCES],
            *menus(*FAB_SECURITY_MENUS),
            *read_write(Resource.DIVISION),
            *menus("Organisation", "Divisions"),
            *read_write(Resource.MATTER, Resource.WORKFLOW, Resource.DISCLOSURE),
        ),
    ),
    RoleSpec(
        "Window",
        _l("Service window clerk: receipts, supplements, refusals, release"),
        (*BUREAU_STAFF,),
    ),
    RoleSpec(
        "Staff",
        _l("Division handler: works the division's tasks and writes opinions"),
        (*BUREAU_STAFF,),
    ),
    RoleSpec(
        "DivisionHead",
        _l("Head of division: everything Staff does, reassigns tasks, requests extensions"),
        (*BUREAU_STAFF,),
    ),
    RoleSpec(
        "Leader",
        _l("Bureau leader: sees the divisions overseen and signs in leader stages"),
        (*BUREAU_STAFF,),
    ),
    RoleSpec(
        "Supervisor",
        _l("Supervision post: follows every case and petition and issues supervision notices"),
        (*BUREAU_STAFF,),
    ),
    RoleSpec(
        "Inspector",
        _l("Discipline inspection: reads everything, including the audit trail"),
        (*BUREAU_STAFF,),
    ),
    RoleSpec(
        "Intermediary",
        _l("Outside agency: only the tasks assigned to the agency"),
        (*SIGNED_IN,),
    ),
    RoleSpec(
        "PetitionOffice",
        _l("Petition office: registers, assigns, reviews and closes petitions"),
        (*BUREAU_STAFF,),
    ),
    RoleSpec(
        "UnitStaff",
        _l("County bureau or branch staff: petitions assigned to the unit"),
        (*BUREAU_STAFF,),
    ),
    RoleSpec("Public", _l("Anonymous visitors of the public portal"), ()),
)

ROLE_NAMES = tuple(spec.name for spec in ROLE_CATALOG)


class RoleCatalogError(RuntimeError):
    """The catalog names a permission no registered view or menu has."""


def sync_roles():
    """Create every permission of the registered views, then make each catalog role
    hold exactly its catalog permissions. Idempotent; returns {role: (added, removed)}."""
    sm = current_app.appbuilder.sm
    for spec in ROLE_CATALOG:
        if sm.find_role(spec.name) is None:
            sm.add_role(spec.name)
    current_app.appbuilder.add_permissions(update_perms=True)

    existing = _existing_permission_views(sm)
    changes = {}
    for spec in ROLE_CATALOG:
        wanted = _resolve(spec, existing)
        role = sm.find_role(spec.name)
        current = set(role.permissions)
        added = [pv for pv in wanted if pv not in current]
        removed = [pv for pv in current if pv not in wanted]
        role.permissions = sorted(wanted, key=lambda pv: pv.id)
        changes[spec.name] = (len(added), len(removed))
    db.session.commit()
    return changes


def _existing_permission_views(sm):
    by_view = {}
    for pv in db.session.query(sm.permissionview_model).all():
        by_view.setdefault(pv.view_menu.name, {})[pv.permission.name] = pv
    return by_view


def _resolve(spec, existing):
    wanted = set()
    for permission, resource in spec.permissions:
        on_resource = existing.get(resource)
        if on_resource is None:
            raise RoleCatalogError(
                f"role {spec.name}: no view or menu named {resource!r} is registered"
            )
        if permission == ALL:
            wanted.update(on_resource.values())
        elif permission in on_resource:
            wanted.add(on_resource[permission])
        else:
            raise RoleCatalogError(
                f"role {spec.name}: {resource!r} has no permission {permission!r}"
            )
    return wanted
