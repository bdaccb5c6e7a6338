"""The inbox, the notification API (own messages; the Admin's outbox), the profile,
the outbox's retry, and the applicant's SMS at each step of a case."""

import re

import pytest

from app.extensions import db
from app.models.notification import Notification
from app.notify import outbox
from app.workflow import engine
from tests.case_helpers import Api
from tests.factories import gd01, make_matter, make_template, step
from tests.supervision_helpers import FRIDAY_9AM, MONDAY_10AM, messages, receive, user


def message_to(username, key, subject="超时提醒", channel="inapp"):
    row = outbox.queue(
        channel=channel,
        reason="overdue",
        key=key,
        recipient=user(username),
        subject=subject,
        body="请尽快办理",
        at=FRIDAY_9AM,
    )
    db.session.commit()
    return row


@pytest.fixture
def api(client):
    return Api(client)


def test_the_api_lists_a_users_own_messages_only(app, api):
    mine = message_to("landuse_staff", "a").id
    theirs = message_to("planning_staff", "b").id
    rows = api.get("landuse_staff", "/api/v1/notification/").get_json()["result"]
    assert [r["id"] for r in rows] == [mine]
    assert {"channel", "status", "reason", "created_at", "sent_at"} <= set(rows[0])
    assert rows[0]["created_at"].endswith("Z") and "last_error" not in rows[0]
    assert api.get("landuse_staff", f"/api/v1/notification/{theirs}").status_code == 404
    assert api.post("landuse_staff", f"/api/v1/notification/{theirs}/read").status_code == 404


def test_the_admin_sees_the_whole_outbox_with_attempts_and_errors(app, api):
    message_to("landuse_staff", "a")
    message_to("planning_staff", "b")
    rows = api.get("admin", "/api/v1/notification/").get_json()["result"]
    assert len(rows) == 2 and {"attempts", "last_error", "recipient"} <= set(rows[0])


def test_the_inbox_counts_unread_messages_and_marks_them_read(app, client, auth):
    first = message_to("landuse_staff", "a", subject="第一条")
    message_to("landuse_staff", "b", subject="第二条")
    message_to("planning_staff", "c", subject="别人的")
    auth.login("landuse_staff")
    page = client.get("/inbox/list/").get_data(as_text=True)
    assert "第一条" in page and "第二条" in page and "别人的" not in page
    assert 'class="badge badge-unread">2<' in page
    assert "第一条" in client.get(f"/inbox/show/{first.id}").get_data(as_text=True)
    assert db.session.get(Notification, first.id).read_at is not None
    client.post("/inbox/read-all")
    assert "badge-unread" not in client.get("/inbox/list/").get_data(as_text=True)
    other = db.session.query(Notification).filter_by(idempotency_key="c").one()
    assert client.get(f"/inbox/show/{other.id}").status_code == 404


def test_the_profile_sets_contacts_language_and_channels(app, client, auth):
    auth.login("landuse_staff")
    bad = client.post("/profile/", data={"email": "nope", "phone": "123", "locale": "fr"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "电子邮箱" in text and "11 位手机号码" in text
    ok = client.post(
        "/profile/",
        data={
            "email": "zhang@yzgt.example.cn",
            "phone": "13900001111",
            "locale": "en",
            "notify_email": "y",
        },
    )
    assert ok.status_code == 302
    staff = user("landuse_staff")
    assert (staff.email, staff.phone, staff.locale, staff.notify_email, staff.notify_sms) == (
        "zhang@yzgt.example.cn",
        "13900001111",
        "en",
        True,
        False,
    )
    assert message_to("landuse_staff", "s", channel="sms") is None  # opted out


def test_mandatory_messages_ignore_opt_outs(app):
    staff = user("landuse_staff")
    staff.notify_sms = False
    db.session.commit()
    row = outbox.queue(
        channel="sms",
        reason="supervision",
        key="m",
        recipient=staff,
        subject="督办",
        body="督办",
        mandatory=True,
    )
    assert row is not None and row.address == staff.phone


def test_the_admin_retries_failed_messages(app, client, auth):
    row = message_to("landuse_staff", "e", channel="email")
    row.status, row.attempts, row.last_error = "failed", 6, "SMTP: refused"
    db.session.commit()
    auth.login("admin")
    page = client.get("/outbox/list/?_flt_0_status=failed").get_data(as_text=True)
    assert "SMTP: refused" in page and "发送失败" in page
    client.post("/outbox/retry", data={"all": "failed"})
    db.session.expire_all()
    again = db.session.get(Notification, row.id)
    assert (again.status, again.attempts) == ("pending", 0)
    auth.logout()
    auth.login("landuse_head")
    assert client.get("/outbox/list/").status_code == 403


def applicant_sms():
    return [m.body for m in messages(channel="sms", reason="status_change")]


def test_the_applicant_is_told_at_acceptance_suspension_and_result(app):
    matter = gd01()
    case = receive(matter)
    [accepted] = applicant_sms()
    assert case.receipt_no in accepted and "已受理" in accepted and case.query_code in accepted
    engine.suspend(case.id, user("deputy1"), "hearing", "举行听证", 10, at=MONDAY_10AM)
    suspended = applicant_sms()[-1]
    assert "听证" in suspended and "预计 10 个工作日" in suspended and "第四十五条" in suspended


@pytest.mark.parametrize(
    ("decision", "text"), [("approve", "领取办理结果"), ("reject", "作出决定")]
)
def test_the_applicant_is_told_when_the_result_is_ready(app, decision, text):
    template = make_template(
        "T-SIGN",
        [
            ("窗口收件", "single", [step("窗口收件", "window", 1, "receipt")]),
            ("审定", "single", [step("审定", "@director", 2, "sign")]),
            ("窗口出件", "single", [step("窗口出件", "window", 1, "release")]),
        ],
    )
    case = receive(make_matter("T-SIGN", template))
    sign = next(t for t in case.tasks if t.status == "open")
    engine.complete_task(sign.id, user("director"), decision, "审定意见", at=MONDAY_10AM)
    assert text in applicant_sms()[-1]


def test_the_applicant_is_told_what_to_supplement(app):
    matter = gd01()
    data_case = receive(matter, decision="supplement", materials=[matter.required_documents[0].id])
    [sms] = applicant_sms()
    assert data_case.receipt_no in sms and "身份证明" in sms


def test_no_sms_without_a_mobile_number(app):
    receive(gd01(), phone="0514-87654321")
    assert applicant_sms() == []


def test_the_outbox_screen_shows_an_sms_number_masked(app, client, auth):
    row = message_to("landuse_staff", "f", channel="sms")
    number = row.address
    assert number and len(number) == 11
    auth.login("admin")
    page = client.get("/outbox/list/").get_data(as_text=True)
    assert number not in page
    assert f"{number[:3]}****{number[-4:]}" in page


def test_a_petition_message_reads_by_its_reason_in_words(app, client, auth):
    outbox.queue(
        channel="inapp",
        reason="petition",
        key="p",
        recipient=user("petition_staff"),
        subject="信访件已交办",
        body="请办理",
        at=FRIDAY_9AM,
    )
    db.session.commit()
    auth.login("admin")
    page = client.get("/outbox/list/").get_data(as_text=True)
    assert re.search(r"<td>\s*信访件\s*</td>", page)
    assert not re.search(r"<td>\s*petition\s*</td>", page)
