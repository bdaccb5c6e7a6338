"""Workflow templates: ordered stages of steps, each with a handler and a time limit.

A template is versioned by ``(code, version)``: cases point at the exact version
they started with, so editing a template that cases use makes a new version.
"""

import enum

from flask_appbuilder import Model
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship


class StageMode(enum.StrEnum):
    SINGLE = "single"  # the stage's steps run in parallel, each on its own
    COUNTERSIGN = "countersign"  # every signer signs at once; all must finish
    SEQUENCE = "sequence"  # the signers sign one after another


class StepKind(enum.StrEnum):
    RECEIPT = "receipt"  # window receipt (收件)
    REVIEW = "review"
    SURVEY = "survey"
    EXTERNAL = "external"  # another department decides (e.g. city government)
    PAYMENT = "payment"  # applicant pays fees
    DRAFT_PERMIT = "draft_permit"  # 制作批准文件: drafts the permit
    SIGN = "sign"  # a leader signs (issues the permit when one is drafted)
    RELEASE = "release"  # window hands out the result (出件)


class WorkflowTemplate(Model):
    __tablename__ = "workflow_template"
    __table_args__ = (UniqueConstraint("code", "version", name="uq_workflow_code_version"),)

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False, index=True)
    version = Column(Integer, nullable=False, default=1)
    name = Column(String(200), nullable=False)
    description = Column(Text)
    is_current = Column(Boolean, nullable=False, default=True)
    created_on = Column(DateTime)
    # Set by the case engine when the first case starts on this version; from then on
    # an edit makes a new version (app/workflow/versions.py). Null: never used.
    first_used_at = Column(DateTime)
    stages = relationship(
        "WorkflowStage",
        back_populates="template",
        order_by="WorkflowStage.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self):
        return f"{self.code} v{self.version} {self.name}"


class WorkflowStage(Model):
    __tablename__ = "workflow_stage"
    __table_args__ = (
        UniqueConstraint("template_id", "position", name="uq_stage_position"),
        CheckConstraint("mode IN ('single', 'countersign', 'sequence')", name="ck_stage_mode"),
    )

    id = Column(Integer, primary_key=True)
    template_id = Column(
        Integer,
        ForeignKey("workflow_template.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    template = relationship("WorkflowTemplate", back_populates="stages")
    position = Column(Integer, nullable=False)
    name = Column(String(200), nullable=False)
    mode = Column(String(16), nullable=False, default=StageMode.SINGLE.value)
    steps = relationship(
        "WorkflowStep",
        back_populates="stage",
        order_by="WorkflowStep.position",
        cascade="all, delete-orphan",
    )

    def __repr__(self):
        return f"{self.position}. {self.name}"


class WorkflowStep(Model):
    """One handler's share of a stage. The handler is a unit (division, agency,
    window, external department) or a leader in person."""

    __tablename__ = "workflow_step"
    __table_args__ = (
        CheckConstraint("limit_days > 0", name="ck_step_limit_positive"),
        CheckConstraint("(division_id IS NULL) <> (leader_id IS NULL)", name="ck_step_one_handler"),
    )

    id = Column(Integer, primary_key=True)
    stage_id = Column(
        Integer,
        ForeignKey("workflow_stage.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    stage = relationship("WorkflowStage", back_populates="steps")
    position = Column(Integer, nullable=False, default=1)
    name = Column(String(200), nullable=False)
    kind = Column(String(16), nullable=False, default=StepKind.REVIEW.value)
    division_id = Column(Integer, ForeignKey("division.id"), index=True)
    division = relationship("Division")
    leader_id = Column(Integer, ForeignKey("ab_user.id"), index=True)
    leader = relationship("BureauUser")
    limit_days = Column(Integer, nullable=False, default=1)
    counts_toward_limit = Column(Boolean, nullable=False, default=True)

    @property
    def handler(self):
        return self.leader or self.division

    def __repr__(self):
        return self.name
