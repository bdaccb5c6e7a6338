"""Cases run through their templates end to end, every task done by its own handler."""

import pytest

from app.extensions import db
from app.models.cases import Case, Minutes, Permit
from tests.case_helpers import EIGHT_STAFF, Api
from tests.factories import gd01, js01

WINDOW = {"window": "window1"}


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


def stage_of(api, case_id):
    return api.get("supervisor", f"/api/v1/case/{case_id}").get_json()["result"]["current_stage"]


def test_gd01_runs_end_to_end(app, api):
    matter = gd01()
    response = api.receive(matter)
    assert response.status_code == 201, response.get_json()
    case = response.get_json()["result"]
    assert case["receipt_no"].startswith("YZGT-")
    assert case["status"] == "in_progress"
    assert case["current_stage"] == 2  # the receipt stage is done at acceptance
    case_id = case["id"]

    for expected_stage in (2, 3):
        [task] = api.open_tasks("supervisor", case_id)
        assert (stage_of(api, case_id), task["division"]) == (expected_stage, "landuse")
        assert api.complete("landuse_staff", task["id"]).status_code == 200

    parallel = api.open_tasks("supervisor", case_id)
    assert sorted(t["division"] for t in parallel) == ["measure", "ownership", "valuation"]
    api.complete_all_open(case_id, WINDOW)

    countersign = api.open_tasks("supervisor", case_id)
    assert sorted(f"{t['division']}_staff" for t in countersign) == sorted(EIGHT_STAFF)
    api.complete_all_open(case_id, WINDOW)

    [leader_task] = api.open_tasks("supervisor", case_id)
    assert leader_task["assignee"] == "director" and leader_task["division"] is None
    api.complete_all_open(case_id, WINDOW)
    minutes = db.session.query(Minutes).filter_by(case_id=case_id).one()
    assert minutes.all_agreed and minutes.signed_by.username == "director"

    api.complete_all_open(case_id, WINDOW)  # 报政府审批, outside the limit
    [draft_task] = api.open_tasks("supervisor", case_id)
    assert draft_task["kind"] == "draft_permit"
    response = api.complete(
        "landuse_staff",
        draft_task["id"],
        permit={"kind": "approval", "conditions": "按批准用途使用", "valid_until": "2031-12-31"},
    )
    assert response.status_code == 200, response.get_json()
    permit = db.session.query(Permit).filter_by(case_id=case_id).one()
    assert permit.status == "draft"

    api.complete_all_open(case_id, WINDOW)  # payment at the window
    api.complete_all_open(case_id, WINDOW)  # director signs: the permit is issued
    db.session.expire_all()
    assert permit.status == "issued" and permit.number.startswith("YZGT-PZ-")
    assert permit.signed_by.username == "director"

    api.complete_all_open(case_id, WINDOW)  # release at the window
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert (case.status, case.current_stage) == ("released", None)
    assert permit.status == "released"
    assert api.open_tasks("supervisor", case_id) == []


def test_js01_five_leaders_countersign(app, api):
    matter = js01()
    case_id = api.receive(matter).get_json()["id"]
    api.complete_all_open(case_id, WINDOW)  # landuse review
    api.complete_all_open(case_id, WINDOW)  # eight divisions
    leaders = api.open_tasks("supervisor", case_id)
    assert sorted(t["assignee"] for t in leaders) == [
        "deputy1",
        "deputy2",
        "deputy3",
        "deputy4",
        "director",
    ]
    for task in leaders[:-1]:
        api.complete(task["assignee"], task["id"])
        assert stage_of(api, case_id) == 4  # a countersign waits for every signer
    api.complete(leaders[-1]["assignee"], leaders[-1]["id"])
    assert stage_of(api, case_id) == 5


def test_countersign_disagreement_is_recorded_in_the_minutes(app, api):
    matter = js01()
    case_id = api.receive(matter).get_json()["id"]
    api.complete_all_open(case_id, WINDOW)
    tasks = api.open_tasks("supervisor", case_id)
    for task in tasks:
        decision = "disagree" if task["division"] == "finance" else "approve"
        api.complete(f"{task['division']}_staff", task["id"], decision=decision, opinion="意见")
    minutes = db.session.query(Minutes).filter_by(case_id=case_id).one()
    assert minutes.all_agreed is False
    assert "finance" not in minutes.summary or "disagree" in minutes.summary
    assert stage_of(api, case_id) == 4


def test_return_sends_the_case_back_with_a_reason(app, api):
    matter = gd01()
    case_id = api.receive(matter).get_json()["id"]
    api.complete_all_open(case_id, WINDOW)  # stage 2 done
    [task] = api.open_tasks("supervisor", case_id)
    response = api.complete(
        "landuse_staff", task["id"], decision="return", opinion="规划意见不明确"
    )
    assert response.status_code == 200
    [reopened] = api.open_tasks("supervisor", case_id)
    assert reopened["stage_position"] == 2 and reopened["id"] != task["id"]


def test_return_needs_a_reason(app, api):
    matter = gd01()
    case_id = api.receive(matter).get_json()["id"]
    [task] = api.open_tasks("supervisor", case_id)
    response = api.complete("landuse_staff", task["id"], decision="return", opinion="  ")
    assert response.status_code == 400
    assert api.open_tasks("supervisor", case_id)[0]["id"] == task["id"]


def test_return_from_the_first_working_stage_is_refused(app, api):
    matter = gd01()
    case_id = api.receive(matter).get_json()["id"]
    [task] = api.open_tasks("supervisor", case_id)
    response = api.complete("landuse_staff", task["id"], decision="return", opinion="退回")
    assert response.status_code == 409


def test_reject_needs_a_leader(app, api):
    matter = gd01()
    case_id = api.receive(matter).get_json()["id"]
    [task] = api.open_tasks("supervisor", case_id)
    response = api.complete("landuse_staff", task["id"], decision="reject", opinion="不符合")
    assert response.status_code == 409
    assert "leader" in response.get_json()["message"] or "领导" in response.get_json()["message"]


def test_leader_rejection_ends_the_case(app, api):
    matter = gd01()
    case_id = api.receive(matter).get_json()["id"]
    for _ in range(4):  # stages 2, 3, 4 and the countersign
        api.complete_all_open(case_id, WINDOW)
    [task] = api.open_tasks("supervisor", case_id)
    response = api.complete("director", task["id"], decision="reject", opinion="不符合供地政策")
    assert response.status_code == 200
    case = db.session.get(Case, case_id)
    assert (case.status, case.status_reason) == ("rejected", "不符合供地政策")
    assert api.open_tasks("supervisor", case_id) == []


def test_finished_case_is_read_only(app, api):
    matter = gd01()
    case_id = api.receive(matter).get_json()["id"]
    for _ in range(4):
        api.complete_all_open(case_id, WINDOW)
    [task] = api.open_tasks("supervisor", case_id)
    api.complete("director", task["id"], decision="reject", opinion="不予批准")
    assert api.complete("director", task["id"]).status_code == 409
    assert (
        api.post(
            "director", f"/api/v1/case/{case_id}/extend", {"days": 1, "reason": "x"}
        ).status_code
        == 409
    )
