"""The bureau's organisation: one table for every kind of unit."""

import enum

from flask import has_request_context
from flask_appbuilder import Model
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship


class DivisionKind(enum.StrEnum):
    DIVISION = "division"
    COUNTY = "county"
    BRANCH = "branch"
    AGENCY = "agency"
    WINDOW = "window"
    EXTERNAL = "external"

    @property
    def label(self):
        return DIVISION_KIND_LABELS[self]


DIVISION_KIND_LABELS = {
    DivisionKind.DIVISION: _l("City bureau division"),
    DivisionKind.COUNTY: _l("County bureau"),
    DivisionKind.BRANCH: _l("Branch bureau"),
    DivisionKind.AGENCY: _l("Intermediary agency"),
    DivisionKind.WINDOW: _l("Service window"),
    DivisionKind.EXTERNAL: _l("External department"),
}

KIND_VALUES = tuple(kind.value for kind in DivisionKind)


class Division(Model):
    """A 处室, county bureau, branch, agency, window or external department."""

    __tablename__ = "division"
    __table_args__ = (
        CheckConstraint(
            "kind IN ({})".format(", ".join(f"'{v}'" for v in KIND_VALUES)),
            name="ck_division_kind",
        ),
        UniqueConstraint("code", name="uq_division_code"),
    )

    id = Column(Integer, primary_key=True)
    code = Column(String(32), nullable=False)
    name = Column(String(100), nullable=False)
    name_en = Column(String(100))
    kind = Column(String(16), nullable=False, default=DivisionKind.DIVISION.value)
    parent_id = Column(Integer, ForeignKey("division.id", ondelete="SET NULL"))
    parent = relationship("Division", remote_side=[id], backref="children")
    active = Column(Boolean, nullable=False, default=True)

    @property
    def kind_label(self):
        return DivisionKind(self.kind).label

    @property
    def display_name(self):
        """The name in the reader's language: the English name on English pages, when it is set.
        ``repr`` stays the Chinese name, so what the audit trail records does not depend on who
        was reading."""
        if self.name_en and _reader_locale() == "en":
            return self.name_en
        return self.name

    def __repr__(self):
        return self.name


def _reader_locale():
    if not has_request_context():
        return None
    locale = get_locale()
    return locale.language if locale is not None else None


leader_oversight = Table(
    "leader_oversight",
    Model.metadata,
    Column("user_id", Integer, ForeignKey("ab_user.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "division_id",
        Integer,
        ForeignKey("division.id", ondelete="CASCADE"),
        primary_key=True,
    ),
)
