"""How late is late: working days overdue, and the moment before which a due date is
more than N working days overdue (so SQL filters on ``due_at < cutoff``)."""

from datetime import datetime, timedelta

from app.calendar.workdays import TZ, local_day
from app.workflow import clock


def days_overdue(due_at, now, calendar=None):
    """Working days after the due day up to and including today (0: not overdue)."""
    if due_at is None or due_at >= now:
        return 0
    return max(clock.working_days(due_at, now, calendar), 0)


def overdue_cutoff(now, working_days, calendar=None):
    """Naive UTC: a due date before it is more than ``working_days`` overdue at ``now``."""
    calendar = calendar or clock.calendar_snapshot()
    today = local_day(clock.as_aware(now))
    day = today
    # Walk back to the latest due day that is already more than ``working_days`` late.
    for _ in range(working_days * 7 + 60):
        if days_overdue(_end_of(day), now, calendar) > working_days:
            break
        day -= timedelta(days=1)
    start_of_next_day = datetime.combine(day + timedelta(days=1), datetime.min.time(), tzinfo=TZ)
    return clock.as_naive_utc(start_of_next_day)


def _end_of(day):
    end = datetime.combine(day, datetime.max.time().replace(microsecond=0), tzinfo=TZ)
    return clock.as_naive_utc(end)
