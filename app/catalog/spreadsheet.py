"""The catalog's spreadsheet format: one table, in an XLSX workbook or a UTF-8 CSV file.

The first row names the columns (any order; :data:`COLUMNS` is the export order);
every later row is one record, its kind in the ``record`` column:

``matter``
    ``code`` (unique, the upsert key), ``name``, ``level`` (1–3), ``parent``
    (parent's code, empty at level 1), ``category`` (licence, non_licence, penalty,
    enforcement, levy, public_service), ``legal_basis``, ``conditions``,
    ``promised_days``, ``statutory_days``, ``max_extension_days`` (working days),
    ``fee_standard``, ``division`` (responsible unit code), ``workflow`` (template
    code; its current version), ``public``, ``active`` (yes/no).
``document``
    a required document of the matter whose code is in ``code``: ``name``,
    ``copies``, ``original`` (yes/no), ``note``. The documents of an imported
    matter are exactly its ``document`` rows, in file order.
``disclosure``
    a disclosure item: ``code`` (category code), ``category_name``, ``name``
    (title; with the category code the upsert key), ``content``, ``division``,
    ``published_on`` (YYYY-MM-DD), ``public`` (yes/no).

A text cell beginning with ``=``, ``+``, ``-``, ``@`` (or ``'``) is written with a
leading ``'`` so no spreadsheet program runs it as a formula; reading strips it.
"""

import csv
import io
import zipfile
from datetime import date, datetime
from pathlib import Path

from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import InvalidFileException

COLUMNS = (
    "record",
    "code",
    "name",
    "level",
    "parent",
    "category",
    "legal_basis",
    "conditions",
    "promised_days",
    "statutory_days",
    "max_extension_days",
    "fee_standard",
    "division",
    "workflow",
    "public",
    "active",
    "copies",
    "original",
    "note",
    "category_name",
    "content",
    "published_on",
)
SHEET_TITLE = "catalog"
FORMULA_STARTS = ("=", "+", "-", "@", "'")
QUOTE = "'"


class SpreadsheetError(ValueError):
    """The file is not a catalog spreadsheet at all (one clear line)."""


def neutralise(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return QUOTE + value
    return value


def restore(value):
    if isinstance(value, str) and value.startswith(QUOTE) and value[1:2] in FORMULA_STARTS:
        return value[1:]
    return value


def write_workbook(records, target):
    """Write ``records`` (dicts keyed by column) as XLSX to a path or binary stream."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET_TITLE)
    sheet.append(list(COLUMNS))
    for record in records:
        sheet.append([_cell(record.get(column)) for column in COLUMNS])
    workbook.save(target)


def _cell(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return neutralise(value)


def read_rows(path):
    """``[(row number, {column: value})]`` from an XLSX or CSV file; empty rows skipped."""
    path = Path(path)
    table = _xlsx_table(path) if zipfile.is_zipfile(path) else _csv_table(path)
    if not table or "record" not in [_header(h) for h in table[0]]:
        raise SpreadsheetError(
            f"{path.name} is not a catalog spreadsheet: its first row must name the columns "
            f"({', '.join(COLUMNS[:4])}, …)"
        )
    header = [_header(h) for h in table[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise SpreadsheetError(f"{path.name}: unknown column(s) {', '.join(unknown)}")
    rows = []
    for number, cells in enumerate(table[1:], start=2):
        values = {h: _value(c) for h, c in zip(header, cells, strict=False) if h}
        if any(v is not None for v in values.values()):
            rows.append((number, values))
    return rows


def _header(cell):
    return str(cell).strip().lower() if cell is not None else ""


def _value(cell):
    if isinstance(cell, datetime):
        return cell.date()
    if isinstance(cell, str):
        cell = cell.strip()
        return restore(cell) if cell else None
    return cell


def _xlsx_table(path):
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError) as exc:
        raise SpreadsheetError(f"{path.name} is not an XLSX workbook ({exc})") from None
    try:
        sheet = workbook[SHEET_TITLE] if SHEET_TITLE in workbook.sheetnames else workbook.active
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def _csv_table(path):
    raw = path.read_bytes()
    if b"\x00" in raw:
        raise SpreadsheetError(f"{path.name} is not a spreadsheet: expected XLSX or UTF-8 CSV")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SpreadsheetError(
            f"{path.name} is not a spreadsheet: expected XLSX or UTF-8 CSV"
        ) from None
    try:
        return [row for row in csv.reader(io.StringIO(text)) if row]
    except csv.Error as exc:
        raise SpreadsheetError(f"{path.name} is not a readable CSV file ({exc})") from None
