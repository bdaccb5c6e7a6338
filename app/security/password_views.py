"""FAB's password forms, describing the policy they enforce.

FAB's own description says "this application does not check this for you", which is no longer
true. The views keep FAB's class names as permission resources (the role catalog names them).
"""

from flask_appbuilder.fieldwidgets import BS3PasswordFieldWidget
from flask_appbuilder.security.forms import ResetPasswordForm
from flask_appbuilder.security.views import ResetMyPasswordView, ResetPasswordView
from flask_appbuilder.validators import PasswordComplexityValidator
from flask_babel import lazy_gettext as _l
from wtforms import PasswordField
from wtforms.validators import DataRequired

from app.security.passwords import POLICY_DESCRIPTION


def policy_password_field():
    return PasswordField(
        _l("Password"),
        description=POLICY_DESCRIPTION,
        validators=[DataRequired(), PasswordComplexityValidator()],
        widget=BS3PasswordFieldWidget(),
    )


class PolicyPasswordForm(ResetPasswordForm):
    password = policy_password_field()


class SunshineResetPasswordView(ResetPasswordView):
    class_permission_name = "ResetPasswordView"
    form = PolicyPasswordForm


class SunshineResetMyPasswordView(ResetMyPasswordView):
    class_permission_name = "ResetMyPasswordView"
    form = PolicyPasswordForm
