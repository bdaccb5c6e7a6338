"""The one place that turns stored values into the user's words (STYLE: labels, not values).

Codes stay stable in the database and the API; every page, filter, export and
API ``label`` field shows them through here: enumerations by *vocabulary*
(``label("case_status", "in_progress")`` → 办理中), booleans as 是/否, empty
values as "—", people in Chinese name order, units by name, roles by their
translated name, and moments in Beijing time to the minute.

A new enumeration registers its vocabulary with :func:`register`, next to the
enumeration itself or here; pages and filters then get labels and choices for free.
"""

from datetime import UTC, date, datetime

from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from app.calendar.workdays import TZ
from app.models.calendar import DAY_KIND_LABELS
from app.models.org import DIVISION_KIND_LABELS

EMPTY = "—"

VOCABULARIES = {
    "case_status": {
        "received": _l("Received"),
        "in_progress": _l("In progress"),
        "suspended": _l("Suspended"),
        "supplement_requested": _l("Supplement requested"),
        "approved": _l("Approved"),
        "rejected": _l("Rejected"),
        "not_accepted": _l("Not accepted"),
        "released": _l("Released"),
        "withdrawn": _l("Withdrawn"),
    },
    "task_status": {
        "open": _l("Open"),
        "done": _l("Done"),
        "cancelled": _l("Cancelled"),
    },
    "permit_status": {
        "draft": _l("Draft"),
        "issued": _l("Issued"),
        "released": _l("Released"),
        "revoked": _l("Revoked"),
        "expired": _l("Expired"),
    },
    "permit_kind": {
        "approval": _l("Approval document"),
        "land_certificate": _l("Land-use certificate"),
        "licence": _l("Licence"),
    },
    "flag": {"normal": _l("On time"), "warning": _l("Warning"), "overdue": _l("Overdue")},
    "decision": {
        "approve": _l("Approve"),
        "disagree": _l("Disagree"),
        "return": _l("Return"),
        "reject": _l("Reject"),
    },
    "opinion_kind": {
        "review": _l("Review"),
        "countersign": _l("Countersign"),
        "sign": _l("Leader signature"),
    },
    "suspension_kind": {
        "expert_review": _l("Expert review"),
        "hearing": _l("Hearing"),
        "public_notice": _l("Public notice"),
        "applicant_payment": _l("Applicant payment"),
        "government_approval": _l("Government approval"),
        "appraisal": _l("Appraisal"),
        "uncounted_step": _l("Step outside the time limit"),
    },
    # 好差评 of a case and a petitioner's satisfaction: the same five levels
    "satisfaction": {
        "very_satisfied": _l("Very satisfied"),
        "satisfied": _l("Satisfied"),
        "basically_satisfied": _l("Basically satisfied"),
        "dissatisfied": _l("Dissatisfied"),
        "very_dissatisfied": _l("Very dissatisfied"),
    },
    "stage_mode": {
        "single": _l("Single (steps in parallel)"),
        "countersign": _l("Countersign (all sign at once)"),
        "sequence": _l("Sequence (one after another)"),
    },
    "step_kind": {
        "receipt": _l("Receipt"),
        "review": _l("Review"),
        "survey": _l("Survey"),
        "external": _l("External department"),
        "payment": _l("Applicant payment"),
        "draft_permit": _l("Draft the permit"),
        "sign": _l("Leader signature"),
        "release": _l("Release"),
    },
    "matter_category": {
        "licence": _l("Administrative licence"),
        "non_licence": _l("Non-licence approval"),
        "penalty": _l("Administrative penalty"),
        "enforcement": _l("Administrative enforcement"),
        "levy": _l("Administrative levy"),
        "public_service": _l("Public service"),
    },
    "division_kind": {kind.value: label for kind, label in DIVISION_KIND_LABELS.items()},
    "day_kind": {kind.value: label for kind, label in DAY_KIND_LABELS.items()},
    "role": {
        "Admin": _l("System administrator"),
        "Window": _l("Service window"),
        "Staff": _l("Division staff"),
        "DivisionHead": _l("Head of division"),
        "Leader": _l("Bureau leader"),
        "Supervisor": _l("Supervision post"),
        "Inspector": _l("Discipline inspection"),
        "Intermediary": _l("Intermediary agency"),
        "PetitionOffice": _l("Petition office"),
        "UnitStaff": _l("County bureau or branch staff"),
        "Public": _l("Public"),
    },
}


def register(vocabulary, labels):
    """Add (or extend) a vocabulary: ``{code: lazy label}``."""
    VOCABULARIES.setdefault(vocabulary, {}).update(labels)


def label(vocabulary, value):
    """The label of a code; an unknown code shows as itself, an empty one as "—"."""
    if value is None or value == "":
        return EMPTY
    text = VOCABULARIES[vocabulary].get(str(value))
    return str(text) if text is not None else str(value)


def choices(vocabulary, only=None):
    """``[(code, label)]`` in the vocabulary's order, for select fields and filters."""
    return [
        (code, str(text))
        for code, text in VOCABULARIES[vocabulary].items()
        if only is None or code in only
    ]


def labeller(vocabulary):
    """A one-argument formatter for FAB's ``formatters_columns``."""

    def format_value(value):
        return label(vocabulary, value)

    format_value.__name__ = f"{vocabulary}_label"
    return format_value


def yes_no(value):
    if value is None:
        return EMPTY
    return str(_l("Yes")) if value else str(_l("No"))


def text(value):
    """Any value as text; None and "" as "—", booleans as 是/否."""
    if isinstance(value, bool):
        return yes_no(value)
    if value is None or value == "":
        return EMPTY
    if isinstance(value, datetime):
        return local_time(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def person(user):
    """A user as people name them: family name first (张涛); "—" for nobody."""
    if user is None:
        return EMPTY
    name = f"{user.last_name or ''}{user.first_name or ''}".strip()
    return name or user.username


def unit(division):
    return division.name if division is not None else EMPTY


def role(name):
    return label("role", getattr(name, "name", name))


def roles(user):
    return "、".join(role(r.name) for r in sorted(user.roles, key=lambda r: r.name))


def as_beijing(value):
    """A naive-UTC database moment (or an aware one) as an aware Beijing moment."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(TZ)


def local_time(value):
    """A database moment as Beijing time to the minute: 2026-03-02 09:00."""
    if value is None:
        return EMPTY
    if not isinstance(value, datetime):
        return text(value)
    return as_beijing(value).strftime("%Y-%m-%d %H:%M")


def local_date(value):
    if value is None:
        return EMPTY
    if isinstance(value, datetime):
        return as_beijing(value).strftime("%Y-%m-%d")
    return value.isoformat()


def iso_utc(value):
    """For the API: ISO 8601 with its zone (``2026-03-02T01:00:00Z``); None stays None."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat() + "Z"


def html_label(vocabulary, value, css=None):
    """A Bootstrap label span, for flags and statuses in pages."""
    classes = css or {}
    style = classes.get(value, "default")
    return Markup('<span class="label label-{}">{}</span>').format(
        style, escape(label(vocabulary, value))
    )


FLAG_STYLES = {"normal": "success", "warning": "warning", "overdue": "danger"}


def register_template_filters(app):
    """Jinja filters of the same functions: ``{{ case.status | label('case_status') }}``."""
    app.jinja_env.filters.update(
        label=lambda value, vocabulary: label(vocabulary, value),
        local_time=local_time,
        local_date=local_date,
        yes_no=yes_no,
        text=text,
        person=person,
        unit=unit,
        role=role,
    )
    app.jinja_env.globals.update(
        label_choices=choices,
        flag_html=lambda value: html_label("flag", value, FLAG_STYLES),
    )
