"""The deadline scan: flags every open task and active case as of a moment, set-based.

Each due date is stored with its warning moment (one working day before, by
default), so the scan is a handful of UPDATE statements whatever the number of
rows: no Python loop over cases. It then issues the cards due (app/supervision/
cards.py) and queues the reminders of the policy (app/notify/policy.py), each a
constant number of INSERT ... SELECT statements keyed so that a second scan at
the same moment issues and queues nothing. One transaction.
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, exists, or_, select, update
from sqlalchemy import case as when

from app.calendar.workdays import TZ
from app.extensions import db
from app.models.cases import (
    Case,
    CaseStatus,
    Flag,
    Permit,
    PermitStatus,
    Suspension,
    Task,
    TaskStatus,
)
from app.notify.policy import queue_reminders
from app.supervision.cards import Issued, issue_cards
from app.workflow.clock import as_aware


def _lock_cases(which):
    """The engine's lock order (app/workflow/engine.py): the cases first, in id order, then
    their tasks. Updating the tasks first would hold a task an action waits for while the
    scan waits for that action's case: a deadlock on PostgreSQL. One statement."""
    db.session.execute(select(Case.id).where(which).order_by(Case.id).with_for_update())


@dataclass(frozen=True)
class ScanResult:
    tasks: int
    cases: int
    permits_expired: int
    cards: Issued = Issued(0, 0, 0)
    reminders: dict = field(default_factory=dict)


def _flag(due_column, warn_column, now):
    return when(
        (due_column < now, Flag.OVERDUE.value),
        (warn_column <= now, Flag.WARNING.value),
        else_=Flag.NORMAL.value,
    )


def scan(now):
    """Set flags as of ``now`` (naive UTC); returns how many rows changed."""
    task_flag = _flag(Task.due_at, Task.warn_at, now)
    # A paused clock (a suspension or a step outside the limit) does not run late.
    paused = exists(
        select(Suspension.id).where(Suspension.case_id == Case.id, Suspension.ended_at.is_(None))
    )
    promised = _flag(Case.promised_due_at, Case.promised_warn_at, now)
    statutory = _flag(Case.statutory_due_at, Case.statutory_warn_at, now)
    case_changes = and_(
        Case.status == CaseStatus.IN_PROGRESS.value,
        ~paused,
        (Case.flag != promised) | (Case.statutory_flag != statutory),
    )
    task_changes = and_(Task.status == TaskStatus.OPEN.value, Task.flag != task_flag)
    _lock_cases(or_(case_changes, Case.id.in_(select(Task.case_id).where(task_changes))))
    tasks = db.session.execute(
        update(Task)
        .where(task_changes)
        .values(flag=task_flag)
        .execution_options(synchronize_session=False)
    ).rowcount
    cases = db.session.execute(
        update(Case)
        .where(case_changes)
        .values(flag=promised, statutory_flag=statutory)
        .execution_options(synchronize_session=False)
    ).rowcount

    today = as_aware(now).astimezone(TZ).date()
    permits = db.session.execute(
        update(Permit)
        .where(
            Permit.status.in_([PermitStatus.ISSUED.value, PermitStatus.RELEASED.value]),
            Permit.valid_until < today,
        )
        .values(status=PermitStatus.EXPIRED.value)
        .execution_options(synchronize_session=False)
    ).rowcount
    cards = issue_cards(now)
    reminders = queue_reminders(now)
    db.session.commit()
    return ScanResult(
        tasks=tasks, cases=cases, permits_expired=permits, cards=cards, reminders=reminders
    )
