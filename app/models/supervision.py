"""Supervision (督办, DESIGN §3): notices with coded delay reasons, cards and extension requests.

A *notice* chases one target (a task or a case today; a petition later: the
target is ``(target_type, target_id)``), is addressed to the handlers and heads
notified when it was issued (its recipients: they alone answer), and is closed
by the supervision post. A *card* (黄牌 / 红牌) is issued by the deadline scan,
once per idempotency key. An *extension request* (Art. 42) waits for a leader.
"""

import enum

from flask_appbuilder import Model
from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship


def _check_in(column, enum_cls, table):
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return CheckConstraint(f"{column} IN ({values})", name=f"ck_{table}_{column}")


class TargetType(enum.StrEnum):
    TASK = "task"
    CASE = "case"


class NoticeStatus(enum.StrEnum):
    OPEN = "open"  # waiting for the handler's answer
    ANSWERED = "answered"  # a delay reason is recorded; the supervisor may close it
    CLOSED = "closed"


class DelayReason(enum.StrEnum):
    """The coded list of DESIGN §4, so statistics count delays by reason."""

    AWAITING_APPLICANT = "awaiting_applicant"
    AWAITING_DEPARTMENT = "awaiting_department"
    FIELD_SURVEY = "field_survey"
    COMPLEX_CASE = "complex_case"
    STAFF_ABSENCE = "staff_absence"
    SYSTEM_FAULT = "system_fault"
    OTHER = "other"  # text required


class RecipientRole(enum.StrEnum):
    HANDLER = "handler"
    HEAD = "head"


class SupervisionNotice(Model):
    __tablename__ = "supervision_notice"
    __table_args__ = (
        _check_in("status", NoticeStatus, "supervision_notice"),
        _check_in("delay_reason", DelayReason, "supervision_notice"),
        Index("ix_supervision_notice_target", "target_type", "target_id"),
    )

    id = Column(Integer, primary_key=True)
    target_type = Column(String(16), nullable=False)  # task, case (petition: later)
    target_id = Column(Integer, nullable=False)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), index=True)
    case = relationship("Case")
    task_id = Column(Integer, ForeignKey("task.id", ondelete="CASCADE"))
    task = relationship("Task")
    division_id = Column(Integer, ForeignKey("division.id"), index=True)  # the unit chased
    division = relationship("Division")
    supervisor_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    supervisor = relationship("BureauUser", foreign_keys=[supervisor_id])
    message = Column(Text, nullable=False)
    created_at = Column(DateTime, nullable=False)
    status = Column(String(10), nullable=False, default=NoticeStatus.OPEN.value, index=True)
    delay_reason = Column(String(24))
    response = Column(Text)
    responded_by_id = Column(Integer, ForeignKey("ab_user.id"))
    responded_by = relationship("BureauUser", foreign_keys=[responded_by_id])
    responded_at = Column(DateTime)
    closed_by_id = Column(Integer, ForeignKey("ab_user.id"))
    closed_by = relationship("BureauUser", foreign_keys=[closed_by_id])
    closed_at = Column(DateTime)
    close_note = Column(Text)

    recipients = relationship(
        "SupervisionRecipient",
        back_populates="notice",
        cascade="all, delete-orphan",
        order_by="SupervisionRecipient.id",
    )

    def __repr__(self):
        return f"督办 #{self.id}"


class SupervisionRecipient(Model):
    """Who a notice reminded: the handler(s) and the head(s) of the unit chased."""

    __tablename__ = "supervision_recipient"
    __table_args__ = (
        UniqueConstraint("notice_id", "user_id", name="uq_supervision_recipient"),
        _check_in("role", RecipientRole, "supervision_recipient"),
        Index("ix_supervision_recipient_user", "user_id", "notice_id"),
    )

    id = Column(Integer, primary_key=True)
    notice_id = Column(
        Integer, ForeignKey("supervision_notice.id", ondelete="CASCADE"), nullable=False
    )
    notice = relationship("SupervisionNotice", back_populates="recipients")
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), nullable=False)
    user = relationship("BureauUser")
    role = Column(String(8), nullable=False)


class CardKind(enum.StrEnum):
    YELLOW = "yellow"  # a task past its limit
    RED = "red"  # a case past its promised limit, or repeated yellow cards in a month


class CardCause(enum.StrEnum):
    TASK_OVERDUE = "task_overdue"
    CASE_OVERDUE = "case_overdue"
    REPEATED_YELLOW = "repeated_yellow"


class Card(Model):
    """An electronic supervision card, issued by the scan once per key.

    ``month`` (``YYYY-MM``, Beijing) is the month the limit was passed, so the
    cards table and the repeated-yellow rule do not depend on when the scan ran.
    """

    __tablename__ = "card"
    __table_args__ = (
        UniqueConstraint("key", name="uq_card_key"),
        _check_in("kind", CardKind, "card"),
        _check_in("cause", CardCause, "card"),
        Index("ix_card_division_month", "division_id", "month", "kind"),
    )
    # Issued in bulk by the scan (INSERT ... SELECT); the scan itself is the event.
    __audited__ = False

    id = Column(Integer, primary_key=True)
    key = Column(String(80), nullable=False)
    kind = Column(String(8), nullable=False)
    cause = Column(String(16), nullable=False)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), index=True)
    case = relationship("Case")
    task_id = Column(Integer, ForeignKey("task.id", ondelete="CASCADE"), index=True)
    task = relationship("Task")
    division_id = Column(Integer, ForeignKey("division.id"))
    division = relationship("Division")
    month = Column(String(7), nullable=False)
    issued_at = Column(DateTime, nullable=False)

    def __repr__(self):
        return self.key


class RequestStatus(enum.StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REFUSED = "refused"


class ExtensionRequest(Model):
    """A handler's or head's request for more working days (Art. 42), for a leader."""

    __tablename__ = "extension_request"
    __table_args__ = (
        _check_in("status", RequestStatus, "extension_request"),
        CheckConstraint("days > 0", name="ck_extension_request_days"),
    )

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    case = relationship("Case")
    division_id = Column(Integer, ForeignKey("division.id"))  # the requester's unit
    division = relationship("Division")
    days = Column(Integer, nullable=False)
    reason = Column(Text, nullable=False)
    requested_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    requested_by = relationship("BureauUser", foreign_keys=[requested_by_id])
    requested_at = Column(DateTime, nullable=False)
    status = Column(String(10), nullable=False, default=RequestStatus.PENDING.value, index=True)
    decided_by_id = Column(Integer, ForeignKey("ab_user.id"))
    decided_by = relationship("BureauUser", foreign_keys=[decided_by_id])
    decided_at = Column(DateTime)
    decision_note = Column(Text)
    extension_id = Column(Integer, ForeignKey("extension.id"))
    extension = relationship("Extension")

    def __repr__(self):
        return f"{self.case} +{self.days}"
