"""Cases (办件), their tasks, opinions, minutes, suspensions, extensions and permits.

Datetimes are stored as naive UTC; the engine converts to Asia/Shanghai for
working-day arithmetic. Status, stage, flags and due dates are written only by
the engine (app/workflow/engine.py): no form or API exposes them for writing.
"""

import enum

from flask_appbuilder import Model
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship


class CaseStatus(enum.StrEnum):
    RECEIVED = "received"  # registered at the window, acceptance not yet decided
    IN_PROGRESS = "in_progress"
    SUSPENDED = "suspended"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    NOT_ACCEPTED = "not_accepted"
    RELEASED = "released"
    WITHDRAWN = "withdrawn"


ACTIVE_STATUSES = (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
FINISHED_STATUSES = (
    CaseStatus.REJECTED,
    CaseStatus.NOT_ACCEPTED,
    CaseStatus.RELEASED,
    CaseStatus.WITHDRAWN,
)


class Flag(enum.StrEnum):
    NORMAL = "normal"
    WARNING = "warning"
    OVERDUE = "overdue"


class TaskStatus(enum.StrEnum):
    OPEN = "open"
    DONE = "done"
    CANCELLED = "cancelled"  # the stage was returned or the case ended


class Decision(enum.StrEnum):
    APPROVE = "approve"
    DISAGREE = "disagree"  # countersign only: recorded, the stage goes on
    RETURN = "return"
    REJECT = "reject"


class SuspensionKind(enum.StrEnum):
    EXPERT_REVIEW = "expert_review"
    HEARING = "hearing"
    PUBLIC_NOTICE = "public_notice"
    APPLICANT_PAYMENT = "applicant_payment"
    GOVERNMENT_APPROVAL = "government_approval"
    APPRAISAL = "appraisal"
    UNCOUNTED_STEP = "uncounted_step"  # opened by the engine for steps outside the limit


class PermitStatus(enum.StrEnum):
    DRAFT = "draft"
    ISSUED = "issued"
    RELEASED = "released"
    REVOKED = "revoked"
    EXPIRED = "expired"


def _check_in(column, enum_cls):
    values = ", ".join(f"'{member.value}'" for member in enum_cls)
    return CheckConstraint(f"{column} IN ({values})", name=f"ck_{column}_{enum_cls.__name__}")


class NumberSequence(Model):
    """The last number issued per series (e.g. receipts of 2026); bumped atomically."""

    __tablename__ = "number_sequence"

    name = Column(String(40), primary_key=True)
    last = Column(Integer, nullable=False, default=0)


class Case(Model):
    __tablename__ = "case"
    __table_args__ = (
        UniqueConstraint("receipt_no", name="uq_case_receipt_no"),
        _check_in("status", CaseStatus),
        _check_in("flag", Flag),
        # What the lists order and filter by (newest first, by flag or status).
        Index("ix_case_received_at", "received_at"),
        Index("ix_case_promised_due_at", "promised_due_at"),
        Index("ix_case_flag_received_at", "flag", "received_at"),
        Index("ix_case_status_received_at", "status", "received_at"),
    )

    id = Column(Integer, primary_key=True)
    receipt_no = Column(String(32), nullable=False)
    query_code = Column(String(16), nullable=False)
    matter_id = Column(Integer, ForeignKey("matter.id"), nullable=False, index=True)
    matter = relationship("Matter")
    workflow_id = Column(Integer, ForeignKey("workflow_template.id"), nullable=False)
    workflow = relationship("WorkflowTemplate")

    applicant_name = Column(String(100), nullable=False)
    applicant_id_number = Column(String(32))
    applicant_phone = Column(String(32))
    applicant_email = Column(String(200))
    applicant_org = Column(String(200))
    project_name = Column(String(200))
    project_location = Column(String(300))
    project_area = Column(Numeric(14, 2))

    received_at = Column(DateTime, nullable=False)
    received_by_id = Column(Integer, ForeignKey("ab_user.id"))
    received_by = relationship("BureauUser", foreign_keys=[received_by_id])
    supplement_deadline_at = Column(DateTime)  # Art. 32: 5 working days from receipt
    accepted_at = Column(DateTime)  # the promised clock starts here
    promised_due_at = Column(DateTime)
    promised_warn_at = Column(DateTime)  # from here on, one working day or less is left
    statutory_due_at = Column(DateTime)
    statutory_warn_at = Column(DateTime)
    due_provisional = Column(Boolean, nullable=False, default=False)
    paused_days = Column(Integer, nullable=False, default=0)  # working days suspended
    extension_days = Column(Integer, nullable=False, default=0)
    status = Column(String(24), nullable=False, default=CaseStatus.RECEIVED.value, index=True)
    flag = Column(String(10), nullable=False, default=Flag.NORMAL.value, index=True)
    statutory_flag = Column(String(10), nullable=False, default=Flag.NORMAL.value)
    current_stage = Column(Integer)  # position of the open stage, null when none
    status_reason = Column(Text)  # refusal, rejection or supplement text
    missing_documents = Column(Text)  # newline-separated, for the supplement notice
    finished_at = Column(DateTime)
    version = Column(Integer, nullable=False, default=1)

    tasks = relationship("Task", back_populates="case", order_by="Task.id")
    opinions = relationship("Opinion", back_populates="case", order_by="Opinion.id")
    materials = relationship(
        "CaseMaterial",
        back_populates="case",
        order_by="CaseMaterial.id",
        cascade="all, delete-orphan",
    )
    suspensions = relationship("Suspension", back_populates="case", order_by="Suspension.id")
    extensions = relationship("Extension", back_populates="case", order_by="Extension.id")

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self):
        return self.receipt_no


class CaseMaterial(Model):
    """One required document checked at the window, with its scan when attached."""

    __tablename__ = "case_material"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    case = relationship("Case", back_populates="materials")
    document_id = Column(Integer, ForeignKey("required_document.id"))
    name = Column(String(200), nullable=False)
    received = Column(Boolean, nullable=False, default=False)
    copies = Column(Integer, nullable=False, default=0)

    def __repr__(self):
        return self.name


class Task(Model):
    """One step of one case for one unit or person."""

    __tablename__ = "task"
    __table_args__ = (
        _check_in("status", TaskStatus),
        _check_in("flag", Flag),
        # My tasks: a unit's open tasks by due date; done tasks by who finished them.
        Index("ix_task_division_status_due_at", "division_id", "status", "due_at"),
        Index("ix_task_assignee_status_due_at", "assignee_id", "status", "due_at"),
        Index("ix_task_status_due_at", "status", "due_at"),
        Index("ix_task_done_by_done_at", "done_by_id", "done_at"),
    )

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    case = relationship("Case", back_populates="tasks")
    step_id = Column(Integer, ForeignKey("workflow_step.id"), nullable=False)
    step = relationship("WorkflowStep")
    stage_position = Column(Integer, nullable=False)
    stage_mode = Column(String(16), nullable=False)
    name = Column(String(200), nullable=False)
    kind = Column(String(16), nullable=False)
    division_id = Column(Integer, ForeignKey("division.id"), index=True)
    division = relationship("Division")
    assignee_id = Column(Integer, ForeignKey("ab_user.id"), index=True)
    assignee = relationship("BureauUser", foreign_keys=[assignee_id])
    limit_days = Column(Integer, nullable=False)
    counts_toward_limit = Column(Boolean, nullable=False, default=True)
    opened_at = Column(DateTime, nullable=False)
    due_at = Column(DateTime, nullable=False)
    warn_at = Column(DateTime, nullable=False)
    paused_days = Column(Integer, nullable=False, default=0)
    done_at = Column(DateTime)
    done_by_id = Column(Integer, ForeignKey("ab_user.id"))
    done_by = relationship("BureauUser", foreign_keys=[done_by_id])
    decision = Column(String(10))
    status = Column(String(10), nullable=False, default=TaskStatus.OPEN.value, index=True)
    flag = Column(String(10), nullable=False, default=Flag.NORMAL.value, index=True)
    version = Column(Integer, nullable=False, default=1)

    __mapper_args__ = {"version_id_col": version}

    def __repr__(self):
        return f"{self.case_id}/{self.name}"


class CaseReader(Model):
    """Who reads a case: a unit that has or had a task in it (``division_id``), or a
    person a task of it is assigned to (``user_id``: a leader's signature, a colleague's
    task). Row scope as one indexed probe: :mod:`app.security.scope` asks "is there a
    reader row of this case for one of my units or for me", with no OR between two
    lookups (which PostgreSQL answers by hashing every row of a unit).

    Written by the engine in the flush that writes the tasks (:mod:`app.workflow.readers`),
    never by a form.
    """

    __tablename__ = "case_reader"
    __audited__ = False  # derived from the tasks, which are audited
    __table_args__ = (
        CheckConstraint(
            "(division_id IS NULL) <> (user_id IS NULL)", name="ck_case_reader_one_reader"
        ),
        UniqueConstraint("case_id", "division_id", name="uq_case_reader_unit"),
        UniqueConstraint("case_id", "user_id", name="uq_case_reader_user"),
        Index("ix_case_reader_lookup", "case_id", "division_id", "user_id"),
    )

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False)
    division_id = Column(Integer, ForeignKey("division.id", ondelete="CASCADE"))
    user_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"))


class Opinion(Model):
    """A signed opinion (意见); immutable once written (enforced by the engine's hook)."""

    __tablename__ = "opinion"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    case = relationship("Case", back_populates="opinions")
    task_id = Column(Integer, ForeignKey("task.id"), nullable=False, index=True)
    task = relationship("Task")
    author_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    author = relationship("BureauUser")
    division_id = Column(Integer, ForeignKey("division.id"))
    division = relationship("Division")
    stage_kind = Column(String(16), nullable=False)  # review / countersign / sign
    decision = Column(String(10), nullable=False)
    text = Column(Text, nullable=False)
    signed_at = Column(DateTime, nullable=False)

    def __repr__(self):
        return f"{self.author}: {self.decision}"


class Minutes(Model):
    """Minutes (会议纪要) of a joint review stage, signed by a leader."""

    __tablename__ = "minutes"
    __table_args__ = (UniqueConstraint("case_id", "stage_position", name="uq_minutes_stage"),)

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    case = relationship("Case")
    stage_position = Column(Integer, nullable=False)
    all_agreed = Column(Boolean, nullable=False)
    summary = Column(Text, nullable=False)
    conclusion = Column(Text)
    signed_by_id = Column(Integer, ForeignKey("ab_user.id"))
    signed_by = relationship("BureauUser")
    signed_at = Column(DateTime)
    created_at = Column(DateTime, nullable=False)


class Suspension(Model):
    """A pause of the case clock: a special procedure, or a step outside the limit."""

    __tablename__ = "suspension"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    case = relationship("Case", back_populates="suspensions")
    kind = Column(String(24), nullable=False)
    reason = Column(Text, nullable=False)
    expected_days = Column(Integer)
    started_at = Column(DateTime, nullable=False)
    started_by_id = Column(Integer, ForeignKey("ab_user.id"))
    ended_at = Column(DateTime)
    ended_by_id = Column(Integer, ForeignKey("ab_user.id"))
    working_days = Column(Integer)  # set on resume


class Extension(Model):
    """An extension (延期) of the promised limit, approved by a leader."""

    __tablename__ = "extension"

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False, index=True)
    case = relationship("Case", back_populates="extensions")
    days = Column(Integer, nullable=False)
    reason = Column(Text, nullable=False)
    approved_by_id = Column(Integer, ForeignKey("ab_user.id"), nullable=False)
    approved_by = relationship("BureauUser")
    approved_at = Column(DateTime, nullable=False)


class Permit(Model):
    """What an approved case produces: drafted, issued by the director, released."""

    __tablename__ = "permit"
    __table_args__ = (
        UniqueConstraint("number", name="uq_permit_number"),
        _check_in("status", PermitStatus),
    )

    id = Column(Integer, primary_key=True)
    number = Column(String(40), nullable=False)
    kind = Column(String(24), nullable=False)  # approval / land_certificate / licence
    case_id = Column(Integer, ForeignKey("case.id"), nullable=False, index=True)
    case = relationship("Case")
    matter_id = Column(Integer, ForeignKey("matter.id"), nullable=False)
    matter = relationship("Matter")
    holder = Column(String(200), nullable=False)
    parcel = Column(String(300))
    area = Column(Numeric(14, 2))
    conditions = Column(Text)
    valid_until = Column(Date)
    status = Column(String(10), nullable=False, default=PermitStatus.DRAFT.value, index=True)
    drafted_at = Column(DateTime, nullable=False)
    issued_at = Column(DateTime)
    signed_by_id = Column(Integer, ForeignKey("ab_user.id"))
    signed_by = relationship("BureauUser", foreign_keys=[signed_by_id])
    released_at = Column(DateTime)
    revoked_at = Column(DateTime)
    revoked_by_id = Column(Integer, ForeignKey("ab_user.id"))
    revoked_by = relationship("BureauUser", foreign_keys=[revoked_by_id])
    revocation_reason = Column(Text)

    def __repr__(self):
        return self.number
