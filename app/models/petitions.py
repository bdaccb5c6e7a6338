"""Petitions (信访件): registration, acceptance, assignment (交办), feedback (反馈), review,
closing, follow-up visits (回访), extensions, links and evidence (DESIGN §3 Petition).

Datetimes are naive UTC. Status, flags and due dates are written only by the
petition engine (app/petitions/engine.py). The petitioner's identity and contacts
are for the petition office alone (信访工作条例 2022): they are withheld from the
audit trail (``__audit_withheld__``) and from every page and answer for other users.
"""

import enum

from flask_appbuilder import Model
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.orm import column_property, relationship

from app.models.cases import Flag


class PetitionStatus(enum.StrEnum):
    REGISTERED = "registered"  # acceptance not decided yet (15 days)
    ACCEPTED = "accepted"  # accepted, not yet assigned
    ASSIGNED = "assigned"  # assigned (交办) to one or more units
    IN_PROGRESS = "in_progress"  # a co-handling unit has answered, the lead unit not yet
    FEEDBACK_SUBMITTED = "feedback_submitted"  # the lead unit's answer awaits review
    RETURNED = "returned"  # the answer was sent back; the lead unit answers again
    REVIEWED = "reviewed"  # the answer was accepted; to be closed with the result
    CLOSED = "closed"
    NOT_ACCEPTED = "not_accepted"  # 不予受理
    TRANSFERRED = "transferred"  # 转送 to the competent authority


REGISTERED_STATUSES = (PetitionStatus.REGISTERED,)
HANDLING_STATUSES = (
    PetitionStatus.ACCEPTED,
    PetitionStatus.ASSIGNED,
    PetitionStatus.IN_PROGRESS,
    PetitionStatus.FEEDBACK_SUBMITTED,
    PetitionStatus.RETURNED,
    PetitionStatus.REVIEWED,
)
FINISHED_STATUSES = (
    PetitionStatus.CLOSED,
    PetitionStatus.NOT_ACCEPTED,
    PetitionStatus.TRANSFERRED,
)


class Channel(enum.StrEnum):
    LETTER = "letter"
    VISIT = "visit"
    ONLINE = "online"
    PHONE = "phone"
    EMAIL = "email"


class AcceptanceDecision(enum.StrEnum):
    ACCEPT = "accept"
    NOT_ACCEPT = "not_accept"
    TRANSFER = "transfer"


class ReviewDecision(enum.StrEnum):
    ACCEPT = "accept"
    RETURN = "return"


class Satisfaction(enum.StrEnum):
    VERY_SATISFIED = "very_satisfied"
    SATISFIED = "satisfied"
    BASICALLY_SATISFIED = "basically_satisfied"
    DISSATISFIED = "dissatisfied"
    VERY_DISSATISFIED = "very_dissatisfied"


DISSATISFIED = (Satisfaction.DISSATISFIED, Satisfaction.VERY_DISSATISFIED)


class AssignmentStatus(enum.StrEnum):
    OPEN = "open"  # the unit is handling it (again, after a return)
    ANSWERED = "answered"
    WITHDRAWN = "withdrawn"  # reassigned to another unit


class FollowUpStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"


class LinkKind(enum.StrEnum):
    REPEAT = "repeat"  # 重复件: this petition repeats an earlier one
    CASE = "case"  # the licence case the petition is about


class AttachmentKind(enum.StrEnum):
    EVIDENCE = "evidence"  # handed in by the petitioner, registered by the office
    FEEDBACK = "feedback"  # sent by a unit with its answer


def _check_in(column, enum_cls, name):
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return CheckConstraint(f"{column} IN ({values})", name=f"ck_{name}_{column}")


class PetitionCategory(Model):
    """The coded list of petition categories (征地补偿, 土地权属争议 ...), edited by the Admin."""

    __tablename__ = "petition_category"
    __table_args__ = (UniqueConstraint("code", name="uq_petition_category_code"),)

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False)
    name = Column(String(100), nullable=False)
    name_en = Column(String(100))
    position = Column(Integer, nullable=False, default=0)
    active = Column(Boolean, nullable=False, default=True)

    def __repr__(self):
        return self.name


class Petition(Model):
    __tablename__ = "petition"
    __table_args__ = (
        UniqueConstraint("number", name="uq_petition_number"),
        _check_in("status", PetitionStatus, "petition"),
        _check_in("flag", Flag, "petition"),
        _check_in("channel", Channel, "petition"),
    )
    # The petitioner is protected: the trail says what happened, not who wrote.
    __audit_withheld__ = frozenset(
        {
            "petitioner_name",
            "petitioner_phone",
            "petitioner_id_number",
            "petitioner_address",
            "content",
        }
    )

    id = Column(Integer, primary_key=True)
    number = Column(String(32), nullable=False)

    petitioner_name = Column(String(100), nullable=False)
    petitioner_phone = Column(String(32), index=True)
    petitioner_id_number = Column(String(32), index=True)
    petitioner_address = Column(String(300))
    channel = Column(String(10), nullable=False)
    category_id = Column(
        Integer, ForeignKey("petition_category.id", ondelete="RESTRICT"), nullable=False
    )
    category = relationship(PetitionCategory)
    content = Column(Text, nullable=False)
    # The content with the petitioner's name, phone and ID number taken out: what the
    # handling units, leaders and supervisors read.
    facts = Column(Text, nullable=False)

    received_at = Column(DateTime, nullable=False)
    registered_at = Column(DateTime, nullable=False)
    registered_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    registered_by = relationship("BureauUser", foreign_keys=[registered_by_id])
    accept_due = Column(DateTime, nullable=False)
    accept_warn_at = Column(DateTime, nullable=False)

    decision = Column(String(12))  # accept / not_accept / transfer
    decision_reason = Column(Text)
    transfer_to = Column(String(200))  # the competent authority of a transfer
    decided_at = Column(DateTime)
    decided_by_id = Column(Integer, ForeignKey("ab_user.id"))
    decided_by = relationship("BureauUser", foreign_keys=[decided_by_id])

    accepted_at = Column(DateTime)
    handle_due = Column(DateTime)
    handle_warn_at = Column(DateTime)
    due_provisional = Column(Boolean, nullable=False, default=False)
    extension_days = Column(Integer, nullable=False, default=0)

    status = Column(String(20), nullable=False, default=PetitionStatus.REGISTERED.value, index=True)
    flag = Column(String(10), nullable=False, default=Flag.NORMAL.value, index=True)

    result = Column(Text)
    satisfaction = Column(String(20))
    closed_at = Column(DateTime)
    closed_by_id = Column(Integer, ForeignKey("ab_user.id"))
    closed_by = relationship("BureauUser", foreign_keys=[closed_by_id])
    version = Column(Integer, nullable=False, default=1)

    assignments = relationship(
        "PetitionAssignment", back_populates="petition", order_by="PetitionAssignment.id"
    )
    feedback = relationship(
        "PetitionFeedback", back_populates="petition", order_by="PetitionFeedback.id"
    )
    reviews = relationship(
        "PetitionReview", back_populates="petition", order_by="PetitionReview.id"
    )
    extensions = relationship(
        "PetitionExtension", back_populates="petition", order_by="PetitionExtension.id"
    )
    follow_ups = relationship(
        "PetitionFollowUp", back_populates="petition", order_by="PetitionFollowUp.id"
    )
    complaint_targets = relationship(
        "ComplaintTarget",
        back_populates="petition",
        order_by="ComplaintTarget.id",
        cascade="all, delete-orphan",
    )
    links = relationship(
        "PetitionLink",
        back_populates="petition",
        foreign_keys="PetitionLink.petition_id",
        order_by="PetitionLink.id",
    )
    attachments = relationship(
        "PetitionAttachment", back_populates="petition", order_by="PetitionAttachment.id"
    )

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self):
        return self.number


class PetitionAssignment(Model):
    """A 交办: one unit handles the petition, by a due date, with instructions."""

    __tablename__ = "petition_assignment"
    __table_args__ = (
        _check_in("status", AssignmentStatus, "petition_assignment"),
        _check_in("flag", Flag, "petition_assignment"),
    )

    id = Column(Integer, primary_key=True)
    petition_id = Column(
        Integer, ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    petition = relationship(Petition, back_populates="assignments")
    unit_id = Column(Integer, ForeignKey("division.id"), nullable=False, index=True)
    unit = relationship("Division")
    lead = Column(Boolean, nullable=False, default=True)  # 主办 (else 协办)
    instructions = Column(Text)
    assigned_at = Column(DateTime, nullable=False)
    assigned_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    assigned_by = relationship("BureauUser", foreign_keys=[assigned_by_id])
    due_at = Column(DateTime, nullable=False)
    warn_at = Column(DateTime, nullable=False)
    status = Column(String(10), nullable=False, default=AssignmentStatus.OPEN.value, index=True)
    flag = Column(String(10), nullable=False, default=Flag.NORMAL.value, index=True)
    answered_at = Column(DateTime)
    withdrawn_at = Column(DateTime)
    withdrawn_by_id = Column(Integer, ForeignKey("ab_user.id"))
    withdrawn_by = relationship("BureauUser", foreign_keys=[withdrawn_by_id])
    withdrawal_reason = Column(Text)

    def __repr__(self):
        return f"{self.petition_id}/{self.unit_id}"


class PetitionFeedback(Model):
    """A unit's answer (反馈): the lead unit's goes to review."""

    __tablename__ = "petition_feedback"

    id = Column(Integer, primary_key=True)
    petition_id = Column(
        Integer, ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    petition = relationship(Petition, back_populates="feedback")
    assignment_id = Column(Integer, ForeignKey("petition_assignment.id"), nullable=False)
    assignment = relationship(PetitionAssignment)
    unit_id = Column(Integer, ForeignKey("division.id"), nullable=False)
    unit = relationship("Division")
    lead = Column(Boolean, nullable=False)
    text = Column(Text, nullable=False)
    submitted_at = Column(DateTime, nullable=False)
    submitted_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    submitted_by = relationship("BureauUser")

    attachments = relationship("PetitionAttachment", order_by="PetitionAttachment.id")


class PetitionReview(Model):
    """The petition office's review of the lead unit's answer: accepted, or returned."""

    __tablename__ = "petition_review"
    __table_args__ = (_check_in("decision", ReviewDecision, "petition_review"),)

    id = Column(Integer, primary_key=True)
    petition_id = Column(
        Integer, ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    petition = relationship(Petition, back_populates="reviews")
    feedback_id = Column(Integer, ForeignKey("petition_feedback.id"), nullable=False)
    feedback = relationship(PetitionFeedback)
    decision = Column(String(10), nullable=False)
    reason = Column(Text)
    reviewed_at = Column(DateTime, nullable=False)
    reviewed_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    reviewed_by = relationship("BureauUser")


class PetitionExtension(Model):
    """An extension (延期) of the handling limit, approved by the head of the petition office;
    the reason is told to the petitioner."""

    __tablename__ = "petition_extension"
    __table_args__ = (CheckConstraint("days > 0", name="ck_petition_extension_days"),)

    id = Column(Integer, primary_key=True)
    petition_id = Column(
        Integer, ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    petition = relationship(Petition, back_populates="extensions")
    days = Column(Integer, nullable=False)
    reason = Column(Text, nullable=False)
    previous_due = Column(DateTime, nullable=False)
    new_due = Column(DateTime, nullable=False)
    approved_at = Column(DateTime, nullable=False)
    approved_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    approved_by = relationship("BureauUser")


class PetitionFollowUp(Model):
    """A follow-up visit (回访) opened by a dissatisfied rating: its own due date and outcome."""

    __tablename__ = "petition_follow_up"
    __table_args__ = (
        _check_in("status", FollowUpStatus, "petition_follow_up"),
        _check_in("flag", Flag, "petition_follow_up"),
    )

    id = Column(Integer, primary_key=True)
    petition_id = Column(
        Integer, ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    petition = relationship(Petition, back_populates="follow_ups")
    opened_at = Column(DateTime, nullable=False)
    due_at = Column(DateTime, nullable=False)
    warn_at = Column(DateTime, nullable=False)
    status = Column(String(10), nullable=False, default=FollowUpStatus.OPEN.value, index=True)
    flag = Column(String(10), nullable=False, default=Flag.NORMAL.value)
    outcome = Column(Text)
    satisfaction = Column(String(20))  # the petitioner's rating after the visit, if given
    done_at = Column(DateTime)
    done_by_id = Column(Integer, ForeignKey("ab_user.id"))
    done_by = relationship("BureauUser")


class ComplaintTarget(Model):
    """A report or complaint (检举控告) against a unit and/or a person: the petition is
    never assigned to, nor shown to, that unit."""

    __tablename__ = "petition_complaint_target"
    __table_args__ = (
        CheckConstraint(
            "unit_id IS NOT NULL OR person IS NOT NULL", name="ck_complaint_target_someone"
        ),
    )

    id = Column(Integer, primary_key=True)
    petition_id = Column(
        Integer, ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    petition = relationship(Petition, back_populates="complaint_targets")
    unit_id = Column(Integer, ForeignKey("division.id"), index=True)
    unit = relationship("Division")
    person = Column(String(100))


class PetitionLink(Model):
    """A petition repeats an earlier one (重复件), or concerns a licence case."""

    __tablename__ = "petition_link"
    __table_args__ = (
        _check_in("kind", LinkKind, "petition_link"),
        CheckConstraint(
            "(kind = 'repeat' AND earlier_id IS NOT NULL AND case_id IS NULL) OR "
            "(kind = 'case' AND case_id IS NOT NULL AND earlier_id IS NULL)",
            name="ck_petition_link_target",
        ),
        UniqueConstraint("petition_id", "earlier_id", name="uq_petition_link_earlier"),
        UniqueConstraint("petition_id", "case_id", name="uq_petition_link_case"),
    )

    id = Column(Integer, primary_key=True)
    petition_id = Column(
        Integer, ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    petition = relationship(Petition, back_populates="links", foreign_keys=[petition_id])
    kind = Column(String(10), nullable=False)
    earlier_id = Column(Integer, ForeignKey("petition.id", ondelete="CASCADE"), index=True)
    earlier = relationship(Petition, foreign_keys=[earlier_id])
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), index=True)
    case = relationship("Case")
    linked_at = Column(DateTime, nullable=False)
    linked_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    linked_by = relationship("BureauUser")


class PetitionAttachment(Model):
    """Evidence handed in with a petition, or a file sent with a unit's answer.

    Evidence often shows who wrote (a signed letter): the petition office decides per
    file whether the handling units may read it (``shared``)."""

    __tablename__ = "petition_attachment"
    __table_args__ = (_check_in("kind", AttachmentKind, "petition_attachment"),)

    id = Column(Integer, primary_key=True)
    petition_id = Column(
        Integer, ForeignKey("petition.id", ondelete="CASCADE"), nullable=False, index=True
    )
    petition = relationship(Petition, back_populates="attachments")
    feedback_id = Column(Integer, ForeignKey("petition_feedback.id", ondelete="SET NULL"))
    kind = Column(String(10), nullable=False)
    shared = Column(Boolean, nullable=False, default=False)
    stored_name = Column(String(64), nullable=False, unique=True)
    original_name = Column(String(255), nullable=False)
    content_type = Column(String(64), nullable=False)
    size = Column(BigInteger, nullable=False)
    sha256 = Column(String(64), nullable=False)
    uploaded_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    uploaded_by = relationship("BureauUser")
    uploaded_at = Column(DateTime, nullable=False)

    def __repr__(self):
        return self.original_name


# 重复件 and 检举控告 on every list, in the list's own query (no statement per row).
Petition.is_repeat = column_property(
    select(PetitionLink.id)
    .where(PetitionLink.petition_id == Petition.id, PetitionLink.kind == LinkKind.REPEAT.value)
    .correlate_except(PetitionLink)
    .exists()
)
Petition.is_complaint = column_property(
    select(ComplaintTarget.id)
    .where(ComplaintTarget.petition_id == Petition.id)
    .correlate_except(ComplaintTarget)
    .exists()
)
