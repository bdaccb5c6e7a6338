"""Results published (办理结果公开): every permit issued, with its number, holder, matter
and date; revoked and expired ones stay listed, marked as such. Drafts are not published.

A natural person's name is masked (张*); an organisation's name is shown whole. The
holder counts as an organisation only when the case says so: the holder is the
applicant's organisation, or the applicant identified with a unified social credit
code (统一社会信用代码) and holds the permit in that name. Anything else is masked.
The applicant's data is read to decide, and never leaves this module.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, or_, select

from app.extensions import db
from app.models.cases import Case, Permit, PermitStatus
from app.models.catalog import Matter
from app.portal.paging import Page
from app.workflow.fields import is_credit_code

PAGE_SIZE = 20
PUBLISHED = (
    PermitStatus.ISSUED.value,
    PermitStatus.RELEASED.value,
    PermitStatus.REVOKED.value,
    PermitStatus.EXPIRED.value,
)
NO_LONGER_VALID = frozenset({PermitStatus.REVOKED.value, PermitStatus.EXPIRED.value})
MASK = "*"


@dataclass(frozen=True)
class Result:
    number: str
    holder: str  # masked unless an organisation
    matter_code: str
    matter_name: str
    kind: str
    status: str
    issued_at: datetime
    valid_until: date | None
    revoked_at: datetime | None

    @property
    def no_longer_valid(self):
        return self.status in NO_LONGER_VALID


def mask_name(name):
    """张三 → 张*; 欧阳明华 → 欧*: the first character, then one star whatever the length."""
    name = (name or "").strip()
    return f"{name[0]}{MASK}" if name else MASK


def public_holder(holder, applicant_name, applicant_org, applicant_id_number):
    holder = (holder or "").strip()
    organisation = (applicant_org or "").strip()
    if organisation and holder == organisation:
        return holder
    if is_credit_code(applicant_id_number) and holder == (applicant_name or "").strip():
        return holder
    return mask_name(holder)


def _filters(text):
    conditions = [Permit.status.in_(PUBLISHED)]
    if text:
        conditions.append(
            or_(
                Permit.number.icontains(text, autoescape=True),
                Matter.name.icontains(text, autoescape=True),
            )
        )
    return conditions


def published(page=0, page_size=PAGE_SIZE, text=None):
    """One page of published permits, the latest issued first: two statements."""
    conditions = _filters(text)
    total = db.session.scalar(
        select(func.count(Permit.id)).join(Matter, Matter.id == Permit.matter_id).where(*conditions)
    )
    rows = db.session.execute(
        select(
            Permit.number,
            Permit.holder,
            Permit.kind,
            Permit.status,
            Permit.issued_at,
            Permit.valid_until,
            Permit.revoked_at,
            Matter.code.label("matter_code"),
            Matter.name.label("matter_name"),
            Case.applicant_name,
            Case.applicant_org,
            Case.applicant_id_number,
        )
        .join(Matter, Matter.id == Permit.matter_id)
        .join(Case, Case.id == Permit.case_id)
        .where(*conditions)
        .order_by(Permit.issued_at.desc(), Permit.id.desc())
        .offset(page * page_size)
        .limit(page_size)
    ).all()
    results = [
        Result(
            number=row.number,
            holder=public_holder(
                row.holder, row.applicant_name, row.applicant_org, row.applicant_id_number
            ),
            matter_code=row.matter_code,
            matter_name=row.matter_name,
            kind=row.kind,
            status=row.status,
            issued_at=row.issued_at,
            valid_until=row.valid_until,
            revoked_at=row.revoked_at,
        )
        for row in rows
    ]
    return Page(results, total, page, page_size)
