"""The password policy: at least ``PASSWORD_MIN_LENGTH`` characters (12) drawn from at least
``PASSWORD_MIN_CHARACTER_CLASSES`` (3) of upper case, lower case, digits and symbols.

It is FAB's ``FAB_PASSWORD_COMPLEXITY_VALIDATOR`` (the user and password screens) and is
checked again by ``SunshineSecurityManager.add_user``/``reset_password`` (FAB's
``flask fab create-user/create-admin/reset-password`` and any code creating users). The demo
seed alone writes its contractual 9-character password past it (see ``app/demo/seed.py``).
"""

import click
from flask import current_app
from flask_appbuilder.exceptions import PasswordComplexityValidationError
from flask_babel import gettext as _
from flask_babel.speaklater import LazyString

CHARACTER_CLASSES = (str.isupper, str.islower, str.isdigit, lambda ch: not ch.isalnum())


class WeakPasswordError(PasswordComplexityValidationError, click.ClickException):
    """Also a ClickException, so FAB's CLI commands end with the reason, not a traceback."""

    def __init__(self, message):
        click.ClickException.__init__(self, message)

    def __str__(self):
        return self.message


def character_classes(password):
    return sum(any(test(ch) for ch in password) for test in CHARACTER_CLASSES)


def policy_text():
    """The policy in one translated sentence (form descriptions and error messages)."""
    return _(
        "Use at least %(length)d characters with at least %(classes)d of: "
        "upper-case letters, lower-case letters, digits, symbols.",
        length=current_app.config["PASSWORD_MIN_LENGTH"],
        classes=current_app.config["PASSWORD_MIN_CHARACTER_CLASSES"],
    )


POLICY_DESCRIPTION = LazyString(policy_text)


def check_password_policy(password):
    """Raise WeakPasswordError with a translated reason when ``password`` breaks the policy."""
    min_length = current_app.config["PASSWORD_MIN_LENGTH"]
    min_classes = current_app.config["PASSWORD_MIN_CHARACTER_CLASSES"]
    if len(password or "") < min_length or character_classes(password) < min_classes:
        raise WeakPasswordError(policy_text())
