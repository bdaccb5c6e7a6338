"""Working days: add and count them as the Civil Code counts periods, and explain the result.

Counting rule (民法典 art. 201): the day a period starts is not counted; a period of
N working days ends at the end (23:59:59 Asia/Shanghai) of the N-th working day
after the start day. A working day is a weekday that is not an official holiday,
or an adjusted weekend workday (调休).

A :class:`Calendar` is an immutable snapshot of the special days of some years,
loaded with ONE query (or built from plain dicts in tests); everything else here
is pure computation without I/O, so a due date costs one query, or none when the
caller passes a snapshot it already holds.

Complexity, for S special days in the snapshot:

- building a snapshot: O(S log S) (two sorted lists for counting);
- ``add_working_days(start, n)``: O(D) dictionary lookups, D = the calendar days
  walked, at most 2n + 31 (see :meth:`Calendar.for_working_days`);
- ``working_days_between`` / ``working_days_left``: O(log S), whatever the span:
  weekdays are counted arithmetically, special days by bisection.
"""

import enum
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from types import MappingProxyType
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.models.calendar import CalendarDay, CalendarYear, DayKind

TZ = ZoneInfo("Asia/Shanghai")
END_OF_DAY = time(23, 59, 59)
ONE_DAY = timedelta(days=1)


class Reason(enum.StrEnum):
    """Stable codes of a trace entry; the UI translates them (app/calendar/labels.py)."""

    START_NOT_COUNTED = "start_not_counted"
    WEEKEND = "weekend"
    HOLIDAY = "holiday"
    ADJUSTED_WORKDAY = "adjusted_workday"
    WORKING_DAY = "working_day"
    UNPUBLISHED_YEAR = "unpublished_year"


TRACE_KINDS = {
    Reason.START_NOT_COUNTED: "start",
    Reason.WEEKEND: "skipped",
    Reason.HOLIDAY: "skipped",
    Reason.ADJUSTED_WORKDAY: "counted",
    Reason.WORKING_DAY: "counted",
    Reason.UNPUBLISHED_YEAR: "note",
}


class CalendarRangeError(ValueError):
    """A day outside the years the snapshot was loaded for: load a wider span."""


@dataclass(frozen=True)
class SpecialDay:
    kind: DayKind
    name: str


class Calendar:
    """An immutable snapshot of special days and published years.

    ``years`` is the set of years the snapshot covers (``None``: every year; a
    year without data then simply follows the weekend rule, unpublished); data
    of other years is dropped. Asking about a day outside the covered years
    raises :class:`CalendarRangeError` rather than silently guessing.
    """

    __slots__ = ("_special", "_published", "_years", "_off_weekdays", "_on_weekends")

    def __init__(
        self,
        holidays: Mapping[date, str] | None = None,
        workdays: Mapping[date, str] | None = None,
        published_years: Iterable[int] = (),
        years: Iterable[int] | None = None,
    ):
        self._years = None if years is None else frozenset(years)
        holidays = {d: name for d, name in (holidays or {}).items() if self.covers(d.year)}
        workdays = {d: name for d, name in (workdays or {}).items() if self.covers(d.year)}
        both = holidays.keys() & workdays.keys()
        if both:
            raise ValueError(f"{min(both)} cannot be both a holiday and a workday")
        special = {day: SpecialDay(DayKind.HOLIDAY, name) for day, name in holidays.items()}
        special.update({day: SpecialDay(DayKind.WORKDAY, name) for day, name in workdays.items()})
        self._special = MappingProxyType(special)
        self._published = frozenset(year for year in published_years if self.covers(year))
        # Only the days that change the weekend rule matter for counting.
        self._off_weekdays = tuple(sorted(d for d in holidays if _is_weekday(d)))
        self._on_weekends = tuple(sorted(d for d in workdays if not _is_weekday(d)))

    @classmethod
    def load(cls, session, years: Iterable[int] | None = None):
        """One query: the published flags and special days of ``years`` (None: all)."""
        statement = select(
            CalendarYear.year,
            CalendarYear.published,
            CalendarDay.date,
            CalendarDay.kind,
            CalendarDay.name,
        ).outerjoin(CalendarDay, CalendarDay.year == CalendarYear.year)
        if years is not None:
            years = frozenset(years)
            statement = statement.where(CalendarYear.year.in_(sorted(years)))
        holidays, workdays, published = {}, {}, set()
        for year, is_published, day, kind, name in session.execute(statement):
            if is_published:
                published.add(year)
            if day is not None:
                (holidays if kind == DayKind.HOLIDAY else workdays)[day] = name
        return cls(holidays, workdays, published, years)

    @classmethod
    def for_period(cls, session, start: date, end: date):
        """One query: every year from ``start`` to ``end`` (dates, or aware datetimes)."""
        first, last = local_day(start), local_day(end)
        return cls.load(session, range(min(first, last).year, max(first, last).year + 1))

    @classmethod
    def for_working_days(cls, session, start: datetime, days: int):
        """One query: enough years to add ``days`` working days to ``start``.

        N working days never span more than 2N + 31 calendar days: a year has
        at least ~245 working days (ratio < 1.5) and the longest official break
        (Spring Festival, with its weekends) is under a month.
        """
        first = local_day(start)
        return cls.for_period(session, first, first + timedelta(days=2 * max(days, 0) + 31))

    @property
    def years(self):
        """The covered years (a frozenset), or None when the snapshot covers every year."""
        return self._years

    @property
    def published_years(self):
        return self._published

    def covers(self, year: int) -> bool:
        return self._years is None or year in self._years

    def is_published(self, year: int) -> bool:
        return year in self._published

    def special(self, day: date) -> SpecialDay | None:
        self.require(day.year)
        return self._special.get(day)

    def require(self, *years: int):
        missing = sorted(year for year in years if not self.covers(year))
        if missing:
            raise CalendarRangeError(
                f"the calendar snapshot does not cover {missing[0]}: load a wider span"
            )

    def working_days_up_to(self, day: date) -> int:
        """Working days from 0001-01-01 through ``day``: weekdays, minus the holidays
        on weekdays, plus the adjusted weekend workdays (used for differences only)."""
        return (
            _weekdays_up_to(day)
            - bisect_right(self._off_weekdays, day)
            + bisect_right(self._on_weekends, day)
        )


@dataclass(frozen=True)
class TraceEntry:
    """One line of a due date's explanation.

    A run of ordinary working days is one entry from ``day`` to ``last_day``;
    ``counted`` is the number of working days counted once this entry is done.
    """

    day: date
    reason: Reason
    name: str | None = None
    last_day: date | None = None
    counted: int | None = None

    @property
    def kind(self) -> str:
        return TRACE_KINDS[self.reason]

    def as_dict(self) -> dict:
        return {
            "date": self.day.isoformat(),
            "until": (self.last_day or self.day).isoformat(),
            "kind": self.kind,
            "reason": self.reason.value,
            "name": self.name,
            "counted": self.counted,
        }


@dataclass(frozen=True)
class Deadline:
    """A due date, whether it may still move, and why it is what it is."""

    due_at: datetime
    provisional: bool
    trace: list[TraceEntry] = field(default_factory=list)

    def explain(self) -> list[dict]:
        """Locale-independent: dicts with ISO dates and reason codes, for JSON and timelines."""
        return [entry.as_dict() for entry in self.trace]


def local_day(moment: date) -> date:
    """The Asia/Shanghai calendar day of an aware datetime (a plain date is itself)."""
    if isinstance(moment, datetime):
        if moment.tzinfo is None or moment.utcoffset() is None:
            raise ValueError("a timezone-aware datetime is required")
        return moment.astimezone(TZ).date()
    return moment


def end_of_day(day: date) -> datetime:
    return datetime.combine(day, END_OF_DAY, tzinfo=TZ)


def classify(day: date, calendar: Calendar) -> tuple[bool, Reason, str | None]:
    """(is it a working day, why, the holiday's name) for one day."""
    special = calendar.special(day)
    weekday = _is_weekday(day)
    if special is not None and special.kind == DayKind.HOLIDAY:
        return False, Reason.HOLIDAY, special.name
    if special is not None and not weekday:
        return True, Reason.ADJUSTED_WORKDAY, special.name
    if not weekday:
        return False, Reason.WEEKEND, None
    return True, Reason.WORKING_DAY, None


def is_working_day(day: date, calendar: Calendar) -> bool:
    return classify(day, calendar)[0]


def add_working_days(start: datetime, days: int, calendar: Calendar) -> Deadline:
    """The end of the ``days``-th working day after the start day (Asia/Shanghai).

    ``days=0`` ends with the start day. Provisional when a day walked (after the
    start day) lies in a year whose official list is not published yet.
    """
    if days < 0:
        raise ValueError("the number of working days cannot be negative")
    day = local_day(start)
    trace = _TraceBuilder(day)
    counted = 0
    unpublished = set()
    while counted < days:
        day += ONE_DAY
        if not calendar.is_published(day.year) and day.year not in unpublished:
            calendar.require(day.year)
            unpublished.add(day.year)
            trace.note_unpublished(day)
        working, reason, name = classify(day, calendar)
        counted += working
        trace.add(day, reason, name, counted)
    return Deadline(end_of_day(day), bool(unpublished), trace.entries)


def working_days_between(start: datetime, end: datetime, calendar: Calendar) -> int:
    """Working days after the start day up to and including the end day.

    Negative when ``end`` is before ``start``. For any n,
    ``working_days_between(s, add_working_days(s, n, c).due_at, c) == n``.
    """
    first, last = local_day(start), local_day(end)
    calendar.require(*range(min(first, last).year, max(first, last).year + 1))
    return calendar.working_days_up_to(last) - calendar.working_days_up_to(first)


def working_days_left(now: datetime, due_at: datetime, calendar: Calendar) -> int:
    """Whole working days after today up to the due day: 0 on the due day itself,
    negative (working days overdue) after it. A task is in warning at <= 1."""
    return working_days_between(now, due_at, calendar)


def _is_weekday(day: date) -> bool:
    return day.weekday() < 5


def _weekdays_up_to(day: date) -> int:
    """Mondays to Fridays from 0001-01-01 (a Monday) through ``day``."""
    weeks, rest = divmod(day.toordinal(), 7)
    return weeks * 5 + min(rest, 5)


class _TraceBuilder:
    """Collects trace entries, merging consecutive ordinary working days into runs."""

    def __init__(self, start_day: date):
        self.entries = [TraceEntry(start_day, Reason.START_NOT_COUNTED)]

    def note_unpublished(self, day: date):
        self.entries.append(TraceEntry(day, Reason.UNPUBLISHED_YEAR, name=str(day.year)))

    def add(self, day: date, reason: Reason, name: str | None, counted: int):
        last = self.entries[-1]
        if (
            reason == Reason.WORKING_DAY
            and last.reason == Reason.WORKING_DAY
            and last.last_day == day - ONE_DAY
        ):
            self.entries[-1] = TraceEntry(last.day, reason, last_day=day, counted=counted)
        elif reason == Reason.WORKING_DAY:
            self.entries.append(TraceEntry(day, reason, last_day=day, counted=counted))
        else:
            counted_here = counted if reason == Reason.ADJUSTED_WORKDAY else None
            self.entries.append(TraceEntry(day, reason, name, counted=counted_here))
