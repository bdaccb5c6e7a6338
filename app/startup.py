"""Checks that turn a misconfigured start into one clear line, not a traceback."""

import os

import click
from alembic.config import Config as AlembicConfig
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError

MIN_SECRET_KEY_BYTES = 32


class StartupError(RuntimeError):
    """The console cannot start; the message says why and what to change."""


def check_secret_key(app: Flask) -> None:
    key = app.config.get("SECRET_KEY")
    if not key:
        raise StartupError(
            "SECRET_KEY is not set: export SECRET_KEY=<a long random string> "
            "(only the development and testing configurations may run without it)."
        )
    size = len(key.encode() if isinstance(key, str) else key)
    if app.config.get("ENV_NAME") == "production" and size < MIN_SECRET_KEY_BYTES:
        raise StartupError(
            f"SECRET_KEY is {size} bytes; production needs at least {MIN_SECRET_KEY_BYTES}: "
            "export SECRET_KEY=$(python -c 'import secrets; print(secrets.token_hex(32))')"
        )


def check_database_url(app: Flask) -> None:
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or ""
    try:
        parsed = make_url(url)
    except (ArgumentError, ValueError):
        raise StartupError(
            f"DATABASE_URL is malformed: {url!r}; expected e.g. "
            "postgresql://user:password@host:5432/name or sqlite:////path/file.db"
        ) from None
    backend = parsed.drivername.split("+")[0]
    if backend not in {"sqlite", "postgresql", "mysql"}:
        raise StartupError(
            f"DATABASE_URL names an unsupported database {parsed.drivername!r}; "
            "use postgresql:// or sqlite://"
        )
    if backend != "sqlite" and not parsed.database:
        raise StartupError(
            f"DATABASE_URL names no database: {parsed.render_as_string(hide_password=True)}; "
            "add its name, e.g. postgresql://user:password@host:5432/sunshine"
        )


def ensure_sqlite_folder(app: Flask) -> None:
    """A fresh machine has no ``instance/``; SQLite needs the folder to exist."""
    url = make_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if url.drivername.split("+")[0] != "sqlite" or url.database in (None, "", ":memory:"):
        return
    folder = os.path.dirname(url.database) or "."
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError as exc:
        raise StartupError(
            f"cannot use {url.database!r} for the SQLite database: {folder!r} "
            f"cannot be a folder ({exc.strerror}); set DATABASE_URL to a path in a folder"
        ) from None


def check_database_reachable(app: Flask, db) -> None:
    try:
        with db.engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except (OperationalError, SQLAlchemyError) as exc:
        safe_url = make_url(app.config["SQLALCHEMY_DATABASE_URI"]).render_as_string(
            hide_password=True
        )
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise StartupError(f"cannot reach the database at {safe_url}: {reason}") from None


def loaded_by_a_command() -> bool:
    """True when a ``flask`` command other than ``run`` loads the app: ``db upgrade``,
    ``roles sync``... must work on a database that is not migrated yet."""
    context = click.get_current_context(silent=True)
    return context is not None and context.info_name != "run"


def check_database_migrated(app: Flask, db, migrations: str) -> None:
    """Serving an unmigrated database would answer 500 to every request: refuse."""
    script = ScriptDirectory.from_config(_alembic_config(migrations))
    with db.engine.connect() as connection:
        current = set(MigrationContext.configure(connection).get_current_heads())
    expected = set(script.get_heads())
    if current != expected:
        found = ", ".join(sorted(current)) or "none"
        raise StartupError(
            f"the database is not migrated (revision {found}, expected "
            f"{', '.join(sorted(expected))}): run `flask --app run db upgrade` first"
        )


def _alembic_config(migrations):
    config = AlembicConfig()
    config.set_main_option("script_location", migrations)
    return config
