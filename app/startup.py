"""Checks that turn a misconfigured start into one clear line, not a traceback."""

from flask import Flask
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, SQLAlchemyError


class StartupError(RuntimeError):
    """The console cannot start; the message says why and what to change."""


def check_secret_key(app: Flask) -> None:
    if not app.config.get("SECRET_KEY"):
        raise StartupError(
            "SECRET_KEY is not set: export SECRET_KEY=<a long random string> "
            "(only the development and testing configurations may run without it)."
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
    if parsed.drivername.split("+")[0] not in {"sqlite", "postgresql", "mysql"}:
        raise StartupError(
            f"DATABASE_URL names an unsupported database {parsed.drivername!r}; "
            "use postgresql:// or sqlite://"
        )


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
