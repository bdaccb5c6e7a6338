"""Texts built by the database, for set-based queuing (INSERT ... SELECT).

A reminder for 10,000 overdue tasks is one statement: its subject and body are
SQL expressions that put each row's values (receipt number, step, due date) into
the translated sentence of each recipient's language::

    body = localized(User.locale, lambda **v: _("Case %(receipt)s is overdue.", **v),
                     receipt=Case.receipt_no)

The sentence is translated once per language in Python (with markers in place
of the values), cut at the markers, and rejoined in SQL around the columns: a
``CASE`` on the recipient's language picks the right one.
"""

import re

from flask import current_app
from sqlalchemy import String, cast, func, literal
from sqlalchemy import case as when
from sqlalchemy.sql.expression import ColumnElement

from app.notify.outbox import DEFAULT_LOCALE, render

_MARK = "\x1f"
_SPLIT = re.compile(f"{_MARK}([a-z_]+){_MARK}")


def languages():
    return list(current_app.config.get("LANGUAGES", {DEFAULT_LOCALE: {}}))


def text(value):
    """A column or value as SQL text; NULL as ''."""
    if isinstance(value, str | int | float):
        return literal(str(value))
    return func.coalesce(cast(value, String), "")


def join(*parts):
    """``a || b || ...`` of SQL text pieces (portable: SQLite has no CONCAT before 3.44)."""
    expression = None
    for part in parts:
        piece = part if isinstance(part, ColumnElement) else literal(str(part))
        expression = piece if expression is None else expression.op("||")(piece)
    return expression if expression is not None else literal("")


def sentence(locale, message, **columns):
    """One language's sentence with the columns' SQL text in place of its values."""
    marked = render(locale, lambda: message(**{name: f"{_MARK}{name}{_MARK}" for name in columns}))
    pieces = _SPLIT.split(marked)  # text, name, text, name, ..., text
    parts = [
        text(columns[piece]) if index % 2 else piece
        for index, piece in enumerate(pieces)
        if index % 2 or piece
    ]
    return join(*parts)


def default_locale():
    return current_app.config.get("BABEL_DEFAULT_LOCALE", DEFAULT_LOCALE)


def localized(locale_column, message, **columns):
    """The sentence in the recipient's language (``locale_column``; NULL: the default)."""
    default = default_locale()
    others = [code for code in languages() if code != default]
    if not others:
        return sentence(default, message, **columns)
    chosen = func.coalesce(locale_column, default)
    return when(
        *[(chosen == code, sentence(code, message, **columns)) for code in others],
        else_=sentence(default, message, **columns),
    )
