"""Every statistic as XLSX (openpyxl): one sheet per table, the filters in the first row.

Row 1: the filters (``from``, ``to`` and the codes chosen, "—" for none); row 2: the
table's title; row 3: the column headers; then the rows, numbers as numbers (rates as
fractions with a percent format). Text goes through
:func:`app.security.export.neutralise_cell`, so a name cannot smuggle a formula.
"""

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook

from app.labels import EMPTY
from app.security.export import neutralise_cell, neutralise_row
from app.stats.tables import RATE


def filter_row(header):
    labels = {
        "from": _("From"),
        "to": _("To"),
        "division": _("Division"),
        "matter": _("Matter"),
        "unit": _("Unit"),
    }
    return [f"{labels[name]}: {value or EMPTY}" for name, value in header.items()]


def workbook(header, tables):
    """The XLSX bytes of ``tables`` (app/stats/tables.py) under the filters ``header``."""
    book = Workbook()
    book.remove(book.active)
    filters = neutralise_row(filter_row(header))
    for table in tables:
        sheet = book.create_sheet(table.key[:31])
        sheet.append(filters)
        sheet.append([neutralise_cell(str(table.title))])
        sheet.append(neutralise_row([str(column.header) for column in table.columns]))
        for row in table.rows:
            sheet.append([_cell(value) for value in row])
        for index, column in enumerate(table.columns, start=1):
            if column.kind == RATE:
                for (cell,) in sheet.iter_rows(min_row=4, min_col=index, max_col=index):
                    cell.number_format = "0.0%"
    stream = BytesIO()
    book.save(stream)
    return stream.getvalue()


def _cell(value):
    if value is None:
        return None
    if isinstance(value, int | float):
        return value
    return neutralise_cell(str(value))
