"""Extension requests (Art. 42): a handler or head asks, the overseeing leader decides."""

import pytest

from app.extensions import db
from app.models.cases import Case
from app.models.supervision import ExtensionRequest
from tests.factories import gd01
from tests.supervision_helpers import messages, receive


@pytest.fixture
def case(app):
    return receive(gd01())


def ask(client, auth, case, username="landuse_staff", days="5", reason="需补充测绘"):
    auth.login(username)
    response = client.post(
        f"/supervision/extensions/case/{case.id}", data={"days": days, "reason": reason}
    )
    auth.logout()
    return response


def decide(client, auth, request_id, username, decision, note=""):
    auth.login(username)
    response = client.post(
        f"/supervision/extensions/{request_id}/decide", data={"decision": decision, "note": note}
    )
    auth.logout()
    return response


def only_request():
    return db.session.query(ExtensionRequest).one()


def test_the_overseeing_leader_approves_and_the_applicant_is_told(client, auth, case):
    due_before = case.promised_due_at
    assert ask(client, auth, case).status_code == 302
    request = only_request()
    assert [
        m.recipient.username for m in messages(reason="extension_request", channel="inapp")
    ] == [
        "deputy1"  # oversees landuse
    ]
    assert decide(client, auth, request.id, "deputy1", "approve").status_code == 302
    db.session.expire_all()
    extended = db.session.get(Case, case.id)
    assert (only_request().status, extended.extension_days) == ("approved", 5)
    assert extended.promised_due_at > due_before
    [sms] = [m for m in messages(channel="sms") if "延长" in m.body]
    assert sms.address == "13805140001" and "5 个工作日" in sms.body and "需补充测绘" in sms.body
    assert "第四十二条" in sms.body
    told = messages(reason="extension_decision", channel="inapp")
    assert [m.recipient.username for m in told] == ["landuse_staff"]


@pytest.mark.parametrize("username", ["deputy2", "landuse_head", "supervisor"])
def test_only_the_overseeing_leader_or_the_director_decides(client, auth, case, username):
    ask(client, auth, case)
    decide(client, auth, only_request().id, username, "approve")
    assert only_request().status == "pending"
    decide(client, auth, only_request().id, "director", "approve")
    assert only_request().status == "approved"


def test_a_refusal_needs_a_reason(client, auth, case):
    ask(client, auth, case)
    decide(client, auth, only_request().id, "deputy1", "refuse")
    assert only_request().status == "pending"
    decide(client, auth, only_request().id, "deputy1", "refuse", "理由不充分")
    assert (only_request().status, only_request().decision_note) == ("refused", "理由不充分")
    assert db.session.get(Case, case.id).extension_days == 0


@pytest.mark.parametrize(
    ("username", "days", "reason"),
    [
        ("planning_staff", "5", "x"),  # no open task of the unit: 404 (out of scope)
        ("landuse_staff", "0", "x"),
        ("landuse_staff", "11", "x"),  # over the matter's ceiling of 10
        ("landuse_staff", "5", ""),
        ("deputy1", "5", "x"),  # leaders approve, they do not ask
    ],
)
def test_bad_requests_are_refused(client, auth, case, username, days, reason):
    ask(client, auth, case, username, days, reason)
    assert db.session.query(ExtensionRequest).count() == 0


def test_the_ceiling_is_checked_again_at_approval(client, auth, case):
    ask(client, auth, case, days="6")
    first = only_request()
    decide(client, auth, first.id, "deputy1", "approve")
    ask(client, auth, case, days="4")
    second = db.session.query(ExtensionRequest).filter_by(status="pending").one()
    case_row = db.session.get(Case, case.id)
    case_row.matter.max_extension_days = 8
    db.session.commit()
    decide(client, auth, second.id, "deputy1", "approve")
    db.session.expire_all()
    assert db.session.get(ExtensionRequest, second.id).status == "pending"
    assert db.session.get(Case, case.id).extension_days == 6


def test_the_queue_shows_the_leaders_requests(client, auth, case):
    ask(client, auth, case)
    auth.login("deputy1")
    page = client.get("/supervision/extensions/list/").get_data(as_text=True)
    assert case.receipt_no in page and "待审批" in page
    show = client.get(f"/supervision/extensions/show/{only_request().id}").get_data(as_text=True)
    assert "同意延期" in show
    auth.logout()
    auth.login("deputy2")
    assert case.receipt_no not in client.get("/supervision/extensions/list/").get_data(as_text=True)
    assert client.get(f"/supervision/extensions/show/{only_request().id}").status_code == 404
