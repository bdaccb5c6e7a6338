"""The console's SecurityManager: FAB's, with the bureau's user model, user and role screens,
and the hardening FAB 5.3 leaves out (see each override)."""

from flask import abort, current_app, g, has_request_context
from flask_appbuilder.security.api import SecurityApi
from flask_appbuilder.security.sqla.manager import SecurityManager
from flask_login import current_user, user_logged_in

from app.audit import logins
from app.models.user import BureauUser
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
from app.security.user_views import SunshineUserDBModelView
from app.views.base import EagerSQLAInterface


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

    # -- login rate limit: FAB limits only the form; the API login gets the same limit.
    def register_views(self):
        super().register_views()
        if self.is_auth_limited:
            for view in self.appbuilder.baseviews:
                if isinstance(view, SecurityApi):
                    self.limiter.limit(self.auth_rate_limit, methods=["POST"])(view.blueprint)

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
        return jwt_manager

    def jwt_stamp_claim(self, identity):
        user = self.get_user_by_id(int(identity))
        return {JWT_STAMP_CLAIM: user.session_stamp} if user is not None else {}

    def on_user_logout(self, user):
        user.rotate_session_stamp()
        self.session.commit()
