"""The API describes itself truthfully: path parameters of every operation, the reader's own
operations only, ``Allow`` on a 405, field descriptions, times with their zone, the ids a
client needs."""

import re

import pytest

from app.extensions import db
from app.models.catalog import Matter
from app.views.openapi import describe
from tests.case_helpers import Api
from tests.crawl import CRAWL_USERS
from tests.factories import gd01

PATH_PARAMETER = re.compile(r"{(\w+)}")
CATALOG_HEADER = "Project-Id-Version"


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


def test_every_operation_declares_its_path_parameters(app):
    with app.test_request_context():
        paths = describe("v1", allowed=lambda *_: True)["paths"]
    missing = []
    for path, operations in paths.items():
        for method, operation in operations.items():
            declared = {p["name"] for p in operation.get("parameters", []) if p["in"] == "path"}
            if set(PATH_PARAMETER.findall(path)) - declared:
                missing.append(f"{method.upper()} {path}")
    assert missing == []
    timeline = paths["/api/v1/case/{pk}/timeline"]["get"]["parameters"]
    assert {"in": "path", "name": "pk", "required": True, "schema": {"type": "integer"}} in timeline
    assert "/api/v1/case/{pk}/attachments/{attachment_id}" in paths


@pytest.mark.parametrize("username", CRAWL_USERS)
def test_every_role_reads_the_description_of_what_it_may_call(api, username):
    response = api.get(username, "/api/v1/_openapi")
    assert response.status_code == 200, response.get_json()
    paths = response.get_json()["paths"]
    for path, operations in paths.items():
        for method in operations:
            concrete = PATH_PARAMETER.sub("999999", path)
            answer = api.call(method.upper(), username, concrete)
            assert answer.status_code != 403, f"{username} is described {method} {path}"


def test_a_role_is_not_described_what_it_may_not_call(api):
    staff = api.get("landuse_staff", "/api/v1/_openapi").get_json()["paths"]
    admin = api.get("admin", "/api/v1/_openapi").get_json()["paths"]
    assert api.get("landuse_staff", "/api/v1/audit/").status_code == 403
    assert "/api/v1/audit/" in admin and "/api/v1/audit/" not in staff
    assert "/api/v1/case/{pk}/timeline" in staff


def test_an_api_405_says_what_is_allowed(api):
    response = api.call("DELETE", "landuse_staff", "/api/v1/case/1/timeline")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert response.get_json()["message"]


def test_info_describes_no_field_with_the_catalog_header(api):
    response = api.get("admin", "/api/v1/division/_info")
    assert response.status_code == 200
    for field in response.get_json()["add_columns"]:
        assert CATALOG_HEADER not in field["description"], field["name"]
        assert CATALOG_HEADER not in field["label"], field["name"]


def test_a_case_read_gives_times_with_their_zone_as_its_creation_did(api):
    answer = api.receive(gd01()).get_json()
    created = answer["result"]
    shown = api.get("window1", f"/api/v1/case/{answer['id']}").get_json()["result"]
    assert shown["received_at"] == created["received_at"]
    assert shown["received_at"].endswith("Z")
    listed = api.get("window1", "/api/v1/case/").get_json()["result"]
    assert all(row["received_at"].endswith("Z") for row in listed)


def test_a_matter_lists_its_required_documents_with_the_ids_a_case_takes(api):
    matter = db.session.query(Matter).filter(Matter.required_documents.any()).first()
    shown = api.get("window1", f"/api/v1/matter/{matter.id}").get_json()["result"]
    ids = [document["id"] for document in shown["required_documents"]]
    assert sorted(ids) == sorted(document.id for document in matter.required_documents)


ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")


def texts(value):
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts(item)]
    if isinstance(value, list):
        return [text for item in value for text in texts(item)]
    return [value] if isinstance(value, str) else []


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/api/v1/division/", {"code": "x"}, 403),
        ("GET", "/api/v1/case/999999", None, 404),
        ("DELETE", "/api/v1/case/1", None, 405),
        ("GET", "/api/v1/no-such-api/", None, 404),
        ("POST", "/api/v1/security/login", {"username": 1, "provider": "db"}, 400),
        ("POST", "/api/v1/task/999999/complete", {}, 404),
    ],
)
def test_error_answers_speak_the_requests_language(api, method, path, body, status):
    response = api.call(method, "window1", path, json=body)
    assert response.status_code == status
    words = [text for text in texts(response.get_json()) if ENGLISH_WORD.search(text)]
    assert words == []  # Chinese by default, nothing left in English


def test_a_malformed_token_is_refused_in_the_requests_language(client):
    response = client.get("/api/v1/case/", headers={"Authorization": "Bearer x.y.z"})
    assert response.status_code == 401
    assert not ENGLISH_WORD.search(response.get_json()["message"])
