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


_SNAPSHOT_KEY = "workflow.calendar_snapshot"


def calendar_snapshot():
    """The whole calendar, read once per transaction (a few hundred rows, one query).

    An action that opens eight countersign tasks or moves every open task after a
    suspension reads the calendar once, not once per task; after a commit (a year
    published, say) the next transaction reads it afresh.
    """
    session = db.session()  # the request's Session behind the scoped proxy
    cached = session.info.get(_SNAPSHOT_KEY)
    transaction = session.get_transaction()
    if cached is not None and transaction is not None and cached[0] is transaction:
        return cached[1]
    snapshot = Calendar.load(session)
    session.info[_SNAPSHOT_KEY] = (session.get_transaction(), snapshot)
    return snapshot


def due(start, days, warning_days=1, calendar=None):
    """When a limit of ``days`` working days from ``start`` ends, and when to warn."""
    calendar = calendar or calendar_snapshot()
    deadline = add_working_days(as_aware(start), days, calendar)
    warning = add_working_days(as_aware(start), max(days - warning_days, 0), calendar)
    return Due(
        due_at=as_naive_utc(deadline.due_at),
        warn_at=as_naive_utc(warning.due_at),
        provisional=deadline.provisional,
        trace=deadline.trace,
    )


def working_days(start, end, calendar=None):
    calendar = calendar or calendar_snapshot()
    return working_days_between(as_aware(start), as_aware(end), calendar)
