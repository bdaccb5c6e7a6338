"""The petition engine: every step of a petition (信访件), checked on the server.

register → decide (accept / not accept / transfer) → assign (交办) to one or more units,
one of them the lead → feedback (反馈) by the units → review by the petition office
(accept, or return: the lead unit answers again) → close with the result and the
petitioner's satisfaction; a dissatisfied rating opens a follow-up visit (回访).
The head of the petition office may extend the handling limit (up to 30 days), and
the petitioner is told why.

Each public function is one transaction (``@action``, shared with the case engine).
Lock order, as for cases: the petition row first (``lock_petition``), then its
assignments and the rest. Nothing else writes a petition's status, flags or due dates.
"""

from flask import current_app
from flask_babel import gettext as _

from app import audit
from app.calendar.workdays import TZ
from app.extensions import db
from app.labels import local_time
from app.models.cases import Flag
from app.models.petitions import (
    DISSATISFIED,
    HANDLING_STATUSES,
    AcceptanceDecision,
    AssignmentStatus,
    AttachmentKind,
    ComplaintTarget,
    FollowUpStatus,
    LinkKind,
    Petition,
    PetitionAssignment,
    PetitionAttachment,
    PetitionExtension,
    PetitionFeedback,
    PetitionFollowUp,
    PetitionLink,
    PetitionReview,
    PetitionStatus,
    ReviewDecision,
    Satisfaction,
)
from app.notify import outbox
from app.petitions import deadlines, intake
from app.petitions.protection import facts_of
from app.security.scope import PETITION_HANDLER_ROLES, PETITION_OFFICE
from app.storage import uploads
from app.workflow import clock
from app.workflow.engine import action, set_status
from app.workflow.errors import BadInput, Forbidden, NotAllowedNow, NotFound
from app.workflow.numbering import next_number

S = PetitionStatus
ASSIGNABLE = (S.ACCEPTED, S.ASSIGNED, S.IN_PROGRESS, S.RETURNED)
ANSWERABLE = (S.ASSIGNED, S.IN_PROGRESS, S.RETURNED)


# ---------------------------------------------------------------- who may


def is_office(user):
    return user is not None and PETITION_OFFICE in user.role_names


def is_office_head(user):
    """The head of the petition office approves extensions."""
    return is_office(user) and "DivisionHead" in user.role_names


def handles_for_unit(user):
    return user is not None and bool(PETITION_HANDLER_ROLES & user.role_names)


def _check_office(user):
    if not is_office(user):
        raise Forbidden(_("Only the petition office can do this."))


def open_assignment_of(petition, user):
    """The user's unit's active assignment of the petition, or None."""
    if not handles_for_unit(user) or user.division_id is None:
        return None
    return next(
        (
            a
            for a in petition.assignments
            if a.unit_id == user.division_id and a.status != AssignmentStatus.WITHDRAWN.value
        ),
        None,
    )


def active_assignments(petition):
    return [a for a in petition.assignments if a.status != AssignmentStatus.WITHDRAWN.value]


def lead_assignment(petition):
    return next((a for a in active_assignments(petition) if a.lead), None)


def open_follow_up(petition):
    return next((f for f in petition.follow_ups if f.status == FollowUpStatus.OPEN.value), None)


def may(user, petition):
    """What ``user`` may do on ``petition`` now: the pages show exactly these forms."""
    office = is_office(user)
    status = petition.status
    mine = open_assignment_of(petition, user)
    return {
        "decide": office and status == S.REGISTERED,
        "assign": office and status in ASSIGNABLE,
        "reassign": office
        and status in ANSWERABLE
        and any(a.status == AssignmentStatus.OPEN.value for a in active_assignments(petition)),
        "feedback": mine is not None
        and mine.status == AssignmentStatus.OPEN.value
        and status in ANSWERABLE,
        "review": office and status == S.FEEDBACK_SUBMITTED,
        "close": office and status == S.REVIEWED,
        "extend": is_office_head(user) and status in HANDLING_STATUSES,
        "follow_up": office and open_follow_up(petition) is not None,
        "link": office,
        "attach": office,
    }


# ---------------------------------------------------------------- loading


def lock_petition(petition_id):
    """Lock the petition row first: two actions on one petition queue here (one wins,
    the other sees what the winner committed), never a deadlock."""
    petition = db.session.get(Petition, petition_id, with_for_update=True, populate_existing=True)
    if petition is None:
        raise NotFound(_("No such petition."))
    return petition


def flag_of(due_at, warn_at, at):
    if due_at is None:
        return Flag.NORMAL.value
    if at > due_at:
        return Flag.OVERDUE.value
    if warn_at is not None and at >= warn_at:
        return Flag.WARNING.value
    return Flag.NORMAL.value


# ---------------------------------------------------------------- registration


@action
def register(registration, clerk, at=None, files=()):
    """Register a petition; ``files``: ``[(filename, bytes, shared_with_units)]`` evidence."""
    _check_office(clerk)
    for _filename, data, _shared in files:
        uploads.check(data)  # every file is acceptable before any is stored
    at = at or clock.utcnow()
    year = clock.as_aware(at).astimezone(TZ).year
    prefix = current_app.config["PETITION_PREFIX"]
    petition = Petition(
        number=f"{prefix}-{year}-{next_number(f'petition-{year}'):05d}",
        petitioner_name=registration.petitioner_name,
        petitioner_phone=registration.petitioner_phone,
        petitioner_id_number=registration.petitioner_id_number,
        petitioner_address=registration.petitioner_address,
        channel=registration.channel,
        category=registration.category,
        content=registration.content,
        received_at=registration.received_at,
        registered_at=at,
        registered_by=clerk,
        extension_days=0,
        status=S.REGISTERED.value,
    )
    deadlines.refresh_due(petition)
    petition.flag = flag_of(petition.accept_due, petition.accept_warn_at, at)
    petition.facts = facts_of(petition)
    for unit, person in registration.complaint_targets:
        petition.complaint_targets.append(ComplaintTarget(unit=unit, person=person))
    db.session.add(petition)
    db.session.flush()
    audit.record_transition(petition, None, S.REGISTERED.value)
    if registration.repeat_of is not None:
        _link_repeat(petition, registration.repeat_of, clerk, at)
    if registration.case is not None:
        _link_case(petition, registration.case, clerk, at)
    for filename, data, shared in files:
        _store(petition, clerk, filename, data, AttachmentKind.EVIDENCE, shared, None, at)
    return petition


# ---------------------------------------------------------------- acceptance


@action
def decide(petition_id, actor, decision, reason=None, transfer_to=None, at=None):
    """Accept the petition, refuse it with a reason (不予受理), or transfer it to the
    competent authority (转送) with the authority's name and a reason."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    _check_office(actor)
    if petition.status != S.REGISTERED:
        raise NotAllowedNow(_("Acceptance of this petition has already been decided."))
    if decision not in {d.value for d in AcceptanceDecision}:
        message = _(
            "Choose one of: %(choices)s.", choices=", ".join(d.value for d in AcceptanceDecision)
        )
        raise BadInput(message, errors={"decision": message})
    if decision == AcceptanceDecision.ACCEPT:
        reason = intake.optional_text(reason, "reason")
    else:
        reason = intake.required_text(reason, "reason", _("Give the reason."))
    if decision == AcceptanceDecision.TRANSFER:
        transfer_to = intake.required_text(
            transfer_to,
            "transfer_to",
            _("Name the authority the petition is transferred to."),
            intake.AUTHORITY_LIMIT,
        )
    else:
        transfer_to = None
    petition.decision = decision
    petition.decision_reason = reason
    petition.transfer_to = transfer_to
    petition.decided_at = at
    petition.decided_by = actor
    if decision == AcceptanceDecision.ACCEPT:
        petition.accepted_at = at
        deadlines.refresh_due(petition)
        petition.flag = flag_of(petition.handle_due, petition.handle_warn_at, at)
        set_status(petition, S.ACCEPTED.value, decision=decision)
    else:
        petition.flag = flag_of(petition.accept_due, None, at)
        status = S.NOT_ACCEPTED if decision == AcceptanceDecision.NOT_ACCEPT else S.TRANSFERRED
        set_status(petition, status.value, decision=decision)
    _tell_petitioner(petition, f"decision:{decision}", _decision_sms(petition), at)
    return petition


def _decision_sms(petition):
    number, decision = petition.number, petition.decision
    reason, authority = petition.decision_reason, petition.transfer_to
    due = local_time(petition.handle_due)

    def text():
        if decision == AcceptanceDecision.ACCEPT:
            return _(
                "Your petition %(number)s has been accepted; it will be handled by %(due)s.",
                number=number,
                due=due,
            )
        if decision == AcceptanceDecision.TRANSFER:
            return _(
                "Your petition %(number)s has been transferred to %(authority)s: %(reason)s",
                number=number,
                authority=authority,
                reason=reason,
            )
        return _(
            "Your petition %(number)s is not accepted: %(reason)s", number=number, reason=reason
        )

    return text


# ---------------------------------------------------------------- assignment (交办)


@action
def assign(petition_id, actor, unit_code, lead=None, due=None, instructions=None, at=None):
    """Assign the petition to a unit, by a due date, with instructions. The first unit is
    the lead unit (主办) unless told otherwise; ``lead=True`` moves the lead."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    _check_office(actor)
    if petition.status not in ASSIGNABLE:
        raise NotAllowedNow(_("The petition cannot be assigned in its current state."))
    unit = intake.unit(unit_code)
    lead = intake.flag_value(lead, "lead")
    _check_assignable(petition, unit)
    due_at = intake.due_date(due, at, petition.handle_due)
    instructions = intake.optional_text(instructions, "instructions")
    current_lead = lead_assignment(petition)
    if lead is None:
        lead = current_lead is None
    if not lead and current_lead is None:
        message = _("Assign the lead unit first.")
        raise BadInput(message, errors={"lead": message})
    if lead and current_lead is not None:
        current_lead.lead = False
    assignment = _new_assignment(petition, unit, lead, due_at, instructions, actor, at)
    if petition.status == S.ACCEPTED:
        set_status(petition, S.ASSIGNED.value, unit=unit.code)
    return assignment


def _check_assignable(petition, unit):
    if any(target.unit_id == unit.id for target in petition.complaint_targets):
        raise NotAllowedNow(
            _(
                "This petition is a report or complaint against %(unit)s: it can never be "
                "assigned to that unit.",
                unit=unit.name,
            )
        )
    if any(a.unit_id == unit.id for a in active_assignments(petition)):
        raise NotAllowedNow(_("The petition is already assigned to %(unit)s.", unit=unit.name))


def _new_assignment(petition, unit, lead, due_at, instructions, actor, at):
    assignment = PetitionAssignment(
        petition=petition,
        unit=unit,
        lead=lead,
        instructions=instructions,
        assigned_at=at,
        assigned_by=actor,
        due_at=due_at,
        warn_at=deadlines.warn_before(due_at),
        status=AssignmentStatus.OPEN.value,
    )
    assignment.flag = flag_of(assignment.due_at, assignment.warn_at, at)
    db.session.add(assignment)
    db.session.flush()
    _tell_unit(
        assignment,
        "assigned",
        lambda: _("Petition %(number)s assigned to your unit", number=petition.number),
        lambda: _(
            "Petition %(number)s has been assigned to your unit (%(role)s); answer by %(due)s.",
            number=petition.number,
            role=_("lead unit") if lead else _("co-handling unit"),
            due=local_time(due_at),
        ),
        at,
    )
    return assignment


@action
def reassign(
    petition_id, actor, from_unit, unit_code, reason, due=None, instructions=None, at=None
):
    """Take the petition back from a unit that has not answered and give it to another;
    the new unit takes the old one's role (lead or co-handling)."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    _check_office(actor)
    old_unit = intake.unit(from_unit, "from_unit")
    old = next((a for a in active_assignments(petition) if a.unit_id == old_unit.id), None)
    if old is None:
        message = _("The petition is not assigned to %(unit)s.", unit=old_unit.name)
        raise BadInput(message, errors={"from_unit": message})
    if old.status != AssignmentStatus.OPEN.value or petition.status not in ANSWERABLE:
        raise NotAllowedNow(_("Only a unit that has not answered yet can be replaced."))
    unit = intake.unit(unit_code)
    reason = intake.required_text(reason, "reason", _("Give the reason."))
    _check_assignable(petition, unit)
    due_at = intake.due_date(due, at, petition.handle_due)
    instructions = intake.optional_text(instructions, "instructions") or old.instructions
    old.status = AssignmentStatus.WITHDRAWN.value
    old.withdrawn_at = at
    old.withdrawn_by = actor
    old.withdrawal_reason = reason
    return _new_assignment(petition, unit, old.lead, due_at, instructions, actor, at)


# ---------------------------------------------------------------- feedback (反馈)


@action
def submit_feedback(petition_id, actor, text, files=(), at=None):
    """A unit answers: text and files. The lead unit's answer goes to review."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    assignment = open_assignment_of(petition, actor)
    if assignment is None:
        raise Forbidden(_("Only a unit the petition is assigned to can answer it."))
    if assignment.status == AssignmentStatus.ANSWERED:
        raise NotAllowedNow(_("Your unit has already answered; the petition office reviews it."))
    if petition.status not in ANSWERABLE:
        raise NotAllowedNow(_("The petition is not waiting for an answer."))
    text = intake.required_text(text, "text", _("Write the answer."), limit=intake.LONG_TEXT_LIMIT)
    feedback = PetitionFeedback(
        petition=petition,
        assignment=assignment,
        unit_id=assignment.unit_id,
        lead=assignment.lead,
        text=text,
        submitted_at=at,
        submitted_by=actor,
    )
    db.session.add(feedback)
    assignment.status = AssignmentStatus.ANSWERED.value
    assignment.answered_at = at
    assignment.flag = flag_of(assignment.due_at, None, at)
    db.session.flush()
    for filename, data in files:
        _store(petition, actor, filename, data, AttachmentKind.FEEDBACK, True, feedback, at)
    if assignment.lead:
        set_status(petition, S.FEEDBACK_SUBMITTED.value, unit=assignment.unit.code)
    elif petition.status == S.ASSIGNED:
        set_status(petition, S.IN_PROGRESS.value, unit=assignment.unit.code)
    if assignment.lead:
        _tell_office(
            petition,
            assignment.assigned_by,
            f"feedback:{feedback.id}",
            lambda: _("Petition %(number)s: answer to review", number=petition.number),
            lambda: _(
                "%(unit)s has answered petition %(number)s; review the answer.",
                unit=assignment.unit.name,
                number=petition.number,
            ),
            at,
        )
    return feedback


# ---------------------------------------------------------------- review


@action
def review(petition_id, actor, decision, reason=None, due=None, at=None):
    """Accept the lead unit's answer, or return it with a reason (and a new due date)."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    _check_office(actor)
    if decision not in {d.value for d in ReviewDecision}:
        message = _(
            "Choose one of: %(choices)s.", choices=", ".join(d.value for d in ReviewDecision)
        )
        raise BadInput(message, errors={"decision": message})
    if petition.status != S.FEEDBACK_SUBMITTED:
        raise NotAllowedNow(_("There is no answer waiting for review."))
    if decision == ReviewDecision.RETURN:
        reason = intake.required_text(reason, "reason", _("Say why the answer is returned."))
    else:
        reason = intake.optional_text(reason, "reason")
    lead = lead_assignment(petition)
    feedback = next(f for f in reversed(petition.feedback) if f.assignment_id == lead.id)
    db.session.add(
        PetitionReview(
            petition=petition,
            feedback=feedback,
            decision=decision,
            reason=reason,
            reviewed_at=at,
            reviewed_by=actor,
        )
    )
    if decision == ReviewDecision.ACCEPT:
        set_status(petition, S.REVIEWED.value, decision=decision)
        return petition
    lead.due_at = intake.due_date(due, at, petition.handle_due) if due else lead.due_at
    lead.warn_at = deadlines.warn_before(lead.due_at)
    lead.status = AssignmentStatus.OPEN.value
    lead.answered_at = None
    lead.flag = flag_of(lead.due_at, lead.warn_at, at)
    set_status(petition, S.RETURNED.value, decision=decision)
    _tell_unit(
        lead,
        f"returned:{len(petition.reviews)}",
        lambda: _("Petition %(number)s: your answer was returned", number=petition.number),
        lambda: _(
            "The petition office returned your answer to petition %(number)s: %(reason)s",
            number=petition.number,
            reason=reason,
        ),
        at,
    )
    return petition


# ---------------------------------------------------------------- closing and follow-up


@action
def close(petition_id, actor, result, satisfaction, at=None):
    """Close with the result and the petitioner's satisfaction; a dissatisfied rating
    opens a follow-up visit (回访) with its own due date."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    _check_office(actor)
    if petition.status != S.REVIEWED:
        raise NotAllowedNow(_("The petition can be closed once the answer is accepted."))
    result = intake.required_text(
        result, "result", _("Write the result."), limit=intake.LONG_TEXT_LIMIT
    )
    satisfaction = _satisfaction(satisfaction)
    petition.result = result
    petition.satisfaction = satisfaction
    petition.closed_at = at
    petition.closed_by = actor
    petition.flag = flag_of(petition.handle_due, None, at)
    set_status(petition, S.CLOSED.value, satisfaction=satisfaction)
    if satisfaction in DISSATISFIED:
        deadline = deadlines.rule_due("follow_up", at)
        db.session.add(
            PetitionFollowUp(
                petition=petition,
                opened_at=at,
                due_at=deadline.due_at,
                warn_at=deadline.warn_at,
                status=FollowUpStatus.OPEN.value,
                flag=Flag.NORMAL.value,
            )
        )
    return petition


def _satisfaction(value, required=True):
    if value in (None, "") and not required:
        return None
    if value not in {s.value for s in Satisfaction}:
        message = _("Choose one of: %(choices)s.", choices=", ".join(s.value for s in Satisfaction))
        raise BadInput(message, errors={"satisfaction": message})
    return value


@action
def record_follow_up(petition_id, actor, outcome, satisfaction=None, at=None):
    """The follow-up visit took place: its outcome, and the petitioner's rating after it."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    _check_office(actor)
    follow_up = open_follow_up(petition)
    if follow_up is None:
        raise NotAllowedNow(_("There is no follow-up visit to record."))
    follow_up.outcome = intake.required_text(
        outcome, "outcome", _("Write the outcome of the visit."), limit=intake.LONG_TEXT_LIMIT
    )
    follow_up.satisfaction = _satisfaction(satisfaction, required=False)
    follow_up.status = FollowUpStatus.DONE.value
    follow_up.done_at = at
    follow_up.done_by = actor
    follow_up.flag = flag_of(follow_up.due_at, None, at)
    audit.record_transition(follow_up, FollowUpStatus.OPEN.value, FollowUpStatus.DONE.value)
    return follow_up


# ---------------------------------------------------------------- extension


@action
def extend(petition_id, actor, days, reason, at=None):
    """The head of the petition office extends the handling limit (at most 30 days in all);
    the petitioner is told the reason by SMS."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    if not is_office_head(actor):
        raise Forbidden(_("An extension needs the approval of the head of the petition office."))
    if petition.status not in HANDLING_STATUSES:
        raise NotAllowedNow(_("Only a petition being handled can be extended."))
    days = intake.positive_days(days)
    reason = intake.required_text(reason, "reason", _("Give the reason."))
    ceiling = current_app.config["PETITION_EXTENSION_MAX_DAYS"]
    if petition.extension_days + days > ceiling:
        raise NotAllowedNow(
            _(
                "The handling limit can be extended by %(n)d days in all; %(left)d are left.",
                n=ceiling,
                left=ceiling - petition.extension_days,
            )
        )
    previous = petition.handle_due
    petition.extension_days += days
    deadlines.refresh_due(petition)
    petition.flag = flag_of(petition.handle_due, petition.handle_warn_at, at)
    extension = PetitionExtension(
        petition=petition,
        days=days,
        reason=reason,
        previous_due=previous,
        new_due=petition.handle_due,
        approved_at=at,
        approved_by=actor,
    )
    db.session.add(extension)
    db.session.flush()
    number, due = petition.number, local_time(petition.handle_due)
    _tell_petitioner(
        petition,
        f"extension:{extension.id}",
        lambda: _(
            "The handling of your petition %(number)s is extended by %(days)d days, to "
            "%(due)s: %(reason)s",
            number=number,
            days=days,
            due=due,
            reason=reason,
        ),
        at,
    )
    return extension


# ---------------------------------------------------------------- links


@action
def link_repeat(petition_id, actor, earlier_number, at=None):
    """Mark the petition as a repeat (重复件) of an earlier one."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    _check_office(actor)
    earlier = intake.petition_number(earlier_number, "repeat_of")
    return _link_repeat(petition, earlier, actor, at)


def _link_repeat(petition, earlier, actor, at):
    if earlier.id == petition.id or (petition.id is not None and earlier.id > petition.id):
        message = _("A petition can only repeat an earlier one.")
        raise BadInput(message, errors={"repeat_of": message})
    if any(link.earlier_id == earlier.id for link in petition.links):
        raise NotAllowedNow(_("The petitions are already linked."))
    link = PetitionLink(
        petition=petition,
        kind=LinkKind.REPEAT.value,
        earlier=earlier,
        linked_at=at,
        linked_by=actor,
    )
    db.session.add(link)
    return link


@action
def link_case(petition_id, actor, receipt_no, at=None):
    """Link the petition to the licence case it is about (by receipt number)."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    _check_office(actor)
    case = intake.case_receipt(receipt_no)
    return _link_case(petition, case, actor, at)


def _link_case(petition, case, actor, at):
    if any(link.case_id == case.id for link in petition.links):
        raise NotAllowedNow(_("The petition is already linked to that case."))
    link = PetitionLink(
        petition=petition, kind=LinkKind.CASE.value, case=case, linked_at=at, linked_by=actor
    )
    db.session.add(link)
    return link


# ---------------------------------------------------------------- evidence


@action
def attach_evidence(petition_id, actor, filename, data, shared=False, at=None):
    """The petition office adds evidence; ``shared``: the handling units may read it."""
    at = at or clock.utcnow()
    petition = lock_petition(petition_id)
    _check_office(actor)
    shared = bool(intake.flag_value(shared, "shared"))
    return _store(petition, actor, filename, data, AttachmentKind.EVIDENCE, shared, None, at)


def _store(petition, actor, filename, data, kind, shared, feedback, at):
    stored = uploads.store(filename, data)
    attachment = PetitionAttachment(
        petition=petition,
        feedback_id=feedback.id if feedback is not None else None,
        kind=kind.value,
        shared=shared,
        stored_name=stored.stored_name,
        original_name=stored.original_name,
        content_type=stored.content_type,
        size=stored.size,
        sha256=stored.sha256,
        uploaded_by=actor,
        uploaded_at=at,
    )
    db.session.add(attachment)
    return attachment


def may_read_attachment(user, attachment):
    """Evidence the office has not shared stays with the office (it may show who wrote)."""
    if is_office(user) or attachment.kind == AttachmentKind.FEEDBACK:
        return True
    return attachment.shared


def read_attachment(attachment):
    return uploads.read(attachment.stored_name)


# ---------------------------------------------------------------- messages


def _tell_unit(assignment, event, subject, body, at):
    for user in deadlines.unit_handlers(assignment.unit_id):
        outbox.queue(
            channel="inapp",
            reason="petition",
            key=f"petition-assignment:{assignment.id}:{event}:{user.id}",
            recipient=user,
            subject=subject,
            body=body,
            target=("petition", assignment.petition_id),
            at=at,
        )


def _tell_office(petition, user, event, subject, body, at):
    if user is None:
        return
    outbox.queue(
        channel="inapp",
        reason="petition",
        key=f"petition:{petition.id}:{event}:{user.id}",
        recipient=user,
        subject=subject,
        body=body,
        target=("petition", petition.id),
        at=at,
    )


def _tell_petitioner(petition, event, body, at):
    """An SMS to the petitioner's phone, when there is one (the law requires telling)."""
    if not petition.petitioner_phone:
        return
    number = petition.number
    outbox.queue(
        channel="sms",
        reason="petition",
        key=f"petition:{petition.id}:petitioner:{event}",
        address=petition.petitioner_phone,
        subject=lambda: _("Petition %(number)s", number=number),
        body=body,
        target=("petition", petition.id),
        mandatory=True,
        at=at,
    )
