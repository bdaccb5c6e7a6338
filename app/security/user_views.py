"""FAB's user screens, showing the division, contact details and overseen divisions."""

from flask_appbuilder.security.views import UserDBModelView
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms.validators import DataRequired, ValidationError

from app import labels
from app.security.password_views import policy_password_field
from app.security.role_views import role_select, roles_select
from app.views.base import UNSCOPED_ROUTES
from app.views.checkboxes import UntickedIsFalseMixin
from app.views.labelled import LabelledViewMixin
from app.workflow import engine

ORG_FIELDS = ["division", "position", "phone", "oversees_all", "overseen_divisions"]


def no_case_role_beside_admin(form, field):
    """Separation of duties: an administrator never acts in a case (the engine refuses
    whatever roles it holds), so the screen refuses to give it a case role."""
    conflict = engine.roles_against_separation(role.name for role in field.data or [])
    if conflict:
        raise ValidationError(
            _(
                "An administrator cannot also hold a case role (%(roles)s): separation of "
                "duties. Give the case role to another account.",
                roles="、".join(labels.role(name) for name in conflict),
            )
        )


def roles_field():
    """Roles by their translated names; at least one (FAB's rule also wants a groups field)."""
    return roles_select(
        validators=[
            DataRequired(message=_l("Choose at least one role.")),
            no_case_role_beside_admin,
        ]
    )


class SunshineUserDBModelView(LabelledViewMixin, UntickedIsFalseMixin, UserDBModelView):
    exclude_route_methods = UNSCOPED_ROUTES
    add_form_extra_fields = {
        **UserDBModelView.add_form_extra_fields,
        "password": policy_password_field(),
        "roles": roles_field(),
    }
    edit_form_extra_fields = {"roles": roles_field()}
    search_form_extra_fields = {"roles": role_select()}
    validators_columns = {}
    formatters_columns = {"roles": labels.role_list}
    label_columns = {
        **UserDBModelView.label_columns,
        "division": _l("Division"),
        "position": _l("Position"),
        "phone": _l("Phone"),
        "oversees_all": _l("Oversees all divisions"),
        "overseen_divisions": _l("Overseen divisions"),
        "notify_email": _l("Email notifications"),
        "notify_sms": _l("SMS notifications"),
    }
    description_columns = {
        **UserDBModelView.description_columns,
        "overseen_divisions": _l("Leaders only: the divisions this leader oversees (分管)"),
        "oversees_all": _l("The director: sees every division"),
    }
    list_columns = [
        "username",
        "last_name",
        "first_name",
        "division",
        "position",
        "active",
        "roles",
    ]
    search_columns = ["username", "first_name", "last_name", "email", "division", "active", "roles"]
    order_columns = ["username", "last_name", "first_name", "active"]
    show_columns = [
        "username",
        "active",
        "roles",
        "login_count",
        "last_name",
        "first_name",
        "email",
        *ORG_FIELDS,
        "last_login",
        "fail_login_count",
        "created_on",
        "changed_on",
    ]
    show_fieldsets = [
        (_l("User info"), {"fields": ["username", "active", "roles", "login_count"]}),
        (
            _l("Personal Info"),
            {"fields": ["last_name", "first_name", "email", *ORG_FIELDS], "expanded": True},
        ),
        (
            _l("Audit Info"),
            {
                "fields": ["last_login", "fail_login_count", "created_on", "changed_on"],
                "expanded": False,
            },
        ),
    ]
    user_show_fieldsets = [
        (_l("User info"), {"fields": ["username", "active", "roles", "login_count"]}),
        (
            _l("Personal Info"),
            {
                "fields": ["last_name", "first_name", "email", "division", "position", "phone"],
                "expanded": True,
            },
        ),
    ]
    add_columns = [
        "username",
        "last_name",
        "first_name",
        "email",
        *ORG_FIELDS,
        "active",
        "roles",
        "password",
        "conf_password",
    ]
    edit_columns = [
        "username",
        "last_name",
        "first_name",
        "email",
        *ORG_FIELDS,
        "notify_email",
        "notify_sms",
        "active",
        "roles",
    ]
