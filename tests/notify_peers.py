"""Real peers for delivery tests: an SMTP server (aiosmtpd) and an HTTP SMS gateway
that checks each signature, both on 127.0.0.1, started and stopped by the fixtures."""

import email
import email.policy
import hmac
import json
import socket
import threading
import time
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from app.notify.channels.sms import sign

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
        self.latency = 0  # seconds each answer takes, as a real gateway does
        gateway = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                expected = sign(TOKEN, self.headers["X-Sunshine-Timestamp"], body)
                if not hmac.compare_digest(expected, self.headers["X-Sunshine-Signature"]):
                    gateway.bad_signatures += 1
                    self.send_response(401)
                else:
                    time.sleep(gateway.latency)
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
