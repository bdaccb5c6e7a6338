"""Schemathesis against the console's own OpenAPI, in-process through the WSGI app: no
operation answers 5xx, for the administrator (every write allowed) nor for a staff user.

Bounded and deterministic: 20 examples per operation, user and mode (data that fits the
schema, and data that does not), derandomised: the same cases every run.
One pytest item per operation and user. (Schemathesis' lazy ``from_fixture`` loader does not
run on pytest 9, so each test draws the cases from ``operation.as_strategy()`` itself.)
"""

import pytest
import schemathesis
from flask_appbuilder.api import BaseApi
from flask_appbuilder.api.manager import OpenApi
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode

from app import create_app
from app.extensions import db
from config import TestingConfig
from tests.conftest import DEMO_PASSWORD, build_app

API_VERSION = "v1"
FUZZ_SETTINGS = settings(
    max_examples=20,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
USERS = ["admin", "landuse_staff"]


def openapi_operations():
    """(METHOD, path) of every operation the app documents, as ``/api/v1/_openapi`` does."""
    app = create_app(TestingConfig, CHECK_DATABASE_ON_START=False)
    with app.test_request_context():
        spec = OpenApi._create_api_spec(API_VERSION)
        for view in app.appbuilder.baseviews:
            if isinstance(view, BaseApi) and view.version == API_VERSION:
                view.add_api_spec(spec)
        paths = spec.to_dict()["paths"]
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
def api_schema(fuzz_app, headers):
    return schemathesis.openapi.from_wsgi(
        f"/api/{API_VERSION}/_openapi", fuzz_app, headers=headers["admin"]
    )


def test_the_fuzzer_sees_our_apis():
    assert ("GET", "/api/v1/division/") in OPERATIONS
    assert ("PUT", "/api/v1/division/{pk}") in OPERATIONS
    assert ("POST", "/api/v1/security/login") in OPERATIONS


@pytest.mark.parametrize("mode", list(GenerationMode), ids=str)
@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_no_operation_answers_a_server_error(api_schema, headers, username, method, path, mode):
    operation = api_schema.find_operation_by_label(f"{method} {path}")
    assert operation is not None, f"{method} {path} is not in the served schema"

    @given(case=operation.as_strategy(generation_mode=mode))
    @FUZZ_SETTINGS
    def no_server_error(case):
        case.call_and_validate(headers=headers[username], checks=[not_a_server_error])

    try:
        no_server_error()
    except Unsatisfiable:
        pytest.skip(f"{method} {path} has no input that can break its schema")
