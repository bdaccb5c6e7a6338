"""Permits (批准文件): drafted at 制作批准文件, issued by the director, released at the window."""

from datetime import date

from flask import current_app
from flask_babel import gettext as _

from app.calendar.workdays import TZ
from app.extensions import db
from app.models.cases import Permit, PermitStatus
from app.workflow import clock
from app.workflow.errors import BadInput
from app.workflow.numbering import permit_number

PERMIT_KINDS = ("approval", "land_certificate", "licence")


def draft(case, data, at):
    """Create (or replace) the case's draft permit from the handler's input."""
    kind = data.get("kind", "approval")
    if kind not in PERMIT_KINDS:
        raise BadInput(_("Unknown kind of permit %(kind)s.", kind=kind))
    drafts = _permits(case, PermitStatus.DRAFT.value)
    permit = drafts[0] if drafts else Permit(case=case, matter=case.matter)
    permit.number = f"DRAFT-{case.receipt_no}"
    permit.kind = kind
    permit.holder = (data.get("holder") or case.applicant_org or case.applicant_name)[:200]
    permit.parcel = (data.get("parcel") or case.project_location or "")[:300] or None
    permit.area = data.get("area", case.project_area)
    permit.conditions = data.get("conditions")
    permit.valid_until = _parse_date(data.get("valid_until"))
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


def _parse_date(value):
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise BadInput(_("valid_until must be a date like 2031-12-31.")) from None
