"""Extension requests (延期申请, Licensing Law Art. 42): a handler or division head asks
for more working days with a reason; the leader who oversees the unit (the
director for all) approves or refuses. Approval runs the engine's extension in
the same transaction, within the matter's ceiling, and the applicant is told
(the engine's ``case_extended`` signal)."""

from flask_babel import gettext as _

from app.extensions import db
from app.models.cases import ACTIVE_STATUSES, TaskStatus
from app.models.supervision import ExtensionRequest, RequestStatus
from app.notify import policy, recipients
from app.security.scope import LEADER, scoped_division_ids
from app.workflow import clock, engine
from app.workflow.engine import action, lock_case
from app.workflow.errors import BadInput, Forbidden, NotAllowedNow, NotFound

HEAD = "DivisionHead"
MAX_REASON = 2000


def may_request(case, user):
    """The handler of an open task of the case, or the head of its unit."""
    if not engine.acts_in_cases(user):
        return False
    for task in case.tasks:
        if task.status != TaskStatus.OPEN.value:
            continue
        if engine.may_handle(task, user) and LEADER not in user.role_names:
            return True
        if HEAD in user.role_names and task.division_id == user.division_id:
            return True
    return False


def may_decide(request, user):
    """A leader who oversees the requesting unit; the director for every unit. Admin never."""
    if not engine.acts_in_cases(user) or LEADER not in user.role_names:
        return False
    return bool(user.oversees_all) or request.division_id in scoped_division_ids(user)


def _positive_days(days):
    if isinstance(days, str) and days.strip().isdigit():
        days = int(days)
    if not isinstance(days, int) or isinstance(days, bool) or days < 1:
        raise BadInput(
            _("The extension must be a positive number of working days."),
            errors={"days": _("A whole number of working days, at least 1.")},
        )
    return days


def _reason(value):
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        raise BadInput(_("A reason is required."), errors={"reason": _("A reason is required.")})
    if len(text) > MAX_REASON:
        raise BadInput(_("The text is longer than %(n)d characters.", n=MAX_REASON))
    return text


@action
def request_extension(case_id, user, days, reason, at=None):
    case = lock_case(case_id)
    if not may_request(case, user):
        raise Forbidden(_("Only a handler or the head of a unit with an open task can ask."))
    if case.status not in {status.value for status in ACTIVE_STATUSES}:
        raise NotAllowedNow(_("Only an active case can be extended."))
    days = _positive_days(days)
    reason = _reason(reason)
    ceiling = case.matter.max_extension_days
    if case.extension_days + days > ceiling:
        raise NotAllowedNow(
            _(
                "The extension would exceed the matter's ceiling of %(n)d working days.",
                n=ceiling,
            )
        )
    pending = (
        db.session.query(ExtensionRequest)
        .filter_by(case_id=case.id, status=RequestStatus.PENDING.value)
        .first()
    )
    if pending is not None:
        raise NotAllowedNow(_("An extension request for this case is already waiting."))
    at = at or clock.utcnow()
    request = ExtensionRequest(
        case=case,
        division_id=user.division_id,
        days=days,
        reason=reason,
        requested_by=user,
        requested_at=at,
        status=RequestStatus.PENDING.value,
    )
    db.session.add(request)
    db.session.flush()
    policy.tell(
        recipients.leaders_of(user.division_id),
        "extension_request",
        f"extension_request:{request.id}",
        subject=lambda: _("Extension request: %(receipt)s", receipt=case.receipt_no),
        body=lambda: _(
            "%(person)s asks to extend case %(receipt)s by %(days)s working days: %(reason)s",
            person=user.display_name,
            receipt=case.receipt_no,
            days=days,
            reason=reason,
        ),
        target=("extension_request", request.id),
        at=at,
    )
    return request


@action
def decide(request_id, leader, approve, note=None, at=None):
    """Approve (the extension is applied) or refuse (a note is required)."""
    case_id = db.session.query(ExtensionRequest.case_id).filter_by(id=request_id).scalar()
    if case_id is None:
        raise NotFound(_("No such extension request."))
    case = lock_case(case_id)
    request = db.session.get(
        ExtensionRequest, request_id, with_for_update=True, populate_existing=True
    )
    if not may_decide(request, leader):
        raise Forbidden(_("Only the leader who oversees the unit can decide."))
    if request.status != RequestStatus.PENDING.value:
        raise NotAllowedNow(_("This extension request has already been decided."))
    note = note.strip() if isinstance(note, str) else ""
    at = at or clock.utcnow()
    if approve:
        request.extension = engine.apply_extension(case, leader, request.days, request.reason, at)
        request.status = RequestStatus.APPROVED.value
    else:
        if not note:
            raise BadInput(
                _("Say why the extension is refused."),
                errors={"note": _("A reason is required.")},
            )
        request.status = RequestStatus.REFUSED.value
    request.decided_by = leader
    request.decided_at = at
    request.decision_note = note or None
    policy.tell(
        [request.requested_by],
        "extension_decision",
        f"extension_request:{request.id}:decided",
        subject=lambda: _("Extension request for %(receipt)s decided", receipt=case.receipt_no),
        body=lambda: (
            _(
                "%(leader)s approved %(days)s more working days for case %(receipt)s.",
                leader=leader.display_name,
                days=request.days,
                receipt=case.receipt_no,
            )
            if approve
            else _(
                "%(leader)s refused the extension of case %(receipt)s: %(note)s",
                leader=leader.display_name,
                receipt=case.receipt_no,
                note=note,
            )
        ),
        target=("extension_request", request.id),
        at=at,
    )
    return request
