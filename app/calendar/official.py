"""The official calendar shipped in the ``chinesecalendar`` package (State Council notices).

The package ships a ``holidays`` and a ``workdays`` dict (date -> holiday's English
name); the years it supports are those of its holidays, as in its own checks.
"""

from collections import defaultdict
from dataclasses import dataclass

from chinese_calendar.constants import Holiday, holidays, workdays
from sqlalchemy import select

from app.calendar.store import DayEntry, publish_years
from app.models.calendar import CalendarSource, CalendarYear, DayKind


def official_years() -> range:
    """The years the installed package covers."""
    years = [day.year for day in holidays]
    return range(min(years), max(years) + 1)


def official_lists() -> dict[int, list[DayEntry]]:
    """Every year's holidays and adjusted workdays, named in Chinese (春节, 国庆节...)."""
    lists = defaultdict(list)
    for source, kind in ((holidays, DayKind.HOLIDAY), (workdays, DayKind.WORKDAY)):
        for day, english in source.items():
            lists[day.year].append(DayEntry(day, kind, Holiday(english).chinese))
    return {year: sorted(lists[year], key=lambda e: e.date) for year in official_years()}


@dataclass(frozen=True)
class OfficialLoad:
    changed: list[int]
    unchanged: list[int]
    kept_admin: list[int]


def load_official(session, replace_admin: bool = False) -> OfficialLoad:
    """Load every year of the package, idempotently; years the Admin published by
    hand are kept unless ``replace_admin``."""
    lists = official_lists()
    admin_years = set(
        session.scalars(
            select(CalendarYear.year).where(
                CalendarYear.published.is_(True),
                CalendarYear.source == CalendarSource.ADMIN.value,
            )
        )
    )
    kept = [] if replace_admin else sorted(admin_years & lists.keys())
    for year in kept:
        del lists[year]
    changed = publish_years(session, lists, CalendarSource.OFFICIAL)
    unchanged = sorted(set(lists) - set(changed))
    return OfficialLoad(changed=changed, unchanged=unchanged, kept_admin=kept)
