"""The engine's view of time: naive-UTC database moments, working-day arithmetic.

The database keeps naive UTC; the calendar (app/calendar/workdays.py) counts in
Asia/Shanghai. This module converts at that one boundary.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from app.calendar.workdays import Calendar, add_working_days, working_days_between
from app.extensions import db


def utcnow():
    return datetime.now(UTC).replace(tzinfo=None)


def as_aware(moment):
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def as_naive_utc(moment):
    return moment.astimezone(UTC).replace(tzinfo=None)


@dataclass(frozen=True)
class Due:
    due_at: datetime  # naive UTC
    warn_at: datetime  # naive UTC: one working day (configurable) before due_at
    provisional: bool
    trace: list


def due(start, days, warning_days=1, calendar=None):
    """When a limit of ``days`` working days from ``start`` ends, and when to warn."""
    calendar = calendar or Calendar.for_working_days(db.session, as_aware(start), days)
    deadline = add_working_days(as_aware(start), days, calendar)
    warning = add_working_days(as_aware(start), max(days - warning_days, 0), calendar)
    return Due(
        due_at=as_naive_utc(deadline.due_at),
        warn_at=as_naive_utc(warning.due_at),
        provisional=deadline.provisional,
        trace=deadline.trace,
    )


def working_days(start, end, calendar=None):
    calendar = calendar or Calendar.for_period(db.session, as_aware(start), as_aware(end))
    return working_days_between(as_aware(start), as_aware(end), calendar)
