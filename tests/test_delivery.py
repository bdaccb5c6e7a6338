"""Delivery: a real SMTP server and a real HTTP gateway on 127.0.0.1, retries, quiet hours."""

from email.header import decode_header, make_header

import pytest

from app.extensions import db
from app.models.notification import Notification
from app.notify import outbox
from app.notify.deliver import deliver
from app.workflow.deadlines import scan
from tests import notify_peers
from tests.factories import gd01
from tests.notify_peers import MORNING, NIGHT, configure
from tests.supervision_helpers import FRIDAY_9AM, messages, receive, user

smtp, gateway = notify_peers.smtp, notify_peers.gateway  # the real peers' fixtures


@pytest.fixture
def matter(app):
    return gd01()


def subject_of(message):
    return str(make_header(decode_header(message["Subject"])))


def test_reminder_emails_reach_a_real_smtp_server_in_chinese(matter, smtp):
    case = receive(matter)
    scan(FRIDAY_9AM)
    outcome = deliver(FRIDAY_9AM)
    assert outcome.failed == 0
    by_recipient = {tuple(rcpt): message for rcpt, message in smtp.messages}
    staff = by_recipient[("landuse_staff@yzgt.example.cn",)]
    assert ("landuse_head@yzgt.example.cn",) in by_recipient
    assert subject_of(staff) == f"超时：{case.receipt_no} 征询规划部门意见"
    text = staff.get_body(("plain",)).get_content()
    html = staff.get_body(("html",)).get_content()
    assert "已超过办理时限" in text or "超时" in text, text
    assert "土地利用处" in html and 'lang="zh-CN"' in html
    assert all(m.status == "sent" for m in messages(channel="email"))


def test_sms_reach_a_real_gateway_with_a_valid_signature(matter, gateway):
    gateway.start()
    case = receive(matter)  # the applicant is told by SMS that the case is accepted
    deliver(FRIDAY_9AM)
    [sms] = gateway.received
    assert sms["to"] == "13805140001" and case.receipt_no in sms["text"]
    assert "已受理" in sms["text"]
    assert gateway.bad_signatures == 0


def test_a_gateway_down_loses_nothing_and_later_sends_each_message_once(matter, gateway):
    receive(matter)
    receive(matter)
    scan(FRIDAY_9AM)  # overdue SMS to handler and head, on top of the applicants'
    deliver(FRIDAY_9AM)  # the gateway is not listening yet
    rows = messages(channel="sms")
    assert len(rows) == 6
    assert all(m.status == "pending" and m.attempts == 1 and m.last_error for m in rows)
    gateway.start()
    deliver(FRIDAY_9AM)  # still backing off: nothing is due yet
    assert gateway.received == []
    later = FRIDAY_9AM.replace(hour=3)
    deliver(later)
    deliver(later)
    assert sorted(m["id"] for m in gateway.received) == sorted(m.id for m in rows)
    db.session.expire_all()
    assert all(m.status == "sent" for m in messages(channel="sms"))


def test_after_the_last_attempt_a_message_fails_with_its_error(app, gateway, monkeypatch):
    configure(monkeypatch, app, NOTIFY_MAX_ATTEMPTS=2, NOTIFY_RETRY_BASE_SECONDS=1)
    outbox.queue(
        channel="sms",
        reason="status_change",
        key="k",
        subject="s",
        body="b",
        address="13805140001",
        at=FRIDAY_9AM,
    )
    db.session.commit()
    deliver(FRIDAY_9AM)
    deliver(FRIDAY_9AM.replace(minute=5))
    [row] = messages(channel="sms")
    assert (row.status, row.attempts) == ("failed", 2)
    assert "unreachable" in row.last_error


def test_quiet_hours_hold_sms_until_the_morning(app, gateway):
    gateway.start()
    outbox.queue(
        channel="sms",
        reason="status_change",
        key="k",
        subject="s",
        body="夜间短信",
        address="13805140001",
        at=NIGHT,
    )
    staff = user("landuse_staff")
    outbox.queue(
        channel="email", reason="overdue", key="e", subject="s", body="b", recipient=staff, at=NIGHT
    )
    db.session.commit()
    deliver(NIGHT)
    assert gateway.received == []
    assert messages(channel="sms")[0].status == "pending"
    deliver(MORNING)
    assert [m["text"] for m in gateway.received] == ["夜间短信"]


def test_the_cli_delivers_as_of_a_moment(app, runner, gateway):
    gateway.start()
    outbox.queue(
        channel="sms",
        reason="status_change",
        key="k",
        subject="s",
        body="b",
        address="13805140001",
        at=FRIDAY_9AM,
    )
    db.session.commit()
    result = runner.invoke(args=["notify", "deliver", "--now", "2026-03-06T10:00+08:00"])
    assert result.exit_code == 0, result.output
    assert "sent 1" in result.output
    assert db.session.query(Notification).one().status == "sent"
