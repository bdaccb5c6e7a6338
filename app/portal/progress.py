"""Progress lookup (办件进度查询) by receipt number and query code, as printed on the receipt.

What the public reads: the matter, the status, the steps done (name, unit, date), the
steps open now, the promised date, pauses by kind, the missing documents of a
supplement request, and whether the case was rated. Never the applicant's data,
handlers' names, opinions or reasons typed by staff.

A wrong query code answers exactly as an unknown receipt number: both raise
:class:`~app.workflow.errors.NotFound` with :data:`NOT_FOUND`, and the code is
compared in constant time against the case's code or a decoy of the same length.
"""

import hmac
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app import labels
from app.extensions import db
from app.models.cases import Case, CaseStatus, Suspension, Task, TaskStatus
from app.models.rating import CaseRating
from app.portal.guides import LEADERSHIP
from app.workflow.errors import BadInput, NotFound
from app.workflow.numbering import QUERY_CODE_LENGTH

RECEIPT_NO_MAX_LENGTH = 32
NOT_FOUND = _l(
    "No application matches this receipt number and query code. "
    "Check both against your receipt and enter them again."
)
_DECOY_CODE = "-" * QUERY_CODE_LENGTH


@dataclass(frozen=True)
class Step:
    name: str
    unit: str
    at: datetime  # done (steps done) or opened (steps open now)


@dataclass(frozen=True)
class Pause:
    kind: str
    started_at: datetime
    ended_at: datetime | None
    expected_days: int | None


@dataclass(frozen=True)
class Progress:
    receipt_no: str
    matter_code: str
    matter_name: str
    status: str
    received_at: datetime
    accepted_at: datetime | None
    promised_due_at: datetime | None
    due_provisional: bool
    finished_at: datetime | None
    missing_documents: tuple
    current_steps: tuple
    steps_done: tuple
    pauses: tuple
    rating_level: str | None
    rated_at: datetime | None

    @property
    def may_rate(self):
        return self.status == CaseStatus.RELEASED.value and self.rating_level is None


def clean(receipt_no, code):
    """The two keys as typed (trimmed, upper case): raises BadInput with ``errors`` per
    field when one is missing or longer than any real one."""
    receipt_no = (receipt_no or "").strip().upper() if isinstance(receipt_no, str) else ""
    code = "".join(code.split()).upper() if isinstance(code, str) else ""
    errors = {}
    if not receipt_no:
        errors["receipt_no"] = _("Enter the receipt number printed on your receipt.")
    elif len(receipt_no) > RECEIPT_NO_MAX_LENGTH:
        errors["receipt_no"] = _(
            "A receipt number has at most %(n)d characters.", n=RECEIPT_NO_MAX_LENGTH
        )
    if not code:
        errors["code"] = _("Enter the query code printed on your receipt.")
    elif len(code) > 2 * QUERY_CODE_LENGTH:
        errors["code"] = _("A query code has %(n)d letters and digits.", n=QUERY_CODE_LENGTH)
    if errors:
        raise BadInput(_("Enter the receipt number and the query code."), errors=errors)
    return receipt_no, code


def find_case(receipt_no, code):
    """The case with this receipt number and query code, or None for a wrong code and an
    unknown number alike (the code compared in constant time)."""
    case = db.session.execute(
        select(Case).where(Case.receipt_no == receipt_no).options(joinedload(Case.matter))
    ).scalar_one_or_none()
    expected = case.query_code if case is not None else _DECOY_CODE
    matches = hmac.compare_digest(expected.encode(), code.encode())
    return case if case is not None and matches else None


def lookup(receipt_no, code):
    """What the public may read of the case: raises BadInput or NotFound (:data:`NOT_FOUND`)."""
    receipt_no, code = clean(receipt_no, code)
    case = find_case(receipt_no, code)
    if case is None:
        raise NotFound(str(NOT_FOUND))
    return progress_of(case)


def _unit(task):
    return task.division.name if task.division is not None else str(LEADERSHIP)


def progress_of(case):
    """Four statements whatever the case's size: the case, its tasks, pauses and rating."""
    tasks = (
        db.session.execute(
            select(Task)
            .where(Task.case_id == case.id, Task.status != TaskStatus.CANCELLED.value)
            .options(joinedload(Task.division))
            .order_by(Task.id)
        )
        .scalars()
        .all()
    )
    pauses = (
        db.session.execute(
            select(Suspension).where(Suspension.case_id == case.id).order_by(Suspension.id)
        )
        .scalars()
        .all()
    )
    rating = db.session.execute(
        select(CaseRating.level, CaseRating.rated_at).where(CaseRating.case_id == case.id)
    ).first()
    done = sorted(
        (t for t in tasks if t.status == TaskStatus.DONE.value), key=lambda t: (t.done_at, t.id)
    )
    current = [t for t in tasks if t.status == TaskStatus.OPEN.value]
    missing = ()
    if case.status == CaseStatus.SUPPLEMENT_REQUESTED.value and case.missing_documents:
        missing = tuple(line for line in case.missing_documents.splitlines() if line.strip())
    return Progress(
        receipt_no=case.receipt_no,
        matter_code=case.matter.code,
        matter_name=case.matter.name,
        status=case.status,
        received_at=case.received_at,
        accepted_at=case.accepted_at,
        promised_due_at=case.promised_due_at,
        due_provisional=bool(case.due_provisional),
        finished_at=case.finished_at,
        missing_documents=missing,
        current_steps=tuple(Step(t.name, _unit(t), t.opened_at) for t in current),
        steps_done=tuple(Step(t.name, _unit(t), t.done_at) for t in done),
        pauses=tuple(Pause(p.kind, p.started_at, p.ended_at, p.expected_days) for p in pauses),
        rating_level=rating.level if rating else None,
        rated_at=rating.rated_at if rating else None,
    )


def as_json(progress):
    """The API's answer (``GET /api/v1/public/progress``): codes with their labels,
    moments in ISO 8601 UTC."""
    iso = labels.iso_utc
    return {
        "receipt_no": progress.receipt_no,
        "matter": {"code": progress.matter_code, "name": progress.matter_name},
        "status": progress.status,
        "status_label": labels.label("case_status", progress.status),
        "received_at": iso(progress.received_at),
        "accepted_at": iso(progress.accepted_at),
        "promised_due_at": iso(progress.promised_due_at),
        "due_provisional": progress.due_provisional,
        "finished_at": iso(progress.finished_at),
        "missing_documents": list(progress.missing_documents),
        "current_steps": [
            {"name": s.name, "unit": s.unit, "opened_at": iso(s.at)} for s in progress.current_steps
        ],
        "steps_done": [
            {"name": s.name, "unit": s.unit, "done_at": iso(s.at)} for s in progress.steps_done
        ],
        "pauses": [
            {
                "kind": p.kind,
                "kind_label": labels.label("suspension_kind", p.kind),
                "started_at": iso(p.started_at),
                "ended_at": iso(p.ended_at),
                "expected_days": p.expected_days,
            }
            for p in progress.pauses
        ],
        "rating": (
            {
                "level": progress.rating_level,
                "label": labels.label("satisfaction", progress.rating_level),
                "rated_at": iso(progress.rated_at),
            }
            if progress.rating_level
            else None
        ),
        "may_rate": progress.may_rate,
    }
