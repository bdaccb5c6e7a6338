"""Working days counted as the Civil Code counts periods, on the official 2026 calendar.

These tests build the calendar from the chinesecalendar package data, without a database.
"""

from datetime import UTC, date, datetime, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.calendar.official import official_lists, official_years
from app.calendar.store import changes_weekend_rule
from app.calendar.workdays import (
    TZ,
    Calendar,
    CalendarRangeError,
    Reason,
    add_working_days,
    is_working_day,
    working_days_between,
    working_days_left,
)
from app.models.calendar import DayKind


def official_calendar(years=None):
    """The package's calendar as the database stores it: weekend holidays left out."""
    holidays, workdays = {}, {}
    for entries in official_lists().values():
        for entry in entries:
            if not changes_weekend_rule(entry.date, entry.kind):
                continue
            target = holidays if entry.kind == DayKind.HOLIDAY else workdays
            target[entry.date] = entry.name
    return Calendar(holidays, workdays, published_years=official_years(), years=years)


CALENDAR = official_calendar()


def shanghai(*args):
    return datetime(*args, tzinfo=TZ)


def due_day(start, days, calendar=CALENDAR):
    return add_working_days(start, days, calendar).due_at.date()


def reasons_by_day(deadline):
    return {entry["date"]: entry["reason"] for entry in deadline.explain()}


@pytest.mark.parametrize(
    ("received", "days", "due"),
    [
        # Wed 11 Feb; Sat 14 Feb is an adjusted workday; 15-23 Feb is the Spring Festival.
        (date(2026, 2, 11), 3, date(2026, 2, 14)),
        (date(2026, 2, 11), 4, date(2026, 2, 24)),
        (date(2026, 2, 11), 5, date(2026, 2, 25)),
        # ... and Sat 28 Feb is the second adjusted workday.
        (date(2026, 2, 11), 8, date(2026, 2, 28)),
        (date(2026, 2, 11), 20, date(2026, 3, 17)),
        # National Day 1-7 Oct; Sat 10 Oct is an adjusted workday.
        (date(2026, 9, 29), 1, date(2026, 9, 30)),
        (date(2026, 9, 29), 2, date(2026, 10, 8)),
        (date(2026, 9, 29), 5, date(2026, 10, 12)),
        (date(2026, 9, 29), 20, date(2026, 11, 2)),
        # Mid-autumn Fri 25 Sep, and Sun 20 Sep is an adjusted workday.
        (date(2026, 9, 18), 1, date(2026, 9, 20)),
        (date(2026, 9, 24), 1, date(2026, 9, 28)),
    ],
)
def test_due_dates_on_the_official_2026_calendar(received, days, due):
    start = shanghai(received.year, received.month, received.day, 9, 30)
    assert due_day(start, days) == due


def test_due_date_ends_at_the_end_of_the_day_in_shanghai():
    deadline = add_working_days(shanghai(2026, 3, 9, 10), 1, CALENDAR)
    assert deadline.due_at == datetime(2026, 3, 10, 23, 59, 59, tzinfo=TZ)
    assert deadline.due_at.tzinfo == TZ


def test_start_day_is_not_counted_even_at_midnight():
    assert due_day(shanghai(2026, 3, 9, 0, 0), 1) == date(2026, 3, 10)


def test_utc_start_late_in_the_evening_is_the_next_day_in_shanghai():
    start = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)  # Tue 3 Mar 01:00 in Shanghai
    deadline = add_working_days(start, 1, CALENDAR)
    assert deadline.due_at == datetime(2026, 3, 4, 23, 59, 59, tzinfo=TZ)
    assert deadline.explain()[0]["date"] == "2026-03-03"


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (shanghai(2026, 3, 7, 11), date(2026, 3, 9)),  # Saturday
        (shanghai(2026, 3, 8, 11), date(2026, 3, 9)),  # Sunday
        (shanghai(2026, 10, 5, 11), date(2026, 10, 8)),  # Monday of National Day
        (shanghai(2026, 2, 23, 11), date(2026, 2, 24)),  # last day of the Spring Festival
    ],
)
def test_start_on_a_day_off_counts_from_the_next_working_day(start, due):
    assert due_day(start, 1) == due


def test_zero_days_end_with_the_start_day():
    deadline = add_working_days(shanghai(2026, 10, 3, 8), 0, CALENDAR)
    assert deadline.due_at == datetime(2026, 10, 3, 23, 59, 59, tzinfo=TZ)
    assert [entry["reason"] for entry in deadline.explain()] == ["start_not_counted"]


def test_negative_days_are_refused():
    with pytest.raises(ValueError, match="negative"):
        add_working_days(shanghai(2026, 3, 9), -1, CALENDAR)


def test_naive_start_is_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        add_working_days(datetime(2026, 3, 9, 9), 1, CALENDAR)


def test_trace_explains_the_spring_festival():
    deadline = add_working_days(shanghai(2026, 2, 11, 9), 5, CALENDAR)
    assert deadline.explain() == [
        entry("2026-02-11", "start", "start_not_counted"),
        entry("2026-02-12", "counted", "working_day", until="2026-02-13", counted=2),
        entry("2026-02-14", "counted", "adjusted_workday", "春节", counted=3),
        entry("2026-02-15", "skipped", "weekend"),
        *[entry(f"2026-02-{d}", "skipped", "holiday", "春节") for d in range(16, 21)],
        entry("2026-02-21", "skipped", "weekend"),
        entry("2026-02-22", "skipped", "weekend"),
        entry("2026-02-23", "skipped", "holiday", "春节"),
        entry("2026-02-24", "counted", "working_day", until="2026-02-25", counted=5),
    ]
    assert deadline.provisional is False


def entry(day, kind, reason, name=None, until=None, counted=None):
    return {
        "date": day,
        "until": until or day,
        "kind": kind,
        "reason": reason,
        "name": name,
        "counted": counted,
    }


def test_due_date_in_an_unpublished_year_is_provisional_and_says_why():
    assert 2027 not in official_years()
    deadline = add_working_days(shanghai(2026, 12, 28, 9), 10, CALENDAR)
    assert deadline.provisional is True
    assert deadline.due_at.date() == date(2027, 1, 11)  # weekends only: 1 Jan counted
    notes = [e for e in deadline.explain() if e["reason"] == Reason.UNPUBLISHED_YEAR]
    assert notes == [entry("2027-01-01", "note", "unpublished_year", "2027")]


def test_due_date_inside_a_published_year_is_not_provisional():
    assert add_working_days(shanghai(2026, 12, 1, 9), 10, CALENDAR).provisional is False


def test_known_days_of_an_unpublished_year_are_used_but_stay_provisional():
    calendar = Calendar(holidays={date(2027, 1, 1): "元旦"}, published_years={2026})
    deadline = add_working_days(shanghai(2026, 12, 31, 9), 1, calendar)
    assert deadline.due_at.date() == date(2027, 1, 4)
    assert deadline.provisional is True


def test_a_snapshot_refuses_days_outside_its_years():
    calendar = official_calendar(years={2026})
    with pytest.raises(CalendarRangeError):
        add_working_days(shanghai(2026, 12, 28, 9), 10, calendar)
    with pytest.raises(CalendarRangeError):
        working_days_between(shanghai(2026, 12, 28), shanghai(2027, 1, 5), calendar)


def test_a_day_cannot_be_both_holiday_and_workday():
    with pytest.raises(ValueError, match="both"):
        Calendar(holidays={date(2027, 1, 2): "x"}, workdays={date(2027, 1, 2): "y"})


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 14), True),  # adjusted Saturday
        (date(2026, 2, 16), False),  # Spring Festival Monday
        (date(2026, 2, 21), False),  # Saturday
        (date(2026, 2, 24), True),  # Tuesday
        (date(2027, 1, 1), True),  # unpublished year: weekends only
        (date(2027, 1, 2), False),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day, CALENDAR) is working


def test_working_days_between_counts_after_the_start_day():
    start = shanghai(2026, 2, 11, 9)
    assert working_days_between(start, shanghai(2026, 2, 11, 18), CALENDAR) == 0
    assert working_days_between(start, shanghai(2026, 2, 23, 18), CALENDAR) == 3
    assert working_days_between(start, shanghai(2026, 2, 24, 8), CALENDAR) == 4
    assert working_days_between(shanghai(2026, 2, 24, 8), start, CALENDAR) == -4


@pytest.mark.parametrize(
    ("now", "left"),
    [
        (shanghai(2026, 2, 11, 9), 5),
        (shanghai(2026, 2, 23, 9), 2),  # holiday: Tue 24 and Wed 25 remain
        (shanghai(2026, 2, 24, 9), 1),  # warning from here
        (shanghai(2026, 2, 25, 9), 0),  # the due day itself
        (shanghai(2026, 2, 26, 9), -1),  # one working day overdue
    ],
)
def test_working_days_left(now, left):
    due_at = add_working_days(shanghai(2026, 2, 11, 9), 5, CALENDAR).due_at
    assert working_days_left(now, due_at, CALENDAR) == left


moments = st.datetimes(
    min_value=datetime(2004, 1, 1), max_value=datetime(2026, 10, 31), timezones=st.just(UTC)
)


@settings(deadline=None, max_examples=300)
@given(start=moments, days=st.integers(min_value=0, max_value=300))
def test_between_round_trips_with_add(start, days):
    due_at = add_working_days(start, days, CALENDAR).due_at
    assert working_days_between(start, due_at, CALENDAR) == days


@settings(deadline=None, max_examples=300)
@given(start=moments, days=st.integers(min_value=1, max_value=40))
def test_add_agrees_with_the_chinesecalendar_package(start, days):
    """An independent oracle: the package's own is_workday, walked day by day."""
    due = add_working_days(start, days, CALENDAR).due_at.date()
    first = start.astimezone(TZ).date()
    walked = [first + timedelta(n) for n in range(1, (due - first).days + 1)]
    if due.year > official_years()[-1]:
        return
    assert chinese_calendar.is_workday(due)
    assert sum(chinese_calendar.is_workday(day) for day in walked) == days


@settings(deadline=None, max_examples=300)
@given(start=moments, days=st.integers(min_value=0, max_value=2000))
def test_span_stays_within_the_snapshot_bound(start, days):
    """Calendar.for_working_days loads 2n + 31 calendar days: enough, always."""
    due = add_working_days(start, days, CALENDAR).due_at.date()
    assert (due - start.astimezone(TZ).date()).days <= 2 * days + 31


@settings(deadline=None, max_examples=300)
@given(start=moments, end=moments)
def test_between_counts_the_working_days_walked(start, end):
    first, last = sorted((start.astimezone(TZ).date(), end.astimezone(TZ).date()))
    walked = (first + timedelta(n) for n in range(1, (last - first).days + 1))
    expected = sum(is_working_day(day, CALENDAR) for day in walked)
    assert abs(working_days_between(start, end, CALENDAR)) == expected
