"""Petition figures (信访, DESIGN §3–5), one grouped statement each.

A petition counts when it was received in the period and the user may read it
(:func:`app.security.scope.petition_clause`, the rule of every petition page); the
unit filter keeps those assigned (not withdrawn) to the unit. Per-unit counts count a
petition once per unit it is assigned to, and only the units in the user's scope.

Working days run from receipt (the day not counted) to the acceptance decision, to
the lead unit's first answer, and to closing; average and median come from one
statement with window functions (row_number / count over each measure).
"""

from flask import current_app
from sqlalchemy import and_, case, func, literal, or_, select, true, union_all
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models.org import Division
from app.models.petitions import (
    AssignmentStatus,
    Channel,
    Flag,
    LinkKind,
    Petition,
    PetitionAssignment,
    PetitionCategory,
    PetitionFeedback,
    PetitionLink,
    PetitionStatus,
    Satisfaction,
)
from app.security.scope import petition_clause
from app.sql import beijing_month
from app.stats.workdays import working_days

ENDED = (
    PetitionStatus.CLOSED.value,
    PetitionStatus.NOT_ACCEPTED.value,
    PetitionStatus.TRANSFERRED.value,
)
MEASURES = ("acceptance", "feedback", "closing")


def petition_figures(filters):
    return {
        "filters": filters.as_header(),
        "total": total(filters),
        "by_status": by_status(filters),
        "by_unit": by_unit(filters),
        "by_category": by_category(filters),
        "by_channel": by_channel(filters),
        "by_month": by_month(filters),
        "working_days": working_days_figures(filters),
        "on_time": on_time(filters),
        "satisfaction": satisfaction(filters),
        "repeats": repeats(filters),
        "overdue": overdue(filters),
    }


def _live_assignment(unit_ids=None):
    conditions = [
        PetitionAssignment.petition_id == Petition.id,
        PetitionAssignment.status != AssignmentStatus.WITHDRAWN.value,
    ]
    if unit_ids is not None:
        conditions.append(PetitionAssignment.unit_id.in_(sorted(unit_ids)))
    return conditions


def _counted(filters):
    """The petitions of the figures: received in the period, readable, of the unit."""
    conditions = [
        filters.period.holds(Petition.received_at),
        petition_clause(filters.user),
    ]
    if filters.unit is not None:
        conditions.append(
            select(PetitionAssignment.id).where(*_live_assignment({filters.unit.id})).exists()
        )
    return and_(*conditions)


def _rate(part, whole):
    return round(part / whole, 4) if whole else None


def _number(value):
    return None if value is None else round(float(value), 2)


def _count(value):
    return int(value or 0)


def total(filters):
    return db.session.execute(select(func.count(Petition.id)).where(_counted(filters))).scalar()


def _grouped(filters, column):
    return db.session.execute(
        select(column, func.count(Petition.id))
        .where(_counted(filters))
        .group_by(column)
        .order_by(column)
    ).all()


def by_status(filters):
    counts = dict(_grouped(filters, Petition.status))
    return [{"status": s.value, "count": _count(counts.get(s.value))} for s in PetitionStatus]


def by_channel(filters):
    counts = dict(_grouped(filters, Petition.channel))
    return [{"channel": c, "count": _count(counts.get(c))} for c in _channels()]


def _channels():
    return [channel.value for channel in Channel]


def by_month(filters):
    month = beijing_month(Petition.received_at).label("month")
    counts = dict(_grouped(filters, month))
    return [{"month": m, "count": _count(counts.get(m))} for m in filters.period.months]


def by_category(filters):
    rows = db.session.execute(
        select(PetitionCategory.code, PetitionCategory.name, func.count(Petition.id))
        .select_from(Petition)
        .join(PetitionCategory, PetitionCategory.id == Petition.category_id)
        .where(_counted(filters))
        .group_by(PetitionCategory.code, PetitionCategory.name, PetitionCategory.position)
        .order_by(PetitionCategory.position, PetitionCategory.code)
    ).all()
    return [{"category": code, "name": name, "count": count} for code, name, count in rows]


def by_unit(filters):
    """Petitions assigned (not withdrawn) per unit; a petition with a lead and a
    co-handling unit counts for both. (An alias: the scope's own EXISTS on assignments
    must not correlate with this join.)"""
    assignment = aliased(PetitionAssignment)
    unit_scope = (
        true() if filters.unit_ids is None else assignment.unit_id.in_(sorted(filters.unit_ids))
    )
    petitions = func.count(func.distinct(Petition.id))
    rows = db.session.execute(
        select(Division.code, Division.name, petitions)
        .select_from(Petition)
        .join(
            assignment,
            and_(
                assignment.petition_id == Petition.id,
                assignment.status != AssignmentStatus.WITHDRAWN.value,
            ),
        )
        .join(Division, Division.id == assignment.unit_id)
        .where(_counted(filters), unit_scope)
        .group_by(Division.code, Division.name)
        .order_by(petitions.desc(), Division.code)
    ).all()
    return [{"unit": code, "name": name, "count": count} for code, name, count in rows]


def _first_lead_answer():
    return (
        select(
            PetitionFeedback.petition_id.label("petition_id"),
            func.min(PetitionFeedback.submitted_at).label("answered_at"),
        )
        .where(PetitionFeedback.lead.is_(True))
        .group_by(PetitionFeedback.petition_id)
        .subquery()
    )


def working_days_figures(filters):
    """Count, average and median working days from receipt to acceptance, to the lead
    unit's first answer, and to closing (one statement)."""
    answer = _first_lead_answer()
    counted = _counted(filters)
    parts = [
        select(
            literal("acceptance").label("measure"),
            working_days(Petition.received_at, Petition.accepted_at).label("days"),
        ).where(counted, Petition.accepted_at.isnot(None)),
        select(literal("feedback"), working_days(Petition.received_at, answer.c.answered_at))
        .select_from(Petition)
        .join(answer, answer.c.petition_id == Petition.id)
        .where(counted),
        select(literal("closing"), working_days(Petition.received_at, Petition.closed_at)).where(
            counted, Petition.status == PetitionStatus.CLOSED.value, Petition.closed_at.isnot(None)
        ),
    ]
    values = union_all(*parts).subquery()
    ranked = select(
        values.c.measure,
        values.c.days,
        func.row_number()
        .over(partition_by=values.c.measure, order_by=values.c.days)
        .label("position"),
        func.count().over(partition_by=values.c.measure).label("size"),
    ).subquery()
    middle = or_(
        ranked.c.position == (ranked.c.size + 1) // 2, ranked.c.position == (ranked.c.size + 2) // 2
    )
    rows = db.session.execute(
        select(
            ranked.c.measure,
            func.count(),
            func.avg(ranked.c.days),
            func.avg(case((middle, ranked.c.days))),
        ).group_by(ranked.c.measure)
    ).all()
    found = {measure: (count, average, median) for measure, count, average, median in rows}
    return {
        measure: {
            "count": _count(found.get(measure, (0,))[0]),
            "average": _number(found.get(measure, (0, None))[1]),
            "median": _number(found.get(measure, (0, None, None))[2]),
        }
        for measure in MEASURES
    }


def on_time(filters):
    """Acceptance decided by its due moment; closing by the handling due moment."""
    decided = Petition.decided_at.isnot(None)
    closed = and_(
        Petition.status == PetitionStatus.CLOSED.value,
        Petition.closed_at.isnot(None),
        Petition.handle_due.isnot(None),
    )
    row = db.session.execute(
        select(
            func.sum(case((decided, 1), else_=0)),
            func.sum(case((and_(decided, Petition.decided_at <= Petition.accept_due), 1), else_=0)),
            func.sum(case((closed, 1), else_=0)),
            func.sum(case((and_(closed, Petition.closed_at <= Petition.handle_due), 1), else_=0)),
        ).where(_counted(filters))
    ).one()
    decided_count, decided_on_time, closed_count, closed_on_time = (_count(v) for v in row)
    return {
        "acceptance": {
            "decided": decided_count,
            "on_time": decided_on_time,
            "rate": _rate(decided_on_time, decided_count),
        },
        "closing": {
            "closed": closed_count,
            "on_time": closed_on_time,
            "rate": _rate(closed_on_time, closed_count),
        },
    }


def satisfaction(filters):
    counts = dict(
        db.session.execute(
            select(Petition.satisfaction, func.count(Petition.id))
            .where(_counted(filters), Petition.satisfaction.isnot(None))
            .group_by(Petition.satisfaction)
        ).all()
    )
    return [{"level": s.value, "count": _count(counts.get(s.value))} for s in Satisfaction]


def repeats(filters):
    """Petitions linked as repeating an earlier one, among those counted."""
    repeat = (
        select(PetitionLink.id)
        .where(PetitionLink.petition_id == Petition.id, PetitionLink.kind == LinkKind.REPEAT.value)
        .exists()
    )
    petitions, repeated = db.session.execute(
        select(func.count(Petition.id), func.sum(case((repeat, 1), else_=0))).where(
            _counted(filters)
        )
    ).one()
    petitions, repeated = _count(petitions), _count(repeated)
    return {"petitions": petitions, "repeats": repeated, "rate": _rate(repeated, petitions)}


def overdue(filters):
    """Open petitions flagged overdue, the longest overdue first (at most
    ``STATS_OVERDUE_LIST_LIMIT``), with the due moment they missed."""
    due = case(
        (Petition.status == PetitionStatus.REGISTERED.value, Petition.accept_due),
        else_=func.coalesce(Petition.handle_due, Petition.accept_due),
    ).label("due")
    rows = db.session.execute(
        select(
            Petition.id,
            Petition.number,
            Petition.status,
            Petition.channel,
            PetitionCategory.name,
            Petition.received_at,
            due,
        )
        .select_from(Petition)
        .join(PetitionCategory, PetitionCategory.id == Petition.category_id)
        .where(
            _counted(filters), Petition.flag == Flag.OVERDUE.value, Petition.status.notin_(ENDED)
        )
        .order_by(due, Petition.number)
        .limit(current_app.config["STATS_OVERDUE_LIST_LIMIT"])
    ).all()
    return [
        {
            "id": pk,
            "number": number,
            "status": status,
            "channel": channel,
            "category": category,
            "received_at": received,
            "due_at": due_at,
        }
        for pk, number, status, channel, category, received, due_at in rows
    ]
