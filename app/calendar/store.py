"""Storing a year's official list: replace its special days and mark it published.

One transaction for all the years of one action; ``calendar_year_published`` is
sent after the commit for every year whose list or publication changed, so a
repeated load with the same data changes nothing and signals nothing.
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import select

from app.calendar.signals import calendar_year_published
from app.models.calendar import CalendarDay, CalendarSource, CalendarYear, DayKind


@dataclass(frozen=True)
class DayEntry:
    """One line of an official list: a holiday or an adjusted workday, with its name."""

    date: date
    kind: DayKind
    name: str


def changes_weekend_rule(day: date, kind: DayKind) -> bool:
    """Only a holiday on a weekday or a workday on a weekend needs storing."""
    weekday = day.weekday() < 5
    return weekday if kind == DayKind.HOLIDAY else not weekday


def ensure_year(session, year: int) -> CalendarYear:
    """The year's row, created unpublished when missing (a day needs its year)."""
    with session.no_autoflush:  # a day being edited may already point at the new year
        row = session.scalar(select(CalendarYear).where(CalendarYear.year == year))
    if row is None:
        row = CalendarYear(year=year, published=False, source=CalendarSource.ADMIN.value)
        session.add(row)
    return row


def publish_years(
    session,
    lists: Mapping[int, Iterable[DayEntry]],
    source: CalendarSource,
) -> list[int]:
    """Make each year's stored days equal its list and mark it published; commit once,
    then signal. Returns the years that changed. Entries on days the weekend rule
    already decides (a holiday on a Sunday) are not stored."""
    years = sorted(lists)
    rows = {
        row.year: row
        for row in session.scalars(select(CalendarYear).where(CalendarYear.year.in_(years)))
    }
    stored = defaultdict(dict)
    for day in session.scalars(select(CalendarDay).where(CalendarDay.year.in_(years))):
        stored[day.year][day.date] = day
    now = datetime.now(UTC).replace(tzinfo=None)
    changed = [
        year
        for year in years
        if _replace_year(session, rows.get(year), year, stored[year], lists[year], source, now)
    ]
    session.commit()
    for year in changed:
        calendar_year_published.send(year)
    return changed


def _replace_year(session, row, year, stored, entries, source, now):
    if row is None:
        row = CalendarYear(year=year, published=False, source=source.value)
        session.add(row)
    wanted = {
        entry.date: entry for entry in entries if changes_weekend_rule(entry.date, entry.kind)
    }
    changed = not row.published or row.source != source.value
    for day in stored.keys() - wanted.keys():
        session.delete(stored[day])
        changed = True
    for day, entry in wanted.items():
        values = {"kind": entry.kind.value, "name": entry.name, "source": source.value}
        current = stored.get(day)
        if current is None:
            session.add(CalendarDay(date=day, calendar_year=row, **values))
            changed = True
        elif any(getattr(current, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(current, key, value)
            changed = True
    if changed:
        row.published, row.source, row.loaded_at = True, source.value, now
    return changed


def signal_published_corrections(session, years: Iterable[int]):
    """After the Admin edited days by hand (committed): a correction to a published
    year's list is a new publication of that year; unpublished years stay silent."""
    published = session.scalars(
        select(CalendarYear.year).where(
            CalendarYear.year.in_(sorted(years)), CalendarYear.published.is_(True)
        )
    )
    for year in sorted(published):
        calendar_year_published.send(year)
