"""The home page's supervision panels (app/workbench.py): notices to answer, extension
requests to decide, and the supervision post's headline. A count and a few rows
each, in a constant number of statements."""

from flask import url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, func, select
from sqlalchemy.orm import joinedload

from app import workbench
from app.extensions import db
from app.labels import label, local_time
from app.models.cases import Case, CaseStatus, Flag, Task, TaskStatus
from app.models.supervision import (
    Card,
    ExtensionRequest,
    NoticeStatus,
    RequestStatus,
    SupervisionNotice,
    SupervisionRecipient,
)
from app.security.scope import LEADER, extension_request_clause, scoped_division_ids
from app.supervision.notices import is_supervisor
from app.workflow.clock import utcnow

FEW = 5


@workbench.panel(order=15)
def notices_to_answer(user):
    reminded = exists(
        select(SupervisionRecipient.id).where(
            SupervisionRecipient.notice_id == SupervisionNotice.id,
            SupervisionRecipient.user_id == user.id,
        )
    )
    query = db.session.query(SupervisionNotice).filter(
        reminded, SupervisionNotice.status == NoticeStatus.OPEN.value
    )
    count = query.count()
    if not count:
        return None
    rows = [
        workbench.Row(
            text=f"{n.case.receipt_no if n.case else '—'} {n.task.name if n.task else ''}".strip(),
            url=url_for("SupervisionNoticeView.show", pk=n.id),
            note=_("Issued %(when)s", when=local_time(n.created_at)),
            style="danger",
        )
        for n in query.options(
            joinedload(SupervisionNotice.case), joinedload(SupervisionNotice.task)
        )
        .order_by(SupervisionNotice.created_at)
        .limit(FEW)
    ]
    return workbench.Panel(
        key="notices_to_answer",
        title=str(_l("Supervision notices to answer")),
        count=count,
        rows=rows,
        url=url_for("NoticesToAnswerView.list"),
        style="danger",
    )


@workbench.panel(order=25)
def extension_requests_to_decide(user):
    if LEADER not in user.role_names:
        return None
    query = db.session.query(ExtensionRequest).filter(
        ExtensionRequest.status == RequestStatus.PENDING.value
    )
    if not user.oversees_all:
        query = query.filter(ExtensionRequest.division_id.in_(scoped_division_ids(user) or {-1}))
    query = query.filter(extension_request_clause(user))
    count = query.count()
    if not count:
        return None
    rows = [
        workbench.Row(
            text=f"{r.case.receipt_no} +{r.days}",
            url=url_for("ExtensionRequestView.show", pk=r.id),
            note=r.reason[:40],
            style="warning",
        )
        for r in query.options(joinedload(ExtensionRequest.case))
        .order_by(ExtensionRequest.requested_at)
        .limit(FEW)
    ]
    return workbench.Panel(
        key="extension_requests",
        title=str(_l("Extension requests to decide")),
        count=count,
        rows=rows,
        url=url_for("ExtensionRequestView.list"),
        style="warning",
    )


@workbench.panel(order=5)
def supervision_headline(user):
    """督办岗: what is late now, how many notices wait, this month's cards."""
    if not is_supervisor(user):
        return None
    month = local_time(utcnow())[:7]
    overdue_tasks, overdue_cases, open_notices, yellow, red = db.session.execute(
        select(
            select(func.count(Task.id))
            .where(Task.status == TaskStatus.OPEN.value, Task.flag == Flag.OVERDUE.value)
            .scalar_subquery(),
            select(func.count(Case.id))
            .where(Case.status == CaseStatus.IN_PROGRESS.value, Case.flag == Flag.OVERDUE.value)
            .scalar_subquery(),
            select(func.count(SupervisionNotice.id))
            .where(SupervisionNotice.status != NoticeStatus.CLOSED.value)
            .scalar_subquery(),
            select(func.count(Card.id))
            .where(Card.kind == "yellow", Card.month == month)
            .scalar_subquery(),
            select(func.count(Card.id))
            .where(Card.kind == "red", Card.month == month)
            .scalar_subquery(),
        )
    ).one()
    board = url_for("SupervisionBoardView.board")
    rows = [
        workbench.Row(
            text=_("Overdue tasks"),
            url=f"{board}?kind=task&flag=overdue",
            note=str(overdue_tasks),
            style="danger" if overdue_tasks else "",
        ),
        workbench.Row(
            text=_("Overdue cases"),
            url=f"{board}?kind=case&flag=overdue",
            note=str(overdue_cases),
            style="danger" if overdue_cases else "",
        ),
        workbench.Row(
            text=_("Supervision notices not closed"),
            url=url_for("SupervisionNoticeView.list"),
            note=str(open_notices),
        ),
        workbench.Row(
            text=_("%(kind)s this month", kind=label("card_kind", "yellow")),
            url=url_for("CardsView.table"),
            note=str(yellow),
            style="warning" if yellow else "",
        ),
        workbench.Row(
            text=_("%(kind)s this month", kind=label("card_kind", "red")),
            url=url_for("CardsView.table"),
            note=str(red),
            style="danger" if red else "",
        ),
    ]
    return workbench.Panel(
        key="supervision",
        title=str(_l("Supervision post")),
        count=overdue_tasks + overdue_cases,
        rows=rows,
        url=board,
        style="danger" if overdue_tasks or overdue_cases else "default",
    )
