"""The console's SecurityManager: FAB's, with the bureau's user model and user screens."""

from flask_appbuilder.security.sqla.manager import SecurityManager

from app.models.user import BureauUser
from app.security.user_views import SunshineUserDBModelView


class SunshineSecurityManager(SecurityManager):
    user_model = BureauUser
    userdbmodelview = SunshineUserDBModelView
