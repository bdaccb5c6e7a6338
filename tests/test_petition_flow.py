"""Petitions through the API as the demo users: the whole lifecycle, the rules of each step,
the audit trail."""

import threading

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models.audit import AuditEvent
from app.models.notification import Notification
from app.models.org import Division
from app.models.petitions import (
    Petition,
    PetitionAssignment,
    PetitionFeedback,
    PetitionFollowUp,
)
from app.models.user import BureauUser
from tests.case_helpers import Api
from tests.databases import on_postgres
from tests.petition_helpers import (
    PETITIONER,
    act,
    assigned,
    in_days,
    register,
    registration,
    reviewed,
)


@pytest.fixture
def api(client):
    return Api(client)


def status_of(api, petition_id, username="petition_staff"):
    response = api.get(username, f"/api/v1/petition/{petition_id}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["result"]["status"]


def test_the_whole_lifecycle_as_the_demo_users(api):
    created = register(api)
    petition_id = created["id"]
    assert created["result"]["number"].startswith("YZXF-")
    assert created["result"]["status"] == "registered"
    assert created["result"]["accept_due"].endswith("Z")

    accepted = act(api, "petition_staff", petition_id, "accept", decision="accept")
    assert accepted["result"]["status"] == "accepted"
    assert accepted["result"]["handle_due"] is not None

    act(
        api,
        "petition_staff",
        petition_id,
        "assign",
        unit="baoying",
        due=in_days(20),
        instructions="请核实补偿款发放情况。",
    )
    assert status_of(api, petition_id) == "assigned"

    act(api, "baoying_staff", petition_id, "feedback", text="已发放。")
    assert status_of(api, petition_id) == "feedback_submitted"
    act(api, "petition_staff", petition_id, "review", decision="return", reason="未附发放凭证。")
    assert status_of(api, petition_id) == "returned"

    act(api, "baoying_staff", petition_id, "feedback", text="补偿款已补发，附银行凭证。")
    act(api, "petition_staff", petition_id, "review", decision="accept")
    assert status_of(api, petition_id) == "reviewed"

    closed = act(
        api,
        "petition_head",
        petition_id,
        "close",
        result="补偿款已足额发放。",
        satisfaction="dissatisfied",
    )
    assert closed["result"]["status"] == "closed"
    follow_up = db.session.scalars(
        select(PetitionFollowUp).where(PetitionFollowUp.petition_id == petition_id)
    ).one()
    assert (follow_up.status, follow_up.outcome) == ("open", None)
    assert follow_up.due_at > follow_up.opened_at

    act(api, "petition_staff", petition_id, "follow_up", outcome="回访已解释政策。")
    events = api.get("petition_staff", f"/api/v1/petition/{petition_id}/timeline").get_json()
    assert [e["event"] for e in events["result"]] == [
        "registered",
        "accepted",
        "assigned",
        "feedback",
        "reviewed",
        "feedback",
        "reviewed",
        "closed",
        "follow_up_opened",
        "follow_up_done",
    ]


def test_every_action_is_on_the_audit_trail(api):
    petition_id = reviewed(api)
    act(api, "petition_head", petition_id, "extend", days=5, reason="需补充调查。")
    act(api, "petition_staff", petition_id, "close", result="已解决。", satisfaction="satisfied")
    events = db.session.scalars(select(AuditEvent).order_by(AuditEvent.seq)).all()
    transitions = [
        e.after["status"]
        for e in events
        if e.action == "transition" and e.target_type == "Petition"
    ]
    assert transitions == [
        "registered",
        "accepted",
        "assigned",
        "feedback_submitted",
        "reviewed",
        "closed",
    ]
    created = {e.target_type for e in events if e.action == "create"}
    assert {
        "Petition",
        "PetitionAssignment",
        "PetitionFeedback",
        "PetitionReview",
        "PetitionExtension",
    } <= created


def test_the_audit_trail_withholds_who_wrote(api):
    register(api)
    for event in db.session.scalars(select(AuditEvent)):
        recorded = repr((event.before, event.after, event.details))
        assert PETITIONER["petitioner_phone"] not in recorded
        assert PETITIONER["petitioner_name"] not in recorded


@pytest.mark.parametrize("username", ["gaoyou_staff", "landuse_staff", "deputy1", "window1"])
def test_units_not_assigned_get_404(api, username):
    petition_id = assigned(api)
    assert api.get(username, f"/api/v1/petition/{petition_id}").status_code in (403, 404)
    if username in ("gaoyou_staff", "landuse_staff", "deputy1"):  # they may read petitions
        assert api.get(username, f"/api/v1/petition/{petition_id}").status_code == 404
        assert api.get(username, f"/api/v1/petition/{petition_id}/timeline").status_code == 404
        listed = api.get(username, "/api/v1/petition/").get_json()
        assert listed["count"] == 0
    if username in ("gaoyou_staff", "landuse_staff"):  # they may act on their own
        response = api.post(username, f"/api/v1/petition/{petition_id}/feedback", {"text": "x"})
        assert response.status_code == 404


@pytest.mark.parametrize(
    "username",
    ["petition_staff", "director", "deputy4", "supervisor", "inspector", "baoying_staff"],
)
def test_who_sees_an_assigned_petition(api, username):
    petition_id = assigned(api)
    assert api.get(username, f"/api/v1/petition/{petition_id}").status_code == 200


def test_a_division_sees_what_is_assigned_to_it_and_its_leader_too(api):
    petition_id = assigned(api, unit="landuse")
    for username in ("landuse_staff", "landuse_head", "deputy1"):
        assert api.get(username, f"/api/v1/petition/{petition_id}").status_code == 200
    assert api.get("deputy2", f"/api/v1/petition/{petition_id}").status_code == 404


def test_only_the_office_decides_and_only_the_unit_answers(api):
    petition_id = assigned(api)
    response = api.post(
        "baoying_staff", f"/api/v1/petition/{petition_id}/review", {"decision": "accept"}
    )
    assert response.status_code == 403
    response = api.post("supervisor", f"/api/v1/petition/{petition_id}/feedback", {"text": "x"})
    assert response.status_code == 403
    response = api.post("petition_staff", f"/api/v1/petition/{petition_id}/feedback", {"text": "x"})
    assert response.status_code == 403
    response = api.post("baoying_staff", "/api/v1/petition/", registration())
    assert response.status_code == 403


def test_a_complaint_against_a_unit_is_never_assigned_to_it(api):
    petition_id = register(api, complaint_against={"unit": "baoying", "person": "某工作人员"})["id"]
    act(api, "petition_staff", petition_id, "accept", decision="accept")
    refused = act(api, "petition_staff", petition_id, "assign", expected=409, unit="baoying")
    assert "宝应县局" in refused["message"]
    act(api, "petition_staff", petition_id, "assign", unit="gaoyou")
    refused = act(
        api,
        "petition_staff",
        petition_id,
        "reassign",
        expected=409,
        from_unit="gaoyou",
        unit="baoying",
        reason="改派",
    )
    assert db.session.scalars(select(PetitionAssignment.unit_id)).all() == [
        db.session.scalar(select(Division.id).where(Division.code == "gaoyou"))
    ]


def test_a_complaint_stays_hidden_from_the_accused_unit_whatever_the_rows_say(api):
    petition_id = register(api, complaint_against={"unit": "baoying"})["id"]
    act(api, "petition_staff", petition_id, "accept", decision="accept")
    act(api, "petition_staff", petition_id, "assign", unit="gaoyou")
    # A row the engine would never write: the scope still hides the petition.
    assignment = db.session.scalars(select(PetitionAssignment)).one()
    assignment.unit_id = db.session.scalar(select(Division.id).where(Division.code == "baoying"))
    db.session.commit()
    assert api.get("baoying_staff", f"/api/v1/petition/{petition_id}").status_code == 404
    assert api.get("baoying_staff", "/api/v1/petition/").get_json()["count"] == 0


def test_feedback_twice_answers_409(api):
    petition_id = assigned(api)
    act(api, "baoying_staff", petition_id, "feedback", text="已处理。")
    again = act(api, "baoying_staff", petition_id, "feedback", expected=409, text="已处理。")
    assert again["message"]


def test_several_units_one_lead(api):
    petition_id = assigned(api)  # baoying is the lead
    act(api, "petition_staff", petition_id, "assign", unit="landuse", lead=False)
    act(api, "landuse_staff", petition_id, "feedback", text="土地利用处意见：补偿标准符合规定。")
    assert status_of(api, petition_id) == "in_progress"
    act(api, "baoying_staff", petition_id, "feedback", text="汇总答复。")
    assert status_of(api, petition_id) == "feedback_submitted"
    leads = api.get("petition_staff", f"/api/v1/petition/{petition_id}").get_json()
    assert [(a["unit"], a["lead"]) for a in leads["result"]["assignments"]] == [
        ("baoying", True),
        ("landuse", False),
    ]


def test_reassignment_moves_the_petition_to_another_unit(api):
    petition_id = assigned(api)
    act(
        api,
        "petition_staff",
        petition_id,
        "reassign",
        from_unit="baoying",
        unit="gaoyou",
        reason="属高邮辖区。",
    )
    assert api.get("baoying_staff", f"/api/v1/petition/{petition_id}").status_code == 404
    act(api, "gaoyou_staff", petition_id, "feedback", text="已核查。")
    assert status_of(api, petition_id) == "feedback_submitted"


@pytest.mark.parametrize(
    ("action", "body", "field"),
    [
        ("assign", {"unit": "nowhere"}, "unit"),
        ("assign", {"unit": "cityplan"}, "unit"),
        ("assign", {"unit": "gaoyou", "due": "2026-13-45"}, "due"),
        ("assign", {"unit": "gaoyou", "due": "2020-01-01"}, "due"),
        ("assign", {"unit": "gaoyou", "due": "2999-01-01"}, "due"),
        ("assign", {"unit": "gaoyou", "lead": "maybe"}, "lead"),
    ],
)
def test_invalid_assignments_answer_400_with_a_message(api, action, body, field):
    petition_id = register(api)["id"]
    act(api, "petition_staff", petition_id, "accept", decision="accept")
    answer = act(api, "petition_staff", petition_id, action, expected=400, **body)
    assert answer["message"] and field in answer["errors"]


@pytest.mark.parametrize("satisfaction", ["happy", "", None, 3])
def test_invalid_satisfaction_answers_400(api, satisfaction):
    petition_id = reviewed(api)
    answer = act(
        api,
        "petition_staff",
        petition_id,
        "close",
        expected=400,
        result="已解决",
        satisfaction=satisfaction,
    )
    assert "very_satisfied" in answer["message"]


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"petitioner_phone": "12345"}, "petitioner_phone"),
        ({"petitioner_id_number": "321023198001010014"}, "petitioner_id_number"),
        ({"channel": "pigeon"}, "channel"),
        ({"category": "不存在的类别"}, "category"),
        ({"content": ""}, "content"),
        ({"petitioner_name": None}, "petitioner_name"),
        ({"received_at": "yesterday"}, "received_at"),
        ({"received_at": "2999-01-01T09:00"}, "received_at"),
        ({"complaint_against": {"unit": "nowhere"}}, "complaint_against"),
        ({"case": "YZGT-2026-999999"}, "case"),
    ],
)
def test_invalid_registrations_answer_400_field_by_field(api, overrides, field):
    response = api.post("petition_staff", "/api/v1/petition/", registration(**overrides))
    assert response.status_code == 400
    assert field in response.get_json()["errors"]
    assert db.session.query(Petition).count() == 0


def test_category_by_code_or_name_and_numbers_in_sequence(api):
    first = register(api, category="compensation")["result"]["number"]
    second = register(api, category="征地补偿")["result"]["number"]
    assert int(second.rsplit("-", 1)[1]) == int(first.rsplit("-", 1)[1]) + 1


@pytest.mark.parametrize(
    ("decision", "body", "status"),
    [
        ("not_accept", {"reason": "不属于信访事项。"}, "not_accepted"),
        ("transfer", {"reason": "属规划部门职责。", "transfer_to": "市规划局"}, "transferred"),
    ],
)
def test_not_accepted_or_transferred_with_a_reason(api, decision, body, status):
    petition_id = register(api)["id"]
    act(api, "petition_staff", petition_id, "accept", expected=400, decision=decision)
    answer = act(api, "petition_staff", petition_id, "accept", decision=decision, **body)
    assert answer["result"]["status"] == status
    act(api, "petition_staff", petition_id, "assign", expected=409, unit="baoying")
    sms = db.session.scalars(select(Notification).where(Notification.channel == "sms")).one()
    assert sms.address == PETITIONER["petitioner_phone"]


def test_transfer_needs_the_authority(api):
    petition_id = register(api)["id"]
    answer = act(
        api, "petition_staff", petition_id, "accept", expected=400, decision="transfer", reason="x"
    )
    assert "transfer_to" in answer["errors"]


def test_extension_by_the_head_within_30_days_tells_the_petitioner(api):
    petition_id = assigned(api)
    before = api.get("petition_staff", f"/api/v1/petition/{petition_id}").get_json()["result"]
    act(api, "petition_staff", petition_id, "extend", expected=403, days=10, reason="复杂")
    act(api, "petition_head", petition_id, "extend", expected=400, days=0, reason="复杂")
    act(api, "petition_head", petition_id, "extend", expected=400, days=10, reason="")
    extended = act(api, "petition_head", petition_id, "extend", days=20, reason="需现场勘查。")
    assert extended["result"]["extension_days"] == 20
    assert extended["result"]["handle_due"] > before["handle_due"]
    act(api, "petition_head", petition_id, "extend", expected=409, days=11, reason="再延")
    sms = db.session.scalars(
        select(Notification).where(
            Notification.channel == "sms", Notification.body.contains("需现场勘查")
        )
    ).one()
    assert sms.address == PETITIONER["petitioner_phone"]
    assert sms.mandatory


def test_steps_out_of_order_answer_409(api):
    petition_id = register(api)["id"]
    act(api, "petition_staff", petition_id, "assign", expected=409, unit="baoying")
    act(api, "petition_staff", petition_id, "review", expected=409, decision="accept")
    act(
        api,
        "petition_staff",
        petition_id,
        "close",
        expected=409,
        result="x",
        satisfaction="satisfied",
    )
    act(api, "petition_staff", petition_id, "accept", decision="accept")
    act(api, "petition_staff", petition_id, "accept", expected=409, decision="accept")


def test_a_returned_answer_needs_a_reason(api):
    petition_id = assigned(api)
    act(api, "baoying_staff", petition_id, "feedback", text="已处理。")
    answer = act(api, "petition_staff", petition_id, "review", expected=400, decision="return")
    assert "reason" in answer["errors"]


def test_units_are_told_of_an_assignment(api):
    assigned(api)
    inbox = db.session.scalars(select(Notification).where(Notification.channel == "inapp")).all()
    assert any(n.recipient.username == "baoying_staff" for n in inbox)


def test_repeat_detection_at_registration(api):
    first = register(api)
    other_person = register(api, petitioner_phone="13800000000", petitioner_id_number=None)
    unrelated = register(api, category="geohazard", content="山体滑坡隐患，请派员查看。")
    second = register(api, petitioner_id_number=None, content=PETITIONER_CONTENT_AGAIN)
    numbers = [c["number"] for c in second["result"]["possible_repeats"]]
    assert first["result"]["number"] in numbers
    assert other_person["result"]["number"] not in numbers
    assert unrelated["result"]["number"] not in numbers
    act(api, "petition_staff", second["id"], "link", repeat_of=first["result"]["number"])
    rows = api.get("petition_staff", "/api/v1/petition/").get_json()["result"]
    flags = {row["number"]: row["is_repeat"] for row in rows}
    assert flags[second["result"]["number"]] is True
    assert flags[first["result"]["number"]] is False
    act(
        api,
        "petition_staff",
        second["id"],
        "link",
        expected=409,
        repeat_of=first["result"]["number"],
    )


PETITIONER_CONTENT_AGAIN = "再次反映：我承包的安宜镇3亩耕地被征收，征地补偿款至今没有足额发放。"


def test_repeats_by_text_similarity_across_categories(api):
    first = register(api)
    later = register(api, category="other", petitioner_phone=None)
    assert [c["number"] for c in later["result"]["possible_repeats"]] == [first["result"]["number"]]
    assert later["result"]["possible_repeats"][0]["same_id_number"] is True
    response = api.get("baoying_staff", f"/api/v1/petition/{later['id']}/repeats")
    assert response.status_code == 404


def test_link_to_a_case_by_receipt_number(api, app):
    from tests.factories import gd01

    case = api.receive(gd01()).get_json()["result"]
    petition_id = register(api, case=case["receipt_no"].lower())["id"]
    events = api.get("petition_staff", f"/api/v1/petition/{petition_id}/timeline").get_json()
    assert events["result"][-1]["case"] == case["receipt_no"]


@pytest.mark.skipif(not on_postgres(), reason="row locks need PostgreSQL")
def test_two_answers_at_once_leave_one(app, api):
    from app.petitions import engine
    from app.workflow.errors import NotAllowedNow

    petition_id = assigned(api)
    db.session.remove()
    barrier = threading.Barrier(2)
    outcomes = []

    def answer(text):
        with app.app_context():
            unit = db.session.scalars(
                select(BureauUser).where(BureauUser.username == "baoying_staff")
            ).one()
            barrier.wait()
            try:
                engine.submit_feedback(petition_id, unit, text)
                outcomes.append("ok")
            except NotAllowedNow:
                outcomes.append("conflict")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=answer, args=(t,)) for t in ("答复一", "答复二")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["conflict", "ok"]
    assert db.session.query(PetitionFeedback).count() == 1


def test_demo_seed_creates_the_categories_once(runner):
    from app.models.petitions import PetitionCategory

    result = runner.invoke(args=["demo", "seed"])
    assert result.exit_code == 0, result.output
    assert "petition categories: 0 created" in result.output
    names = set(db.session.scalars(select(PetitionCategory.name)))
    assert {"征地补偿", "土地权属争议", "违法用地举报"} <= names and len(names) == 11
