"""Checking what people send: a registration field by field, and the values of the
actions (units, dates, texts). Every problem is a 400 with a message in the user's
language; a registration's problems come field by field (``errors``)."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import func, or_, select

from app.calendar.workdays import TZ
from app.extensions import db
from app.labels import local_time
from app.models.cases import Case
from app.models.org import Division, DivisionKind
from app.models.petitions import Channel, Petition, PetitionCategory
from app.petitions import deadlines
from app.workflow import clock
from app.workflow.errors import BadInput
from app.workflow.fields import identity_number, phone_number, text_field

TEXT_LIMITS = {
    "petitioner_name": 100,
    "petitioner_address": 300,
    "content": 10000,
}
REASON_LIMIT = 2000
LONG_TEXT_LIMIT = 10000
PERSON_LIMIT = 100
AUTHORITY_LIMIT = 200
# A registration may be dated a little ahead of the server's clock, not more.
CLOCK_TOLERANCE = timedelta(minutes=5)
ASSIGNABLE_KINDS = (DivisionKind.DIVISION, DivisionKind.COUNTY, DivisionKind.BRANCH)


class InvalidRegistration(BadInput):
    """Field-by-field errors: ``errors`` maps a field name to its message."""

    def __init__(self, errors):
        super().__init__(_("The petition has errors."), errors=errors)
        self.errors = errors


@dataclass
class Registration:
    petitioner_name: str
    channel: str
    category: PetitionCategory
    content: str
    received_at: datetime  # naive UTC
    petitioner_phone: str | None = None
    petitioner_id_number: str | None = None
    petitioner_address: str | None = None
    complaint_targets: list = field(default_factory=list)  # [(Division | None, person | None)]
    repeat_of: Petition | None = None
    case: Case | None = None


def parse_registration(data, now=None):
    """Check a dict from the API or the registration form; raise InvalidRegistration."""
    if not isinstance(data, dict):
        raise BadInput(_("The request body must be a JSON object."))
    now = now or clock.utcnow()
    errors = {}
    values = {name: text_field(data, name, limit, errors) for name, limit in TEXT_LIMITS.items()}
    if not values["petitioner_name"] and "petitioner_name" not in errors:
        errors["petitioner_name"] = _("The petitioner's name is required.")
    if not values["content"] and "content" not in errors:
        errors["content"] = _("Write what the petition asks or reports.")
    values["petitioner_phone"] = phone_number(data, "petitioner_phone", errors)
    values["petitioner_id_number"] = identity_number(data, "petitioner_id_number", errors)
    channel = data.get("channel")
    if channel not in {c.value for c in Channel}:
        errors["channel"] = _(
            "Choose one of: %(choices)s.", choices=", ".join(c.value for c in Channel)
        )
    category = _category(data.get("category"), errors)
    received_at = _received_at(data.get("received_at"), now, errors)
    targets = _complaint_targets(data, errors)
    repeat_of = _petition_by_number(data.get("repeat_of"), "repeat_of", errors)
    case = _case_by_receipt(data.get("case"), "case", errors)
    if errors:
        raise InvalidRegistration(errors)
    return Registration(
        channel=channel,
        category=category,
        received_at=received_at,
        complaint_targets=targets,
        repeat_of=repeat_of,
        case=case,
        **values,
    )


def _category(value, errors):
    if not isinstance(value, str) or not value.strip():
        errors["category"] = _("Choose a category.")
        return None
    value = value.strip()
    category = db.session.scalar(
        select(PetitionCategory).where(
            or_(PetitionCategory.code == value, PetitionCategory.name == value)
        )
    )
    if category is None or not category.active:
        errors["category"] = _("Unknown or inactive category %(value)s.", value=value[:40])
        return None
    return category


def parse_moment(value):
    """An ISO 8601 date-time (Beijing time when it names no zone) as naive UTC, or None."""
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, str) and value.strip():
        try:
            moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    else:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=TZ)
    return clock.as_naive_utc(moment)


def _received_at(value, now, errors):
    if value in (None, ""):
        return now
    moment = parse_moment(value)
    if moment is None:
        errors["received_at"] = _("Give a date and time such as 2026-03-02T09:30.")
        return None
    if moment > now + CLOCK_TOLERANCE:
        errors["received_at"] = _("The petition cannot have been received in the future.")
        return None
    return moment


def _complaint_targets(data, errors):
    """``complaint_against``: {"unit": code, "person": name} or a list of them; the form
    sends ``complaint_unit`` and ``complaint_person``."""
    raw = data.get("complaint_against")
    if raw is None and (data.get("complaint_unit") or data.get("complaint_person")):
        raw = {"unit": data.get("complaint_unit"), "person": data.get("complaint_person")}
    if raw in (None, [], {}):
        return []
    items = raw if isinstance(raw, list) else [raw]
    targets = []
    for item in items:
        if not isinstance(item, dict):
            errors["complaint_against"] = _("Give the unit's code and/or the person's name.")
            return []
        unit = None
        if item.get("unit"):
            unit = unit_by_code(item.get("unit"), "complaint_against", errors)
        person = text_field(item, "person", PERSON_LIMIT, errors)
        if "person" in errors:
            errors["complaint_against"] = errors.pop("person")
        if unit is None and person is None:
            errors.setdefault(
                "complaint_against", _("Give the unit's code and/or the person's name.")
            )
            return []
        targets.append((unit, person))
    return targets


def unit_by_code(code, name, errors, assignable=False):
    """An active unit by its code; a problem goes into ``errors[name]``."""
    if not isinstance(code, str) or not code.strip():
        errors[name] = _("Choose a unit.")
        return None
    unit = db.session.scalar(select(Division).where(Division.code == code.strip()))
    if unit is None or not unit.active:
        errors[name] = _("Unknown or inactive unit %(code)s.", code=code[:40])
        return None
    if assignable and unit.kind not in {kind.value for kind in ASSIGNABLE_KINDS}:
        errors[name] = _(
            "%(unit)s cannot handle petitions: choose a division, county bureau or branch.",
            unit=unit.name,
        )
        return None
    return unit


def _petition_by_number(number, name, errors):
    if number in (None, ""):
        return None
    if not isinstance(number, str):
        errors[name] = _("Give a petition number.")
        return None
    petition = db.session.scalar(select(Petition).where(Petition.number == number.strip()))
    if petition is None:
        errors[name] = _("No petition numbered %(number)s.", number=number[:40])
    return petition


def _case_by_receipt(receipt_no, name, errors):
    if receipt_no in (None, ""):
        return None
    if not isinstance(receipt_no, str):
        errors[name] = _("Give a receipt number.")
        return None
    case = db.session.scalar(
        select(Case).where(func.upper(Case.receipt_no) == receipt_no.strip().upper())
    )
    if case is None:
        errors[name] = _("No case with receipt number %(number)s.", number=receipt_no[:40])
    return case


# ---------------------------------------------------------------- action values


def one_error(errors):
    """Raise the first problem of ``errors`` as a BadInput naming its field."""
    if errors:
        raise BadInput(next(iter(errors.values())), errors=errors)


def required_text(value, name, message, limit=REASON_LIMIT):
    errors = {}
    text = text_field({name: value}, name, limit, errors)
    one_error(errors)
    if not text:
        raise BadInput(message, errors={name: message})
    return text


def optional_text(value, name, limit=REASON_LIMIT):
    errors = {}
    text = text_field({name: value}, name, limit, errors)
    one_error(errors)
    return text


def unit(code, name="unit"):
    errors = {}
    found = unit_by_code(code, name, errors, assignable=True)
    one_error(errors)
    return found


def petition_number(number, name="repeat_of"):
    errors = {}
    found = _petition_by_number(number, name, errors)
    one_error(errors)
    if found is None:
        raise BadInput(_("Give a petition number."), errors={name: _("Give a petition number.")})
    return found


def case_receipt(receipt_no, name="case"):
    errors = {}
    found = _case_by_receipt(receipt_no, name, errors)
    one_error(errors)
    if found is None:
        raise BadInput(_("Give a receipt number."), errors={name: _("Give a receipt number.")})
    return found


def due_date(value, now, latest, name="due"):
    """A unit's due date: a date (the end of that day, Beijing time) or a date-time, after
    ``now`` and no later than ``latest`` (the petition's handling limit); None: ``latest``."""
    if value in (None, ""):
        return latest
    moment = None
    if isinstance(value, date) and not isinstance(value, datetime):
        moment = _end_of(value)
    elif isinstance(value, str) and len(value.strip()) == 10:
        try:
            moment = _end_of(date.fromisoformat(value.strip()))
        except ValueError:
            moment = None
    else:
        moment = parse_moment(value)
    if moment is None:
        message = _("Give a date such as 2026-03-20.")
        raise BadInput(message, errors={name: message})
    if moment <= now:
        message = _("The due date must be in the future.")
        raise BadInput(message, errors={name: message})
    if latest is not None and moment > latest:
        message = _(
            "The due date cannot be after the petition's handling limit (%(limit)s).",
            limit=local_time(latest),
        )
        raise BadInput(message, errors={name: message})
    return moment


def _end_of(day):
    return deadlines.day_end(day)


def flag_value(value, name):
    """A yes/no from JSON (true/false) or a form ("1", "on", "true", "0", ...)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in {"1", "on", "true", "yes"}:
        return True
    if isinstance(value, str) and value.strip().lower() in {"0", "off", "false", "no", ""}:
        return False
    message = _("Must be true or false.")
    raise BadInput(message, errors={name: message})


def positive_days(value, name="days"):
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        message = _("Give a positive whole number of days.")
        raise BadInput(message, errors={name: message})
    return value
