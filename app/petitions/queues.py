"""The work queues of the petition desks and the home page's panels.

The petition office: to accept, to assign, awaiting review, to close, overdue, follow-up
visits. A unit: assigned to us, to answer. Each queue is a count and its most urgent
rows, two statements whatever its length; every row is within the user's scope.
"""

from dataclasses import dataclass

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from app import workbench
from app.extensions import db
from app.labels import local_time
from app.models.cases import Flag
from app.models.petitions import (
    FINISHED_STATUSES,
    AssignmentStatus,
    FollowUpStatus,
    Petition,
    PetitionAssignment,
    PetitionFollowUp,
    PetitionStatus,
)
from app.petitions.engine import ANSWERABLE, handles_for_unit, is_office
from app.security.scope import petition_clause

PANEL_ROWS = 5


@dataclass
class Queue:
    key: str
    title: str
    count: int
    rows: list  # of Petition
    due: str  # which due date matters here: accept_due, handle_due, assignment, follow_up
    style: str = "default"


def _open():
    return Petition.status.not_in([s.value for s in FINISHED_STATUSES])


def _status(status):
    return Petition.status == status.value


def _follow_up_open():
    return (
        select(PetitionFollowUp.id)
        .where(
            PetitionFollowUp.petition_id == Petition.id,
            PetitionFollowUp.status == FollowUpStatus.OPEN.value,
        )
        .exists()
    )


def _our_assignment(user, *conditions):
    return (
        select(PetitionAssignment.id)
        .where(
            PetitionAssignment.petition_id == Petition.id,
            PetitionAssignment.unit_id == user.division_id,
            *conditions,
        )
        .exists()
    )


# key: (title, conditions(user), order, which due date, style)
OFFICE_QUEUES = {
    "to_accept": (
        _l("To accept"),
        lambda user: [_status(PetitionStatus.REGISTERED)],
        Petition.accept_due,
        "accept_due",
        "primary",
    ),
    "to_assign": (
        _l("To assign"),
        lambda user: [_status(PetitionStatus.ACCEPTED)],
        Petition.handle_due,
        "handle_due",
        "primary",
    ),
    "to_review": (
        _l("Awaiting review"),
        lambda user: [_status(PetitionStatus.FEEDBACK_SUBMITTED)],
        Petition.handle_due,
        "handle_due",
        "info",
    ),
    "to_close": (
        _l("To close"),
        lambda user: [_status(PetitionStatus.REVIEWED)],
        Petition.handle_due,
        "handle_due",
        "info",
    ),
    "overdue": (
        _l("Overdue"),
        lambda user: [_open(), Petition.flag == Flag.OVERDUE.value],
        Petition.handle_due,
        "handle_due",
        "danger",
    ),
    "follow_up": (
        _l("Follow-up visits"),
        lambda user: [_follow_up_open()],
        Petition.closed_at,
        "follow_up",
        "warning",
    ),
}
UNIT_QUEUES = {
    "to_answer": (
        _l("To answer"),
        lambda user: [
            _our_assignment(user, PetitionAssignment.status == AssignmentStatus.OPEN.value),
            Petition.status.in_([s.value for s in ANSWERABLE]),
        ],
        Petition.handle_due,
        "assignment",
        "primary",
    ),
    "assigned_to_us": (
        _l("Assigned to us"),
        lambda user: [
            _our_assignment(user, PetitionAssignment.status != AssignmentStatus.WITHDRAWN.value),
            _open(),
        ],
        Petition.handle_due,
        "assignment",
        "default",
    ),
}


def queue(user, key, limit=50):
    """One queue of the user's desk: its count and first ``limit`` rows."""
    title, conditions, order, due, style = {**OFFICE_QUEUES, **UNIT_QUEUES}[key]
    scoped = [petition_clause(user), *conditions(user)]
    count = db.session.scalar(select(func.count(Petition.id)).where(*scoped))
    rows = []
    if count:
        rows = db.session.scalars(
            select(Petition)
            .where(*scoped)
            .options(
                selectinload(Petition.category),
                selectinload(Petition.assignments),
                selectinload(Petition.follow_ups),
            )
            .order_by(order, Petition.id)
            .limit(limit)
        ).all()
    return Queue(key, title, count, rows, due, style)


def office_queues(user, limit=50):
    if not is_office(user):
        return []
    return [queue(user, key, limit) for key in OFFICE_QUEUES]


def unit_queues(user, limit=50):
    if not handles_for_unit(user) or user.division_id is None:
        return []
    return [queue(user, key, limit) for key in UNIT_QUEUES]


def due_of(petition, queue, user=None):
    """The due date a queue's row is measured by (the unit's own for a unit)."""
    if queue.due == "accept_due":
        return petition.accept_due
    if queue.due == "assignment" and user is not None:
        mine = next(
            (
                a
                for a in petition.assignments
                if a.unit_id == user.division_id and a.status != AssignmentStatus.WITHDRAWN.value
            ),
            None,
        )
        return mine.due_at if mine is not None else petition.handle_due
    if queue.due == "follow_up":
        visit = next(
            (f for f in petition.follow_ups if f.status == FollowUpStatus.OPEN.value), None
        )
        return visit.due_at if visit is not None else None
    return petition.handle_due


# ---------------------------------------------------------------- home page panels


def _panel(user, key):
    found = queue(user, key, limit=PANEL_ROWS)
    return workbench.Panel(
        key=f"petitions_{key}",
        title=f"{_l('Petitions')} · {found.title}",
        count=found.count,
        rows=[
            workbench.Row(
                text=f"{p.number} {p.category}",
                url=url_for("PetitionView.show", pk=p.id),
                note=local_time(due_of(p, found, user)),
                style={Flag.OVERDUE: "danger", Flag.WARNING: "warning"}.get(p.flag, ""),
            )
            for p in found.rows
        ],
        url=url_for("PetitionDeskView.desk", _anchor=key),
        style=found.style if found.count else "default",
    )


def _office_panel(key):
    def provider(user):
        return _panel(user, key) if is_office(user) else None

    provider.__name__ = f"petition_office_{key}"
    return provider


def _unit_panel(key):
    def provider(user):
        if not handles_for_unit(user) or user.division_id is None:
            return None
        return _panel(user, key)

    provider.__name__ = f"petition_unit_{key}"
    return provider


for _order, _key in enumerate(("to_accept", "to_assign", "to_review", "overdue")):
    workbench.panel(order=40 + _order)(_office_panel(_key))
for _order, _key in enumerate(("to_answer", "assigned_to_us")):
    workbench.panel(order=45 + _order)(_unit_panel(_key))
