"""Fixtures: an app per test on a fresh copy of a migrated, seeded database."""

import pytest
from flask import has_app_context
from flask.testing import FlaskClient
from flask_migrate import upgrade

from app import create_app
from app.calendar.official import load_official
from app.demo.catalog_seed import seed_catalog
from app.demo.petition_seed import seed_petition_categories
from app.demo.seed import seed_organisation
from app.extensions import db
from app.security.roles import sync_roles
from config import TestingConfig
from tests.databases import TEST_DATABASE_URL, PostgresDatabases, SqliteDatabases

DEMO_PASSWORD = TestingConfig.DEMO_PASSWORD

# the live server and browser fixtures; the portal tests' ``api`` and ``matter``
pytest_plugins = ["tests.browser", "tests.portal_helpers"]


class IsolatedClient(FlaskClient):
    """Each request gets its own app context, as in production: a fresh ``g`` and
    database session, even while the test holds an app context of its own."""

    def open(self, *args, **kwargs):
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the test then reads what the request wrote
        return response


def build_app(url, **overrides):
    app = create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url, **overrides)
    app.test_client_class = IsolatedClient
    return app


def prepare_schema_and_demo(app):
    with app.app_context():
        upgrade()
        sync_roles()
        seed_organisation(DEMO_PASSWORD)
        load_official(db.session)
        seed_catalog()
        seed_petition_categories()
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="session")
def databases(tmp_path_factory):
    if TEST_DATABASE_URL:
        dbs = PostgresDatabases(TEST_DATABASE_URL)
    else:
        dbs = SqliteDatabases(tmp_path_factory.mktemp("db"))
    prepare_schema_and_demo(build_app(dbs.template_url()))
    yield dbs
    if hasattr(dbs, "close"):
        dbs.close()


@pytest.fixture
def make_app(databases):
    """Build apps on fresh copies of the seeded database; each is torn down after the test."""
    built = []

    def factory(**overrides):
        url = databases.fresh_url()
        app = build_app(url, **overrides)
        built.append((app, url))
        return app

    yield factory
    for app, url in built:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
        databases.drop(url)


@pytest.fixture(scope="session")
def shared_app(databases):
    """One app per test process: building one takes longer than most tests."""
    url = databases.fresh_url()
    application = build_app(url)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture
def app(shared_app, databases):
    """The shared app, on a database restored to the seeded template, context pushed."""
    with shared_app.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.restore(shared_app.config["SQLALCHEMY_DATABASE_URI"])
    with shared_app.app_context():
        yield shared_app
        db.session.remove()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    def __init__(self, client):
        self._client = client

    def login(self, username, password=DEMO_PASSWORD):
        return self._client.post("/login/", data={"username": username, "password": password})

    def logout(self):
        """Logout is a POST (with the CSRF token when CSRF is on; off in tests)."""
        return self._client.post("/logout/")

    def token(self, username, password=DEMO_PASSWORD):
        response = self._client.post(
            "/api/v1/security/login",
            json={"username": username, "password": password, "provider": "db"},
        )
        assert response.status_code == 200, response.get_json()
        return response.get_json()["access_token"]


@pytest.fixture
def auth(client):
    return AuthActions(client)
