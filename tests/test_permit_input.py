"""Permit fields at 制作批准文件 are checked as the receipt is: 400 field by field, nothing
stored, and the permit list keeps answering."""

import pytest

from app.extensions import db
from app.models.cases import Opinion, Permit, Task
from tests.case_helpers import WINDOW, Api
from tests.factories import gd01


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def draft_task(api):
    """The open 制作批准文件 task of a GD-01 case run that far."""
    case_id = api.receive(gd01()).get_json()["id"]
    while True:
        tasks = api.open_tasks("supervisor", case_id)
        if tasks[-1]["kind"] == "draft_permit":
            return tasks[-1]
        api.complete_all_open(case_id, WINDOW)


def snapshot(task_id):
    db.session.expire_all()
    return (
        db.session.get(Task, task_id).status,
        db.session.query(Permit).count(),
        db.session.query(Opinion).filter_by(task_id=task_id).count(),
    )


BAD_PERMITS = [
    ({"area": 1e308}, "area"),
    ({"area": "1e308"}, "area"),
    ({"area": 10**12}, "area"),
    ({"area": -5}, "area"),
    ({"area": 0}, "area"),
    ({"area": "lots"}, "area"),
    ({"area": {"m2": 5}}, "area"),
    ({"area": True}, "area"),
    ({"holder": 42}, "holder"),
    ({"holder": ["a", "b"]}, "holder"),
    ({"holder": "名" * 201}, "holder"),
    ({"parcel": 7}, "parcel"),
    ({"parcel": "路" * 301}, "parcel"),
    ({"conditions": {"a": 1}}, "conditions"),
    ({"conditions": "条" * 300_000}, "conditions"),
    ({"kind": "deed"}, "kind"),
    ({"kind": ["approval"]}, "kind"),
    ({"valid_until": "tomorrow"}, "valid_until"),
    ({"valid_until": 20311231}, "valid_until"),
]


def test_bad_permit_fields_are_refused_field_by_field(api, draft_task):
    before = snapshot(draft_task["id"])
    for permit, field in BAD_PERMITS:  # one case walked to the step: each refusal changes nothing
        response = api.complete("landuse_staff", draft_task["id"], permit=permit)
        assert response.status_code == 400, (permit, response.get_json())
        body = response.get_json()
        assert body["message"] and field in body["errors"], body
        assert snapshot(draft_task["id"]) == before
    assert api.get("director", "/api/v1/permit/").status_code == 200


def test_a_good_permit_is_stored_clean(api, draft_task):
    permit = {"holder": " 扬州某置业有限公司 ", "area": "1234.567", "valid_until": "2031-12-31"}
    response = api.complete("landuse_staff", draft_task["id"], permit=permit)
    assert response.status_code == 200, response.get_json()
    stored = db.session.query(Permit).one()
    assert (stored.holder, str(stored.area)) == ("扬州某置业有限公司", "1234.57")
    listed = api.get("director", "/api/v1/permit/")
    assert listed.status_code == 200 and listed.get_json()["count"] == 1


def test_the_case_page_form_shows_the_field_errors(app, draft_task, auth, client):
    auth.login("landuse_staff")
    case_page = f"/cases/show/{draft_task['case_id']}"
    form = client.get(case_page).get_data(as_text=True)
    assert 'name="permit_area"' in form
    response = client.post(
        f"/tasks/todo/{draft_task['id']}/complete",
        data={
            "decision": "approve",
            "opinion": "同意。",
            "permit_area": "-3",
            "permit_conditions": "条" * 6000,
        },
        follow_redirects=True,
    )
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert db.session.query(Permit).count() == 0
    assert db.session.get(Task, draft_task["id"]).status == "open"
    assert "5000" in page  # the conditions' limit, named beside its field
