"""Permits (批准文件): drafted at 制作批准文件, issued by the director, released at the window."""

from datetime import date

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from app.calendar.workdays import TZ
from app.extensions import db
from app.models.cases import Permit, PermitStatus
from app.workflow import clock
from app.workflow.errors import BadInput
from app.workflow.fields import area_field, text_field
from app.workflow.numbering import permit_number

PERMIT_KINDS = ("approval", "land_certificate", "licence")
TEXT_LIMITS = {"holder": 200, "parcel": 300, "conditions": 5000}
FIELD_LABELS = {
    "kind": _l("Kind"),
    "holder": _l("Holder"),
    "parcel": _l("Parcel"),
    "area": _l("Area (m²)"),
    "conditions": _l("Conditions"),
    "valid_until": _l("Valid until"),
}


class InvalidPermit(BadInput):
    """Field-by-field errors: ``errors`` maps a permit field to its message."""

    def __init__(self, errors):
        super().__init__(_("The permit has errors."), errors=errors)
        self.errors = errors


def parse_permit(data):
    """Check the permit fields a handler sends (API or case page), as the receipt is
    checked: types, ranges, lengths; raise InvalidPermit. Absent fields are None."""
    if not isinstance(data, dict):
        raise BadInput(_("permit must be an object."))
    errors = {}
    values = {name: text_field(data, name, limit, errors) for name, limit in TEXT_LIMITS.items()}
    kind = data.get("kind") or "approval"
    if kind not in PERMIT_KINDS:
        errors["kind"] = _("Choose one of: %(choices)s.", choices=", ".join(PERMIT_KINDS))
    values["kind"] = kind
    values["area"] = area_field(data, "area", errors, positive=True)
    values["valid_until"] = _valid_until(data.get("valid_until"), errors)
    if errors:
        raise InvalidPermit(errors)
    return values


def draft(case, data, at):
    """Create (or replace) the case's draft permit from the handler's input."""
    values = parse_permit(data)
    drafts = _permits(case, PermitStatus.DRAFT.value)
    permit = drafts[0] if drafts else Permit(case=case, matter=case.matter)
    permit.number = f"DRAFT-{case.receipt_no}"
    permit.kind = values["kind"]
    permit.holder = (values["holder"] or case.applicant_org or case.applicant_name)[:200]
    permit.parcel = (values["parcel"] or case.project_location or "")[:300] or None
    permit.area = values["area"] if values["area"] is not None else case.project_area
    permit.conditions = values["conditions"]
    permit.valid_until = values["valid_until"]
    permit.status = PermitStatus.DRAFT.value
    permit.drafted_at = at
    db.session.add(permit)
    return permit


def issue(case, leader, at):
    """The leader's signature issues the draft permit, if there is one; returns it."""
    drafts = _permits(case, PermitStatus.DRAFT.value)
    if not drafts:
        return None
    permit = drafts[0]
    year = clock.as_aware(at).astimezone(TZ).year
    permit.number = permit_number(current_app.config["RECEIPT_PREFIX"], year)
    permit.status = PermitStatus.ISSUED.value
    permit.issued_at = at
    permit.signed_by = leader
    return permit


def release(case, at):
    for permit in _permits(case, PermitStatus.ISSUED.value):
        permit.status = PermitStatus.RELEASED.value
        permit.released_at = at


def _permits(case, status):
    return db.session.query(Permit).filter_by(case_id=case.id, status=status).all()


def _valid_until(value, errors):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError):
        errors["valid_until"] = _("Must be a date like 2031-12-31.")
        return None
