"""The console's SecurityManager: FAB's, with the bureau's user model and user screens."""

from flask_appbuilder.security.sqla.manager import SecurityManager

from app.audit import logins
from app.models.user import BureauUser
from app.security.user_views import SunshineUserDBModelView


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
