"""Shared helpers of the calendar tests."""

from contextlib import contextmanager
from datetime import datetime

from sqlalchemy import event, func, select

from app.calendar.signals import calendar_year_published
from app.calendar.workdays import TZ
from app.extensions import db
from app.models.calendar import CalendarDay, CalendarYear


def shanghai(*args):
    return datetime(*args, tzinfo=TZ)


@contextmanager
def count_statements():
    """Counts the SQL statements run on the app's engine inside the block."""
    statements = []

    def record(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


@contextmanager
def published_years_signalled():
    """Collects the years sent with calendar_year_published inside the block."""
    years = []

    def receive(year):
        years.append(year)

    calendar_year_published.connect(receive)
    try:
        yield years
    finally:
        calendar_year_published.disconnect(receive)


def stored_days(year):
    return {
        (day.date.isoformat(), day.kind, day.name, day.source)
        for day in db.session.scalars(select(CalendarDay).where(CalendarDay.year == year))
    }


def year_row(year):
    return db.session.scalar(select(CalendarYear).where(CalendarYear.year == year))


def day_count():
    return db.session.scalar(select(func.count()).select_from(CalendarDay))
