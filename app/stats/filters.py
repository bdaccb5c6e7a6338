"""The filters of a statistics request: checked, and narrowed to the user's scope.

``from`` and ``to`` are Beijing calendar days (YYYY-MM-DD, both included; default: the
twelve months up to today); ``division`` and ``matter`` (cases) and ``unit``
(petitions) are codes. A bad date, a reversed range, a range over
``STATS_MAX_RANGE_DAYS``, or a code that is unknown or outside the user's scope
(one answer: existence is not leaked) raises :class:`FilterError` (400).
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, select

from app.extensions import db
from app.models.catalog import Matter
from app.models.org import Division
from app.security.scope import petition_unit_ids, sees_every_petition, stats_division_ids
from app.workflow.clock import utcnow

BEIJING = timedelta(hours=8)
CODE_MAX_LENGTH = 32
FIRST_YEAR, LAST_YEAR = 1990, 2999  # beyond: not a day the console can have counted


class FilterError(ValueError):
    """A filter the statistics cannot count with (the API answers 400 with the message)."""

    def __init__(self, message, field_name):
        super().__init__(message)
        self.message = message
        self.field = field_name


@dataclass(frozen=True)
class Period:
    """Beijing days ``start`` to ``end`` (both included), and the naive-UTC bounds."""

    start: date
    end: date

    @property
    def utc_start(self):
        return datetime.combine(self.start, time()) - BEIJING

    @property
    def utc_end(self):
        """Exclusive: midnight after the last day, in UTC."""
        return datetime.combine(self.end + timedelta(days=1), time()) - BEIJING

    def holds(self, column):
        return and_(column >= self.utc_start, column < self.utc_end)

    @property
    def months(self):
        """``YYYY-MM`` of every month the period touches, in order."""
        months, year, month = [], self.start.year, self.start.month
        while (year, month) <= (self.end.year, self.end.month):
            months.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return months


@dataclass(frozen=True)
class CaseFilters:
    period: Period
    division: Division | None = None
    matter: Matter | None = None
    division_ids: frozenset | None = None  # None: every division; else scope ∩ filter

    def as_header(self):
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "division": self.division.code if self.division else None,
            "matter": self.matter.code if self.matter else None,
        }


@dataclass(frozen=True)
class PetitionFilters:
    period: Period
    user: object = field(repr=False)
    unit: Division | None = None
    unit_ids: frozenset | None = None  # None: every unit (for the per-unit counts)

    def as_header(self):
        return {
            "from": self.period.start.isoformat(),
            "to": self.period.end.isoformat(),
            "unit": self.unit.code if self.unit else None,
        }


def parse_period(args, today=None):
    today = today or (utcnow() + BEIJING).date()
    end = _day(args.get("to"), "to") or today
    start = _day(args.get("from"), "from") or _twelve_months_before(end)
    if start > end:
        raise FilterError(_("The start date is after the end date."), "from")
    limit = current_app.config["STATS_MAX_RANGE_DAYS"]
    if (end - start).days + 1 > limit:
        raise FilterError(
            _("The date range is longer than %(days)s days: choose a shorter one.", days=limit),
            "to",
        )
    return Period(start, end)


def case_filters(args, user, today=None):
    period = parse_period(args, today)
    allowed = stats_division_ids(user)
    division = _by_code(Division, args.get("division"), "division")
    if division is not None and allowed is not None and division.id not in allowed:
        raise FilterError(_("There is no division %(code)s.", code=division.code), "division")
    matter = _by_code(Matter, args.get("matter"), "matter")
    ids = {division.id} if division is not None else allowed
    return CaseFilters(period, division, matter, None if ids is None else frozenset(ids))


def petition_filters(args, user, today=None):
    period = parse_period(args, today)
    unit = _by_code(Division, args.get("unit"), "unit")
    everything = sees_every_petition(user)
    own = set() if everything else petition_unit_ids(user)
    if unit is not None and not everything and unit.id not in own:
        raise FilterError(_("There is no unit %(code)s.", code=unit.code), "unit")
    ids = {unit.id} if unit is not None else (None if everything else own)
    return PetitionFilters(period, user, unit, None if ids is None else frozenset(ids))


def _day(value, name):
    if value in (None, ""):
        return None
    try:
        day = date.fromisoformat(str(value).strip())
    except ValueError:
        day = None
    if day is None or not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise FilterError(
            _("%(value)s is not a date: write it as YYYY-MM-DD.", value=str(value)[:20]), name
        )
    return day


def _twelve_months_before(end):
    """The first day of the month eleven months before ``end``'s month."""
    month = end.month - 11
    year = end.year + (month - 1) // 12
    return date(year, (month - 1) % 12 + 1, 1)


def _by_code(model, code, name):
    if code in (None, ""):
        return None
    code = str(code).strip()
    found = None
    if len(code) <= CODE_MAX_LENGTH:
        found = db.session.execute(select(model).where(model.code == code)).scalar_one_or_none()
    if found is None:
        messages = {
            "division": _("There is no division %(code)s.", code=code[:CODE_MAX_LENGTH]),
            "unit": _("There is no unit %(code)s.", code=code[:CODE_MAX_LENGTH]),
            "matter": _("There is no matter %(code)s.", code=code[:CODE_MAX_LENGTH]),
        }
        raise FilterError(messages[name], name)
    return found
