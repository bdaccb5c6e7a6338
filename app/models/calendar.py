"""The working-day calendar: the days that break the weekend rule, and which years are known.

Weekends are computed, not stored. A ``CalendarDay`` is an exception to the
weekend rule: an official holiday on a weekday, or an adjusted working weekend
day (调休). A ``CalendarYear`` says whether a year's official list was loaded
(from the ``chinesecalendar`` package or pasted by the Admin): due dates that run
into an unpublished year are provisional (DESIGN §4).
"""

import enum

from flask_appbuilder import Model
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship, validates


class DayKind(enum.StrEnum):
    HOLIDAY = "holiday"  # an official holiday on a weekday: no work
    WORKDAY = "workday"  # an adjusted weekend day (调休): work

    @property
    def label(self):
        return DAY_KIND_LABELS[self]


DAY_KIND_LABELS = {
    DayKind.HOLIDAY: _l("Holiday"),
    DayKind.WORKDAY: _l("Adjusted workday"),
}


class CalendarSource(enum.StrEnum):
    OFFICIAL = "chinesecalendar"  # the installed chinesecalendar package
    ADMIN = "admin"  # entered or pasted by the Admin

    @property
    def label(self):
        return SOURCE_LABELS[self]


SOURCE_LABELS = {
    CalendarSource.OFFICIAL: _l("Official (chinesecalendar package)"),
    CalendarSource.ADMIN: _l("Entered by the Admin"),
}


def _in_clause(column, enum_class):
    return "{} IN ({})".format(column, ", ".join(f"'{member.value}'" for member in enum_class))


class CalendarYear(Model):
    """One year of the calendar; ``published`` once its official list is loaded."""

    __tablename__ = "calendar_year"
    __table_args__ = (
        UniqueConstraint("year", name="uq_calendar_year_year"),
        CheckConstraint(_in_clause("source", CalendarSource), name="ck_calendar_year_source"),
    )

    id = Column(Integer, primary_key=True)
    year = Column(Integer, nullable=False)
    published = Column(Boolean, nullable=False, default=False)
    source = Column(String(16), nullable=False, default=CalendarSource.ADMIN.value)
    loaded_at = Column(DateTime)  # UTC, when the official list was loaded
    days = relationship(
        "CalendarDay",
        back_populates="calendar_year",
        order_by="CalendarDay.date",
        cascade="all, delete-orphan",
    )

    @property
    def source_label(self):
        return CalendarSource(self.source).label

    def __repr__(self):
        return str(self.year)


class CalendarDay(Model):
    """A day that breaks the weekend rule; ``year`` is derived from ``date``."""

    __tablename__ = "calendar_day"
    __table_args__ = (
        UniqueConstraint("date", name="uq_calendar_day_date"),
        CheckConstraint(_in_clause("kind", DayKind), name="ck_calendar_day_kind"),
        CheckConstraint(_in_clause("source", CalendarSource), name="ck_calendar_day_source"),
    )

    id = Column(Integer, primary_key=True)
    date = Column(Date, nullable=False)
    year = Column(
        Integer,
        ForeignKey("calendar_year.year", ondelete="CASCADE"),
        nullable=False,
        index=True,
    )
    calendar_year = relationship("CalendarYear", back_populates="days")
    kind = Column(String(16), nullable=False)
    name = Column(String(100), nullable=False)
    source = Column(String(16), nullable=False, default=CalendarSource.ADMIN.value)

    @validates("date")
    def _derive_year(self, _key, value):
        if value is not None:
            self.year = value.year
        return value

    @property
    def kind_label(self):
        return DayKind(self.kind).label

    @property
    def source_label(self):
        return CalendarSource(self.source).label

    @property
    def weekday(self):
        return self.date.isoweekday() if self.date else None

    def __repr__(self):
        return f"{self.date.isoformat()} {self.kind} {self.name}"
