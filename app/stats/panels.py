"""The home page's headline figures (app/workbench.py) for the director, the leaders and
the supervision post: this month's cases received and finished, the on-time rate of
those finished, and the tasks overdue now, in the user's scope. One statement."""

from datetime import date

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import and_, case, func, select, true

from app import workbench
from app.extensions import db
from app.models.cases import Case, Flag, Task, TaskStatus
from app.models.catalog import Matter
from app.security.scope import LEADER, stats_division_ids
from app.stats.cases import DECIDED
from app.stats.filters import BEIJING, Period
from app.supervision.notices import is_supervisor
from app.workflow.clock import utcnow


def _this_month():
    today = (utcnow() + BEIJING).date()
    return Period(date(today.year, today.month, 1), today)


def headline(user, period):
    """(received, finished, finished on time, tasks overdue now) in one statement."""
    allowed = stats_division_ids(user)

    def scoped(column):
        return true() if allowed is None else column.in_(sorted(allowed))

    def cases_where(*conditions):
        return (
            select(func.count(Case.id))
            .join(Matter, Matter.id == Case.matter_id)
            .where(*conditions, scoped(Matter.responsible_division_id))
            .scalar_subquery()
        )

    finished = and_(Case.status.in_(DECIDED), period.holds(Case.finished_at))
    on_time = (
        select(
            func.coalesce(func.sum(case((Case.finished_at <= Case.promised_due_at, 1), else_=0)), 0)
        )
        .join(Matter, Matter.id == Case.matter_id)
        .where(finished, scoped(Matter.responsible_division_id))
        .scalar_subquery()
    )
    overdue = (
        select(func.count(Task.id))
        .where(
            Task.status == TaskStatus.OPEN.value,
            Task.flag == Flag.OVERDUE.value,
            scoped(Task.division_id),
        )
        .scalar_subquery()
    )
    return db.session.execute(
        select(cases_where(period.holds(Case.received_at)), cases_where(finished), on_time, overdue)
    ).one()


@workbench.panel(order=3)
def statistics_headline(user):
    leader = LEADER in user.role_names
    if not (leader or is_supervisor(user)):
        return None
    received, finished, on_time, overdue = headline(user, _this_month())
    rate = f"{on_time / finished * 100:.1f}%" if finished else "—"
    url = url_for("CaseStatsView.leaders" if leader else "CaseStatsView.supervision")
    return workbench.Panel(
        key="statistics_headline",
        title=_("This month's figures"),
        count=received,
        rows=[
            workbench.Row(text=_("Cases received this month"), url=url, note=str(received)),
            workbench.Row(text=_("Cases finished this month"), url=url, note=str(finished)),
            workbench.Row(text=_("On-time rate of the cases finished"), url=url, note=rate),
            workbench.Row(
                text=_("Tasks overdue now"),
                url=url,
                note=str(overdue),
                style="danger" if overdue else "",
            ),
        ],
        url=url,
        style="info",
    )
