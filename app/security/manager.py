"""The console's SecurityManager: FAB's, with the bureau's user model, user and role screens,
and the hardening FAB 5.3 leaves out (see each override)."""

from flask import abort, current_app, g, has_request_context
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_appbuilder.security.sqla.models import (
    Permission,
    PermissionView,
    Role,
    ViewMenu,
    assoc_permissionview_role,
)
from flask_login import current_user, user_logged_in
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.audit import logins
from app.models.user import BureauUser
from app.security.login_limits import register_login_limits
from app.security.login_payload import check_login_payloads
from app.security.logout import AuthDBView
from app.security.password_views import SunshineResetMyPasswordView, SunshineResetPasswordView
from app.security.passwords import check_password_policy
from app.security.role_views import RoleInterface, SunshineRoleModelView
from app.security.security_views import (
    SunshinePermissionModelView,
    SunshinePermissionViewModelView,
    SunshineUserGroupModelView,
    SunshineViewMenuModelView,
)
from app.security.sessions import (
    JWT_STAMP_CLAIM,
    refresh_session_stamp,
    remember_login,
    session_is_current,
    token_is_current,
)
from app.security.tokens import register_jwt_refusals
from app.security.user_views import SunshineUserDBModelView
from app.views.base import EagerSQLAInterface

PERMISSIONS_CACHE = "_sunshine_role_permissions"
PUBLIC_ROLE = "public"
ROLE_ID = assoc_permissionview_role.c.role_id


def _permission_pairs():
    """(permission name, view name) of the permissions granted to roles, to be filtered."""
    return (
        select(Permission.name, ViewMenu.name)
        .select_from(PermissionView)
        .join(Permission, PermissionView.permission_id == Permission.id)
        .join(ViewMenu, PermissionView.view_menu_id == ViewMenu.id)
        .join(
            assoc_permissionview_role,
            assoc_permissionview_role.c.permission_view_id == PermissionView.id,
        )
    )


class SunshineSecurityManager(SecurityManager):
    user_model = BureauUser
    userdbmodelview = SunshineUserDBModelView

    # Logins go on the audit trail: FAB's hooks for known accounts (any auth
    # type), ``auth_user_db`` for names without an active account.

    def on_user_login(self, user):
        logins.record_login(user)
        self.session.commit()

    def on_user_login_failed(self, user):
        logins.record_login_failed(user.username, account=user)
        self.session.commit()

    def auth_user_db(self, username, password):
        logins.begin_attempt()
        user = super().auth_user_db(username, password)
        if not logins.attempt_recorded():
            logins.record_login_failed(username)
            self.session.commit()
        return user

    authdbview = AuthDBView
    rolemodelview = SunshineRoleModelView
    # FAB's user statistics page draws Google Charts loaded from www.gstatic.com: no page
    # may request another host (a bureau intranet blocks it), so the page is not registered.
    userstatschartview = None
    resetpasswordview = SunshineResetPasswordView
    resetmypasswordview = SunshineResetMyPasswordView
    groupmodelview = SunshineUserGroupModelView
    permissionmodelview = SunshinePermissionModelView
    viewmenumodelview = SunshineViewMenuModelView
    permissionviewmodelview = SunshinePermissionViewModelView

    def __init__(self, appbuilder):
        super().__init__(appbuilder)
        self.rolemodelview.datamodel = RoleInterface(self.role_model)
        # Relations of the user and group screens load with their rows: once per list page,
        # not per row; and populating an edit form lazy-loads nothing, so no early autoflush
        # splits one edit into two audit events.
        self.userdbmodelview.datamodel = EagerSQLAInterface(
            self.user_model, eager=("division", "roles", "overseen_divisions")
        )
        self.groupmodelview.datamodel = EagerSQLAInterface(
            self.group_model, eager=("users", "roles")
        )
        user_logged_in.connect(remember_login, current_app._get_current_object())

    # -- login limits per address and per account (app/security/login_limits.py).
    def register_views(self):
        super().register_views()
        for view in self.appbuilder.baseviews:
            if isinstance(view, SecurityApi):
                check_login_payloads(view.blueprint)
        if self.is_auth_limited:
            register_login_limits(self)

    # -- password policy, also for add_user/reset_password (FAB checks only its forms).
    def add_user(self, username, first_name, last_name, email, role=None, password="", **kwargs):
        if password and not kwargs.get("hashed_password"):
            check_password_policy(password)
        return super().add_user(
            username, first_name, last_name, email, role, password=password, **kwargs
        )

    def reset_password(self, userid, password):
        check_password_policy(password)
        user = self.get_user_by_id(userid)
        if user is None:  # FAB's ResetPasswordView passes ?pk= unchecked
            abort(404)
        super().reset_password(user.id, password)
        if has_request_context() and current_user.is_authenticated and current_user.id == user.id:
            refresh_session_stamp(user)

    # -- sessions and JWTs end at logout, password change and deactivation.
    def load_user(self, pk):
        user = super().load_user(pk)
        if user is not None and session_is_current(user):
            return user
        return None

    def load_user_jwt(self, _jwt_header, jwt_data):
        user = self.get_user_by_id(int(jwt_data["sub"]))
        if user is not None and user.is_active and token_is_current(user, jwt_data):
            g.user = user
            return user
        return None

    def create_jwt_manager(self, app):
        jwt_manager = super().create_jwt_manager(app)
        jwt_manager.additional_claims_loader(self.jwt_stamp_claim)
        register_jwt_refusals(jwt_manager)
        return jwt_manager

    def jwt_stamp_claim(self, identity):
        user = self.get_user_by_id(int(identity))
        return {JWT_STAMP_CLAIM: user.session_stamp} if user is not None else {}

    def on_user_logout(self, user):
        user.rotate_session_stamp()
        self.session.commit()

    # -- permissions read once per request. FAB 5.3 asks the database once per check:
    # an EXISTS per permission (twice more on a JWT request of an API that allows browser
    # login), the public role's permissions for every protected API call, the menu
    # entries again. Here a request reads each role set's (permission, view) pairs in one
    # query and answers every later check from memory. Outside a request nothing is kept.

    def role_permissions(self, role_ids):
        """{(permission name, view name)} granted to any of ``role_ids``."""
        key = frozenset(role_ids)
        cache = g.setdefault(PERMISSIONS_CACHE, {}) if has_request_context() else {}
        if key not in cache:
            rows = self.session.execute(_permission_pairs().where(ROLE_ID.in_(sorted(key))))
            cache[key] = frozenset(tuple(row) for row in rows)
        return cache[key]

    def exist_permission_on_roles(self, view_name, permission_name, role_ids):
        return (permission_name, view_name) in self.role_permissions(role_ids)

    def _get_user_permission_view_menus(self, user, permission_name, view_menus_name):
        roles = [self.get_public_role()] if user is None else self.get_user_roles(user)
        role_ids = [role.id for role in roles if role is not None]
        names = set(view_menus_name or ())
        return {
            view
            for permission, view in self.role_permissions(role_ids)
            if permission == permission_name and (not names or view in names)
        }

    def is_item_public(self, permission_name, view_name):
        """FAB asks on every API call; the public role's pairs are read once a request."""
        cache = g.setdefault(PERMISSIONS_CACHE, {}) if has_request_context() else {}
        if PUBLIC_ROLE not in cache:
            public = current_app.config.get("AUTH_ROLE_PUBLIC", "Public")
            statement = (
                _permission_pairs().join(Role, Role.id == ROLE_ID).where(Role.name == public)
            )
            cache[PUBLIC_ROLE] = frozenset(tuple(row) for row in self.session.execute(statement))
        return (permission_name, view_name) in cache[PUBLIC_ROLE]

    def get_user_by_id(self, pk):
        """The user with roles, groups and overseen divisions in one statement (FAB
        lazy-loads each on every request)."""
        return self.session.get(
            self.user_model,
            pk,
            options=[
                joinedload(self.user_model.roles),
                joinedload(self.user_model.groups),
                joinedload(self.user_model.overseen_divisions),
            ],
        )
