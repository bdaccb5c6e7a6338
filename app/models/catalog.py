"""The matter catalog (事项目录) and the public disclosure catalog (政务公开目录)."""

import enum

from flask_appbuilder import Model
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import relationship


class MatterCategory(enum.StrEnum):
    LICENCE = "licence"  # 行政许可
    NON_LICENCE = "non_licence"  # 非行政许可审批
    PENALTY = "penalty"  # 行政处罚
    ENFORCEMENT = "enforcement"  # 行政强制
    LEVY = "levy"  # 行政征收
    PUBLIC_SERVICE = "public_service"  # 公共服务


class Matter(Model):
    """A licensing or other administrative item; levels 1–3 form the handbook's tree."""

    __tablename__ = "matter"
    __table_args__ = (
        UniqueConstraint("code", name="uq_matter_code"),
        CheckConstraint("level BETWEEN 1 AND 3", name="ck_matter_level"),
        CheckConstraint("promised_days >= 0", name="ck_matter_promised_days"),
        CheckConstraint("statutory_days >= 0", name="ck_matter_statutory_days"),
        CheckConstraint("max_extension_days >= 0", name="ck_matter_max_extension"),
    )

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False)
    name = Column(String(200), nullable=False)
    level = Column(Integer, nullable=False, default=1)
    parent_id = Column(Integer, ForeignKey("matter.id", ondelete="RESTRICT"), index=True)
    parent = relationship("Matter", remote_side=[id], backref="children")
    category = Column(String(20), nullable=False, default=MatterCategory.LICENCE.value)
    legal_basis = Column(Text)
    conditions = Column(Text)
    promised_days = Column(Integer, nullable=False, default=0)
    statutory_days = Column(Integer, nullable=False, default=0)
    max_extension_days = Column(Integer, nullable=False, default=0)
    fee_standard = Column(Text)
    responsible_division_id = Column(Integer, ForeignKey("division.id"), index=True)
    responsible_division = relationship("Division")
    workflow_id = Column(Integer, ForeignKey("workflow_template.id"), index=True)
    workflow = relationship("WorkflowTemplate")
    public = Column(Boolean, nullable=False, default=True)
    active = Column(Boolean, nullable=False, default=True)
    # Every document the matter ever required, retired ones included (the catalog import
    # keeps ids stable and retires, rather than deletes, a document that cases refer to).
    documents = relationship(
        "RequiredDocument",
        back_populates="matter",
        order_by="RequiredDocument.position",
        cascade="all, delete-orphan",
    )
    # What an application must bring now: the documents not retired.
    required_documents = relationship(
        "RequiredDocument",
        primaryjoin="and_(Matter.id == RequiredDocument.matter_id, "
        "RequiredDocument.retired.is_(False))",
        order_by="RequiredDocument.position",
        viewonly=True,
    )

    def __repr__(self):
        return f"{self.code} {self.name}"


class RequiredDocument(Model):
    """One required document (要件) of a matter: name, copies, original or copy."""

    __tablename__ = "required_document"

    id = Column(Integer, primary_key=True)
    matter_id = Column(
        Integer, ForeignKey("matter.id", ondelete="CASCADE"), nullable=False, index=True
    )
    matter = relationship("Matter", back_populates="documents")
    position = Column(Integer, nullable=False, default=1)
    name = Column(String(200), nullable=False)
    copies = Column(Integer, nullable=False, default=1)
    original = Column(Boolean, nullable=False, default=False)
    note = Column(String(500))
    # No longer required of new applications; kept because received cases refer to it.
    retired = Column(Boolean, nullable=False, default=False, server_default=false())

    def __repr__(self):
        return self.name


class DisclosureCategory(Model):
    __tablename__ = "disclosure_category"
    __table_args__ = (UniqueConstraint("code", name="uq_disclosure_category_code"),)

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False)
    name = Column(String(200), nullable=False)
    position = Column(Integer, nullable=False, default=1)
    items = relationship(
        "DisclosureItem", back_populates="category", order_by="DisclosureItem.published_on"
    )

    def __repr__(self):
        return self.name


class DisclosureItem(Model):
    __tablename__ = "disclosure_item"

    id = Column(Integer, primary_key=True)
    category_id = Column(
        Integer,
        ForeignKey("disclosure_category.id", ondelete="RESTRICT"),
        nullable=False,
        index=True,
    )
    category = relationship("DisclosureCategory", back_populates="items")
    title = Column(String(300), nullable=False)
    content = Column(Text)
    responsible_division_id = Column(Integer, ForeignKey("division.id"), index=True)
    responsible_division = relationship("Division")
    published_on = Column(Date)
    public = Column(Boolean, nullable=False, default=True)

    def __repr__(self):
        return self.title
