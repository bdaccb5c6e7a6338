"""Input past what the parsers and columns hold answers 400 with a message, never 500:
deep rison in ``q``, numbers where rison wants an object, JSON nested 50,000 deep (the
anonymous login too), a list where a word is wanted, integers past the column's range."""

import io

import pytest
from sqlalchemy.exc import DataError

from app.extensions import db
from app.models.cases import Case, Suspension, Task
from app.workflow import engine
from tests.case_helpers import Api
from tests.factories import gd01

DEEP = 50_000
READ_PATHS = [
    "/api/v1/case/",
    "/api/v1/case/_info",
    "/api/v1/task/",
    "/api/v1/opinion/",
    "/api/v1/permit/_info",
]


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def case_id(api):
    return api.receive(gd01()).get_json()["id"]


def assert_400(response):
    assert response.status_code == 400, (response.status_code, response.get_data(as_text=True))
    assert response.get_json()["message"]


@pytest.mark.parametrize(
    "q",
    [
        "(" * 5000,
        "!(" * 5000,
        "(a:" * 3000 + "1" + ")" * 3000,
        "1e+20",
        "1e20",
        "42",
        "!(1,2)",
        "'text'",
        "(page:1e+20,page_size:10)",
        "(page:0,page_size:10,filters:!((col:id,opr:eq,value:99999999999999999999999)))",
    ],
)
def test_malformed_rison_answers_400_on_every_read(api, case_id, q):
    for path in [*READ_PATHS, f"/api/v1/case/{case_id}"]:
        assert_400(api.client.get(path, query_string={"q": q}, headers=auth(api)))


def auth(api, username="supervisor"):
    return {"Authorization": f"Bearer {api.token(username)}"}


def deep_json():
    return "[" * DEEP + "]" * DEEP


@pytest.mark.parametrize("path", ["/api/v1/case/", "/api/v1/security/login", "/api/v1/division/"])
def test_json_nested_too_deep_answers_400(api, path):
    headers = {} if path.endswith("login") else auth(api, "window1")
    response = api.client.post(
        path, data=deep_json(), content_type="application/json", headers=headers
    )
    assert response.status_code in (400, 403), response.get_data(as_text=True)
    assert response.get_json()["message"]
    deep_object = '{"a":' * DEEP + "1" + "}" * DEEP
    response = api.client.post(
        path, data=deep_object, content_type="application/json", headers=headers
    )
    assert response.status_code in (400, 403)


def test_a_decision_sent_as_a_list_answers_400(api, case_id, app):
    [task] = api.open_tasks("landuse_staff", case_id)
    assert_400(api.complete("landuse_staff", task["id"], decision=["approve"]))
    assert_400(api.complete("landuse_staff", task["id"], decision={"a": 1}))
    registered = api.receive(gd01(code="TGD-02"), decision="register").get_json()["id"]
    assert_400(api.post("window1", f"/api/v1/case/{registered}/decide", {"decision": ["accept"]}))
    assert_400(api.receive(gd01(code="TGD-03"), decision=["accept"]))
    db.session.expire_all()
    assert db.session.get(Task, task["id"]).status == "open"


@pytest.mark.parametrize("days", [2**31, 2**63, 2**70, 10**400])
def test_expected_days_past_the_column_answer_400(api, case_id, days):
    response = api.post(
        "deputy1",
        f"/api/v1/case/{case_id}/suspend",
        {"kind": "hearing", "reason": "听证", "expected_days": days},
    )
    assert_400(response)
    assert db.session.query(Suspension).filter_by(case_id=case_id).count() == 0
    assert db.session.get(Case, case_id).status == "in_progress"


@pytest.mark.parametrize("number", [2**63, 2**64 + 1, 10**30])
def test_ids_past_64_bits_answer_400_or_404(api, case_id, number):
    for path, body in [
        (f"/api/v1/case/{case_id}/supervise", {"message": "请加快", "task_id": number}),
        (f"/api/v1/case/{case_id}/extend", {"days": number, "reason": "复杂"}),
        ("/api/v1/case/", {"matter": "TGD-01", "applicant_name": "张三", "materials": [number]}),
    ]:
        username = {"supervise": "supervisor", "extend": "director"}.get(
            path.rsplit("/", 1)[-1], "window1"
        )
        response = api.post(username, path, body)
        assert response.status_code == 400, (path, response.get_data(as_text=True))
    for path in (
        f"/api/v1/case/{number}",
        f"/api/v1/task/{number}",
        f"/api/v1/case/{number}/timeline",
    ):
        response = api.get("supervisor", path)
        assert response.status_code in (400, 404), (path, response.status_code)
        assert response.get_json()["message"]
    upload = api.post(
        "window1",
        f"/api/v1/case/{case_id}/attachments",
        data={"file": (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "a.pdf"), "material_id": str(number)},
        content_type="multipart/form-data",
    )
    assert upload.status_code == 400, upload.get_data(as_text=True)


@pytest.mark.parametrize(
    "error",
    [
        DataError("UPDATE case ...", {}, Exception("integer out of range")),
        OverflowError("Python int too large to convert to SQLite INTEGER"),
    ],
)
def test_a_value_the_database_refuses_is_400_not_fab_safes_500(api, case_id, monkeypatch, error):
    """FAB's @safe turns any exception into a 500 before the app's DataError handler runs:
    our APIs answer a value the database or its driver cannot hold with a 400."""

    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(engine, "suspend", refuse)
    response = api.post(
        "deputy1", f"/api/v1/case/{case_id}/suspend", {"kind": "hearing", "reason": "听证"}
    )
    assert_400(response)
    assert "SELECT" not in response.get_data(as_text=True)
