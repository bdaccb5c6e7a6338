"""Messages: each user's inbox (in-app messages, unread count in the navbar), the
Admin's outbox (every message with its attempts and last error, retry), the
notification API, and the profile page (contacts, language, channels)."""

from email_validator import EmailNotValidError, validate_email
from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import safe
from flask_appbuilder.models.sqla.filters import FilterEqual
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, update

from app import audit
from app.extensions import db
from app.labels import choices, labeller, local_time, masked_address, person, text
from app.models.notification import Channel, DeliveryStatus, Notification
from app.models.user import BureauUser
from app.notify.deliver import retry
from app.security.permissions import ACT, MODEL_VIEW_METHODS, REST_API_METHODS, WRITE, Resource
from app.security.scope import (
    InboxFilter,
    NotificationScopeFilter,
    current_user,
    own_messages_clause,
)
from app.views.base import EagerSQLAInterface, SunshineModelRestApi, SunshineModelView
from app.views.case_api import EngineApiMixin
from app.workflow.clock import utcnow
from app.workflow.fields import ascii_code, is_mobile

MESSAGE_LABELS = {
    "created_at": _l("Received"),
    "subject": _l("Subject"),
    "body": _l("Message"),
    "reason": _l("About"),
    "read_at": _l("Read"),
    "channel": _l("Channel"),
    "recipient": _l("Recipient"),
    "address": _l("Delivery address"),
    "status": _l("Status"),
    "attempts": _l("Attempts"),
    "next_attempt_at": _l("Next attempt"),
    "last_error": _l("Last error"),
    "sent_at": _l("Sent"),
}


def unread_count():
    """The navbar's badge: the signed-in user's unread in-app messages (one COUNT)."""
    user = current_user()
    if user is None:
        return 0
    return db.session.scalar(
        db.select(func.count(Notification.id)).where(
            own_messages_clause(user),
            Notification.channel == Channel.INAPP.value,
            Notification.read_at.is_(None),
        )
    )


class InboxView(SunshineModelView):
    route_base = "/inbox"
    datamodel = SQLAInterface(Notification)
    class_permission_name = Resource.NOTIFICATION
    method_permission_name = {**MODEL_VIEW_METHODS, "read": ACT, "read_all": ACT}
    base_permissions = ["can_read", "can_act"]
    include_route_methods = {"list", "show", "read", "read_all"}
    base_filters = [["id", InboxFilter, None], ["channel", FilterEqual, Channel.INAPP.value]]
    list_title = _l("Messages")
    list_template = "notify/inbox_list.html"
    label_columns = MESSAGE_LABELS
    list_columns = ["created_at", "subject", "reason", "read_at"]
    show_columns = ["created_at", "subject", "body", "reason", "read_at"]
    search_columns = ["reason", "created_at", "read_at"]
    order_columns = ["created_at", "read_at"]
    base_order = ("created_at", "desc")
    formatters_columns = {
        "reason": labeller("notification_reason"),
        "created_at": local_time,
        "read_at": local_time,
    }

    def _mine(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            audit.mark_denied()
            abort(404)
        return item

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        """Reading a message marks it read."""
        item = self._mine(pk)
        if item.read_at is None:
            item.read_at = utcnow()
            db.session.commit()
        return self.render_template("notify/message_show.html", item=item, title=item.subject)

    @expose("/<int:pk>/read", methods=["POST"])
    @has_access
    def read(self, pk):
        item = self._mine(pk)
        item.read_at = item.read_at or utcnow()
        db.session.commit()
        return redirect(url_for(".list"))

    @expose("/read-all", methods=["POST"])
    @has_access
    def read_all(self):
        db.session.execute(
            update(Notification)
            .where(
                own_messages_clause(current_user()),
                Notification.channel == Channel.INAPP.value,
                Notification.read_at.is_(None),
            )
            .values(read_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        flash(_("Every message is marked as read."), "success")
        return redirect(url_for(".list"))


class OutboxView(SunshineModelView):
    """The Admin's view of delivery: every message, its attempts and last error."""

    route_base = "/outbox"
    datamodel = EagerSQLAInterface(Notification, eager=("recipient",))
    class_permission_name = Resource.OUTBOX
    method_permission_name = {**MODEL_VIEW_METHODS, "retry": WRITE}
    base_permissions = ["can_read", "can_write"]
    include_route_methods = {"list", "show", "retry"}
    base_filters = [["id", NotificationScopeFilter, None]]
    list_title = _l("Outbox")
    show_title = _l("Message")
    list_template = "notify/outbox_list.html"
    label_columns = {**MESSAGE_LABELS, "created_at": _l("Queued at")}
    list_columns = [
        "created_at",
        "channel",
        "recipient",
        "address",
        "reason",
        "subject",
        "status",
        "attempts",
        "last_error",
        "sent_at",
    ]
    show_columns = [*list_columns, "next_attempt_at", "body"]
    search_columns = ["channel", "status", "reason", "address", "created_at"]
    order_columns = ["created_at", "status", "attempts", "next_attempt_at", "sent_at"]
    base_order = ("created_at", "desc")
    formatters_columns = {
        "recipient": person,
        "address": masked_address,
        "last_error": text,
        "channel": labeller("notification_channel"),
        "status": labeller("notification_status"),
        "reason": labeller("notification_reason"),
        "created_at": local_time,
        "next_attempt_at": local_time,
        "sent_at": local_time,
    }

    @expose("/retry", methods=["POST"])
    @has_access
    def retry(self):
        """Send failed messages again: the ticked ones, or every failed one."""
        if request.form.get("all") == "failed":
            ids = [
                row_id
                for (row_id,) in db.session.query(Notification.id).filter(
                    Notification.status == DeliveryStatus.FAILED.value
                )
            ]
        else:
            ids = [int(v) for v in request.form.getlist("id") if v.isdigit()]
        count = retry(ids)
        flash(_("%(n)d messages will be sent again.", n=count), "success")
        return redirect(url_for(".list", _flt_0_status=DeliveryStatus.FAILED.value))


NOTIFICATION_COLUMNS = [
    "id",
    "channel",
    "status",
    "reason",
    "subject",
    "body",
    "target_type",
    "target_id",
    "created_at",
    "sent_at",
    "read_at",
    "recipient.username",
    "address",
    "attempts",
    "next_attempt_at",
    "last_error",
]
ADMIN_ONLY = ("recipient", "address", "attempts", "next_attempt_at", "last_error")
MOMENTS = ("created_at", "sent_at", "read_at", "next_attempt_at")


class NotificationApi(EngineApiMixin, SunshineModelRestApi):
    """``/api/v1/notification/``: a user's own messages; the Admin's whole outbox."""

    resource_name = "notification"
    datamodel = SQLAInterface(Notification)
    class_permission_name = Resource.NOTIFICATION
    method_permission_name = {**REST_API_METHODS, "read": ACT}
    include_route_methods = {"get", "get_list", "info", "read"}
    base_filters = [["id", NotificationScopeFilter, None]]
    list_columns = NOTIFICATION_COLUMNS
    show_columns = NOTIFICATION_COLUMNS
    search_columns = ["channel", "status", "reason", "read_at"]
    order_columns = ["id", "created_at", "sent_at", "status"]
    base_order = ("id", "desc")

    def pre_get(self, data):
        self._shape([data["result"]])

    def pre_get_list(self, data):
        self._shape(data["result"])

    @staticmethod
    def _shape(rows):
        admin = "Admin" in g.user.role_names
        for row in rows:
            if "recipient" in row:
                row["recipient"] = (row["recipient"] or {}).get("username")
            for column in MOMENTS:
                if row.get(column):
                    row[column] += "Z"
            if not admin:
                for column in ADMIN_ONLY:
                    row.pop(column, None)

    @expose("/<int:pk>/read", methods=["POST"])
    @protect()
    @safe
    @permission_name("read")
    def read(self, pk):
        """Mark one of your in-app messages as read."""
        item = (
            db.session.query(Notification)
            .filter(Notification.id == pk, own_messages_clause(g.user))
            .one_or_none()
        )
        if item is None:
            audit.mark_denied()
            return self.response_404()
        item.read_at = item.read_at or utcnow()
        db.session.commit()
        return self.response(200, result={"id": item.id, "read_at": item.read_at.isoformat() + "Z"})


# ---------------------------------------------------------------- profile


class ProfileView(BaseView):
    """个人资料: phone, email, language and channel preferences of the signed-in user."""

    route_base = "/profile"
    default_view = "profile"
    class_permission_name = Resource.PROFILE
    method_permission_name = {"profile": "read", "save": "write"}

    @expose("/")
    @has_access
    def profile(self):
        return self._render({}, _values(g.user))

    @expose("/", methods=["POST"])
    @has_access
    def save(self):
        values = {
            "email": (request.form.get("email") or "").strip(),
            "phone": ascii_code(request.form.get("phone") or ""),
            "locale": request.form.get("locale") or "",
            "notify_email": request.form.get("notify_email") == "y",
            "notify_sms": request.form.get("notify_sms") == "y",
        }
        errors = _check(values)
        if errors:
            return self._render(errors, values), 400
        user = g.user
        user.email = values["email"]
        user.phone = values["phone"] or None
        user.locale = values["locale"]
        user.notify_email = values["notify_email"]
        user.notify_sms = values["notify_sms"]
        db.session.commit()
        flash(_("Your profile is saved."), "success")
        return redirect(url_for(".profile"))

    def _render(self, errors, values):
        return self.render_template(
            "notify/profile.html",
            errors=errors,
            values=values,
            languages=choices("language"),
            title=_l("My profile"),
        )


def _values(user):
    return {
        "email": user.email or "",
        "phone": user.phone or "",
        "locale": user.locale or "zh",
        "notify_email": user.notify_email,
        "notify_sms": user.notify_sms,
    }


def _check(values):
    errors = {}
    try:
        values["email"] = validate_email(values["email"], check_deliverability=False).normalized
    except EmailNotValidError:
        errors["email"] = _("Not a valid email address.")
    if values["phone"] and not is_mobile(values["phone"]):
        errors["phone"] = _("A mainland mobile number: 11 digits starting with 1.")
    if values["locale"] not in dict(choices("language")):
        errors["locale"] = _("Choose a language.")
    taken = (
        db.session.query(BureauUser.id)
        .filter(BureauUser.email == values["email"], BureauUser.id != g.user.id)
        .first()
    )
    if taken:
        errors["email"] = _("Another user has this email address.")
    return errors


def register_notification_views(appbuilder):
    from flask import current_app

    from app.notify import panels  # noqa: F401 - registers the home page's panel

    assistant = {
        "category": "Assistant",
        "category_label": _l("Assistant"),
        "category_icon": "fa-user",
    }
    appbuilder.add_view(
        InboxView, "Messages", label=_l("Messages"), icon="fa-envelope", **assistant
    )
    appbuilder.add_view(
        ProfileView, "My profile", label=_l("My profile"), icon="fa-id-card", **assistant
    )
    appbuilder.add_view(
        OutboxView,
        "Outbox",
        label=_l("Outbox"),
        icon="fa-paper-plane",
        category="Settings",
    )
    appbuilder.add_api(NotificationApi)
    current_app.add_template_global(unread_count)
