"""Receipt at the window (收件): validate an application, then accept, request a
supplement (补正告知), refuse (不予受理) or register it for a decision within the
5 working days of Art. 32 of the Administrative Licensing Law."""

from dataclasses import dataclass, field
from decimal import Decimal

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app import audit
from app.calendar.workdays import TZ
from app.extensions import db
from app.models.cases import Case, CaseMaterial, CaseStatus, Flag
from app.models.catalog import Matter
from app.security.scope import WINDOW
from app.workflow import attachments, clock, signals
from app.workflow.engine import action, acts_in_cases, lock_case, set_status, start_clock
from app.workflow.errors import BadInput, Forbidden, NotAllowedNow
from app.workflow.fields import area_field, identity_number, phone_number, text_field
from app.workflow.numbering import query_code, receipt_number

SUPPLEMENT_PERIOD_DAYS = 5  # Art. 32
DECISIONS = ("accept", "supplement", "refuse", "register")

TEXT_LIMITS = {
    "applicant_name": 100,
    "applicant_org": 200,
    "project_name": 200,
    "project_location": 300,
    "reason": 2000,
}
FIELD_LABELS = {
    "matter": _l("Matter"),
    "applicant_name": _l("Applicant"),
    "applicant_id_number": _l("ID number"),
    "applicant_phone": _l("Phone"),
    "applicant_email": _l("Email"),
    "applicant_org": _l("Organisation"),
    "project_name": _l("Project name"),
    "project_location": _l("Project location"),
    "project_area": _l("Area (m²)"),
    "materials": _l("Materials received"),
    "decision": _l("Decision"),
    "reason": _l("Reason"),
}


@dataclass
class Application:
    matter: Matter
    applicant_name: str
    decision: str
    materials: set = field(default_factory=set)
    applicant_id_number: str | None = None
    applicant_phone: str | None = None
    applicant_email: str | None = None
    applicant_org: str | None = None
    project_name: str | None = None
    project_location: str | None = None
    project_area: Decimal | None = None
    reason: str | None = None


class InvalidApplication(BadInput):
    """Field-by-field errors: ``errors`` maps a field name to its message."""

    def __init__(self, errors):
        super().__init__(_("The application has errors."), errors=errors)
        self.errors = errors


def parse_application(data):
    """Check a dict from the API or the receipt form; raise InvalidApplication."""
    if not isinstance(data, dict):
        raise BadInput(_("The request body must be a JSON object."))
    errors = {}
    values = {}
    for name, limit in TEXT_LIMITS.items():
        values[name] = text_field(data, name, limit, errors)
    if not values["applicant_name"]:
        errors.setdefault("applicant_name", _("The applicant's name is required."))
    values["applicant_id_number"] = identity_number(data, "applicant_id_number", errors)
    values["applicant_phone"] = phone_number(data, "applicant_phone", errors)
    values["applicant_email"] = _email(data.get("applicant_email"), errors)
    values["project_area"] = area_field(data, "project_area", errors)
    matter = _matter(data.get("matter"), errors)
    decision = data.get("decision", "accept")
    if decision not in DECISIONS:
        errors["decision"] = _("Choose one of: %(choices)s.", choices=", ".join(DECISIONS))
    materials = _materials(data.get("materials", []), matter, errors)
    if decision == "refuse" and not values["reason"]:
        errors["reason"] = _("A refusal needs a reason.")
    if errors:
        raise InvalidApplication(errors)
    return Application(matter=matter, decision=decision, materials=materials, **values)


def _email(value, errors):
    if value in (None, ""):
        return None
    try:
        return validate_email(value, check_deliverability=False).normalized
    except (EmailNotValidError, TypeError):
        errors["applicant_email"] = _("Not a valid email address.")
        return None


def _matter(code, errors):
    if not isinstance(code, str) or not code.strip():
        errors["matter"] = _("Choose a matter.")
        return None
    matter = db.session.query(Matter).filter_by(code=code.strip()).one_or_none()
    if matter is None or not matter.active or matter.workflow is None:
        errors["matter"] = _("Unknown or inactive matter %(code)s.", code=code[:40])
        return None
    return matter


def _materials(value, matter, errors):
    if not isinstance(value, list) or not all(
        isinstance(item, int) and not isinstance(item, bool) for item in value
    ):
        errors["materials"] = _("Must be a list of required-document ids.")
        return set()
    if matter is None:
        return set()
    known = {document.id for document in matter.required_documents}
    unknown = set(value) - known
    if unknown:
        errors["materials"] = _(
            "Not documents of this matter: %(ids)s.", ids=", ".join(map(str, sorted(unknown)))
        )
    return set(value) & known


# ---------------------------------------------------------------- who may act


def may_receive(user):
    """The service window receives applications and decides their acceptance. Admin never."""
    return acts_in_cases(user) and WINDOW in user.role_names


def may_decide(case, user):
    """The window decides the acceptance of every case it receives."""
    return may_receive(user)


def supplement_period_over(case, at=None):
    """Art. 32: past 5 working days from receipt, no supplement may be requested and the
    application counts as accepted on the day it was received."""
    return (at or clock.utcnow()) > case.supplement_deadline_at


def acceptance_decisions(case, user, at=None):
    """What ``user`` may decide on the case's acceptance now (empty when nothing):
    a registered case: accept, supplement (within the 5 working days), refuse; a case
    awaiting a supplement: record what arrived (``supplement_received``) or refuse."""
    if not may_decide(case, user):
        return ()
    if case.status == CaseStatus.RECEIVED.value:
        if supplement_period_over(case, at):
            return ("accept", "refuse")
        return ("accept", "supplement", "refuse")
    if case.status == CaseStatus.SUPPLEMENT_REQUESTED.value:
        return ("supplement_received", "refuse")
    return ()


def _check_window(clerk):
    if not may_receive(clerk):
        raise Forbidden(_("Only the service window receives applications."))


def missing_documents(matter, received_ids):
    return [doc for doc in matter.required_documents if doc.id not in received_ids]


# ---------------------------------------------------------------- actions


@action
def receive(application, clerk, at=None, scans=()):
    """Register an application and apply the clerk's decision; returns the case.
    ``scans`` (:class:`~app.workflow.attachments.Scan`) are stored with their documents,
    which must be among those received, in the same transaction."""
    _check_window(clerk)
    _check_scans(scans, application.materials)
    at = at or clock.utcnow()
    matter = application.matter
    year = clock.as_aware(at).astimezone(TZ).year
    case = Case(
        receipt_no=receipt_number(current_app.config["RECEIPT_PREFIX"], year),
        query_code=query_code(),
        matter=matter,
        workflow=matter.workflow,
        applicant_name=application.applicant_name,
        applicant_id_number=application.applicant_id_number,
        applicant_phone=application.applicant_phone,
        applicant_email=application.applicant_email,
        applicant_org=application.applicant_org,
        project_name=application.project_name,
        project_location=application.project_location,
        project_area=application.project_area,
        received_at=at,
        received_by=clerk,
        supplement_deadline_at=clock.due(at, SUPPLEMENT_PERIOD_DAYS).due_at,
        status=CaseStatus.RECEIVED.value,
        flag=Flag.NORMAL.value,
        statutory_flag=Flag.NORMAL.value,
        extension_days=0,
        paused_days=0,
        due_provisional=False,
    )
    db.session.add(case)
    _record_materials(case, matter, application.materials)
    attachments.store_scans(case, clerk, scans, at)
    _apply_decision(
        case, clerk, application.decision, application.materials, application.reason, at
    )
    return case


@action
def decide(case_id, clerk, decision, materials, reason=None, at=None):
    """Decide on a registered case, or accept one whose supplement arrived."""
    _check_window(clerk)
    at = at or clock.utcnow()
    case = lock_case(case_id)
    if case.status not in (CaseStatus.RECEIVED.value, CaseStatus.SUPPLEMENT_REQUESTED.value):
        raise NotAllowedNow(_("Acceptance of this case has already been decided."))
    if decision not in ("accept", "supplement", "refuse"):
        raise BadInput(_("Choose one of: %(choices)s.", choices="accept, supplement, refuse"))
    if decision == "supplement" and case.status == CaseStatus.SUPPLEMENT_REQUESTED.value:
        raise NotAllowedNow(
            _(
                "A supplement notice lists every missing document at once (Art. 32); "
                "record the documents that arrive instead."
            )
        )
    if decision == "supplement" and supplement_period_over(case, at):
        raise NotAllowedNow(
            _(
                "The 5 working days for a supplement request have passed: the application "
                "counts as accepted on the day it was received."
            )
        )
    received = set(materials or []) | {m.document_id for m in case.materials if m.received}
    _check_documents(case.matter, received)
    _record_materials(case, case.matter, received)
    _apply_decision(case, clerk, decision, received, reason, at)
    return case


@action
def record_supplement(case_id, clerk, materials, scans=(), at=None):
    """The applicant brings documents a supplement notice asked for: record them (with
    their scans). Once nothing is missing the application is accepted, from that day
    (Art. 32); until then the case keeps waiting and lists what is still missing."""
    _check_window(clerk)
    at = at or clock.utcnow()
    case = lock_case(case_id)
    if case.status != CaseStatus.SUPPLEMENT_REQUESTED.value:
        raise NotAllowedNow(_("No supplement is awaited for this case."))
    brought = set(materials or [])
    if not brought:
        raise BadInput(_("Tick the documents the applicant brought."))
    _check_documents(case.matter, brought)
    _check_scans(scans, brought)
    received = brought | {m.document_id for m in case.materials if m.received}
    _record_materials(case, case.matter, received)
    attachments.store_scans(case, clerk, scans, at)
    missing = missing_documents(case.matter, received)
    audit.record(
        audit.actions.SUPPLEMENT_RECEIVED,
        target=case,
        documents=[d.name for d in case.matter.required_documents if d.id in brought],
        complete=not missing,
    )
    if missing:
        case.missing_documents = "\n".join(d.name for d in missing)
    else:
        case.missing_documents = None
        start_clock(case, clerk, at, accepted_at=at)
    return case


def _check_documents(matter, document_ids):
    unknown = set(document_ids) - {document.id for document in matter.required_documents}
    if unknown:
        raise BadInput(
            _(
                "Not documents of this matter: %(ids)s.",
                ids=", ".join(map(str, sorted(unknown))),
            )
        )


def _check_scans(scans, received_ids):
    errors = attachments.scan_errors(scans)
    for scan in scans:
        if scan.document_id not in received_ids:
            errors.setdefault(
                f"scan_{scan.document_id}", _("Mark the document as received to attach its scan.")
            )
    if errors:
        raise InvalidApplication(errors)


def _record_materials(case, matter, received_ids):
    existing = {material.document_id: material for material in case.materials}
    for document in matter.required_documents:
        material = existing.get(document.id)
        if material is None:
            material = CaseMaterial(case=case, document_id=document.id, name=document.name)
            case.materials.append(material)
        material.received = document.id in received_ids
        material.copies = document.copies if material.received else 0


def _apply_decision(case, clerk, decision, received_ids, reason, at):
    missing = missing_documents(case.matter, received_ids)
    if decision == "accept":
        if missing:
            raise BadInput(
                _("Materials incomplete: %(names)s.", names="、".join(d.name for d in missing))
            )
        accepted_from = case.received_at if case.status == CaseStatus.RECEIVED.value else at
        case.missing_documents = None
        start_clock(case, clerk, at, accepted_at=min(accepted_from, at))
    elif decision == "supplement":
        if not missing:
            raise BadInput(_("Nothing is missing: accept the application instead."))
        set_status(case, CaseStatus.SUPPLEMENT_REQUESTED.value)
        case.missing_documents = "\n".join(d.name for d in missing)
        case.status_reason = reason
        signals.supplement_requested.send(case, missing=[d.name for d in missing], at=at)
    elif decision == "refuse":
        if not reason:
            raise BadInput(_("A refusal needs a reason."))
        set_status(case, CaseStatus.NOT_ACCEPTED.value)
        case.status_reason = reason
        case.finished_at = at
    # "register": stays received; the 5-working-day period runs.
