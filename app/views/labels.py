"""Display labels for stored codes (statuses, decisions) and local times in pages."""

from datetime import UTC

from flask_babel import lazy_gettext as _l
from markupsafe import escape

from app.calendar.workdays import TZ

STATUS_LABELS = {
    "received": _l("Received"),
    "in_progress": _l("In progress"),
    "suspended": _l("Suspended"),
    "supplement_requested": _l("Supplement requested"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "not_accepted": _l("Not accepted"),
    "released": _l("Released"),
    "withdrawn": _l("Withdrawn"),
    "draft": _l("Draft"),
    "issued": _l("Issued"),
    "revoked": _l("Revoked"),
    "expired": _l("Expired"),
    "open": _l("Open"),
    "done": _l("Done"),
    "cancelled": _l("Cancelled"),
}
DECISION_LABELS = {
    "approve": _l("Approve"),
    "disagree": _l("Disagree"),
    "return": _l("Return"),
    "reject": _l("Reject"),
}
FLAG_LABELS = {"normal": _l("On time"), "warning": _l("Warning"), "overdue": _l("Overdue")}


def status_text(value):
    return str(STATUS_LABELS.get(value, value or ""))


def decision_text(value):
    return str(DECISION_LABELS.get(value, value or ""))


def flag_text(value):
    return str(FLAG_LABELS.get(value, value or ""))


def local_time(value):
    """A naive-UTC database moment as Beijing time, minutes precision."""
    if value is None:
        return ""
    return escape(value.replace(tzinfo=UTC).astimezone(TZ).strftime("%Y-%m-%d %H:%M"))


def register_template_filters(app):
    app.jinja_env.filters.update(
        local_time=local_time,
        status_text=status_text,
        decision_text=decision_text,
        flag_text=flag_text,
    )
