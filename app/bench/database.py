"""The benchmark's own database: never the console's, unless asked for by name.

``bench_app(url)`` builds a complete console on ``url``; ``prepare(app)`` gives an empty
database the schema (migrations), the roles and the demo organisation and catalog, as
`make run` would.
"""

from pathlib import Path

from flask import current_app
from flask_migrate import upgrade
from sqlalchemy import create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy_utils import create_database, database_exists

from app.calendar.official import load_official
from app.demo.catalog_seed import seed_catalog
from app.demo.petition_seed import seed_petition_categories
from app.demo.seed import seed_organisation
from app.extensions import db
from app.security.roles import sync_roles
from config import CONFIGS, INSTANCE_DIR


def default_url():
    return f"sqlite:///{Path(INSTANCE_DIR) / 'bench.db'}"


def check_not_app_database(url, allowed):
    """The console's own database only when the caller said so."""
    own = make_url(current_app.config["SQLALCHEMY_DATABASE_URI"])
    if make_url(url) == own and not allowed:
        raise RuntimeError(
            "refusing to write benchmark data into the console's own database; "
            "pass --on-app-database to do it anyway"
        )


def bench_app(url, **overrides):
    """A console on ``url``, configured like the one running the command."""
    from app import create_app

    config = CONFIGS[current_app.config.get("ENV_NAME", "production")]
    settings = {
        "SECRET_KEY": current_app.config["SECRET_KEY"],
        "CHECK_DATABASE_ON_START": False,
        "SQLALCHEMY_DATABASE_URI": url,
        "RATELIMIT_ENABLED": False,
        "AUTH_RATE_LIMITED": False,
        "WTF_CSRF_ENABLED": False,
        **overrides,
    }
    return create_app(config, **settings)


def prepare(app):
    """Schema, roles, demo organisation, calendar, catalog and petition categories; idempotent."""
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    if not database_exists(url):
        create_database(url)
    with app.app_context():
        upgrade()
        sync_roles()
        seed_organisation(app.config["DEMO_PASSWORD"])
        load_official(db.session)
        seed_catalog()
        seed_petition_categories()
        db.session.commit()


def fast_engine(url):
    """An engine for bulk writes: SQLite without fsync (a scratch file)."""
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":

        @event.listens_for(engine, "connect")
        def _no_sync(dbapi_connection, _record):
            dbapi_connection.execute("PRAGMA synchronous=OFF")
            dbapi_connection.execute("PRAGMA journal_mode=WAL")

    return engine


def analyze(engine):
    """Fresh planner statistics after a bulk load."""
    with engine.begin() as connection:
        connection.execute(text("ANALYZE"))


def figures():
    """How big the benchmark database is, in words."""
    from app.models.audit import AuditEvent
    from app.models.cases import Case, Opinion, Task

    counts = {
        name: db.session.query(model).count()
        for name, model in (
            ("cases", Case),
            ("tasks", Task),
            ("opinions", Opinion),
            ("audit events", AuditEvent),
        )
    }
    return ", ".join(f"{count:,} {name}" for name, count in counts.items())
