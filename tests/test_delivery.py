"""Delivery: a real SMTP server and a real HTTP gateway on 127.0.0.1, retries, quiet hours."""

import email
import email.policy
import hmac
import json
import socket
import threading
from datetime import datetime
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from app.extensions import db
from app.models.notification import Notification
from app.notify import outbox
from app.notify.channels.sms import sign
from app.notify.deliver import deliver
from app.workflow.deadlines import scan
from tests.factories import gd01
from tests.supervision_helpers import FRIDAY_9AM, messages, receive, user

NIGHT = datetime(2026, 3, 6, 15, 0)  # Beijing 23:00
MORNING = datetime(2026, 3, 6, 23, 30)  # Beijing 07:30 the next day
TOKEN = "gateway-secret"


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message it receives."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's name
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append((envelope.rcpt_tos, parsed))
        return "250 OK"


@pytest.fixture
def smtp(app, monkeypatch):
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    state = app.extensions["mail"]
    monkeypatch.setattr(state, "server", "127.0.0.1")
    monkeypatch.setattr(state, "port", controller.port)
    monkeypatch.setattr(state, "suppress", False)
    yield inbox
    controller.stop()


class Gateway:
    """A real HTTP server playing the SMS gateway; checks each signature."""

    def __init__(self):
        self.received = []
        self.bad_signatures = 0
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = sign(TOKEN, self.headers["X-Sunshine-Timestamp"], body)
                if not hmac.compare_digest(expected, self.headers["X-Sunshine-Signature"]):
                    gateway.bad_signatures += 1
                    self.send_response(401)
                else:
                    gateway.received.append(json.loads(body))
                    self.send_response(200)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.handler = Handler
        self.port = free_port()  # nobody listens until start(): the gateway is down
        self.url = f"http://127.0.0.1:{self.port}/sms"
        self.server = None

    def start(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", self.port), self.handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()


def configure(monkeypatch, app, **values):
    for key, value in values.items():
        monkeypatch.setitem(app.config, key, value)


@pytest.fixture
def gateway(app, monkeypatch):
    gw = Gateway()
    configure(
        monkeypatch,
        app,
        SMS_BACKEND="http",
        SMS_GATEWAY_URL=gw.url,
        SMS_GATEWAY_TOKEN=TOKEN,
        SMS_GATEWAY_TIMEOUT=5,
    )
    yield gw
    gw.stop()


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
