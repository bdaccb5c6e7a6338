"""Who hears what, on which channels (DESIGN §6): the reminder policy.

Defaults (each overridable in the configuration, see README "Notifications"):

- a task in **warning** → its handler (the unit's staff when unassigned);
- a task **overdue** → its handler and the unit's head (the supervision post
  reads the board and its daily digest);
- overdue more than ``ESCALATION_WORKING_DAYS`` (3) working days → the leader
  who oversees the unit (the director when no deputy does);
- the supervision post → one **daily digest**, not one message per row;
- applicants → an SMS when their case is accepted, needs a supplement, is
  suspended or extended (reason and expected length, Licensing Law Arts. 42 and
  45) and when the result is ready. The engine sends signals
  (app/workflow/signals.py); this module listens.

``NOTIFY_CHANNELS`` maps a reason to its channels (``inapp``, ``email``, ``sms``).
The scan's reminders are queued set-based (:mod:`app.notify.bulk`); the events of
one notice or request use :func:`app.notify.outbox.queue`.
"""

import re

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, literal, select
from sqlalchemy.orm import aliased, join

from app.extensions import db
from app.labels import label, local_time
from app.models.cases import Case, CaseStatus, Flag, Task, TaskStatus
from app.models.catalog import Matter
from app.models.org import Division
from app.models.supervision import Card, CardKind, NoticeStatus, SupervisionNotice
from app.models.user import BureauUser
from app.notify import outbox, recipients, sqltext
from app.notify.bulk import queue_bulk
from app.sql import beijing_minute
from app.workflow import signals
from app.workflow.overdue import overdue_cutoff

DEFAULT_CHANNELS = {
    "warning": ("inapp", "email"),
    "overdue": ("inapp", "email", "sms"),
    "escalation": ("inapp", "email", "sms"),
    "digest": ("inapp", "email"),
    "supervision": ("inapp", "email", "sms"),
    "supervision_answer": ("inapp", "email"),
    "supervision_closed": ("inapp",),
    "extension_request": ("inapp", "email"),
    "extension_decision": ("inapp", "email"),
    "status_change": ("sms",),  # applicants
}
MOBILE = re.compile(r"^1[3-9]\d{9}$")


def channels(reason):
    configured = current_app.config.get("NOTIFY_CHANNELS") or {}
    return tuple(configured.get(reason, DEFAULT_CHANNELS.get(reason, ("inapp",))))


# ---------------------------------------------------------------- the scan's reminders


def _task_source(user, condition):
    """Tasks with their case, matter and unit, joined to the users ``condition`` names."""
    return (
        join(Task, Case, Case.id == Task.case_id)
        .join(Matter, Matter.id == Case.matter_id)
        .outerjoin(Division, Division.id == Task.division_id)
        .join(user, condition)
    )


def _task_columns():
    return {
        "receipt": Case.receipt_no,
        "matter": Matter.name,
        "step": Task.name,
        "unit": func.coalesce(Division.name, ""),
        "due": beijing_minute(Task.due_at),
    }


def _remind(reason, key_prefix, user, condition, where, subject, body, now):
    columns = _task_columns()
    return queue_bulk(
        reason=reason,
        channels=channels(reason),
        user=user,
        source=_task_source(user, condition),
        where=[
            Task.status == TaskStatus.OPEN.value,
            Case.status == CaseStatus.IN_PROGRESS.value,
            *where,
        ],
        target_type="task",
        target_id=Task.id,
        key=sqltext.join(key_prefix, sqltext.text(Task.id)),
        subject=(subject, columns),
        body=(body, columns),
        at=now,
    )


def queue_reminders(now):
    """Queue the scan's reminders as of ``now``: a constant number of statements, each
    joining tasks to their recipients on equalities the database can hash. Returns
    ``{reason: rows queued}``."""
    user = aliased(BureauUser, name="recipient")
    # The handler: the assignee, or (unassigned) the unit's staff; then the unit's head.
    assignee = user.id == Task.assignee_id
    unit_staff = and_(
        Task.assignee_id.is_(None), recipients.unit_staff_clause(user, Task.division_id)
    )
    head = recipients.head_clause(user, Task.division_id)
    leader = recipients.leader_clause(user, Task.division_id)
    escalate_after = current_app.config.get("ESCALATION_WORKING_DAYS", 3)
    cutoff = overdue_cutoff(now, escalate_after)
    warned = [Task.flag == Flag.WARNING.value]
    late = [Task.flag == Flag.OVERDUE.value]

    def remind(reason, joined, where, subject, body):
        return _remind(reason, f"rem:{reason}:task:", user, joined, where, subject, body, now)

    queued = {
        "warning": sum(
            remind("warning", joined, warned, _warning_subject, _warning_body)
            for joined in (assignee, unit_staff)
        ),
        "overdue": sum(
            remind("overdue", joined, late, _overdue_subject, _overdue_body)
            for joined in (assignee, unit_staff, head)
        ),
        "escalation": remind(
            "escalation",
            leader,
            [*late, Task.due_at < cutoff],
            lambda **v: _escalation_subject(n=escalate_after, **v),
            lambda **v: _escalation_body(n=escalate_after, **v),
        ),
    }
    queued["digest"] = queue_digest(now)
    return queued


def _warning_subject(**v):
    return _("Warning: %(receipt)s %(step)s", **v)


def _warning_body(**v):
    return _(
        "Case %(receipt)s (%(matter)s): the step “%(step)s” of %(unit)s is due on %(due)s. "
        "Please finish it in time.",
        **v,
    )


def _overdue_subject(**v):
    return _("Overdue: %(receipt)s %(step)s", **v)


def _overdue_body(**v):
    return _(
        "Case %(receipt)s (%(matter)s): the step “%(step)s” of %(unit)s was due on %(due)s "
        "and is overdue. Please handle it at once and record the reason for the delay.",
        **v,
    )


def _escalation_subject(n, **v):
    return _("Overdue more than %(n)s working days: %(receipt)s %(step)s", n=n, **v)


def _escalation_body(n, **v):
    return _(
        "Case %(receipt)s (%(matter)s): the step “%(step)s” of %(unit)s was due on %(due)s "
        "and is still not done more than %(n)s working days later.",
        n=n,
        **v,
    )


def digest_figures(now):
    """What the supervision post reads each morning: one statement of counts."""
    open_tasks = select(func.count()).select_from(Task).where(Task.status == "open")
    active_cases = (
        select(func.count()).select_from(Case).where(Case.status == CaseStatus.IN_PROGRESS.value)
    )
    month = local_time(now)[:7]
    row = db.session.execute(
        select(
            open_tasks.where(Task.flag == Flag.OVERDUE.value).scalar_subquery(),
            open_tasks.where(Task.flag == Flag.WARNING.value).scalar_subquery(),
            active_cases.where(Case.flag == Flag.OVERDUE.value).scalar_subquery(),
            active_cases.where(Case.flag == Flag.WARNING.value).scalar_subquery(),
            select(func.count())
            .select_from(SupervisionNotice)
            .where(SupervisionNotice.status == NoticeStatus.OPEN.value)
            .scalar_subquery(),
            select(func.count())
            .select_from(Card)
            .where(Card.kind == CardKind.YELLOW.value, Card.month == month)
            .scalar_subquery(),
            select(func.count())
            .select_from(Card)
            .where(Card.kind == CardKind.RED.value, Card.month == month)
            .scalar_subquery(),
        )
    ).one()
    names = ("overdue_tasks", "warning_tasks", "overdue_cases", "warning_cases")
    names += ("open_notices", "yellow", "red")
    return dict(zip(names, row, strict=True))


def queue_digest(now):
    """One message a day to each member of the supervision post, when anything is late."""
    figures = digest_figures(now)
    if not any(figures[name] for name in ("overdue_tasks", "warning_tasks", "overdue_cases")):
        return 0
    user = aliased(BureauUser, name="recipient")
    day = local_time(now)[:10]
    values = {**figures, "day": day, "time": local_time(now)}
    return queue_bulk(
        reason="digest",
        channels=channels("digest"),
        user=user,
        source=user,
        where=[recipients.supervisor_clause(user)],
        target_type="digest",
        target_id=literal(None, db.Integer),
        key=literal(f"digest:{day}"),
        subject=(lambda **v: _("Supervision digest of %(day)s", **v), {"day": day}),
        body=(_digest_body, {k: str(v) for k, v in values.items()}),
        at=now,
    )


def _digest_body(**v):
    return _(
        "As of %(time)s: %(overdue_tasks)s overdue tasks, %(warning_tasks)s tasks in "
        "warning, %(overdue_cases)s overdue cases, %(warning_cases)s cases in warning; "
        "%(open_notices)s supervision notices await an answer; this month %(yellow)s yellow "
        "and %(red)s red cards. The overdue board lists them.",
        **v,
    )


# ---------------------------------------------------------------- one event, a few people


def tell(users, reason, key, subject, body, target, mandatory=False, at=None):
    """Queue ``reason`` to each user on the reason's channels (in the caller's transaction).
    ``subject``/``body`` are callables rendered in each recipient's language."""
    queued = 0
    for user in {u.id: u for u in users if u is not None}.values():
        for channel in channels(reason):
            row = outbox.queue(
                channel=channel,
                reason=reason,
                key=f"{key}:{user.id}:{channel}",
                recipient=user,
                subject=subject,
                body=body,
                target=target,
                mandatory=mandatory,
                at=at,
            )
            queued += row is not None
    return queued


def tell_applicant(case, what, body, at, key_suffix=""):
    """An SMS to the applicant's mobile (no account, so no opt-out: the law requires it)."""
    phone = (case.applicant_phone or "").strip()
    if not MOBILE.match(phone) or "sms" not in channels("status_change"):
        return None
    db.session.flush()  # the case (and the event's row) get their ids
    return outbox.queue(
        channel="sms",
        reason="status_change",
        key=f"applicant:{case.id}:{what}{key_suffix}",
        address=phone,
        subject=lambda: _("Your application %(receipt)s", receipt=case.receipt_no),
        body=body,
        target=("case", case.id),
        mandatory=True,
        at=at,
    )


def _signed(text):
    return _("[%(console)s] %(text)s", console=_("Land and Resources Bureau"), text=text)


def _on_accepted(case, at, **_details):
    tell_applicant(
        case,
        "accepted",
        lambda: _signed(
            _(
                "Your application %(receipt)s (%(matter)s) is accepted; promised completion "
                "by %(due)s. Query code: %(code)s.",
                receipt=case.receipt_no,
                matter=case.matter.name,
                due=local_time(case.promised_due_at),
                code=case.query_code,
            )
        ),
        at,
    )


def _on_supplement(case, at, missing=(), **_details):
    tell_applicant(
        case,
        "supplement",
        lambda: _signed(
            _(
                "Your application %(receipt)s needs a supplement: %(missing)s. Please bring "
                "it to the service window.",
                receipt=case.receipt_no,
                missing="、".join(missing),
            )
        ),
        at,
    )


def _on_suspended(case, suspension, at, **_details):
    def body():
        days = suspension.expected_days
        length = _("expected %(n)s working days", n=days) if days else _("length not yet known")
        return _signed(
            _(
                "Your application %(receipt)s is suspended for %(kind)s (%(length)s): "
                "%(reason)s. This time does not count toward the time limit (Licensing Law "
                "Art. 45).",
                receipt=case.receipt_no,
                kind=label("suspension_kind", suspension.kind),
                length=length,
                reason=suspension.reason,
            )
        )

    db.session.flush()
    tell_applicant(case, "suspended", body, at, f":{suspension.id}")


def _on_extended(case, extension, at, **_details):
    db.session.flush()
    tell_applicant(
        case,
        "extended",
        lambda: _signed(
            _(
                "The time limit of your application %(receipt)s is extended by %(days)s "
                "working days: %(reason)s. New promised completion: %(due)s (Licensing Law "
                "Art. 42).",
                receipt=case.receipt_no,
                days=extension.days,
                reason=extension.reason,
                due=local_time(case.promised_due_at),
            )
        ),
        at,
        f":{extension.id}",
    )


def _on_result(case, at, **_details):
    text = _decision_text if case.status == CaseStatus.REJECTED.value else _ready_text
    tell_applicant(case, "result", lambda: _signed(text(case)), at)


def _ready_text(case):
    return _(
        "The result of your application %(receipt)s is ready. Please collect it at the "
        "service window with your receipt.",
        receipt=case.receipt_no,
    )


def _decision_text(case):
    return _(
        "A decision on your application %(receipt)s has been made. Please collect the written "
        "decision at the service window with your receipt.",
        receipt=case.receipt_no,
    )


def connect_signals():
    """Subscribe to the engine's signals (once per process; weak=False keeps them)."""
    for signal, receiver in (
        (signals.case_accepted, _on_accepted),
        (signals.supplement_requested, _on_supplement),
        (signals.case_suspended, _on_suspended),
        (signals.case_extended, _on_extended),
        (signals.result_ready, _on_result),
    ):
        signal.connect(receiver, weak=False)


__all__ = [
    "DEFAULT_CHANNELS",
    "channels",
    "connect_signals",
    "queue_digest",
    "queue_reminders",
    "tell",
    "tell_applicant",
]
