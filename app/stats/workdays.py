"""Working days between two moments, as an SQL expression (SQLite and PostgreSQL alike).

The same count as :func:`app.calendar.workdays.working_days_between`: the local
(Asia/Shanghai) days after the start day up to and including the end day that are
weekdays, minus the official holidays on weekdays, plus the adjusted working weekend
days (调休). Weekdays are counted arithmetically from a day number; the calendar's
exceptions by one correlated, indexed count over ``calendar_day`` (a few rows a year).
So a figure over 100,000 cases is one statement, never a Python loop.
"""

from sqlalchemy import Date, Integer, and_, case, func, literal, select, union
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from app.models.calendar import CalendarDay, DayKind

EPOCH = "1970-01-05"  # a Monday: day number 0, so ``number % 7`` is 0 on Mondays
SATURDAY = 5


class _LocalDate(ColumnElement):
    """The Beijing calendar day (UTC+8, no daylight saving) of a naive-UTC moment."""

    inherit_cache = True
    type = Date()

    def __init__(self, column):
        self.column = column


@compiles(_LocalDate, "sqlite")
def _sqlite_local_date(element, compiler, **kw):
    return f"date({compiler.process(element.column, **kw)}, '+8 hours')"


@compiles(_LocalDate, "postgresql")
def _postgres_local_date(element, compiler, **kw):
    return f"CAST({compiler.process(element.column, **kw)} + interval '8 hours' AS DATE)"


class _DayNumber(ColumnElement):
    """Days from :data:`EPOCH` to a date expression."""

    inherit_cache = True
    type = Integer()

    def __init__(self, day):
        self.day = day


@compiles(_DayNumber, "sqlite")
def _sqlite_day_number(element, compiler, **kw):
    day = compiler.process(element.day, **kw)
    return f"CAST(julianday({day}) - julianday('{EPOCH}') AS INTEGER)"


@compiles(_DayNumber, "postgresql")
def _postgres_day_number(element, compiler, **kw):
    return f"({compiler.process(element.day, **kw)} - DATE '{EPOCH}')"


def local_date(column):
    return _LocalDate(column)


def day_number(day):
    return _DayNumber(day)


def _weekdays_through(number):
    """Mondays to Fridays from the epoch through day ``number`` (differences only)."""
    days = number + 1
    rest = days % 7
    return (days // 7) * 5 + case((rest >= SATURDAY, SATURDAY), else_=rest)


def _exceptions_between(first, last):
    """Adjusted weekend workdays minus weekday holidays after ``first`` up to ``last``."""
    weekday = day_number(CalendarDay.date) % 7
    shift = case(
        (and_(CalendarDay.kind == DayKind.WORKDAY.value, weekday >= SATURDAY), 1),
        (and_(CalendarDay.kind == DayKind.HOLIDAY.value, weekday < SATURDAY), -1),
        else_=0,
    )
    return (
        select(func.coalesce(func.sum(shift), 0))
        .where(CalendarDay.date > first, CalendarDay.date <= last)
        .scalar_subquery()
    )


def working_days(start, end):
    """Working days after the local day of ``start`` up to the local day of ``end``
    (naive-UTC columns); negative spans count weekdays only (never asked here)."""
    first, last = local_date(start), local_date(end)
    return (
        _weekdays_through(day_number(last))
        - _weekdays_through(day_number(first))
        + _exceptions_between(first, last)
    )


def _working_day_ordinal(day):
    """Working days from the epoch through the local ``day`` (a date expression): only
    differences mean anything; the calendar's exceptions by one correlated count."""
    weekday = day_number(CalendarDay.date) % 7
    shift = case(
        (and_(CalendarDay.kind == DayKind.WORKDAY.value, weekday >= SATURDAY), 1),
        (and_(CalendarDay.kind == DayKind.HOLIDAY.value, weekday < SATURDAY), -1),
        else_=0,
    )
    exceptions = (
        select(func.coalesce(func.sum(shift), 0)).where(CalendarDay.date <= day).scalar_subquery()
    )
    return _weekdays_through(day_number(day)) + exceptions


def summed_working_days(source, keys, start_day, end_day, zeros=0):
    """Parts of a UNION whose ``days`` column sums, per group of ``keys``, to the working
    days from ``start_day`` to ``end_day`` of every row of ``source`` (a CTE whose day
    columns are local dates).

    Σ (ordinal(end) − ordinal(start)) is Σ count × ordinal per distinct day: the calendar
    is asked once per distinct day (a year has 365), not once per row, so 100,000 tasks
    cost grouped scans and a few hundred lookups. Each part is ``keys, days`` and then
    ``zeros`` columns of 0 (to line up with the other parts of the caller's UNION)."""
    days = union(
        select(start_day.label("day")).select_from(source),
        select(end_day.label("day")).select_from(source),
    ).cte(f"{source.name}_days")
    ordinals = (
        select(days.c.day, _working_day_ordinal(days.c.day).label("ordinal"))
        .cte(f"{source.name}_ordinals")
        .prefix_with("MATERIALIZED")  # computed once per day, whatever joins it
    )
    parts = []
    for day, sign in ((end_day, 1), (start_day, -1)):
        per_day = (
            select(*keys, day.label("day"), func.count().label("rows"))
            .select_from(source)
            .group_by(*keys, day)
            .subquery()
        )
        parts.append(
            select(
                *[per_day.c[key.name] for key in keys],
                (per_day.c.rows * ordinals.c.ordinal * sign).label("days"),
                *[literal(0) for _ in range(zeros)],
            ).join_from(per_day, ordinals, ordinals.c.day == per_day.c.day)
        )
    return parts
