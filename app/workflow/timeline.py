"""A case's timeline: every event, oldest first, with how its due dates were reached.

What a reader sees follows app/security/scope.py: the whole route for every reader
of the case (an intermediary: its own tasks), opinions by :func:`opinion_clause`,
supervision notices by :func:`supervision_clause`; why a stage went back is part of
the route. Cards and reminders are facts about the case (kind, reason, channel,
how many), never a message's text or its recipients.
"""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.cases import Decision, Opinion, Task
from app.models.notification import Notification
from app.models.supervision import Card, SupervisionNotice
from app.security.scope import opinion_clause, supervision_clause, task_clause
from app.workflow import clock
from app.workflow.timeline_chart import build_chart

REMINDER_REASONS = ("warning", "overdue", "escalation", "supervision", "card")
SUPPLEMENT_REQUESTED = "supplement_requested"


def _iso(moment):
    return moment.isoformat() + "Z" if moment else None


def case_timeline(case, user):
    """The API's answer: events with ISO 8601 UTC times, and the promised due date's trace."""
    events = [
        {**event, "at": _iso(event["at"]), "by": _username(event["by"]), **_iso_fields(event)}
        for event in case_events(case, user)
    ]
    return {"events": events, "promised_due": _due_explanation(case)}


def _username(by):
    return getattr(by, "username", by)


def _iso_fields(event):
    return {key: _iso(event[key]) for key in ("due_at",) if key in event}


def visible_tasks(case, user):
    return (
        db.session.query(Task)
        .filter(Task.case_id == case.id, task_clause(user))
        .options(joinedload(Task.division), joinedload(Task.assignee), joinedload(Task.done_by))
        .order_by(Task.id)
        .all()
    )


def visible_opinions(case, user):
    return (
        db.session.query(Opinion)
        .filter(Opinion.case_id == case.id, opinion_clause(user))
        .options(joinedload(Opinion.author), joinedload(Opinion.task))
        .order_by(Opinion.id)
        .all()
    )


def return_reasons(case, tasks):
    """{task id: reason} of the returns among ``tasks`` (every reader of the route sees why)."""
    returned = [t.id for t in tasks if t.decision == Decision.RETURN.value]
    if not returned:
        return {}
    rows = db.session.execute(
        select(Opinion.task_id, Opinion.text).where(
            Opinion.task_id.in_(returned), Opinion.decision == Decision.RETURN.value
        )
    )
    return dict(rows.all())


def case_events(case, user, tasks=None, opinions=None, reasons=None):
    """Every event the user may see, oldest first; ``at`` (and ``due_at``) naive UTC."""
    tasks = visible_tasks(case, user) if tasks is None else tasks
    opinions = visible_opinions(case, user) if opinions is None else opinions
    reasons = return_reasons(case, tasks) if reasons is None else reasons
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
                due_at=task.due_at,
                division=_code(task.division),
            )
        )
        if task.id in reasons:
            events.append(
                _event(
                    task.done_at,
                    "returned",
                    by=task.done_by,
                    task=task.id,
                    name=task.name,
                    reason=reasons[task.id],
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
    events += _supplement_events(case)
    events += _supervision_events(case, user, [task.id for task in tasks])
    if case.finished_at:
        events.append(_event(case.finished_at, "finished", status=case.status))
    events.sort(key=lambda e: e["at"] or _EPOCH)  # stable: ties keep their causal order
    return events


_EPOCH = datetime.min


def _supplement_events(case):
    """Supplement notices and the documents brought after them, from the audit trail."""
    rows = db.session.execute(
        select(AuditEvent.created_at, AuditEvent.action, AuditEvent.after, AuditEvent.username)
        .where(
            AuditEvent.target_type == type(case).__name__,
            AuditEvent.target_id == str(case.id),
            AuditEvent.action.in_(("transition", "supplement_received")),
        )
        .order_by(AuditEvent.seq)
    )
    events = []
    for at, action, after, username in rows:
        if action == "supplement_received":
            events.append({"at": at, "event": "supplement_received", "by": username})
        elif (after or {}).get("status") == SUPPLEMENT_REQUESTED:
            events.append(
                {
                    "at": at,
                    "event": "supplement_requested",
                    "by": username,
                    "missing": case.missing_documents,
                }
            )
    return events


def _supervision_events(case, user, task_ids):
    """Notices (as supervision scope allows) with their delay reasons; the cards and
    reminders of the case and of the tasks the user sees (``task_ids``)."""
    events = []
    notices = (
        db.session.query(SupervisionNotice)
        .filter(SupervisionNotice.case_id == case.id, supervision_clause(user))
        .options(
            joinedload(SupervisionNotice.supervisor),
            joinedload(SupervisionNotice.responded_by),
            joinedload(SupervisionNotice.task),
        )
        .order_by(SupervisionNotice.id)
        .all()
    )
    for notice in notices:
        events.append(
            _event(
                notice.created_at,
                "supervision_notice",
                by=notice.supervisor,
                notice=notice.id,
                task=notice.task_id,
                name=notice.task.name if notice.task else None,
                message=notice.message,
            )
        )
        if notice.responded_at:
            events.append(
                _event(
                    notice.responded_at,
                    "notice_answered",
                    by=notice.responded_by,
                    notice=notice.id,
                    delay_reason=notice.delay_reason,
                    text=notice.response,
                )
            )
    cards = db.session.execute(  # the scan issues a batch at one moment: one line each
        select(Card.issued_at, Card.kind, Card.cause, func.count(Card.id))
        .where(Card.case_id == case.id, or_(Card.task_id.is_(None), Card.task_id.in_(task_ids)))
        .group_by(Card.issued_at, Card.kind, Card.cause)
        .order_by(Card.issued_at)
    )
    for issued_at, kind, cause, count in cards:
        events.append(
            {
                "at": issued_at,
                "event": "card",
                "by": None,
                "kind": kind,
                "cause": cause,
                "count": count,
            }
        )
    targets = [
        (Notification.target_type == "case") & (Notification.target_id == case.id),
        (Notification.target_type == "task") & Notification.target_id.in_(task_ids),
    ]
    if notices:  # the reminders a notice sent, for the notices the user sees
        notice_ids = [notice.id for notice in notices]
        targets.append(
            (Notification.target_type == "supervision") & Notification.target_id.in_(notice_ids)
        )
    reminders = db.session.execute(
        select(
            Notification.reason,
            Notification.channel,
            Notification.created_at,
            func.count(Notification.id),
        )
        .where(Notification.reason.in_(REMINDER_REASONS), or_(*targets))
        .group_by(Notification.reason, Notification.channel, Notification.created_at)
    )
    for reason, channel, at, count in reminders:
        events.append(
            {
                "at": at,
                "event": "reminder",
                "by": None,
                "reason": reason,
                "channel": channel,
                "count": count,
            }
        )
    return events


def _event(at, event, by=None, **details):
    return {
        "at": at,
        "event": event,
        "by": by,
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


@dataclass(frozen=True)
class TimelinePage:
    """What the timeline page draws: the chart, the events, the due date's explanation."""

    chart: object
    events: list
    opinions: list
    promised_due: dict | None


def timeline_page(case, user, now=None):
    """The case's timeline as ``user`` may see it, as of ``now`` (naive UTC)."""
    now = now or clock.utcnow()
    tasks = visible_tasks(case, user)
    opinions = visible_opinions(case, user)
    reasons = return_reasons(case, tasks)
    calendar = clock.calendar_snapshot()
    chart = build_chart(case, tasks, calendar, now, returns=reasons)
    events = case_events(case, user, tasks=tasks, opinions=opinions, reasons=reasons)
    return TimelinePage(chart, events, opinions, _due_explanation(case))
