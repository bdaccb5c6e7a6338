"""The case engine: every transition of a case, checked on the server.

Public functions are *actions*: each runs in one transaction (committed on
success, rolled back on any error) and can be called from a test, a view, the
API or the CLI alike. Nothing else writes a case's status, stage, flags or due
dates.
"""

import functools

from flask import current_app
from flask_appbuilder.security.sqla.models import Role
from flask_babel import gettext as _
from sqlalchemy import and_, false, or_, select
from sqlalchemy.orm.exc import StaleDataError

from app import audit
from app.extensions import db
from app.models.cases import (
    Case,
    CaseStatus,
    Decision,
    Extension,
    Flag,
    Minutes,
    Opinion,
    Permit,
    PermitStatus,
    Suspension,
    SuspensionKind,
    Task,
    TaskStatus,
)
from app.models.user import BureauUser
from app.models.workflow import StageMode, StepKind
from app.security.scope import INTERMEDIARY, LEADER, scoped_division_ids
from app.workflow import clock, permits, signals
from app.workflow.errors import BadInput, Forbidden, NotAllowedNow, NotFound

MAX_OPINION_LENGTH = 5000
MAX_DAYS = 2500  # working days: about ten years, within any integer column
HANDLER_ROLES = frozenset({"Window", "Staff", "DivisionHead", "Leader", "Intermediary"})
SUPERVISOR = "Supervisor"  # chases cases (督办): acting in them too
ADMIN = "Admin"
DIVISION_HEAD = "DivisionHead"


def action(function):
    """Run one workflow action as one transaction."""

    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        try:
            result = function(*args, **kwargs)
            db.session.commit()
        except StaleDataError:
            db.session.rollback()
            raise NotAllowedNow(
                _("Someone else changed this record first; reload and retry.")
            ) from None
        except Exception:
            db.session.rollback()
            raise
        return result

    return wrapper


# ---------------------------------------------------------------- who may act
#
# The rules behind every check below, also asked by the pages to decide which forms a
# user sees: the page and the engine share one rule.


def acts_in_cases(user):
    """Admin never acts in a case (separation of duties), whatever other roles it holds."""
    return user is not None and ADMIN not in user.role_names


def roles_against_separation(role_names):
    """The case roles ``role_names`` holds beside Admin (sorted), which the user screens
    refuse: an administrator with them would still be refused every case action."""
    names = set(role_names)
    return sorted((HANDLER_ROLES | {SUPERVISOR}) & names) if ADMIN in names else []


def handles_tasks(user):
    return acts_in_cases(user) and bool(HANDLER_ROLES & user.role_names)


def may_handle(task, user):
    """The assignee, or (unassigned) a handler of the task's unit. Admin never."""
    if not handles_tasks(user):
        return False
    if task.assignee_id is not None:
        return task.assignee_id == user.id
    return task.division_id is not None and task.division_id == user.division_id


def handled_by(user, task=Task):
    """:func:`may_handle` as SQL: the open tasks ``user`` can complete (My tasks)."""
    if not handles_tasks(user):
        return false()
    mine = or_(
        task.assignee_id == user.id,
        and_(task.assignee_id.is_(None), task.division_id == user.division_id),
    )
    return and_(task.status == TaskStatus.OPEN.value, mine)


def leads(case, user):
    """A leader in scope of the case: the director, a leader overseeing a unit that has
    or had a task in it, or one assigned a task of it."""
    if not acts_in_cases(user) or LEADER not in user.role_names:
        return False
    if user.oversees_all:
        return True
    overseen = scoped_division_ids(user)
    return any(t.division_id in overseen or t.assignee_id == user.id for t in case.tasks)


def may_steer(case, user):
    """Suspend or resume the clock: a leader in scope, or a bureau handler of one of the
    case's open tasks (an outside agency works its own task; it does not steer the case)."""
    if leads(case, user):
        return True
    if user is None or INTERMEDIARY in user.role_names:
        return False
    return any(t.status == TaskStatus.OPEN.value and may_handle(t, user) for t in case.tasks)


def may_extend(case, user):
    """An extension is approved by a leader in scope of the case."""
    return leads(case, user)


def extension_days_left(case):
    """Working days still available under the matter's extension ceiling."""
    return max(case.matter.max_extension_days - case.extension_days, 0)


def may_reassign(task, user):
    """The head of the task's division gives it to a colleague of the division."""
    return (
        acts_in_cases(user)
        and DIVISION_HEAD in user.role_names
        and task.division_id is not None
        and task.division_id == user.division_id
    )


def may_be_assigned(task, user):
    """An active handler of the task's division."""
    return (
        user is not None
        and user.active
        and handles_tasks(user)
        and task.division_id is not None
        and user.division_id == task.division_id
    )


def colleagues(division_id):
    """The active handlers of a division, by name: who a head may assign a task to."""
    return (
        db.session.query(BureauUser)
        .filter(
            BureauUser.division_id == division_id,
            BureauUser.active.is_(True),
            BureauUser.roles.any(Role.name.in_(HANDLER_ROLES)),
            ~BureauUser.roles.any(Role.name == ADMIN),
        )
        .order_by(BureauUser.last_name, BureauUser.first_name, BureauUser.id)
        .all()
    )


def may_revoke(permit, user):
    """A leader in scope of the permit's case revokes it (with a reason)."""
    return leads(permit.case, user)


def is_revocable(permit):
    return permit.status in (PermitStatus.ISSUED.value, PermitStatus.RELEASED.value)


def steering_actions(case, user):
    """The clock actions ``user`` may take on ``case`` now: suspend, resume, extend."""
    available = set()
    if may_steer(case, user):
        if case.status == CaseStatus.IN_PROGRESS.value:
            available.add("suspend")
        elif case.status == CaseStatus.SUSPENDED.value:
            available.add("resume")
    if (
        case.status in (CaseStatus.IN_PROGRESS.value, CaseStatus.SUSPENDED.value)
        and may_extend(case, user)
        and extension_days_left(case) > 0
    ):
        available.add("extend")
    return available


# ---------------------------------------------------------------- status


def set_status(case, status, **details):
    """Every status change goes through here, so the audit trail names each transition."""
    previous = case.status
    case.status = status
    if previous != status:
        audit.record_transition(case, previous, status, **details)


# ---------------------------------------------------------------- loading


# Lock order, the same for every action: the case first, then its tasks (or permit).
# Two actions on one case then queue on the case row: one wins, the other sees what the
# winner committed (409), never a deadlock. ``populate_existing`` re-reads a row the
# session already holds, so the check after the lock sees the committed state.


def lock_case(case_id):
    case = db.session.get(Case, case_id, with_for_update=True, populate_existing=True)
    if case is None:
        raise NotFound(_("No such case."))
    return case


def lock_task(task_id):
    """Lock a task's case, then the task; returns ``(task, case)``."""
    case_id = db.session.scalar(select(Task.case_id).where(Task.id == task_id))
    if case_id is None:
        raise NotFound(_("No such task."))
    case = lock_case(case_id)
    task = db.session.get(Task, task_id, with_for_update=True, populate_existing=True)
    return task, case


# ---------------------------------------------------------------- acceptance


def start_clock(case, clerk, at, accepted_at=None):
    """The case is accepted (from ``accepted_at``, default ``at``): due dates run from
    there, the receipt stage is done at ``at`` and the next stage opens."""
    case.accepted_at = accepted_at or at
    set_status(case, CaseStatus.IN_PROGRESS.value)
    template = case.workflow
    if template.first_used_at is None:
        template.first_used_at = at
    refresh_case_due(case)
    stages = template.stages
    if not stages:
        raise BadInput(_("The matter's workflow has no stage."))
    signals.case_accepted.send(case, at=at)
    first = stages[0]
    tasks = open_stage(case, first, at)
    if all(step.kind == StepKind.RECEIPT.value for step in first.steps):
        for task in tasks:
            task.assignee = clerk
            _finish_task(task, clerk, Decision.APPROVE.value, at)
            _write_opinion(task, clerk, Decision.APPROVE.value, _("Accepted at the window."), at)
        advance(case, first, clerk, at)


# ---------------------------------------------------------------- stages


def stage_at(case, position):
    for stage in case.workflow.stages:
        if stage.position == position:
            return stage
    raise NotFound(_("No such stage."))


def next_stage(case, stage):
    later = [s for s in case.workflow.stages if s.position > stage.position]
    return later[0] if later else None


def previous_stage(case, stage):
    earlier = [s for s in case.workflow.stages if s.position < stage.position]
    return earlier[-1] if earlier else None


def open_stage(case, stage, at):
    """Open every step of a stage (only the first one for a sequence)."""
    case.current_stage = stage.position
    steps = stage.steps[:1] if stage.mode == StageMode.SEQUENCE.value else stage.steps
    tasks = [open_task(case, stage, step, at) for step in steps]
    if not any(step.counts_toward_limit for step in stage.steps):
        _pause_clock(case, SuspensionKind.UNCOUNTED_STEP.value, stage.name, None, None, at)
    return tasks


def open_task(case, stage, step, at):
    deadline = clock.due(at, step.limit_days, _warning_days())
    task = Task(
        case=case,
        step=step,
        stage_position=stage.position,
        stage_mode=stage.mode,
        name=step.name,
        kind=step.kind,
        division=step.division,
        assignee=step.leader,
        limit_days=step.limit_days,
        counts_toward_limit=step.counts_toward_limit,
        opened_at=at,
        due_at=deadline.due_at,
        warn_at=deadline.warn_at,
        paused_days=0,
        status=TaskStatus.OPEN.value,
        flag=Flag.NORMAL.value,
    )
    db.session.add(task)
    if step.kind == StepKind.RELEASE.value:
        signals.result_ready.send(case, task=task, at=at)
    return task


def stage_tasks(case, stage, status=None):
    tasks = [t for t in case.tasks if t.stage_position == stage.position]
    if status:
        tasks = [t for t in tasks if t.status == status]
    return tasks


def advance(case, stage, actor, at):
    """The stage is complete: record its result, then open the next stage or finish."""
    if stage.mode == StageMode.COUNTERSIGN.value:
        _write_minutes(case, stage, at)
    _end_uncounted_pause(case, stage, actor, at)
    following = next_stage(case, stage)
    if following is None:
        _finish(case, CaseStatus.APPROVED.value, at)
    else:
        open_stage(case, following, at)


# ---------------------------------------------------------------- completing a task


@action
def complete_task(task_id, actor, decision, opinion, at=None, permit=None):
    """The handler decides on an open task: approve, disagree (countersign), return, reject."""
    at = at or clock.utcnow()
    task, case = lock_task(task_id)
    _check_can_handle(task, actor)
    _check_case_active(case)
    if task.status != TaskStatus.OPEN.value:
        raise NotAllowedNow(_("This task is already done."))
    text = _clean_opinion(opinion)
    _check_decision(task, actor, decision)

    stage = stage_at(case, task.stage_position)
    _finish_task(task, actor, decision, at)
    _write_opinion(task, actor, decision, text, at)

    if decision == Decision.RETURN.value:
        _return_to_previous(case, stage, actor, at)
    elif decision == Decision.REJECT.value:
        _cancel_open_tasks(case)
        case.status_reason = text
        _finish(case, CaseStatus.REJECTED.value, at)
        signals.result_ready.send(case, task=task, at=at)
    else:
        _apply_step_effect(case, task, actor, at, permit)
        _continue_stage(case, stage, task, actor, at)
    return task


def _continue_stage(case, stage, task, actor, at):
    if case.finished_at is not None:
        return
    if stage.mode == StageMode.SEQUENCE.value:
        later = [s for s in stage.steps if s.position > task.step.position]
        if later:
            open_task(case, stage, later[0], at)
            return
    if not stage_tasks(case, stage, TaskStatus.OPEN.value):
        advance(case, stage, actor, at)


def _apply_step_effect(case, task, actor, at, permit_data):
    kind = task.kind
    if kind == StepKind.DRAFT_PERMIT.value:
        permits.draft(case, permit_data or {}, at)
    elif kind == StepKind.SIGN.value:
        _sign_minutes(case, actor, at)
        permits.issue(case, actor, at)
    elif kind == StepKind.RELEASE.value:
        permits.release(case, at)
        _finish(case, CaseStatus.RELEASED.value, at)


def _check_can_handle(task, actor):
    if not may_handle(task, actor):
        raise Forbidden(_("Only the handler of this task can complete it."))


def _check_case_active(case):
    if case.status == CaseStatus.SUSPENDED.value:
        raise NotAllowedNow(_("The case is suspended; resume it first."))
    if case.status != CaseStatus.IN_PROGRESS.value:
        raise NotAllowedNow(_("The case is not in progress."))


def _check_decision(task, actor, decision):
    allowed = {Decision.APPROVE.value, Decision.RETURN.value}
    if task.stage_mode == StageMode.COUNTERSIGN.value:
        allowed = {Decision.APPROVE.value, Decision.DISAGREE.value}
    elif task.kind in (StepKind.REVIEW.value, StepKind.SIGN.value):
        allowed.add(Decision.REJECT.value)
    if task.kind in (StepKind.PAYMENT.value, StepKind.RELEASE.value):
        allowed = {Decision.APPROVE.value}
    if not isinstance(decision, str) or decision not in {d.value for d in Decision}:
        raise BadInput(_("Unknown decision %(decision)s.", decision=str(decision)[:40]))
    if decision not in allowed:
        raise NotAllowedNow(
            _("Decision %(decision)s is not possible on this task.", decision=decision)
        )
    if decision == Decision.REJECT.value and LEADER not in actor.role_names:
        raise NotAllowedNow(_("A rejection needs a leader's signature."))


def _clean_opinion(opinion):
    text = (opinion or "").strip() if isinstance(opinion, str) else None
    if not text:
        raise BadInput(_("An opinion is required."))
    if len(text) > MAX_OPINION_LENGTH:
        raise BadInput(_("The opinion is longer than %(n)d characters.", n=MAX_OPINION_LENGTH))
    return text


def _finish_task(task, actor, decision, at):
    task.status = TaskStatus.DONE.value
    task.done_at = at
    task.done_by = actor
    task.decision = decision
    task.flag = Flag.OVERDUE.value if at > task.due_at else Flag.NORMAL.value


def _write_opinion(task, actor, decision, text, at):
    stage_kind = {
        StageMode.COUNTERSIGN.value: "countersign",
    }.get(task.stage_mode, "sign" if task.kind == StepKind.SIGN.value else "review")
    db.session.add(
        Opinion(
            case=task.case,
            task=task,
            author=actor,
            division_id=task.division_id or actor.division_id,
            stage_kind=stage_kind,
            decision=decision,
            text=text,
            signed_at=at,
        )
    )


def _cancel_open_tasks(case):
    for task in case.tasks:
        if task.status == TaskStatus.OPEN.value:
            task.status = TaskStatus.CANCELLED.value


def _return_to_previous(case, stage, actor, at):
    previous = previous_stage(case, stage)
    if previous is None or all(s.kind == StepKind.RECEIPT.value for s in previous.steps):
        raise NotAllowedNow(_("There is no earlier stage to return this case to."))
    _cancel_open_tasks(case)
    _end_uncounted_pause(case, stage, actor, at)
    open_stage(case, previous, at)


def _finish(case, status, at):
    set_status(case, status)
    case.current_stage = None
    case.finished_at = at
    _close_open_pauses(case, None, at)


# ---------------------------------------------------------------- minutes


def _write_minutes(case, stage, at):
    opinions = [o for o in case.opinions if o.task.stage_position == stage.position]
    latest = {o.task_id: o for o in opinions}
    disagreeing = [o for o in latest.values() if o.decision == Decision.DISAGREE.value]
    lines = [f"{o.division or o.author}: {o.decision} — {o.text}" for o in latest.values()]
    existing = db.session.query(Minutes).filter_by(case_id=case.id, stage_position=stage.position)
    existing.delete()
    db.session.add(
        Minutes(
            case=case,
            stage_position=stage.position,
            all_agreed=not disagreeing,
            summary="\n".join(lines),
            created_at=at,
        )
    )


def _sign_minutes(case, leader, at):
    unsigned = (
        db.session.query(Minutes)
        .filter(Minutes.case_id == case.id, Minutes.signed_at.is_(None))
        .all()
    )
    for minutes in unsigned:
        minutes.signed_by = leader
        minutes.signed_at = at
        minutes.conclusion = (
            _("Agreed by all divisions.")
            if minutes.all_agreed
            else _("Disagreement recorded; decided by the leader.")
        )


# ---------------------------------------------------------------- clock: due dates and pauses


def _warning_days():
    return current_app.config.get("WARNING_WORKING_DAYS", 1)


def refresh_case_due(case):
    """Recompute both due dates from acceptance, extensions and paused working days."""
    matter = case.matter
    extra = case.extension_days + case.paused_days
    promised = clock.due(case.accepted_at, matter.promised_days + extra, _warning_days())
    statutory = clock.due(case.accepted_at, matter.statutory_days + extra, _warning_days())
    case.promised_due_at, case.promised_warn_at = promised.due_at, promised.warn_at
    case.statutory_due_at, case.statutory_warn_at = statutory.due_at, statutory.warn_at
    case.due_provisional = promised.provisional or statutory.provisional


def refresh_task_due(task):
    deadline = clock.due(task.opened_at, task.limit_days + task.paused_days, _warning_days())
    task.due_at, task.warn_at = deadline.due_at, deadline.warn_at


def _pause_clock(case, kind, reason, expected_days, actor, at):
    suspension = Suspension(
        case=case,
        kind=kind,
        reason=reason,
        expected_days=expected_days,
        started_at=at,
        started_by_id=actor.id if actor else None,
    )
    db.session.add(suspension)
    return suspension


def _open_pauses(case, kind=None):
    return [s for s in case.suspensions if s.ended_at is None and (kind is None or s.kind == kind)]


def _end_pause(case, pause, actor, at):
    pause.ended_at = at
    pause.ended_by_id = actor.id if actor else None
    pause.working_days = clock.working_days(pause.started_at, at)
    case.paused_days += pause.working_days
    for task in case.tasks:
        if task.status == TaskStatus.OPEN.value and task.opened_at <= pause.started_at:
            task.paused_days += pause.working_days
            refresh_task_due(task)
    refresh_case_due(case)


def _end_uncounted_pause(case, stage, actor, at):
    for pause in _open_pauses(case, SuspensionKind.UNCOUNTED_STEP.value):
        _end_pause(case, pause, actor, at)


def _close_open_pauses(case, actor, at):
    for pause in _open_pauses(case):
        pause.ended_at = at
        pause.working_days = clock.working_days(pause.started_at, at)


# ---------------------------------------------------------------- suspension and extension


@action
def suspend(case_id, actor, kind, reason, expected_days=None, at=None):
    """Pause the clock for a special procedure (Art. 45): kind, reason, expected length."""
    at = at or clock.utcnow()
    case = lock_case(case_id)
    _check_may_steer(case, actor)
    if case.status != CaseStatus.IN_PROGRESS.value:
        raise NotAllowedNow(_("Only a case in progress can be suspended."))
    if kind not in {k.value for k in SuspensionKind} or kind == SuspensionKind.UNCOUNTED_STEP:
        raise BadInput(_("Unknown kind of suspension %(kind)s.", kind=kind))
    reason = _required_text(reason, _("A reason is required."))
    if expected_days is not None and not is_day_count(expected_days):
        raise BadInput(
            _("The expected length must be between 1 and %(n)d working days.", n=MAX_DAYS)
        )
    suspension = _pause_clock(case, kind, reason, expected_days, actor, at)
    set_status(case, CaseStatus.SUSPENDED.value, kind=kind)
    signals.case_suspended.send(case, suspension=suspension, at=at)
    return case


@action
def resume(case_id, actor, at=None):
    at = at or clock.utcnow()
    case = lock_case(case_id)
    _check_may_steer(case, actor)
    if case.status != CaseStatus.SUSPENDED.value:
        raise NotAllowedNow(_("The case is not suspended."))
    for pause in _open_pauses(case):
        if pause.kind != SuspensionKind.UNCOUNTED_STEP.value:
            _end_pause(case, pause, actor, at)
    set_status(case, CaseStatus.IN_PROGRESS.value)
    return case


@action
def extend(case_id, actor, days, reason, at=None):
    """A leader approves an extension of the promised limit, within the matter's ceiling."""
    return apply_extension(lock_case(case_id), actor, days, reason, at or clock.utcnow()).case


def apply_extension(case, actor, days, reason, at):
    """The extension itself, inside the caller's action (the case locked); returns the
    Extension. An approved extension request (app/supervision) runs it in its action."""
    if not may_extend(case, actor):
        raise Forbidden(_("An extension must be approved by a leader."))
    if case.status not in (CaseStatus.IN_PROGRESS.value, CaseStatus.SUSPENDED.value):
        raise NotAllowedNow(_("Only an active case can be extended."))
    if not is_day_count(days):
        raise BadInput(_("The extension must be between 1 and %(n)d working days.", n=MAX_DAYS))
    reason = _required_text(reason, _("A reason is required."))
    ceiling = case.matter.max_extension_days
    if case.extension_days + days > ceiling:
        raise NotAllowedNow(
            _(
                "The extension would exceed the matter's ceiling of %(n)d working days.",
                n=ceiling,
            )
        )
    extension = Extension(case=case, days=days, reason=reason, approved_by=actor, approved_at=at)
    db.session.add(extension)
    case.extension_days += days
    refresh_case_due(case)
    signals.case_extended.send(case, extension=extension, at=at)
    return extension


def is_day_count(value):
    """A whole number of working days a column holds: 1 to MAX_DAYS (ten years)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_DAYS


def _check_may_steer(case, actor):
    if not may_steer(case, actor):
        raise Forbidden(_("You cannot suspend or resume this case."))


def _required_text(value, message, limit=MAX_OPINION_LENGTH):
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise BadInput(message)
    if len(text) > limit:
        raise BadInput(_("The text is longer than %(n)d characters.", n=limit))
    return text


# ---------------------------------------------------------------- reassignment and permits


@action
def reassign(task_id, actor, assignee):
    """A division head gives an open task to a colleague of the same division."""
    task, _case = lock_task(task_id)
    if not may_reassign(task, actor):
        raise Forbidden(_("Only the head of the task's division can reassign it."))
    if task.status != TaskStatus.OPEN.value:
        raise NotAllowedNow(_("This task is already done."))
    if not may_be_assigned(task, assignee):
        raise BadInput(_("The new assignee must be an active member of the division."))
    task.assignee = assignee
    return task


@action
def revoke_permit(permit_id, actor, reason, at=None):
    at = at or clock.utcnow()
    case_id = db.session.scalar(select(Permit.case_id).where(Permit.id == permit_id))
    if case_id is None:
        raise NotFound(_("No such permit."))
    lock_case(case_id)
    permit = db.session.get(Permit, permit_id, with_for_update=True, populate_existing=True)
    if not may_revoke(permit, actor):
        raise Forbidden(_("A permit can only be revoked by a leader."))
    if not is_revocable(permit):
        raise NotAllowedNow(_("Only an issued or released permit can be revoked."))
    permit.revocation_reason = _required_text(reason, _("A reason is required."))
    permit.status = PermitStatus.REVOKED.value
    permit.revoked_at = at
    permit.revoked_by = actor
    return permit
