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
from app.security.permissions import ACT, READ, WRITE, Resource, perm

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
    "ResetPasswordView",
    "OpenApi",
    "SwaggerView",
)
FAB_SECURITY_MENUS = (
    "Security",
    "List Users",
    "List Roles",
    "List Groups",
    "Base Permissions",
    "Views/Menus",
    "Permission on Views/Menus",
)


def menus(*names):
    return [(MENU, name) for name in names]


def read(*resources):
    return [(perm(READ), resource) for resource in resources]


def act(*resources):
    return [(perm(ACT), resource) for resource in resources]


def read_write(*resources):
    return [(perm(action), r) for r in resources for action in (READ, WRITE)]


def read_act(*resources):
    return [(perm(action), r) for r in resources for action in (READ, ACT)]


# The public portal: anonymous visitors (the Public role) and every signed-in user alike.
PORTAL = [*read(Resource.PORTAL), *act(Resource.PORTAL)]

SIGNED_IN = [
    *PORTAL,
    ("can_userinfo", USER_VIEW),
    # The profile page's own buttons (they open the two forms below, for oneself only)
    ("resetmypassword", USER_VIEW),
    ("userinfoedit", USER_VIEW),
    ("can_this_form_get", "ResetMyPasswordView"),
    ("can_this_form_post", "ResetMyPasswordView"),
    ("can_this_form_get", "UserInfoEditView"),
    ("can_this_form_post", "UserInfoEditView"),
    ("can_get", "MenuApi"),
    ("can_get", "OpenApi"),  # the API's description, of what the reader may call
    *read(Resource.CALENDAR, Resource.CALENDAR_YEAR),
    *menus("Settings", "Calendar", "Calendar years"),
    *read(Resource.MATTER, Resource.WORKFLOW, Resource.DISCLOSURE),
    *menus("Catalog", "Matters", "Workflows", "Disclosure catalog"),
    # Everyone's messages and profile (inbox, navbar count, channels, language)
    *read_act(Resource.NOTIFICATION),
    *read_write(Resource.PROFILE),
    *menus("Assistant", "Messages", "My profile"),
]
BUREAU_STAFF = [
    *SIGNED_IN,
    *read(Resource.DIRECTORY),
    *menus("Assistant", "Directory"),
]

CASE_READER = [
    *read(Resource.CASE, Resource.TASK, Resource.OPINION, Resource.PERMIT),
    *read(Resource.TIMELINE, Resource.PROGRESS),
    *menus("Work", "Cases", "Permits", "Progress table"),
]
# ``act`` on cases and tasks lets a role take part in case work (complete, attach, suspend...);
# which action a user may take on which case is the engine's rule (``engine.may_steer``...).
# A handler also answers the supervision notices that remind them and asks for extensions.
CASE_HANDLER = [
    *CASE_READER,
    *act(Resource.TASK, Resource.CASE),
    *menus("My tasks", "Done tasks", "Notices to answer"),
    *read_act(Resource.SUPERVISION, Resource.EXTENSION_REQUEST),
    *menus("Supervision", "Supervision notices", "Extension requests"),
]
DIVISION_QUEUE = [*read(Resource.DIVISION_QUEUE), *menus("Division queue")]
SUPERVISION_READER = [
    *read(Resource.SUPERVISION, Resource.EXTENSION_REQUEST, Resource.CARDS),
    *menus(
        "Supervision",
        "Overdue board",
        "Supervision notices",
        "Extension requests",
        "Supervision cards",
    ),
]
AUDIT_READER = [*read(Resource.AUDIT), *menus("Audit", "Audit trail", "Verify")]
# Petitions: who reads them is row scope (app/security/scope.py); who may do what to
# one is the petition engine's rule (the office decides, the assigned unit answers).
PETITION_READER = [*read(Resource.PETITION), *menus("Petitions", "All petitions")]
PETITION_HANDLER = [*PETITION_READER, *act(Resource.PETITION), *menus("Petition desk")]
# Statistics: which divisions' figures a user counts is row scope (stats_division_ids).
CASE_STATS = [*read(Resource.CASE_STATS), *menus("Statistics")]
PETITION_STATS = [*read(Resource.PETITION_STATS), *menus("Statistics", "Petition figures")]
LEADER_DASHBOARD = [*CASE_STATS, *menus("Leaders' figures"), *PETITION_STATS]
SUPERVISOR_DASHBOARD = [*CASE_STATS, *menus("Supervision figures"), *PETITION_STATS]
DIVISION_DASHBOARD = [*CASE_STATS, *menus("Division figures"), *PETITION_STATS]
PETITION_OFFICE_WORK = [
    *PETITION_READER,
    *act(Resource.PETITION),
    (perm(WRITE), Resource.PETITION),
    *read(Resource.PETITION_CATEGORY),
    *menus("Petition desk"),
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
            *read_write(Resource.CALENDAR),
            (perm(WRITE), Resource.CALENDAR_PASTE),
            *menus("Paste a year"),
            *AUDIT_READER,
            *read_write(Resource.MATTER, Resource.WORKFLOW, Resource.DISCLOSURE),
            *read_write(Resource.OUTBOX),
            *menus("Outbox"),
            *read_write(Resource.PETITION_CATEGORY),
            *menus("Petition categories"),
        ),
    ),
    RoleSpec(
        "Window",
        _l("Service window clerk: receipts, supplements, refusals, release"),
        (*BUREAU_STAFF, *CASE_HANDLER, *menus("Receive")),
    ),
    RoleSpec(
        "Staff",
        _l("Division handler: works the division's tasks and writes opinions"),
        (*BUREAU_STAFF, *CASE_HANDLER, *PETITION_HANDLER, *DIVISION_DASHBOARD),
    ),
    RoleSpec(
        "DivisionHead",
        _l("Head of division: everything Staff does, reassigns tasks, requests extensions"),
        (
            *BUREAU_STAFF,
            *CASE_HANDLER,
            *DIVISION_QUEUE,
            *PETITION_HANDLER,
            *read(Resource.CARDS),
            *menus("Overdue board", "Supervision cards"),
            *DIVISION_DASHBOARD,
        ),
    ),
    RoleSpec(
        "Leader",
        _l("Bureau leader: sees the divisions overseen and signs in leader stages"),
        (
            *BUREAU_STAFF,
            *CASE_HANDLER,
            *act(Resource.PERMIT),
            *PETITION_READER,
            *SUPERVISION_READER,
            (perm(WRITE), Resource.EXTENSION_REQUEST),  # approve or refuse
            *LEADER_DASHBOARD,
        ),
    ),
    RoleSpec(
        "Supervisor",
        _l("Supervision post: follows every case and petition and issues supervision notices"),
        (
            *BUREAU_STAFF,
            *CASE_READER,
            *PETITION_READER,
            *SUPERVISION_READER,
            (perm(WRITE), Resource.SUPERVISION),
            *SUPERVISOR_DASHBOARD,
        ),
    ),
    RoleSpec(
        "Inspector",
        _l("Discipline inspection: reads everything, including the audit trail"),
        (
            *BUREAU_STAFF,
            *CASE_READER,
            *AUDIT_READER,
            *PETITION_READER,
            *SUPERVISION_READER,
            *LEADER_DASHBOARD,
            *menus("Supervision figures"),
        ),
    ),
    RoleSpec(
        "Intermediary",
        _l("Outside agency: only the tasks assigned to the agency"),
        (
            *SIGNED_IN,
            *read(Resource.CASE, Resource.TASK, Resource.TIMELINE),
            *act(Resource.TASK, Resource.CASE),
            *menus("Work", "My tasks", "Done tasks", "Notices to answer"),
            *read_act(Resource.SUPERVISION),
        ),
    ),
    RoleSpec(
        "PetitionOffice",
        _l("Petition office: registers, assigns, reviews and closes petitions"),
        (*BUREAU_STAFF, *PETITION_OFFICE_WORK, *PETITION_STATS),
    ),
    RoleSpec(
        "UnitStaff",
        _l("County bureau or branch staff: petitions assigned to the unit"),
        (*BUREAU_STAFF, *PETITION_HANDLER),
    ),
    RoleSpec("Public", _l("Anonymous visitors of the public portal"), (*PORTAL,)),
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
    before = {spec.name: _held(sm.find_role(spec.name)) for spec in ROLE_CATALOG}
    # FAB grants every new permission (and every menu) to its admin role here;
    # the assignment below takes back what the catalog does not give Admin.
    _create_permissions(current_app.appbuilder)

    existing = _existing_permission_views(sm)
    changes = {}
    for spec in ROLE_CATALOG:
        wanted = _resolve(spec, existing)
        held = {(pv.permission.name, pv.view_menu.name) for pv in wanted}
        sm.find_role(spec.name).permissions = sorted(wanted, key=lambda pv: pv.id)
        changes[spec.name] = (len(held - before[spec.name]), len(before[spec.name] - held))
    db.session.commit()
    return changes


def _create_permissions(appbuilder):
    """Create the permissions of every registered view and menu.

    Several views share one resource (an HTML list, its API, a task inbox), each
    with a subset of the resource's permissions. FAB's own sync, view by view,
    deletes what the current view lacks; here each resource gets the union.
    """
    by_resource = {}
    for view in appbuilder.baseviews:
        by_resource.setdefault(view.class_permission_name, set()).update(view.base_permissions)
    for resource, permissions in by_resource.items():
        appbuilder.sm.add_permissions_view(sorted(permissions), resource)
    for name in appbuilder.menu.get_flat_name_list():
        if name != "-":
            appbuilder.sm.add_permissions_menu(name)


def _held(role):
    return {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}


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
