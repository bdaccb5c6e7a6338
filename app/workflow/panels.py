"""The case engine's panels on the home page (工作台, app/workbench.py).

Each panel is a count and the few most urgent rows, two statements, for the users it
concerns: handlers (to do, due soon, overdue), division heads (tasks to give out),
leaders (cases with an overdue step in what they oversee) and the window (registered
applications to decide, supplements awaited). The "see all" link opens the list the
count was taken from, filtered the same way.
"""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, select
from sqlalchemy.orm import joinedload

from app import labels, workbench
from app.extensions import db
from app.models.cases import Case, Flag, Task
from app.security.scope import LEADER, WINDOW, case_clause
from app.workflow import engine, worklists
from app.workflow.clock import utcnow

ROWS = 5
FLAG_STYLE = {Flag.WARNING.value: "warning", Flag.OVERDUE.value: "danger"}


def _tasks(condition, order=Task.due_at):
    count = db.session.scalar(select(func.count(Task.id)).where(condition))
    rows = (
        db.session.query(Task)
        .options(joinedload(Task.case).joinedload(Case.matter))
        .filter(condition)
        .order_by(order, Task.id)
        .limit(ROWS)
        .all()
    )
    return count, rows


def _cases(condition, order):
    count = db.session.scalar(select(func.count(Case.id)).where(condition))
    rows = (
        db.session.query(Case)
        .options(joinedload(Case.matter))
        .filter(condition)
        .order_by(order, Case.id)
        .limit(ROWS)
        .all()
    )
    return count, rows


def _task_row(task):
    return workbench.Row(
        text=f"{task.case.receipt_no} · {task.name}",
        url=url_for("CaseView.show", pk=task.case_id),
        note=_("Due %(moment)s", moment=labels.local_time(task.due_at)),
        style=FLAG_STYLE.get(task.flag, ""),
    )


def _my_tasks_panel(user, key, title, flag=None, style="default"):
    if not engine.handles_tasks(user):
        return None
    condition = worklists.my_open_tasks(user)
    if flag:
        condition = and_(condition, Task.flag == flag)
    count, rows = _tasks(condition)
    return workbench.Panel(
        key=key,
        title=str(title),
        count=count,
        rows=[_task_row(task) for task in rows],
        url=url_for("MyTasksView.list", **({"flag": flag} if flag else {})),
        style=style if count else "default",
    )


@workbench.panel(order=10)
def to_do(user):
    return _my_tasks_panel(user, "todo", _l("To do"), style="primary")


@workbench.panel(order=11)
def due_soon(user):
    return _my_tasks_panel(user, "due_soon", _l("Due soon"), Flag.WARNING.value, "warning")


@workbench.panel(order=12)
def overdue(user):
    return _my_tasks_panel(user, "overdue", _l("Overdue"), Flag.OVERDUE.value, "danger")


@workbench.panel(order=20)
def division_queue(user):
    """A head's division tasks that nobody has been given yet."""
    if not engine.acts_in_cases(user) or engine.DIVISION_HEAD not in user.role_names:
        return None
    count, rows = _tasks(worklists.division_queue(user))
    return workbench.Panel(
        key="division_queue",
        title=_("To assign in the division"),
        count=count,
        rows=[_task_row(task) for task in rows],
        url=url_for("DivisionQueueView.list"),
        style="info" if count else "default",
    )


def _case_row(case, note, style=""):
    return workbench.Row(
        text=f"{case.receipt_no} · {case.applicant_name}",
        url=url_for("CaseView.show", pk=case.id),
        note=note,
        style=style,
    )


@workbench.panel(order=30)
def leader_overdue_cases(user):
    """Active cases with an overdue step among those the leader oversees."""
    if not engine.acts_in_cases(user) or LEADER not in user.role_names:
        return None
    condition = and_(case_clause(user), worklists.active_case(), worklists.case_has_overdue_task())
    count, rows = _cases(condition, Case.promised_due_at)
    return workbench.Panel(
        key="leader_overdue",
        title=_("Cases with an overdue step"),
        count=count,
        rows=[
            _case_row(
                case,
                _("Promised by %(moment)s", moment=labels.local_time(case.promised_due_at)),
                "danger",
            )
            for case in rows
        ],
        url=url_for("CaseView.list", overdue_task=1),
        style="danger" if count else "default",
    )


@workbench.panel(order=40)
def awaiting_decision(user):
    """Registered applications (先行登记) whose acceptance the window must decide."""
    if not engine.acts_in_cases(user) or WINDOW not in user.role_names:
        return None
    count, rows = _cases(worklists.awaiting_decision(), Case.supplement_deadline_at)
    now = utcnow()
    return workbench.Panel(
        key="awaiting_decision",
        title=_("Applications to decide"),
        count=count,
        rows=[
            _case_row(
                case,
                _("Decide by %(moment)s", moment=labels.local_time(case.supplement_deadline_at)),
                "danger" if case.supplement_deadline_at < now else "warning",
            )
            for case in rows
        ],
        url=url_for("CaseView.list", status="received"),
        style="warning" if count else "default",
    )


@workbench.panel(order=41)
def awaiting_supplement(user):
    if not engine.acts_in_cases(user) or WINDOW not in user.role_names:
        return None
    count, rows = _cases(worklists.awaiting_supplement(), Case.received_at)
    return workbench.Panel(
        key="awaiting_supplement",
        title=_("Supplements awaited"),
        count=count,
        rows=[_case_row(case, _("Missing: %(names)s", names=_missing(case))) for case in rows],
        url=url_for("CaseView.list", status="supplement_requested"),
        style="info" if count else "default",
    )


def _missing(case):
    return "、".join((case.missing_documents or "").splitlines()) or labels.EMPTY
