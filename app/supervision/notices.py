"""Supervision notices (督办): issued by the supervision post, answered with a coded
delay reason by the handler or head they reminded, closed by the supervision post.

Each function is one action (one transaction, app/workflow/engine.py's ``@action``).
A notice chases a *target*; today a task or a case. Another kind (petitions) plugs
in with :func:`register_target`: a resolver returning a :class:`Target`.
"""

from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.labels import iso_utc, label
from app.models.cases import ACTIVE_STATUSES, Case, Task, TaskStatus
from app.models.supervision import (
    DelayReason,
    NoticeStatus,
    RecipientRole,
    SupervisionNotice,
    SupervisionRecipient,
)
from app.notify import policy, recipients
from app.workflow import clock
from app.workflow.engine import action, acts_in_cases
from app.workflow.errors import BadInput, Forbidden, NotAllowedNow, NotFound

SUPERVISOR = "Supervisor"
MAX_TEXT = 2000
MAX_TARGETS = 200


@dataclass
class Target:
    """What a notice chases, and whom it reminds."""

    type: str
    id: int
    label: str
    case_id: int | None = None
    task_id: int | None = None
    division_id: int | None = None
    handlers: list = field(default_factory=list)
    heads: list = field(default_factory=list)


def _task_target(task_id):
    task = db.session.get(Task, task_id)
    if task is None:
        raise NotFound(_("No such task."))
    if task.status != TaskStatus.OPEN.value:
        raise NotAllowedNow(_("Only an open task can be supervised."))
    return Target(
        type="task",
        id=task.id,
        label=f"{task.case.receipt_no} {task.name}",
        case_id=task.case_id,
        task_id=task.id,
        division_id=task.division_id,
        handlers=recipients.handlers_of(task),
        heads=recipients.heads_of(task.division_id),
    )


def _case_target(case_id):
    case = db.session.get(Case, case_id)
    if case is None:
        raise NotFound(_("No such case."))
    if case.status not in {status.value for status in ACTIVE_STATUSES}:
        raise NotAllowedNow(_("Only a case in progress or suspended can be supervised."))
    open_tasks = [t for t in case.tasks if t.status == TaskStatus.OPEN.value]
    divisions = {t.division_id for t in open_tasks if t.division_id is not None}
    return Target(
        type="case",
        id=case.id,
        label=case.receipt_no,
        case_id=case.id,
        division_id=divisions.pop() if len(divisions) == 1 else None,
        handlers=[u for t in open_tasks for u in recipients.handlers_of(t)],
        heads=[u for d in {t.division_id for t in open_tasks} for u in recipients.heads_of(d)],
    )


_RESOLVERS = {"task": _task_target, "case": _case_target}
TARGET_LABELS = {"task": _l("Task"), "case": _l("Case")}


def register_target(kind, resolver):
    """Let another area (petitions) be supervised: ``resolver(id) -> Target``."""
    _RESOLVERS[kind] = resolver


def resolve(kind, target_id):
    resolver = _RESOLVERS.get(kind)
    if resolver is None:
        raise BadInput(_("Unknown kind of target %(kind)s.", kind=str(kind)[:20]))
    if not isinstance(target_id, int) or isinstance(target_id, bool):
        raise BadInput(_("A target is given by its id."))
    return resolver(target_id)


def _required(value, message, limit=MAX_TEXT):
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise BadInput(message)
    if len(text) > limit:
        raise BadInput(_("The text is longer than %(n)d characters.", n=limit))
    return text


def is_supervisor(user):
    """The supervision post chases cases; an account holding Admin never acts in one."""
    return acts_in_cases(user) and SUPERVISOR in user.role_names


# ---------------------------------------------------------------- actions


@action
def issue(targets, supervisor, message, at=None):
    """The supervision post chases each ``(kind, id)`` target with ``message``.
    Returns the new notices; each reminds its handlers and heads (outbox)."""
    if not is_supervisor(supervisor):
        raise Forbidden(_("Only the supervision post issues supervision notices."))
    message = _required(message, _("Write the message of the supervision notice."))
    if not targets:
        raise BadInput(_("Choose at least one task or case to supervise."))
    if len(targets) > MAX_TARGETS:
        raise BadInput(_("At most %(n)d targets at once.", n=MAX_TARGETS))
    at = at or clock.utcnow()
    return [
        _issue_one(resolve(kind, target_id), supervisor, message, at)
        for kind, target_id in dict.fromkeys(targets)  # each target once
    ]


def _issue_one(target, supervisor, message, at):
    notice = SupervisionNotice(
        target_type=target.type,
        target_id=target.id,
        case_id=target.case_id,
        task_id=target.task_id,
        division_id=target.division_id,
        supervisor=supervisor,
        message=message,
        created_at=at,
        status=NoticeStatus.OPEN.value,
    )
    people = {}
    for role, users in (
        (RecipientRole.HEAD, target.heads),
        (RecipientRole.HANDLER, target.handlers),
    ):
        for user in users:
            people[user.id] = (user, role)  # a head who handles the task answers as handler
    if not people:
        raise NotAllowedNow(
            _("Nobody can be reminded of %(target)s: its unit has no staff.", target=target.label)
        )
    for user, role in people.values():
        notice.recipients.append(SupervisionRecipient(user=user, role=role.value))
    db.session.add(notice)
    db.session.flush()
    policy.tell(
        [user for user, _role in people.values()],
        "supervision",
        f"supervision:{notice.id}",
        subject=lambda: _("Supervision notice: %(target)s", target=target.label),
        body=lambda: _(
            "The supervision post chases %(target)s: %(message)s Please answer with the "
            "reason for the delay.",
            target=target.label,
            message=message,
        ),
        target=("supervision", notice.id),
        mandatory=True,
        at=at,
    )
    return notice


def may_respond(notice, user):
    return user is not None and any(r.user_id == user.id for r in notice.recipients)


def _locked(notice_id):
    notice = db.session.get(
        SupervisionNotice, notice_id, with_for_update=True, populate_existing=True
    )
    if notice is None:
        raise NotFound(_("No such supervision notice."))
    return notice


def check_reason(reason, text):
    """A coded delay reason; ``other`` needs a text. Raises BadInput with ``errors``."""
    codes = {code.value for code in DelayReason}
    if not isinstance(reason, str) or reason not in codes:
        raise BadInput(
            _("Choose the reason for the delay."),
            errors={"delay_reason": _("Choose one of the listed reasons.")},
        )
    text = text.strip() if isinstance(text, str) else ""
    if reason == DelayReason.OTHER.value and not text:
        raise BadInput(
            _("Explain the reason for the delay."),
            errors={"response": _("A text is required with the reason “Other”.")},
        )
    if len(text) > MAX_TEXT:
        raise BadInput(_("The text is longer than %(n)d characters.", n=MAX_TEXT))
    return reason, text or None


@action
def respond(notice_id, user, reason, text=None, at=None):
    """A reminded handler or head answers with a coded delay reason (and a text)."""
    notice = _locked(notice_id)
    if not may_respond(notice, user):
        raise Forbidden(_("Only the handler or head reminded by this notice can answer it."))
    if notice.status != NoticeStatus.OPEN.value:
        raise NotAllowedNow(_("This supervision notice has already been answered or closed."))
    reason, text = check_reason(reason, text)
    at = at or clock.utcnow()
    notice.delay_reason = reason
    notice.response = text
    notice.responded_by = user
    notice.responded_at = at
    notice.status = NoticeStatus.ANSWERED.value
    policy.tell(
        [notice.supervisor],
        "supervision_answer",
        f"supervision:{notice.id}:answer",
        subject=lambda: _("Answer to supervision notice #%(id)s", id=notice.id),
        body=lambda: _(
            "%(person)s answered supervision notice #%(id)s: %(reason)s. %(text)s",
            person=user.display_name,
            id=notice.id,
            reason=label("delay_reason", reason),
            text=text or "",
        ),
        target=("supervision", notice.id),
        at=at,
    )
    return notice


@action
def close(notice_id, user, note=None, at=None):
    """The supervision post closes a notice (answered or not), with an optional note."""
    notice = _locked(notice_id)
    if not is_supervisor(user):
        raise Forbidden(_("Only the supervision post closes supervision notices."))
    if notice.status == NoticeStatus.CLOSED.value:
        raise NotAllowedNow(_("This supervision notice is already closed."))
    note = note.strip() if isinstance(note, str) else ""
    if len(note) > MAX_TEXT:
        raise BadInput(_("The text is longer than %(n)d characters.", n=MAX_TEXT))
    at = at or clock.utcnow()
    notice.status = NoticeStatus.CLOSED.value
    notice.closed_by = user
    notice.closed_at = at
    notice.close_note = note or None
    policy.tell(
        [r.user for r in notice.recipients],
        "supervision_closed",
        f"supervision:{notice.id}:closed",
        subject=lambda: _("Supervision notice #%(id)s closed", id=notice.id),
        body=lambda: _(
            "The supervision post closed supervision notice #%(id)s. %(note)s",
            id=notice.id,
            note=note,
        ),
        target=("supervision", notice.id),
        at=at,
    )
    return notice


def age_in_working_days(notice, now=None):
    """Working days since the notice was issued (until answered, else until now)."""
    end = notice.responded_at or notice.closed_at or now or clock.utcnow()
    return max(clock.working_days(notice.created_at, end), 0)


def as_json(notice):
    """A notice as the API answers it."""
    return {
        "id": notice.id,
        "target_type": notice.target_type,
        "target_id": notice.target_id,
        "case_id": notice.case_id,
        "task_id": notice.task_id,
        "status": notice.status,
        "message": notice.message,
        "delay_reason": notice.delay_reason,
        "response": notice.response,
        "created_at": iso_utc(notice.created_at),
        "responded_at": iso_utc(notice.responded_at),
        "closed_at": iso_utc(notice.closed_at),
        "recipients": [r.user.username for r in notice.recipients],
    }
