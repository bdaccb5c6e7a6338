"""The applicant's rating of a finished case (好差评), given once on the public portal."""

import enum

from flask_appbuilder import Model
from sqlalchemy import (
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import backref, relationship

COMMENT_MAX_LENGTH = 500


class SatisfactionLevel(enum.StrEnum):
    """The five levels, the same codes as a petition's satisfaction."""

    VERY_SATISFIED = "very_satisfied"  # 非常满意
    SATISFIED = "satisfied"  # 满意
    BASICALLY_SATISFIED = "basically_satisfied"  # 基本满意
    DISSATISFIED = "dissatisfied"  # 不满意
    VERY_DISSATISFIED = "very_dissatisfied"  # 非常不满意


LEVEL_VALUES = tuple(level.value for level in SatisfactionLevel)


class CaseRating(Model):
    """One rating per case (the unique case_id says "once"); read by the case page and
    the statistics."""

    __tablename__ = "case_rating"
    __table_args__ = (
        CheckConstraint(
            "level IN ({})".format(", ".join(f"'{v}'" for v in LEVEL_VALUES)),
            name="ck_case_rating_level",
        ),
        UniqueConstraint("case_id", name="uq_case_rating_case"),
    )

    id = Column(Integer, primary_key=True)
    case_id = Column(Integer, ForeignKey("case.id", ondelete="CASCADE"), nullable=False)
    case = relationship("Case", backref=backref("rating", uselist=False))
    level = Column(String(24), nullable=False, index=True)
    comment = Column(Text)  # at most COMMENT_MAX_LENGTH characters, checked on the way in
    rated_at = Column(DateTime, nullable=False, index=True)

    def __repr__(self):
        return f"{self.case_id}: {self.level}"
