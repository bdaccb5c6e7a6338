"""The role x endpoint matrix, built from the registered views and the role catalog.

For every ModelView (list/show/add/edit/delete/download) and ModelRestApi
(get_list/get/info/post/put/delete) endpoint in the URL map, and for one demo user per role
of DESIGN §1 (plus an anonymous visitor), the expected answer follows from ROLE_CATALOG: the
role holds the permission FAB checks for that method on the view's ``class_permission_name``
(our ``can_read``/``can_write``, or FAB's ``can_list``... on its own screens) -> allowed; else
denied. A new view or API is covered without editing this file.

Nothing is changed: deletes and updates aim at a missing row, posts send a malformed body, so
an allowed request answers 404/400 and a denied one 403 (401 for an anonymous API call, a
redirect to the login page for an anonymous page).
"""

import pytest
from flask_appbuilder import ModelRestApi
from flask_appbuilder.api import BaseApi
from flask_appbuilder.baseviews import BaseCRUDView

from app import create_app
from app.extensions import db
from app.security.roles import ALL, ROLE_CATALOG
from config import TestingConfig
from tests.conftest import DEMO_PASSWORD, build_app

USER_OF_ROLE = {
    "Admin": "admin",
    "Window": "window1",
    "Staff": "landuse_staff",
    "DivisionHead": "landuse_head",
    "Leader": "deputy1",
    "Supervisor": "supervisor",
    "Inspector": "inspector",
    "Intermediary": "ownership_staff",
    "PetitionOffice": "petition_staff",
    "UnitStaff": "baoying_staff",
    "Public": None,  # anonymous
}
MISSING_PK = 2_000_000_000
PAGE_REQUESTS = {
    "list": ("GET", {}),
    "show": ("GET", {"pk": "row"}),
    "add": ("GET", {}),
    "edit": ("GET", {"pk": "row"}),
    "delete": ("POST", {"pk": MISSING_PK}),
    "download": ("GET", {"filename": "missing.pdf"}),
}
API_REQUESTS = {
    "get_list": ("GET", {}),
    "get": ("GET", {"pk": "row"}),
    "info": ("GET", {}),
    "post": ("POST", {}),
    "put": ("PUT", {"pk": MISSING_PK}),
    "delete": ("DELETE", {"pk": MISSING_PK}),
}
# Pages and APIs of our own beyond the model views: their GET endpoints join the matrix
# with the permission each method maps to (a read needs nothing but the permission).
CUSTOM_GET_ENDPOINTS = {
    "CaseStatsApi.cases",
    "PetitionStatsApi.petitions",
    "CaseStatsView.leaders",
    "CaseStatsView.supervision",
    "CaseStatsView.division",
    "CaseStatsView.export",
    "PetitionStatsView.dashboard",
    "PetitionStatsView.export",
}
FAB_DEFAULT_PERMISSION = {"get_list": "get"}
CATALOG = {spec.name: set(spec.permissions) for spec in ROLE_CATALOG}


def permission_checked(view, method):
    mapped = (view.method_permission_name or {}).get(method)
    return f"can_{mapped or FAB_DEFAULT_PERMISSION.get(method, method)}"


def role_may(role, view, method):
    permission = permission_checked(view, method)
    if permission not in view.base_permissions:
        return False  # the permission does not exist, whatever the catalog says
    resource = view.class_permission_name
    granted = CATALOG[role]
    return (permission, resource) in granted or (ALL, resource) in granted


def endpoints():
    app = create_app(TestingConfig, CHECK_DATABASE_ON_START=False)
    found = []
    for view in app.appbuilder.baseviews:
        if isinstance(view, BaseCRUDView):
            kind, requests = "page", PAGE_REQUESTS
        elif isinstance(view, ModelRestApi):
            kind, requests = "api", API_REQUESTS
        else:
            kind = "api" if isinstance(view, BaseApi) else "page"
            requests = {
                method: ("GET", {})
                for method in view.method_permission_name or {}
                if f"{view.blueprint.name}.{method}" in CUSTOM_GET_ENDPOINTS
            }
        for method, (http_method, values) in requests.items():
            endpoint = f"{view.blueprint.name}.{method}"
            if endpoint in app.view_functions:
                expected = {role: role_may(role, view, method) for role in USER_OF_ROLE}
                found.append((kind, endpoint, http_method, values, expected))
    return found


ENDPOINTS = endpoints()
CASES = [
    pytest.param(role, *endpoint, id=f"{role}-{endpoint[1]}")
    for endpoint in ENDPOINTS
    for role in USER_OF_ROLE
]


@pytest.fixture(scope="module")
def matrix(databases):
    """One app for the whole matrix (nothing is changed), without a pushed app context."""
    url = databases.fresh_url()
    app = build_app(url)
    yield Matrix(app)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


class Matrix:
    def __init__(self, app):
        self.app = app
        self._clients = {}
        self._tokens = {}
        self._rows = {}

    def page_client(self, role):
        if role not in self._clients:
            client = self.app.test_client()
            username = USER_OF_ROLE[role]
            if username:
                response = client.post(
                    "/login/", data={"username": username, "password": DEMO_PASSWORD}
                )
                assert response.headers["Location"] == "/", f"{username} could not log in"
            self._clients[role] = client
        return self._clients[role]

    def api_headers(self, role):
        username = USER_OF_ROLE[role]
        if username is None:
            return {}
        if role not in self._tokens:
            response = self.app.test_client().post(
                "/api/v1/security/login",
                json={"username": username, "password": DEMO_PASSWORD, "provider": "db"},
            )
            self._tokens[role] = response.get_json()["access_token"]
        return {"Authorization": f"Bearer {self._tokens[role]}"}

    def existing_pk(self, endpoint):
        blueprint = endpoint.split(".")[0]
        if blueprint not in self._rows:
            with self.app.app_context():
                view = next(
                    v for v in self.app.appbuilder.baseviews if v.blueprint.name == blueprint
                )
                _, rows = view.datamodel.query(page=0, page_size=1)
                self._rows[blueprint] = view.datamodel.get_pk_value(rows[0]) if rows else MISSING_PK
        return self._rows[blueprint]

    def url(self, endpoint, http_method, values, pk):
        values = {name: pk if value == "row" else value for name, value in values.items()}
        adapter = self.app.url_map.bind("localhost")
        return adapter.build(endpoint, values, method=http_method)


def test_every_role_of_the_design_is_in_the_catalog():
    assert set(USER_OF_ROLE) == set(CATALOG)


def test_the_matrix_covers_pages_and_apis():
    kinds = {kind for kind, *_ in ENDPOINTS}
    assert kinds == {"page", "api"}
    assert any(endpoint == "DivisionApi.get_list" for _, endpoint, *_ in ENDPOINTS)
    assert any(endpoint == "DivisionModelView.edit" for _, endpoint, *_ in ENDPOINTS)
    found = {endpoint for _, endpoint, *_ in ENDPOINTS}
    assert found >= CUSTOM_GET_ENDPOINTS


def is_login_redirect(response):
    return response.status_code == 302 and response.headers["Location"].startswith("/login/")


ALLOWED = {200, 201, 204, 302, 400, 404, 422}


@pytest.mark.parametrize(("role", "kind", "endpoint", "http_method", "values", "expected"), CASES)
def test_role_endpoint_matrix(matrix, role, kind, endpoint, http_method, values, expected):
    pk = matrix.existing_pk(endpoint) if "row" in values.values() else MISSING_PK
    url = matrix.url(endpoint, http_method, values, pk)
    anonymous = USER_OF_ROLE[role] is None
    if kind == "api":
        response = matrix.app.test_client().open(
            url,
            method=http_method,
            headers=matrix.api_headers(role),
            data="{" if http_method in ("POST", "PUT") else None,
            content_type="application/json",
        )
    else:
        response = matrix.page_client(role).open(url, method=http_method)
    status = response.status_code
    assert status < 500, f"{role} {http_method} {url}: {status}"
    if expected[role]:
        assert status in ALLOWED and not is_login_redirect(response), (
            f"{role} should reach {http_method} {url}, got {status}"
        )
    elif kind == "api":
        assert status == (401 if anonymous else 403), f"{role} {http_method} {url}: {status}"
    elif anonymous:
        assert is_login_redirect(response), f"{http_method} {url}: {status}"
    else:
        assert status == 403, f"{role} {http_method} {url}: {status}"
