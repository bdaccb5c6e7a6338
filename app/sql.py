"""Portable SQL pieces for set-based statements, on SQLite and PostgreSQL alike."""

from sqlalchemy import String
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.expression import ColumnElement

from app.extensions import db


def insert_new(model, key_column):
    """``INSERT ... ON CONFLICT (key) DO NOTHING`` for ``model``: rows whose unique key is
    taken (by an earlier run, or by a scan running at the same moment) are skipped."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(model).on_conflict_do_nothing(index_elements=[key_column])


class _BeijingFormat(ColumnElement):
    """A naive-UTC moment formatted in Beijing time (UTC+8, no daylight saving)."""

    inherit_cache = False  # ``pattern`` is not part of a cache key
    type = String()

    def __init__(self, column, pattern):
        self.column = column
        self.pattern = pattern  # "minute", "day" or "month"


_SQLITE = {"minute": "%Y-%m-%d %H:%M", "day": "%Y-%m-%d", "month": "%Y-%m"}
_POSTGRES = {"minute": "YYYY-MM-DD HH24:MI", "day": "YYYY-MM-DD", "month": "YYYY-MM"}


@compiles(_BeijingFormat, "sqlite")
def _sqlite_beijing(element, compiler, **kw):
    column = compiler.process(element.column, **kw)
    return f"strftime('{_SQLITE[element.pattern]}', {column}, '+8 hours')"


@compiles(_BeijingFormat, "postgresql")
def _postgres_beijing(element, compiler, **kw):
    column = compiler.process(element.column, **kw)
    return f"to_char({column} + interval '8 hours', '{_POSTGRES[element.pattern]}')"


def beijing_minute(column):
    return _BeijingFormat(column, "minute")


def beijing_month(column):
    return _BeijingFormat(column, "month")


def beijing_day(column):
    return _BeijingFormat(column, "day")
