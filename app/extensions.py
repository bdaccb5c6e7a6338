"""Extension singletons, bound to an app in :func:`app.create_app`.

The AppBuilder is not here: each app builds its own inside the factory, so two
apps in one process each get every route (reach it as ``current_app.appbuilder``).
"""

from flask_appbuilder.models.sqla.base import SQLA
from flask_mail import Mail
from flask_migrate import Migrate
from flask_wtf.csrf import CSRFProtect

db = SQLA()
migrate = Migrate()
csrf = CSRFProtect()
mail = Mail()
