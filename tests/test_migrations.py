"""The schema comes from Alembic: up to head and back down to base, matching the models."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_appbuilder import Model
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect

import app.models  # noqa: F401
from app.extensions import db
from tests.conftest import build_app
from tests.databases import on_postgres


@pytest.fixture
def empty_app(databases):
    url = databases.empty_url()
    application = build_app(url)
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


def table_names():
    return set(inspect(db.engine).get_table_names()) - {"alembic_version"}


def test_upgrade_creates_every_table_and_downgrade_removes_them(empty_app):
    upgrade()
    assert table_names() == set(Model.metadata.tables)
    downgrade(revision="base")
    assert table_names() == set()


def test_models_and_migrations_agree(empty_app):
    upgrade()
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, Model.metadata)
    assert differences == [], "run `flask db migrate` and commit the new revision"


@pytest.mark.skipif(not on_postgres(), reason="needs TEST_DATABASE_URL (PostgreSQL)")
def test_runs_on_postgresql(empty_app):
    assert db.engine.dialect.name == "postgresql"
