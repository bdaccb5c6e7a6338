"""No way around the workflow: forbidden transitions, bad input, clock rules, races."""

import threading
from datetime import datetime

import pytest

from app.extensions import db
from app.models.cases import Case, Opinion, Permit, Task
from app.models.user import BureauUser
from app.workflow import engine, receipts
from app.workflow.errors import NotAllowedNow
from tests.case_helpers import Api
from tests.databases import on_postgres
from tests.factories import gd01

WINDOW = {"window": "window1"}


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def matter(app):
    return gd01()


@pytest.fixture
def case_id(api, matter):
    return api.receive(matter).get_json()["id"]


def user(username):
    return db.session.query(BureauUser).filter_by(username=username).one()


def counts():
    return tuple(db.session.query(model).count() for model in (Case, Task, Opinion, Permit))


# ---------------------------------------------------------------- who may act


def test_another_division_cannot_see_the_task(api, case_id):
    [task] = api.open_tasks("landuse_staff", case_id)
    response = api.complete("minerals_staff", task["id"])
    assert response.status_code == 404


def test_a_leader_in_scope_who_is_not_the_handler_is_refused(api, case_id):
    [task] = api.open_tasks("deputy1", case_id)  # deputy1 oversees landuse
    response = api.complete("deputy1", task["id"])
    assert response.status_code == 403
    assert "message" in response.get_json()


def test_admin_never_acts_in_a_case(api, case_id):
    [task] = api.open_tasks("landuse_staff", case_id)
    assert api.complete("admin", task["id"]).status_code in (403, 404)
    assert api.get("admin", f"/api/v1/case/{case_id}").status_code in (403, 404)


def test_completing_twice_is_a_conflict(api, case_id):
    [task] = api.open_tasks("landuse_staff", case_id)
    assert api.complete("landuse_staff", task["id"]).status_code == 200
    again = api.complete("landuse_staff", task["id"])
    assert again.status_code == 409
    assert db.session.query(Opinion).filter_by(task_id=task["id"]).count() == 1


def test_an_assigned_task_belongs_to_its_assignee(api, case_id):
    [task] = api.open_tasks("landuse_staff", case_id)
    response = api.post(
        "landuse_head", f"/api/v1/task/{task['id']}/assign", {"username": "landuse_staff"}
    )
    assert response.status_code == 200
    assert api.complete("landuse_head", task["id"]).status_code == 403
    assert api.complete("landuse_staff", task["id"]).status_code == 200


@pytest.mark.parametrize("assignee", ["minerals_staff", "nobody"])
def test_a_head_reassigns_only_inside_the_division(api, case_id, assignee):
    [task] = api.open_tasks("landuse_staff", case_id)
    response = api.post("landuse_head", f"/api/v1/task/{task['id']}/assign", {"username": assignee})
    assert response.status_code == 400


def test_staff_cannot_reassign(api, case_id):
    [task] = api.open_tasks("landuse_staff", case_id)
    response = api.post(
        "landuse_staff", f"/api/v1/task/{task['id']}/assign", {"username": "landuse_head"}
    )
    assert response.status_code == 403


@pytest.mark.parametrize(
    "body",
    [
        {"status": "approved"},
        {"flag": "normal", "promised_due_at": "2099-01-01T00:00:00"},
        {"current_stage": 11},
    ],
)
@pytest.mark.parametrize("username", ["admin", "window1", "supervisor", "director"])
def test_status_stage_flags_and_dates_are_not_writable(api, case_id, body, username):
    before = db.session.get(Case, case_id)
    snapshot = (before.status, before.flag, before.current_stage, before.promised_due_at)
    response = api.call("PUT", username, f"/api/v1/case/{case_id}", body)
    assert response.status_code in (403, 404, 405)
    db.session.expire_all()
    after = db.session.get(Case, case_id)
    assert (after.status, after.flag, after.current_stage, after.promised_due_at) == snapshot


def test_tasks_cannot_be_edited_or_deleted_through_the_api(api, case_id):
    [task] = api.open_tasks("landuse_staff", case_id)
    for method in ("PUT", "DELETE"):
        response = api.call(
            method, "landuse_staff", f"/api/v1/task/{task['id']}", {"status": "done"}
        )
        assert response.status_code == 405


def test_unknown_decision_is_bad_input(api, case_id):
    [task] = api.open_tasks("landuse_staff", case_id)
    response = api.complete("landuse_staff", task["id"], decision="maybe")
    assert response.status_code == 400


def test_disagree_is_only_for_countersign(api, case_id):
    [task] = api.open_tasks("landuse_staff", case_id)
    assert api.complete("landuse_staff", task["id"], decision="disagree").status_code == 409


# ---------------------------------------------------------------- bad input at the window


def valid_application(matter):
    return {
        "matter": matter.code,
        "applicant_name": "张三",
        "applicant_phone": "13805140001",
        "materials": [d.id for d in matter.required_documents],
        "decision": "accept",
    }


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"matter": "NOPE-99"}, "matter"),
        ({"applicant_name": "   "}, "applicant_name"),
        ({"applicant_name": None}, "applicant_name"),
        ({"applicant_phone": "12345"}, "applicant_phone"),
        ({"applicant_phone": 13805140001}, "applicant_phone"),
        ({"applicant_name": "名" * 101}, "applicant_name"),
        ({"project_location": "路" * 301}, "project_location"),
        ({"applicant_id_number": "320102199001011235"}, "applicant_id_number"),
        ({"applicant_email": "not-an-email"}, "applicant_email"),
        ({"project_area": "-5"}, "project_area"),
        ({"project_area": "lots"}, "project_area"),
        ({"materials": "all"}, "materials"),
        ({"materials": [999999]}, "materials"),
        ({"decision": "approve"}, "decision"),
        ({"decision": "refuse"}, "reason"),
    ],
)
def test_bad_application_is_refused_field_by_field(api, matter, change, field):
    before = counts()
    response = api.post("window1", "/api/v1/case/", {**valid_application(matter), **change})
    assert response.status_code == 400
    body = response.get_json()
    assert field in body["errors"] and body["message"]
    assert counts() == before


def test_accepting_with_missing_materials_is_refused(api, matter):
    before = counts()
    body = {**valid_application(matter), "materials": [matter.required_documents[0].id]}
    response = api.post("window1", "/api/v1/case/", body)
    assert response.status_code == 400
    assert matter.required_documents[1].name in response.get_json()["message"]
    assert counts() == before


@pytest.mark.parametrize(
    ("data", "content_type"),
    [("not json", "text/plain"), ("{broken", "application/json"), ("[1, 2]", "application/json")],
)
def test_non_json_body_is_bad_input(api, matter, data, content_type):
    before = counts()
    response = api.call("POST", "window1", "/api/v1/case/", data=data, content_type=content_type)
    assert response.status_code == 400
    assert "message" in response.get_json()
    assert counts() == before


def test_only_the_window_receives(api, matter):
    response = api.post("landuse_head", "/api/v1/case/", valid_application(matter))
    assert response.status_code == 403
    assert db.session.query(Case).count() == 0


def test_supplement_request_lists_what_is_missing_and_stops_the_clock(api, matter):
    body = {
        **valid_application(matter),
        "decision": "supplement",
        "materials": [matter.required_documents[0].id],
    }
    response = api.post("window1", "/api/v1/case/", body)
    assert response.status_code == 201
    result = response.get_json()["result"]
    assert result["status"] == "supplement_requested"
    assert result["missing_documents"] == [d.name for d in matter.required_documents[1:]]
    assert result["promised_due_at"] is None and result["supplement_deadline_at"]
    complete = api.post(
        "window1",
        f"/api/v1/case/{result['id']}/decide",
        {"decision": "accept", "materials": [d.id for d in matter.required_documents]},
    )
    assert complete.status_code == 200
    assert complete.get_json()["result"]["status"] == "in_progress"


def test_refusal_needs_a_reason_and_ends_the_case(api, matter):
    body = {**valid_application(matter), "decision": "refuse", "reason": "不属于本机关职权范围"}
    result = api.post("window1", "/api/v1/case/", body).get_json()["result"]
    assert result["status"] == "not_accepted"
    assert api.open_tasks("supervisor", result["id"]) == []


def test_supplement_after_five_working_days_is_refused(app, matter):
    clerk = user("window1")
    application = receipts.parse_application({**valid_application(matter), "decision": "register"})
    case = receipts.receive(application, clerk, at=datetime(2026, 3, 2, 2, 0))  # Monday
    with pytest.raises(NotAllowedNow):
        receipts.decide(case.id, clerk, "supplement", [], at=datetime(2026, 3, 10, 2, 0))
    accepted = receipts.decide(
        case.id,
        clerk,
        "accept",
        [d.id for d in matter.required_documents],
        at=datetime(2026, 3, 10, 2, 0),
    )
    assert accepted.accepted_at == datetime(2026, 3, 2, 2, 0)  # deemed accepted on receipt


# ---------------------------------------------------------------- the clock


def receive_at(matter, moment):
    application = receipts.parse_application(valid_application(matter))
    return receipts.receive(application, user("window1"), at=moment)


def test_due_dates_skip_spring_festival_2026(app, matter):
    # Received Tuesday 10 Feb 2026 (Beijing): 20 working days later, counting the
    # adjusted Saturdays 14 and 28 Feb as working days and skipping 15–23 Feb.
    case = receive_at(matter, datetime(2026, 2, 10, 1, 0))
    from app.calendar.workdays import TZ

    due = case.promised_due_at.replace(tzinfo=__import__("datetime").UTC).astimezone(TZ)
    assert due.date().isoformat() == "2026-03-16"
    assert (due.hour, due.minute, due.second) == (23, 59, 59)
    assert case.due_provisional is False


def test_due_date_in_an_unpublished_year_is_provisional(app, matter):
    case = receive_at(matter, datetime(2031, 6, 2, 2, 0))
    assert case.due_provisional is True


def test_suspension_pauses_the_clock(app, matter):
    case = receive_at(matter, datetime(2026, 3, 2, 2, 0))  # Monday 10:00 Beijing
    due_before = case.promised_due_at
    deputy = user("deputy1")
    engine.suspend(case.id, deputy, "expert_review", "专家论证", 5, at=datetime(2026, 3, 3, 2, 0))
    task = db.session.query(Task).filter_by(case_id=case.id, status="open").one()
    with pytest.raises(NotAllowedNow):
        engine.complete_task(
            task.id, user("landuse_staff"), "approve", "同意", at=datetime(2026, 3, 4, 2, 0)
        )
    engine.resume(case.id, deputy, at=datetime(2026, 3, 6, 2, 0))  # Tue→Fri: 3 working days
    db.session.refresh(case)
    assert case.paused_days == 3
    assert case.status == "in_progress"
    assert case.promised_due_at > due_before
    from app.workflow.clock import working_days

    assert working_days(due_before, case.promised_due_at) == 3


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"kind": "holiday", "reason": "x"}, 400),
        ({"kind": "hearing", "reason": ""}, 400),
        ({"kind": "hearing", "reason": "听证", "expected_days": -1}, 400),
    ],
)
def test_suspension_needs_a_kind_and_a_reason(api, case_id, body, status):
    response = api.post("deputy1", f"/api/v1/case/{case_id}/suspend", body)
    assert response.status_code == status
    assert db.session.get(Case, case_id).status == "in_progress"


def test_staff_of_another_division_cannot_suspend(api, case_id):
    response = api.post(
        "finance_head", f"/api/v1/case/{case_id}/suspend", {"kind": "hearing", "reason": "听证"}
    )
    assert response.status_code == 404


def test_extension_within_the_ceiling_moves_the_due_date(api, case_id):
    before = db.session.get(Case, case_id).promised_due_at
    response = api.post(
        "deputy1", f"/api/v1/case/{case_id}/extend", {"days": 10, "reason": "情况复杂，需补充调查"}
    )
    assert response.status_code == 200
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert case.extension_days == 10 and case.promised_due_at > before


def test_extension_beyond_the_ceiling_is_refused(api, case_id):
    response = api.post(
        "deputy1", f"/api/v1/case/{case_id}/extend", {"days": 11, "reason": "情况复杂"}
    )
    assert response.status_code == 409
    assert db.session.get(Case, case_id).extension_days == 0


@pytest.mark.parametrize(("username", "status"), [("landuse_head", 403), ("landuse_staff", 403)])
def test_extension_needs_a_leader(api, case_id, username, status):
    response = api.post(username, f"/api/v1/case/{case_id}/extend", {"days": 1, "reason": "x"})
    assert response.status_code == status


@pytest.mark.parametrize(
    "body",
    [
        {"days": "3", "reason": "x"},
        {"days": 0, "reason": "x"},
        {"days": 2},
        {"days": True, "reason": "x"},
    ],
)
def test_extension_input_is_checked(api, case_id, body):
    assert api.post("deputy1", f"/api/v1/case/{case_id}/extend", body).status_code == 400


# ---------------------------------------------------------------- permits


def run_to_release(api, case_id):
    for _ in range(7):  # stages 2–8 (the draft step takes its defaults)
        api.complete_all_open(case_id, WINDOW)
    for _ in range(3):  # payment, director's signature, release
        api.complete_all_open(case_id, WINDOW)


def test_permit_revocation_needs_a_leader_and_a_reason(api, case_id):
    run_to_release(api, case_id)
    permit = db.session.query(Permit).filter_by(case_id=case_id).one()
    assert permit.status == "released"
    assert (
        api.post("landuse_staff", f"/api/v1/permit/{permit.id}/revoke", {"reason": "x"}).status_code
        == 403
    )
    assert (
        api.post("director", f"/api/v1/permit/{permit.id}/revoke", {"reason": " "}).status_code
        == 400
    )
    response = api.post(
        "director", f"/api/v1/permit/{permit.id}/revoke", {"reason": "申请人以欺骗手段取得批准"}
    )
    assert response.status_code == 200
    db.session.expire_all()
    permit = db.session.get(Permit, permit.id)
    assert (permit.status, permit.revoked_by.username) == ("revoked", "director")
    assert (
        api.post("director", f"/api/v1/permit/{permit.id}/revoke", {"reason": "again"}).status_code
        == 409
    )


# ---------------------------------------------------------------- races


@pytest.mark.skipif(not on_postgres(), reason="row locks need PostgreSQL")
def test_two_people_completing_one_task_at_once_leave_one_completion(app, case_id):
    task_id = db.session.query(Task.id).filter_by(case_id=case_id, status="open").scalar()
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes = []

    def complete(username):
        with app.app_context():
            actor = db.session.query(BureauUser).filter_by(username=username).one()
            barrier.wait()
            try:
                engine.complete_task(task_id, actor, "approve", f"{username} 同意")
                outcomes.append("ok")
            except NotAllowedNow:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [
        threading.Thread(target=complete, args=(u,)) for u in ("landuse_staff", "landuse_head")
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert db.session.query(Opinion).filter_by(task_id=task_id).count() == 1


def test_publishing_the_year_recomputes_provisional_due_dates(app, matter):
    from app.calendar.paste import parse_year_list
    from app.calendar.store import publish_years
    from app.models.calendar import CalendarSource

    case = receive_at(matter, datetime(2031, 1, 2, 2, 0))  # Thursday 2 Jan 2031
    assert case.due_provisional is True
    before = case.promised_due_at
    pasted = parse_year_list("2031-01-06 holiday 假日\n2031-01-07 holiday 假日", 2031)
    publish_years(db.session, {2031: pasted.entries}, CalendarSource.ADMIN)
    db.session.expire_all()
    case = db.session.get(Case, case.id)
    assert case.due_provisional is False
    assert case.promised_due_at > before  # two weekdays off: two working days later


def test_a_signed_opinion_cannot_be_changed_or_deleted(api, case_id):
    from app.workflow.signed import SignedRecordError

    [task] = api.open_tasks("landuse_staff", case_id)
    api.complete("landuse_staff", task["id"], opinion="同意供地")
    opinion = db.session.query(Opinion).filter_by(task_id=task["id"]).one()
    opinion.text = "改过的意见"
    with pytest.raises(SignedRecordError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(db.session.query(Opinion).filter_by(task_id=task["id"]).one())
    with pytest.raises(SignedRecordError):
        db.session.flush()
    db.session.rollback()
    assert db.session.query(Opinion).filter_by(task_id=task["id"]).one().text == "同意供地"
