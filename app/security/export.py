"""Spreadsheet exports that cannot run formulas (CSV/formula injection).

Excel, WPS and LibreOffice read a cell beginning with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return before one) as a formula, and a formula can fetch URLs or run commands.
Every text cell of an export goes through :func:`neutralise_cell`, which prefixes such text
with an apostrophe, the spreadsheet convention for "this is text". Numbers, dates and
booleans are left as they are; only text can smuggle a formula.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def neutralise_cell(value):
    """The value, with an apostrophe before text a spreadsheet would read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_row(values):
    return [neutralise_cell(value) for value in values]
