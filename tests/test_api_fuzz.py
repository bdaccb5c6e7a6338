"""Schemathesis against the console's own OpenAPI, in-process through the WSGI app, as one
demo user per role: each reads its own description (only what its roles may call) and no
operation in it answers 5xx, nor an answer its description does not allow.

Bounded and deterministic: per operation and mode (data that fits the schema, and data that
does not) 20 examples for the administrator (every write allowed), ``FUZZ_ROLE_EXAMPLES``
(default 4) for every other role, derandomised: the same cases every run. One pytest item
per operation and user; an operation a role is not described is skipped at once.
(Schemathesis' lazy ``from_fixture`` loader does not run on pytest 9, so each test draws
the cases from ``operation.as_strategy()`` itself.)
"""

import os

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error, status_code_conformance
from schemathesis.generation import GenerationMode

from app import create_app
from app.extensions import db
from app.views.openapi import describe
from config import TestingConfig
from tests.conftest import DEMO_PASSWORD, build_app
from tests.crawl import CRAWL_USERS

API_VERSION = "v1"
ADMIN = "admin"
ROLE_EXAMPLES = int(os.environ.get("FUZZ_ROLE_EXAMPLES", "4"))


def fuzz_settings(username):
    return settings(
        max_examples=20 if username == ADMIN else ROLE_EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


USERS = list(CRAWL_USERS)  # one demo user per role


def openapi_operations():
    """(METHOD, path) of every operation the app describes to someone."""
    app = create_app(TestingConfig, CHECK_DATABASE_ON_START=False)
    with app.test_request_context():
        paths = describe(API_VERSION, allowed=lambda *_: True)["paths"]
    return sorted((method.upper(), path) for path, ops in paths.items() for method in ops)


OPERATIONS = openapi_operations()


@pytest.fixture(scope="module")
def fuzz_app(databases):
    """A throwaway database for the module: the fuzzer creates, edits and deletes at will."""
    url = databases.fresh_url()
    app = build_app(url)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture(scope="module")
def headers(fuzz_app):
    tokens = {}
    for username in USERS:
        response = fuzz_app.test_client().post(
            "/api/v1/security/login",
            json={"username": username, "password": DEMO_PASSWORD, "provider": "db"},
        )
        tokens[username] = {"Authorization": f"Bearer {response.get_json()['access_token']}"}
    return tokens


@pytest.fixture(scope="module")
def api_schemas(fuzz_app, headers):
    """Each user's own description, loaded once."""
    return {
        username: schemathesis.openapi.from_wsgi(
            f"/api/{API_VERSION}/_openapi", fuzz_app, headers=headers[username]
        )
        for username in USERS
    }


def test_the_fuzzer_sees_our_apis():
    assert ("GET", "/api/v1/division/") in OPERATIONS
    assert ("PUT", "/api/v1/division/{pk}") in OPERATIONS
    assert ("POST", "/api/v1/security/login") in OPERATIONS


@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_operation_answers_a_server_error(api_schemas, headers, username, method, path, mode):
    operation = api_schemas[username].find_operation_by_label(f"{method} {path}")
    if operation is None:
        pytest.skip(f"{method} {path} is not described to {username}: not theirs to call")

    @given(case=operation.as_strategy(generation_mode=mode))
    @fuzz_settings(username)
    def no_server_error(case):
        case.call_and_validate(
            headers=headers[username], checks=[not_a_server_error, status_code_conformance]
        )

    try:
        no_server_error()
    except Unsatisfiable:
        pytest.skip(f"{method} {path} has no input that can break its schema")
