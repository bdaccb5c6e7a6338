"""Electronic supervision cards (DESIGN §4): issued by the scan, counted per division.

- a yellow card (黄牌) for a task past its limit (open and overdue, or done late);
- a red card (红牌) for a case past its promised limit, and for a division with
  ``RED_CARD_AFTER_YELLOW`` (3) yellow cards in one month.

Each card has a key (``yellow:task:12``, ``red:case:7``, ``red:division:5:2026-03``)
computed in SQL: issuing is three INSERT ... SELECT statements whatever the
number of cases, and a second scan issues nothing twice.
"""

from dataclasses import dataclass

from flask import current_app
from sqlalchemy import Integer, and_, case, cast, func, literal, or_, select

from app.extensions import db
from app.models.cases import Case, CaseStatus, Flag, Task, TaskStatus
from app.models.catalog import Matter
from app.models.org import Division
from app.models.supervision import Card, CardCause, CardKind
from app.notify.sqltext import join, text
from app.sql import beijing_month, insert_new

COLUMNS = ("key", "kind", "cause", "case_id", "task_id", "division_id", "month", "issued_at")
DECIDED = (CaseStatus.APPROVED.value, CaseStatus.REJECTED.value, CaseStatus.RELEASED.value)


@dataclass(frozen=True)
class Issued:
    yellow: int
    red_cases: int
    red_divisions: int


def _not_issued(key):
    return ~select(Card.id).where(Card.key == key).exists()


def _insert(rows):
    return db.session.execute(insert_new(Card, "key").from_select(list(COLUMNS), rows)).rowcount


def issue_cards(now):
    """Issue every card due as of ``now`` (naive UTC); three statements."""
    task_key = join("yellow:task:", text(Task.id))
    yellow = _insert(
        select(
            task_key,
            literal(CardKind.YELLOW.value),
            literal(CardCause.TASK_OVERDUE.value),
            Task.case_id,
            Task.id,
            Task.division_id,
            beijing_month(Task.due_at),
            literal(now),
        ).where(
            Task.flag == Flag.OVERDUE.value,
            Task.status != TaskStatus.CANCELLED.value,
            Task.due_at < now,
            _not_issued(task_key),
        )
    )

    case_key = join("red:case:", text(Case.id))
    finished_late = and_(Case.status.in_(DECIDED), Case.finished_at > Case.promised_due_at)
    red_cases = _insert(
        select(
            case_key,
            literal(CardKind.RED.value),
            literal(CardCause.CASE_OVERDUE.value),
            Case.id,
            literal(None, Integer),
            Matter.responsible_division_id,
            beijing_month(Case.promised_due_at),
            literal(now),
        )
        .join(Matter, Matter.id == Case.matter_id)
        .where(
            or_(Case.flag == Flag.OVERDUE.value, finished_late),
            Case.promised_due_at < now,
            _not_issued(case_key),
        )
    )

    threshold = current_app.config.get("RED_CARD_AFTER_YELLOW", 3)
    counted = (
        select(Card.division_id, Card.month)
        .where(Card.kind == CardKind.YELLOW.value, Card.division_id.isnot(None))
        .group_by(Card.division_id, Card.month)
        .having(func.count() >= threshold)
        .subquery()
    )
    division_key = join("red:division:", text(counted.c.division_id), ":", counted.c.month)
    red_divisions = _insert(
        select(
            division_key,
            literal(CardKind.RED.value),
            literal(CardCause.REPEATED_YELLOW.value),
            literal(None, Integer),
            literal(None, Integer),
            counted.c.division_id,
            counted.c.month,
            literal(now),
        ).where(_not_issued(division_key))
    )
    return Issued(yellow=yellow, red_cases=red_cases, red_divisions=red_divisions)


# ---------------------------------------------------------------- the cards table


@dataclass
class CardRow:
    division: Division
    period: str
    yellow: int = 0
    red: int = 0
    done: int = 0
    on_time: int = 0

    @property
    def on_time_rate(self):
        """Share of tasks done within their limit, or None when none was done."""
        return self.on_time / self.done if self.done else None


def _period(month_column, by):
    """``YYYY-MM`` as is (by month) or ``YYYY-Qn`` (by quarter), in SQL."""
    if by == "month":
        return month_column
    quarter = (cast(func.substr(month_column, 6, 2), Integer) + 2) / 3
    return join(func.substr(month_column, 1, 4), "-Q", text(quarter))


def card_table(year, by="month"):
    """Per division and period of ``year``: yellow and red cards, tasks done, on time.
    Two grouped statements; rows sorted by period, then division code."""
    prefix = f"{int(year):04d}-"
    card_period = _period(Card.month, by).label("period")
    cards = db.session.execute(
        select(Card.division_id, card_period, Card.kind, func.count())
        .where(Card.month.startswith(prefix), Card.division_id.isnot(None))
        .group_by(Card.division_id, card_period, Card.kind)
    ).all()
    done_month = beijing_month(Task.done_at)
    task_period = _period(done_month, by).label("period")
    on_time = func.sum(case((Task.done_at <= Task.due_at, 1), else_=0))
    tasks = db.session.execute(
        select(Task.division_id, task_period, func.count(), on_time)
        .where(
            Task.status == TaskStatus.DONE.value,
            Task.counts_toward_limit.is_(True),
            Task.division_id.isnot(None),
            done_month.startswith(prefix),
        )
        .group_by(Task.division_id, task_period)
    ).all()
    divisions = {
        d.id: d
        for d in db.session.query(Division).filter(
            Division.id.in_({r[0] for r in cards} | {r[0] for r in tasks})
        )
    }
    rows = {}

    def row(division_id, period):
        key = (division_id, period)
        if key not in rows:
            rows[key] = CardRow(division=divisions[division_id], period=period)
        return rows[key]

    for division_id, period, kind, count in cards:
        setattr(row(division_id, period), kind, count)
    for division_id, period, done, in_time in tasks:
        entry = row(division_id, period)
        entry.done, entry.on_time = done, int(in_time or 0)
    return sorted(rows.values(), key=lambda r: (r.period, r.division.code))
