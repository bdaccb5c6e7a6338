"""The official calendar in the database: loading, snapshots in one query, publication."""

from datetime import date

from sqlalchemy import select

from app.calendar.official import official_lists, official_years
from app.calendar.signals import calendar_year_published
from app.calendar.store import DayEntry, publish_years
from app.calendar.workdays import Calendar, add_working_days
from app.extensions import db
from app.models.calendar import CalendarDay, CalendarSource, CalendarYear, DayKind
from tests.calendar_helpers import (
    count_statements,
    day_count,
    published_years_signalled,
    shanghai,
    stored_days,
    year_row,
)

PASTED_2027 = [
    DayEntry(date(2027, 1, 1), DayKind.HOLIDAY, "元旦"),
    DayEntry(date(2027, 1, 2), DayKind.HOLIDAY, "元旦"),  # a Saturday: not stored
    DayEntry(date(2027, 2, 6), DayKind.WORKDAY, "春节"),
]


def calendar_rows():
    years = db.session.execute(
        select(
            CalendarYear.year, CalendarYear.published, CalendarYear.source, CalendarYear.loaded_at
        )
    ).all()
    days = db.session.execute(select(CalendarDay.date, CalendarDay.kind, CalendarDay.name)).all()
    return sorted(years), sorted(days)


def test_seeded_database_has_every_official_year_published(app):
    published = db.session.scalars(
        select(CalendarYear.year).where(CalendarYear.published.is_(True))
    ).all()
    assert sorted(published) == list(official_years())
    assert year_row(2027) is None


def test_only_days_that_break_the_weekend_rule_are_stored(app):
    assert stored_days(2026) >= {
        ("2026-02-14", "workday", "春节", "chinesecalendar"),  # Saturday, worked
        ("2026-02-16", "holiday", "春节", "chinesecalendar"),  # Monday, off
    }
    assert not any(day == "2026-02-15" for day, *_ in stored_days(2026))  # Sunday


def test_load_official_twice_changes_nothing(app, runner):
    before = calendar_rows()
    with published_years_signalled() as signalled:
        result = runner.invoke(args=["calendar", "load-official"])
    assert result.exit_code == 0, result.output
    assert f"0 years loaded or updated, {len(official_years())} unchanged" in result.output
    assert calendar_rows() == before
    assert signalled == []


def test_load_official_restores_a_deleted_day_and_signals_its_year(app, runner):
    spring_monday = db.session.scalar(
        select(CalendarDay).where(CalendarDay.date == date(2026, 2, 16))
    )
    db.session.delete(spring_monday)
    db.session.commit()
    with published_years_signalled() as signalled:
        result = runner.invoke(args=["calendar", "load-official"])
    assert "1 years loaded or updated" in result.output
    assert ("2026-02-16", "holiday", "春节", "chinesecalendar") in stored_days(2026)
    assert signalled == [2026]


def test_load_official_keeps_a_year_the_admin_published_unless_asked(app, runner):
    publish_years(
        db.session, {2026: [DayEntry(date(2026, 3, 2), DayKind.HOLIDAY, "x")]}, CalendarSource.ADMIN
    )

    kept = runner.invoke(args=["calendar", "load-official"])
    assert "kept the Admin's lists of 2026" in kept.output
    assert stored_days(2026) == {("2026-03-02", "holiday", "x", "admin")}

    runner.invoke(args=["calendar", "load-official", "--replace-admin"])
    db.session.expire_all()
    assert year_row(2026).source == CalendarSource.OFFICIAL
    assert len(stored_days(2026)) == len(
        [e for e in official_lists()[2026] if (e.date.weekday() < 5) == (e.kind == "holiday")]
    )


def test_demo_seed_loads_the_calendar(app, runner):
    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "official calendar 2004-2026" in result.output


def test_snapshot_is_one_query(app):
    with count_statements() as statements:
        Calendar.for_working_days(db.session, shanghai(2026, 2, 11, 9), 20)
    assert len(statements) == 1


def test_adding_working_days_does_no_io(app):
    calendar = Calendar.for_working_days(db.session, shanghai(2026, 2, 11, 9), 20)
    with count_statements() as statements:
        deadline = add_working_days(shanghai(2026, 2, 11, 9), 20, calendar)
    assert statements == []
    assert deadline.due_at.date() == date(2026, 3, 17)


def test_snapshot_from_the_database_knows_published_years(app):
    calendar = Calendar.for_period(db.session, date(2026, 1, 1), date(2027, 12, 31))
    assert calendar.years == {2026, 2027}
    assert calendar.published_years == {2026}


def test_publishing_a_year_makes_its_due_dates_final(app):
    start = shanghai(2026, 12, 28, 9)

    def deadline():
        return add_working_days(start, 10, Calendar.for_working_days(db.session, start, 10))

    before = deadline()
    publish_years(db.session, {2027: PASTED_2027}, CalendarSource.ADMIN)
    after = deadline()

    assert (before.provisional, before.due_at.date()) == (True, date(2027, 1, 11))
    assert (after.provisional, after.due_at.date()) == (False, date(2027, 1, 12))
    new_year = next(entry for entry in after.explain() if entry["date"] == "2027-01-01")
    assert (new_year["reason"], new_year["name"]) == ("holiday", "元旦")
    assert "unpublished_year" not in {entry["reason"] for entry in after.explain()}


def test_publishing_signals_after_the_commit(app):
    seen = {}

    def receive(year):
        # another connection sees the year published: the commit happened first
        with db.engine.connect() as conn:
            seen[year] = conn.execute(
                select(CalendarYear.published).where(CalendarYear.year == year)
            ).scalar()

    calendar_year_published.connect(receive)
    try:
        publish_years(db.session, {2027: PASTED_2027}, CalendarSource.ADMIN)
    finally:
        calendar_year_published.disconnect(receive)
    assert seen == {2027: True}


def test_publishing_replaces_the_years_entries(app):
    count_before = day_count()
    publish_years(
        db.session,
        {2026: [DayEntry(date(2026, 3, 2), DayKind.HOLIDAY, "x")]},
        CalendarSource.ADMIN,
    )
    assert stored_days(2026) == {("2026-03-02", "holiday", "x", "admin")}
    assert day_count() < count_before
    assert stored_days(2025)  # other years untouched
