"""Parsing a year's official list pasted by the Admin, one day per line::

    2027-01-01 holiday 元旦
    2027-02-07 workday 春节调休
    2027-02-11 休 春节

Fields are separated by spaces, tabs or commas; ``休`` means holiday and ``班``
workday; blank lines and lines starting with ``#`` are ignored. Every line is
checked, and all errors are returned with their row numbers; the caller writes
nothing unless there are none.
"""

import re
from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l

from app.calendar.store import DayEntry
from app.models.calendar import CalendarDay, DayKind

KIND_WORDS = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "workday": DayKind.WORKDAY,
    "班": DayKind.WORKDAY,
}
FIELD_SEPARATORS = re.compile(r"[\s,，]+")
NAME_MAX = CalendarDay.name.type.length


@dataclass
class PastedList:
    entries: list[DayEntry] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def parse_year_list(text: str, year: int) -> PastedList:
    result = PastedList()
    first_row = {}
    for row, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        entry, error = _parse_line(line, row, year)
        if error is None and entry.date in first_row:
            error = _l(
                "Row %(row)d: %(date)s is already listed on row %(first)d.",
                row=row,
                date=entry.date.isoformat(),
                first=first_row[entry.date],
            )
        if error is not None:
            result.errors.append(error)
            continue
        first_row[entry.date] = row
        result.entries.append(entry)
    if not result.entries and not result.errors:
        result.errors.append(_l("Paste at least one line."))
    return result


def _parse_line(line, row, year):
    parts = FIELD_SEPARATORS.split(line, maxsplit=2)
    if len(parts) < 3:
        return None, _l(
            "Row %(row)d: expected a date, a kind and a name, e.g. 2027-01-01 holiday 元旦.",
            row=row,
        )
    text_date, word, name = parts[0], parts[1].lower(), parts[2].strip()
    try:
        day = date.fromisoformat(text_date)
    except ValueError:
        return None, _l(
            "Row %(row)d: %(value)s is not a date (YYYY-MM-DD).", row=row, value=text_date
        )
    if day.year != year:
        return None, _l(
            "Row %(row)d: %(date)s is not in %(year)d.", row=row, date=text_date, year=year
        )
    kind = KIND_WORDS.get(word)
    if kind is None:
        return None, _l(
            "Row %(row)d: the kind must be holiday (休) or workday (班), not %(value)s.",
            row=row,
            value=parts[1],
        )
    if kind == DayKind.WORKDAY and day.weekday() < 5:
        return None, _l(
            "Row %(row)d: %(date)s is a weekday, so it is a working day already.",
            row=row,
            date=text_date,
        )
    if len(name) > NAME_MAX:
        return None, _l(
            "Row %(row)d: the name is longer than %(max)d characters.", row=row, max=NAME_MAX
        )
    return DayEntry(day, kind, name), None
