"""What is on someone's desk, as SQL: the conditions behind My tasks, a head's division
queue, the case list's filters and the home page's panels (app/workflow/panels.py).

Each function returns a condition (or runs one query); rules on who may act stay in
:mod:`app.workflow.engine` and row scope in :mod:`app.security.scope`, used from here.
"""

from sqlalchemy import and_, exists, false, select

from app.extensions import db
from app.models.cases import Case, CaseStatus, Flag, Permit, Task, TaskStatus
from app.models.catalog import Matter
from app.models.org import Division
from app.workflow import engine

ACTIVE = (CaseStatus.IN_PROGRESS.value, CaseStatus.SUSPENDED.value)


def my_open_tasks(user, task=Task):
    """Open tasks the user can complete: assigned to them, or unassigned in their unit."""
    return engine.handled_by(user, task)


def division_queue(user, task=Task):
    """For a division head: the division's open tasks nobody has been given yet."""
    if not engine.acts_in_cases(user) or engine.DIVISION_HEAD not in user.role_names:
        return false()
    if user.division_id is None:
        return false()
    return and_(
        task.status == TaskStatus.OPEN.value,
        task.assignee_id.is_(None),
        task.division_id == user.division_id,
    )


def overdue_open_task(task=Task):
    return and_(task.status == TaskStatus.OPEN.value, task.flag == Flag.OVERDUE.value)


def case_has_overdue_task():
    """A case with an overdue open task, whatever its own flag (DESIGN §4)."""
    return exists(select(Task.id).where(Task.case_id == Case.id, overdue_open_task()))


def with_overdue_task(case_ids):
    """Which of ``case_ids`` have an overdue open task (one statement for a page of cases)."""
    if not case_ids:
        return set()
    rows = db.session.execute(
        select(Task.case_id).where(Task.case_id.in_(case_ids), overdue_open_task()).distinct()
    )
    return set(rows.scalars())


def case_of_matter(code):
    return Case.matter_id == select(Matter.id).where(Matter.code == code).scalar_subquery()


def case_with_unit(code):
    """Cases in which the unit has or had a task."""
    unit_id = select(Division.id).where(Division.code == code).scalar_subquery()
    return exists(select(Task.id).where(Task.case_id == Case.id, Task.division_id == unit_id))


def case_matching(text):
    """Receipt number, applicant, organisation or project containing ``text``."""
    columns = (Case.receipt_no, Case.applicant_name, Case.applicant_org, Case.project_name)
    condition = false()
    for column in columns:
        condition = condition | column.contains(text, autoescape=True)
    return condition


def task_matching(text):
    """Tasks of the cases :func:`case_matching` finds."""
    return Task.case_id.in_(select(Case.id).where(case_matching(text)))


def permit_matching(text):
    return Permit.number.contains(text, autoescape=True) | Permit.holder.contains(
        text, autoescape=True
    )


def active_case():
    return Case.status.in_(ACTIVE)


def awaiting_decision():
    """Registered at the window (先行登记): acceptance to be decided within 5 working days."""
    return Case.status == CaseStatus.RECEIVED.value


def awaiting_supplement():
    return Case.status == CaseStatus.SUPPLEMENT_REQUESTED.value
