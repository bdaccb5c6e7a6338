"""Case figures (DESIGN §3–4), one grouped statement each, scoped by division.

A case counts for the division responsible for its matter (主办处室); a task, a
supervision notice and a card for the unit they belong to. ``filters.division_ids``
(the user's scope narrowed by the division filter; ``None``: every division) applies
to that column in every figure. Periods are Beijing days; a figure counts the events
(receipt, acceptance, decision, task done, answer, card, rating) inside the period.

- "finished": decided (approved, rejected or released) with a finishing moment;
- "on time": finished no later than the promised due moment (which suspensions and
  extensions already moved);
- working days used: from acceptance to the finish (the start day not counted),
  minus the working days suspended; promised: the matter's days plus extensions.
"""

from sqlalchemy import (
    Float,
    Integer,
    String,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    true,
    union_all,
)

from app.extensions import db
from app.models.cases import ACTIVE_STATUSES, Case, CaseStatus, Flag, Task, TaskStatus
from app.models.catalog import Matter
from app.models.org import Division
from app.models.rating import LEVEL_VALUES, CaseRating
from app.models.supervision import Card, CardKind, SupervisionNotice
from app.models.user import BureauUser
from app.notify.sqltext import join, text
from app.sql import beijing_month
from app.stats.workdays import local_date, summed_working_days

DECIDED = (CaseStatus.APPROVED.value, CaseStatus.REJECTED.value, CaseStatus.RELEASED.value)
SLOWEST_STEPS = 10


def case_figures(filters):
    """Every case figure for ``filters`` (app/stats/filters.py), as plain data."""
    return {
        "filters": filters.as_header(),
        "monthly": monthly(filters),
        "on_time_by_division": on_time_by_division(filters),
        "on_time_by_matter": on_time_by_matter(filters),
        "working_days": working_days_by_matter(filters),
        "slowest_steps": slowest_steps(filters),
        "overdue_by_division": overdue_by_division(filters),
        "delay_reasons": delay_reasons(filters),
        "cards": cards(filters),
        "satisfaction": satisfaction(filters),
    }


# ---------------------------------------------------------------- helpers


def _in_scope(filters, column):
    return true() if filters.division_ids is None else column.in_(sorted(filters.division_ids))


def _case_conditions(filters):
    """Cases of the divisions in scope (by their matter's responsible division)."""
    conditions = [_in_scope(filters, Matter.responsible_division_id)]
    if filters.matter is not None:
        conditions.append(Case.matter_id == filters.matter.id)
    return conditions


def _matter_of_case(filters, case_id_column):
    """For rows hanging off a case (tasks, notices, cards): the matter filter."""
    if filters.matter is None:
        return true()
    return case_id_column.in_(select(Case.id).where(Case.matter_id == filters.matter.id))


def _rate(part, whole):
    return round(part / whole, 4) if whole else None


def _number(value):
    return None if value is None else round(float(value), 2)


def _count(value):
    return int(value or 0)


# ---------------------------------------------------------------- figures


def monthly(filters):
    """Received, accepted and finished per month (one statement: three grouped parts)."""
    period = filters.period
    parts = [
        select(beijing_month(moment).label("month"), literal(name).label("event"))
        .select_from(Case)
        .join(Matter, Matter.id == Case.matter_id)
        .where(period.holds(moment), *conditions, *_case_conditions(filters))
        for name, moment, conditions in (
            ("received", Case.received_at, ()),
            ("accepted", Case.accepted_at, ()),
            ("finished", Case.finished_at, (Case.status.in_(DECIDED),)),
        )
    ]
    events = union_all(*parts).subquery()
    counted = db.session.execute(
        select(events.c.month, events.c.event, func.count()).group_by(
            events.c.month, events.c.event
        )
    ).all()
    table = {
        month: {"month": month, "received": 0, "accepted": 0, "finished": 0}
        for month in period.months
    }
    for month, event, count in counted:
        table.setdefault(month, {"month": month, "received": 0, "accepted": 0, "finished": 0})
        table[month][event] = count
    return [table[month] for month in sorted(table)]


def _finished(filters):
    return and_(
        Case.status.in_(DECIDED),
        Case.finished_at.isnot(None),
        filters.period.holds(Case.finished_at),
        *_case_conditions(filters),
    )


ON_TIME = func.sum(case((Case.finished_at <= Case.promised_due_at, 1), else_=0))


def on_time_by_division(filters):
    """Cases finished in the period per responsible division: how many on time."""
    return _on_time_by(
        filters,
        "division",
        Division,
        (Division, Division.id == Matter.responsible_division_id),
    )


def on_time_by_matter(filters):
    return _on_time_by(filters, "matter", Matter)


def _on_time_by(filters, key, model, *joins):
    """Finished cases and how many on time, per ``model`` (code, name)."""
    query = select(model.code, model.name, func.count(Case.id), ON_TIME).select_from(Case)
    query = query.join(Matter, Matter.id == Case.matter_id)
    for target, condition in joins:
        query = query.join(target, condition)
    rows = db.session.execute(
        query.where(_finished(filters)).group_by(model.code, model.name).order_by(model.code)
    ).all()
    return [
        {
            key: code,
            "name": name,
            "finished": done,
            "on_time": _count(on_time),
            "rate": _rate(_count(on_time), done),
        }
        for code, name, done, on_time in rows
    ]


def _per_row_days(source, keys, start_day, end_day, sums):
    """One UNION: per group of ``keys``, ``days`` (working days summed over the rows, see
    :func:`app.stats.workdays.summed_working_days`) and the ``sums`` of plain columns."""
    counted = select(
        *keys,
        literal(0).label("days"),
        func.count().label("rows"),
        *[func.sum(column).label(column.name) for column in sums],
    ).group_by(*keys)
    return union_all(
        counted, *summed_working_days(source, keys, start_day, end_day, zeros=1 + len(sums))
    ).subquery()


def _average(total, rows):
    return cast(total, Float) / rows


def working_days_by_matter(filters):
    """Average working days used by the cases finished in the period, per matter, beside
    the average promised limit."""
    finished = (
        select(
            Case.matter_id.label("matter_id"),
            local_date(Case.accepted_at).label("start_day"),
            local_date(Case.finished_at).label("end_day"),
            Case.paused_days.label("paused"),
            (Matter.promised_days + Case.extension_days).label("promised"),
        )
        .join(Matter, Matter.id == Case.matter_id)
        .where(_finished(filters), Case.accepted_at.isnot(None))
        .cte("finished")
        .prefix_with("MATERIALIZED")
    )
    parts = _per_row_days(
        finished,
        [finished.c.matter_id],
        finished.c.start_day,
        finished.c.end_day,
        [finished.c.paused, finished.c.promised],
    )
    rows = func.sum(parts.c.rows)
    result = db.session.execute(
        select(
            Matter.code,
            Matter.name,
            rows,
            _average(func.sum(parts.c.days) - func.sum(parts.c.paused), rows),
            _average(func.sum(parts.c.promised), rows),
        )
        .select_from(parts)
        .join(Matter, Matter.id == parts.c.matter_id)
        .group_by(Matter.code, Matter.name)
        .order_by(Matter.code)
    ).all()
    return [
        {
            "matter": code,
            "name": name,
            "cases": _count(count),
            "average_used": _number(average),
            "average_promised": _number(promised),
        }
        for code, name, count, average, promised in result
    ]


def slowest_steps(filters):
    """Steps done in the period (those counted toward the limit), per step and unit:
    average working days used against the step's limit; the slowest first."""
    done = (
        select(
            Task.step_id.label("step_id"),
            Task.name.label("step"),
            Task.division_id.label("division_id"),
            local_date(Task.opened_at).label("start_day"),
            local_date(Task.done_at).label("end_day"),
            Task.paused_days.label("paused"),
            Task.limit_days.label("limit_days"),
            case((Task.done_at > Task.due_at, 1), else_=0).label("late"),
        )
        .where(
            Task.status == TaskStatus.DONE.value,
            Task.counts_toward_limit.is_(True),
            filters.period.holds(Task.done_at),
            _in_scope(filters, Task.division_id),
            _matter_of_case(filters, Task.case_id),
        )
        .cte("done")
        .prefix_with("MATERIALIZED")
    )
    keys = [done.c.step_id, done.c.step, done.c.division_id]
    parts = _per_row_days(
        done,
        keys,
        done.c.start_day,
        done.c.end_day,
        [done.c.paused, done.c.limit_days, done.c.late],
    )
    rows = func.sum(parts.c.rows)
    average_used = _average(func.sum(parts.c.days) - func.sum(parts.c.paused), rows)
    average_limit = _average(func.sum(parts.c.limit_days), rows)
    result = db.session.execute(
        select(
            parts.c.step,
            Division.code,
            Division.name,
            rows,
            average_used,
            average_limit,
            func.sum(parts.c.late),
        )
        .select_from(parts)
        .outerjoin(Division, Division.id == parts.c.division_id)
        .group_by(parts.c.step_id, parts.c.step, Division.code, Division.name)
        .order_by((average_used - average_limit).desc(), average_used.desc(), parts.c.step)
        .limit(SLOWEST_STEPS)
    ).all()
    return [
        {
            "step": step,
            "division": code,
            "division_name": name,
            "tasks": _count(count),
            "average_used": _number(average),
            "limit": _number(limit),
            "late": _count(late),
        }
        for step, code, name, count, average, limit, late in result
    ]


def overdue_by_division(filters):
    """Per unit, among what fell due in the period: tasks still open past due, tasks done
    late, and cases past their promised limit (by responsible division)."""
    period = filters.period
    open_overdue = and_(Task.status == TaskStatus.OPEN.value, Task.flag == Flag.OVERDUE.value)
    done_late = and_(Task.status == TaskStatus.DONE.value, Task.done_at > Task.due_at)
    tasks = select(
        Task.division_id.label("division_id"),
        case((open_overdue, 1), else_=0).label("open_overdue"),
        case((done_late, 1), else_=0).label("done_late"),
        literal(0).label("cases_late"),
    ).where(
        period.holds(Task.due_at),
        or_(open_overdue, done_late),
        _in_scope(filters, Task.division_id),
        _matter_of_case(filters, Task.case_id),
    )
    late_case = or_(
        and_(Case.status.in_([s.value for s in ACTIVE_STATUSES]), Case.flag == Flag.OVERDUE.value),
        and_(Case.status.in_(DECIDED), Case.finished_at > Case.promised_due_at),
    )
    cases_late = (
        select(
            Matter.responsible_division_id,
            literal(0),
            literal(0),
            literal(1),
        )
        .select_from(Case)
        .join(Matter, Matter.id == Case.matter_id)
        .where(period.holds(Case.promised_due_at), late_case, *_case_conditions(filters))
    )
    late = union_all(tasks, cases_late).subquery()
    rows = db.session.execute(
        select(
            Division.code,
            Division.name,
            func.sum(late.c.open_overdue),
            func.sum(late.c.done_late),
            func.sum(late.c.cases_late),
        )
        .select_from(late)
        .join(Division, Division.id == late.c.division_id)
        .group_by(Division.code, Division.name)
        .order_by(Division.code)
    ).all()
    return [
        {
            "division": code,
            "name": name,
            "open_overdue": _count(a),
            "done_late": _count(b),
            "cases_late": _count(c),
        }
        for code, name, a, b, c in rows
    ]


def delay_reasons(filters):
    """Delay reasons given in answer to supervision notices in the period: by reason, by
    unit and by the handler who answered (three grouped statements)."""
    answered = and_(
        SupervisionNotice.delay_reason.isnot(None),
        filters.period.holds(SupervisionNotice.responded_at),
        _in_scope(filters, SupervisionNotice.division_id),
        _matter_of_case(filters, SupervisionNotice.case_id),
    )
    by_reason = db.session.execute(
        select(SupervisionNotice.delay_reason, func.count())
        .where(answered)
        .group_by(SupervisionNotice.delay_reason)
        .order_by(func.count().desc(), SupervisionNotice.delay_reason)
    ).all()
    by_division = db.session.execute(
        select(Division.code, Division.name, func.count())
        .select_from(SupervisionNotice)
        .join(Division, Division.id == SupervisionNotice.division_id)
        .where(answered)
        .group_by(Division.code, Division.name)
        .order_by(func.count().desc(), Division.code)
    ).all()
    by_handler = db.session.execute(
        select(BureauUser.username, BureauUser.last_name, BureauUser.first_name, func.count())
        .select_from(SupervisionNotice)
        .join(BureauUser, BureauUser.id == SupervisionNotice.responded_by_id)
        .where(answered)
        .group_by(BureauUser.username, BureauUser.last_name, BureauUser.first_name)
        .order_by(func.count().desc(), BureauUser.username)
    ).all()
    return {
        "by_reason": [{"reason": reason, "count": count} for reason, count in by_reason],
        "by_division": [
            {"division": code, "name": name, "count": count} for code, name, count in by_division
        ],
        "by_handler": [
            {"handler": username, "name": f"{last or ''}{first or ''}" or username, "count": count}
            for username, last, first, count in by_handler
        ],
    }


def _quarter(month_column):
    """``YYYY-MM`` → ``YYYY-Qn`` in SQL."""
    quarter = (cast(func.substr(month_column, 6, 2), Integer) + 2) // 3
    return join(func.substr(month_column, 1, 4), "-Q", text(quarter))


def cards(filters):
    """Yellow and red cards per unit, per month and per quarter of the period."""
    months = filters.period.months
    issued = and_(
        Card.month >= months[0],
        Card.month <= months[-1],
        Card.division_id.isnot(None),
        _in_scope(filters, Card.division_id),
        _matter_of_case(filters, Card.case_id),
    )
    yellow = func.sum(case((Card.kind == CardKind.YELLOW.value, 1), else_=0))
    red = func.sum(case((Card.kind == CardKind.RED.value, 1), else_=0))
    result = {}
    for by, period in (("by_month", Card.month), ("by_quarter", _quarter(Card.month))):
        period = cast(period, String).label("period")
        rows = db.session.execute(
            select(period, Division.code, Division.name, yellow, red)
            .select_from(Card)
            .join(Division, Division.id == Card.division_id)
            .where(issued)
            .group_by(period, Division.code, Division.name)
            .order_by(period, Division.code)
        ).all()
        result[by] = [
            {"period": p, "division": code, "name": name, "yellow": _count(y), "red": _count(r)}
            for p, code, name, y, r in rows
        ]
    return result


def satisfaction(filters):
    """Applicants' ratings (好差评) given in the period, per level."""
    rows = db.session.execute(
        select(CaseRating.level, func.count())
        .select_from(CaseRating)
        .join(Case, Case.id == CaseRating.case_id)
        .join(Matter, Matter.id == Case.matter_id)
        .where(filters.period.holds(CaseRating.rated_at), *_case_conditions(filters))
        .group_by(CaseRating.level)
    ).all()
    return _levels(dict(rows))


def _levels(counts):
    return [{"level": level, "count": _count(counts.get(level))} for level in LEVEL_VALUES]
