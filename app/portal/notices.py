"""Written notices to the applicant (告知书) that the window prints, and which a case calls for.

- supplement notice (补正材料告知书): what is missing; given at once, within the five
  working days after receipt (Art. 32 of the Administrative Licensing Law);
- not-accepted notice (不予受理通知书): the reason, and the applicant's rights of
  administrative review (60 days) and litigation (6 months);
- extension notice (延长期限告知书, Art. 42): the days added and the reason;
- special-procedure notice (特别程序告知书, Art. 45): the kind, the reason and the
  expected length of time that does not count toward the limit.

Every reader of a case may print its notices; rows outside the reader's scope are
not found (app/security/scope.py).
"""

import enum
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.models.cases import Case, CaseStatus, Extension, Suspension, SuspensionKind
from app.security.scope import case_clause

ADMINISTRATIVE_REVIEW_DAYS = 60  # 行政复议法 Art. 20
LITIGATION_MONTHS = 6  # 行政诉讼法 Art. 46


class NoticeKind(enum.StrEnum):
    SUPPLEMENT = "supplement"
    NOT_ACCEPTED = "not_accepted"
    EXTENSION = "extension"
    SPECIAL_PROCEDURE = "special_procedure"


TITLES = {
    NoticeKind.SUPPLEMENT: _l("Notice to supplement application materials"),
    NoticeKind.NOT_ACCEPTED: _l("Notice of non-acceptance"),
    NoticeKind.EXTENSION: _l("Notice of extension of the time limit"),
    NoticeKind.SPECIAL_PROCEDURE: _l("Notice of a special procedure"),
}


@dataclass(frozen=True)
class NoticeRef:
    """A notice a case calls for: its kind and the row it is about (case, extension or
    suspension id)."""

    kind: NoticeKind
    target_id: int

    @property
    def title(self):
        return TITLES[self.kind]


def missing_documents(case):
    return [line for line in (case.missing_documents or "").splitlines() if line.strip()]


def applicable(case):
    """The notices the case calls for, in the order they were given."""
    refs = []
    if missing_documents(case):
        refs.append(NoticeRef(NoticeKind.SUPPLEMENT, case.id))
    if case.status == CaseStatus.NOT_ACCEPTED.value:
        refs.append(NoticeRef(NoticeKind.NOT_ACCEPTED, case.id))
    refs.extend(NoticeRef(NoticeKind.EXTENSION, e.id) for e in case.extensions)
    refs.extend(
        NoticeRef(NoticeKind.SPECIAL_PROCEDURE, s.id)
        for s in case.suspensions
        if s.kind != SuspensionKind.UNCOUNTED_STEP.value
    )
    return refs


def case_in_scope(case_id, user):
    return db.session.execute(
        select(Case).where(Case.id == case_id, case_clause(user)).options(joinedload(Case.matter))
    ).scalar_one_or_none()


def extension_in_scope(extension_id, user):
    return db.session.execute(
        select(Extension)
        .join(Extension.case)
        .where(Extension.id == extension_id, case_clause(user))
        .options(joinedload(Extension.case).joinedload(Case.matter))
    ).scalar_one_or_none()


def special_procedure_in_scope(suspension_id, user):
    """A suspension for a special procedure (not a step outside the limit), in scope."""
    return db.session.execute(
        select(Suspension)
        .join(Suspension.case)
        .where(
            Suspension.id == suspension_id,
            Suspension.kind != SuspensionKind.UNCOUNTED_STEP.value,
            case_clause(user),
        )
        .options(joinedload(Suspension.case).joinedload(Case.matter))
    ).scalar_one_or_none()
