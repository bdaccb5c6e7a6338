"""Provisional due dates are recomputed when the Admin publishes a year's calendar."""

from app.calendar.signals import calendar_year_published
from app.extensions import db
from app.models.cases import ACTIVE_STATUSES, Case, Task, TaskStatus
from app.workflow import engine


def recompute_provisional(year=None):
    """Recompute every active case whose due dates are provisional, and its open tasks.

    Only provisional cases are touched (a small set: those running into a year
    the calendar does not know yet). Returns the number of cases recomputed.
    """
    cases = (
        db.session.query(Case)
        .filter(Case.due_provisional.is_(True), Case.status.in_([s.value for s in ACTIVE_STATUSES]))
        .all()
    )
    for case in cases:
        engine.refresh_case_due(case)
        open_tasks = db.session.query(Task).filter_by(case_id=case.id, status=TaskStatus.OPEN.value)
        for task in open_tasks:
            engine.refresh_task_due(task)
    db.session.commit()
    return len(cases)


def connect_signals():
    calendar_year_published.connect(_on_year_published, weak=False)


def _on_year_published(year, **_):
    recompute_provisional(year)
