"""Provisional due dates are recomputed when the Admin publishes a year's calendar."""

from sqlalchemy.orm import joinedload, selectinload

from app.calendar.signals import calendar_year_published
from app.extensions import db
from app.models.cases import ACTIVE_STATUSES, Case, TaskStatus
from app.workflow import engine


def recompute_provisional(year=None):
    """Recompute every active case whose due dates are provisional, and its open tasks.

    Only provisional cases are touched (a small set: those running into a year
    the calendar does not know yet). Returns the number of cases recomputed.
    """
    active = [status.value for status in ACTIVE_STATUSES]
    cases = (
        db.session.query(Case)
        .options(selectinload(Case.tasks), joinedload(Case.matter))
        .filter(Case.due_provisional.is_(True), Case.status.in_(active))
        .all()
    )
    for case in cases:  # the calendar is read once for all of them (clock.calendar_snapshot)
        engine.refresh_case_due(case)
        for task in case.tasks:
            if task.status == TaskStatus.OPEN.value:
                engine.refresh_task_due(task)
    db.session.commit()
    return len(cases)


def connect_signals():
    calendar_year_published.connect(_on_year_published, weak=False)


def _on_year_published(year, **_):
    recompute_provisional(year)
