"""A case's timeline: every event, oldest first, with how its due dates were reached.

What a reader sees follows app/security/scope.py: the whole route for every reader
of the case (an intermediary: its own tasks), opinions by :func:`opinion_clause`.
"""

from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.cases import Opinion, Task
from app.security.scope import opinion_clause, task_clause
from app.workflow import clock


def _iso(moment):
    return moment.isoformat() + "Z" if moment else None


def case_timeline(case, user):
    tasks = (
        db.session.query(Task)
        .filter(Task.case_id == case.id, task_clause(user))
        .options(joinedload(Task.division))
        .order_by(Task.id)
        .all()
    )
    opinions = (
        db.session.query(Opinion)
        .filter(Opinion.case_id == case.id, opinion_clause(user))
        .options(joinedload(Opinion.author))
        .order_by(Opinion.id)
        .all()
    )
    events = [_event(case.received_at, "received", by=case.received_by)]
    if case.accepted_at:
        events.append(_event(case.accepted_at, "accepted"))
    for task in tasks:
        events.append(
            _event(
                task.opened_at,
                "task_opened",
                task=task.id,
                name=task.name,
                due_at=_iso(task.due_at),
                division=_code(task.division),
            )
        )
    for opinion in opinions:
        events.append(
            _event(
                opinion.signed_at,
                "opinion",
                task=opinion.task_id,
                by=opinion.author,
                decision=opinion.decision,
                text=opinion.text,
            )
        )
    for pause in case.suspensions:
        events.append(
            _event(
                pause.started_at,
                "suspended",
                kind=pause.kind,
                reason=pause.reason,
                expected_days=pause.expected_days,
            )
        )
        if pause.ended_at:
            events.append(
                _event(pause.ended_at, "resumed", kind=pause.kind, working_days=pause.working_days)
            )
    for extension in case.extensions:
        events.append(
            _event(
                extension.approved_at,
                "extended",
                days=extension.days,
                reason=extension.reason,
                by=extension.approved_by,
            )
        )
    if case.finished_at:
        events.append(_event(case.finished_at, "finished", status=case.status))
    events.sort(key=lambda e: e["at"] or "")  # stable: ties keep their causal order
    return {"events": events, "promised_due": _due_explanation(case)}


def _event(at, event, by=None, **details):
    return {
        "at": _iso(at),
        "event": event,
        "by": by.username if by is not None else None,
        **details,
    }


def _code(division):
    return division.code if division is not None else None


def _due_explanation(case):
    """Start, skipped weekends and holidays, adjusted workdays, pauses and extensions."""
    if case.accepted_at is None:
        return None
    days = case.matter.promised_days + case.extension_days + case.paused_days
    deadline = clock.due(case.accepted_at, days)
    return {
        "start": _iso(case.accepted_at),
        "promised_days": case.matter.promised_days,
        "extension_days": case.extension_days,
        "paused_days": case.paused_days,
        "due_at": _iso(deadline.due_at),
        "provisional": deadline.provisional,
        "trace": [
            entry.as_dict() if hasattr(entry, "as_dict") else entry for entry in deadline.trace
        ],
    }
