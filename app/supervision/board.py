"""The overdue board (督办台): warned and overdue work in one list, filtered and sorted
in SQL, a page at a time, in a constant number of statements.

Each kind of work is a *source*: a SELECT of the same labelled columns (see
``COLUMNS``) under the user's row scope. Tasks and cases are built in; another
area (petitions) adds its own with :func:`register_source`. The sources are
joined with UNION ALL; filters, sorting and paging run on the union.
"""

from dataclasses import dataclass, field

from sqlalchemy import (
    Integer,
    String,
    and_,
    exists,
    func,
    literal,
    null,
    or_,
    select,
    union_all,
)
from sqlalchemy import case as when
from sqlalchemy.orm import aliased, selectinload

from app.extensions import db
from app.models.cases import Case, CaseStatus, Flag, Task, TaskStatus
from app.models.catalog import Matter
from app.models.org import Division
from app.models.supervision import Card, CardKind, NoticeStatus, SupervisionNotice
from app.models.user import BureauUser
from app.security.scope import case_clause, task_clause
from app.workflow import clock
from app.workflow.overdue import days_overdue, overdue_cutoff

COLUMNS = (
    "kind",  # task, case, ...
    "target_id",
    "case_id",
    "reference",  # the receipt number (or a petition's number)
    "title",  # the step, or the project
    "matter_id",
    "matter",
    "division_id",
    "division",
    "handler_id",
    "handler",
    "flag",
    "due_at",
    "card",  # yellow, red or null
    "open_notices",
)
FLAGGED = (Flag.WARNING.value, Flag.OVERDUE.value)
SORTS = {
    "due": ("due_at", "asc"),
    "-due": ("due_at", "desc"),
    "division": ("division", "asc"),
    "matter": ("matter", "asc"),
    "handler": ("handler", "asc"),
    "flag": ("flag", "desc"),
    "notices": ("open_notices", "desc"),
}
DAYS_OVERDUE_CHOICES = (1, 3, 5, 10)
PAGE_SIZE = 50

_SOURCES = {}


def register_source(kind):
    """``@register_source("petition")`` on ``build(user)``: a SELECT of ``COLUMNS``
    (labelled, ``kind`` as its first), scoped to the user."""

    def register(build):
        _SOURCES[kind] = build
        return build

    return register


def kinds():
    return tuple(_SOURCES)


def _open_notices(kind, target_id):
    return (
        select(func.count(SupervisionNotice.id))
        .where(
            SupervisionNotice.target_type == kind,
            SupervisionNotice.target_id == target_id,
            SupervisionNotice.status != NoticeStatus.CLOSED.value,
        )
        .scalar_subquery()
    )


def _card(kind, **match):
    condition = and_(Card.kind == kind, *[getattr(Card, k) == v for k, v in match.items()])
    return exists(select(Card.id).where(condition))


@register_source("task")
def task_rows(user):
    handler = aliased(BureauUser, name="handler")
    card = when(
        (_card(CardKind.YELLOW.value, task_id=Task.id), literal(CardKind.YELLOW.value)),
        else_=null(),
    )
    return (
        select(
            literal("task").label("kind"),
            Task.id.label("target_id"),
            Task.case_id.label("case_id"),
            Case.receipt_no.label("reference"),
            Task.name.label("title"),
            Case.matter_id.label("matter_id"),
            Matter.name.label("matter"),
            Task.division_id.label("division_id"),
            Division.name.label("division"),
            Task.assignee_id.label("handler_id"),
            (handler.last_name + handler.first_name).label("handler"),
            Task.flag.label("flag"),
            Task.due_at.label("due_at"),
            card.label("card"),
            _open_notices("task", Task.id).label("open_notices"),
        )
        .join(Case, Case.id == Task.case_id)
        .join(Matter, Matter.id == Case.matter_id)
        .outerjoin(Division, Division.id == Task.division_id)
        .outerjoin(handler, handler.id == Task.assignee_id)
        .where(
            Task.status == TaskStatus.OPEN.value,
            Task.flag.in_(FLAGGED),
            Case.status == CaseStatus.IN_PROGRESS.value,
            task_clause(user),
        )
    )


@register_source("case")
def case_rows(user):
    card = when(
        (_card(CardKind.RED.value, case_id=Case.id), literal(CardKind.RED.value)),
        else_=null(),
    )
    return (
        select(
            literal("case").label("kind"),
            Case.id.label("target_id"),
            Case.id.label("case_id"),
            Case.receipt_no.label("reference"),
            func.coalesce(Case.project_name, Case.applicant_name).label("title"),
            Case.matter_id.label("matter_id"),
            Matter.name.label("matter"),
            Matter.responsible_division_id.label("division_id"),
            Division.name.label("division"),
            literal(None, Integer).label("handler_id"),
            literal(None, String).label("handler"),
            Case.flag.label("flag"),
            Case.promised_due_at.label("due_at"),
            card.label("card"),
            _open_notices("case", Case.id).label("open_notices"),
        )
        .join(Matter, Matter.id == Case.matter_id)
        .outerjoin(Division, Division.id == Matter.responsible_division_id)
        .where(
            Case.status == CaseStatus.IN_PROGRESS.value,
            Case.flag.in_(FLAGGED),
            case_clause(user),
        )
    )


@dataclass
class Filters:
    """What the board's dropdowns chose; None means any."""

    kind: str | None = None
    flag: str | None = None
    card: str | None = None  # yellow, red, none
    division_id: int | None = None
    matter_id: int | None = None
    handler_id: int | None = None
    min_days_overdue: int | None = None
    sort: str = "due"
    page: int = 0
    page_size: int = PAGE_SIZE

    @classmethod
    def from_args(cls, args):
        def number(name):
            value = args.get(name, "")
            return int(value) if value.isdigit() and len(value) < 10 else None

        def choice(name, allowed):
            value = args.get(name) or None
            return value if value in allowed else None

        return cls(
            kind=choice("kind", set(kinds())),
            flag=choice("flag", FLAGGED),
            card=choice("card", {"yellow", "red", "none"}),
            division_id=number("division"),
            matter_id=number("matter"),
            handler_id=number("handler"),
            min_days_overdue=number("days"),
            sort=args.get("sort") if args.get("sort") in SORTS else "due",
            page=number("page") or 0,
        )


@dataclass
class Row:
    kind: str
    target_id: int
    case_id: int | None
    reference: str
    title: str | None
    matter: str | None
    division_id: int | None
    division: str | None
    handler: str | None
    flag: str
    due_at: object
    card: str | None
    open_notices: int
    days_overdue: int = 0
    notices: list = field(default_factory=list)


@dataclass
class Page:
    rows: list
    total: int
    filters: Filters

    @property
    def pages(self):
        return max((self.total + self.filters.page_size - 1) // self.filters.page_size, 1)


def board(user, filters=None, now=None):
    """One page of the board for ``user``: rows, their open notices, the total."""
    filters = filters or Filters()
    now = now or clock.utcnow()
    union = union_all(*[build(user) for build in _SOURCES.values()]).subquery("board")
    conditions = []
    if filters.kind:
        conditions.append(union.c.kind == filters.kind)
    if filters.flag:
        conditions.append(union.c.flag == filters.flag)
    if filters.card == "none":
        conditions.append(union.c.card.is_(None))
    elif filters.card:
        conditions.append(union.c.card == filters.card)
    for name in ("division_id", "matter_id", "handler_id"):
        if getattr(filters, name) is not None:
            conditions.append(union.c[name] == getattr(filters, name))
    if filters.min_days_overdue:
        cutoff = overdue_cutoff(now, filters.min_days_overdue - 1)
        conditions.append(and_(union.c.flag == Flag.OVERDUE.value, union.c.due_at < cutoff))
    total = db.session.scalar(select(func.count()).select_from(union).where(*conditions))
    column, direction = SORTS[filters.sort]
    order = getattr(union.c[column], direction)()
    page = db.session.execute(
        select(union)
        .where(*conditions)
        .order_by(order.nulls_last(), union.c.due_at.asc(), union.c.kind, union.c.target_id)
        .limit(filters.page_size)
        .offset(filters.page * filters.page_size)
    ).mappings()
    calendar = clock.calendar_snapshot()
    rows = [
        Row(
            **{k: item[k] for k in Row.__dataclass_fields__ if k in item},
            days_overdue=days_overdue(item["due_at"], now, calendar),
        )
        for item in page
    ]
    _attach_notices(rows)
    return Page(rows=rows, total=total, filters=filters)


def _attach_notices(rows):
    """The notices not yet closed of the page's rows: one statement."""
    if not rows:
        return
    by_target = {(row.kind, row.target_id): row for row in rows}
    targets = [
        and_(SupervisionNotice.target_type == kind, SupervisionNotice.target_id == target_id)
        for kind, target_id in by_target
    ]
    notices = (
        db.session.query(SupervisionNotice)
        .options(selectinload(SupervisionNotice.responded_by))
        .filter(SupervisionNotice.status != NoticeStatus.CLOSED.value)
        .filter(or_(*targets))
        .order_by(SupervisionNotice.created_at)
        .all()
    )
    for notice in notices:
        by_target[(notice.target_type, notice.target_id)].notices.append(notice)


def options():
    """The dropdowns: units, matters and handlers (three statements)."""
    units = (
        db.session.query(Division)
        .filter(Division.active.is_(True), Division.kind != "external")
        .order_by(Division.kind, Division.code)
        .all()
    )
    matters = db.session.query(Matter).filter(Matter.active.is_(True)).order_by(Matter.code).all()
    handlers = (
        db.session.query(BureauUser)
        .filter(
            BureauUser.active.is_(True),
            exists(select(Task.id).where(Task.assignee_id == BureauUser.id, Task.status == "open")),
        )
        .order_by(BureauUser.last_name, BureauUser.first_name)
        .all()
    )
    return {"units": units, "matters": matters, "handlers": handlers}
