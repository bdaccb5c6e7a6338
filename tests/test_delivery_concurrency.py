"""Two deliverers at once (real threads, each with its own session and connection) send
each message exactly once: the claim's lease (FOR UPDATE SKIP LOCKED on PostgreSQL)."""

import threading
from collections import Counter

from app.extensions import db
from app.models.notification import Notification
from app.notify import outbox
from app.notify.deliver import deliver
from tests import notify_peers
from tests.databases import on_postgres
from tests.supervision_helpers import FRIDAY_9AM

gateway = notify_peers.gateway  # the real HTTP gateway's fixture
MESSAGES = 120
DELIVERERS = 2 if not on_postgres() else 4


def test_concurrent_deliverers_send_each_message_once(app, gateway):
    gateway.latency = 0.005
    gateway.start()
    for n in range(MESSAGES):
        outbox.queue(
            channel="sms",
            reason="status_change",
            key=f"concurrent:{n}",
            subject="s",
            body=f"第 {n} 条",
            address="13805140001",
            at=FRIDAY_9AM,
        )
    db.session.commit()
    db.session.remove()
    errors, outcomes = [], []

    def deliverer():
        try:
            with app.app_context():
                outcomes.append(deliver(FRIDAY_9AM, batch=7))
                db.session.remove()
        except Exception as error:  # noqa: BLE001 - reported by the main thread
            errors.append(error)

    threads = [threading.Thread(target=deliverer) for _ in range(DELIVERERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    sent = Counter(message["id"] for message in gateway.received)
    assert len(sent) == MESSAGES and set(sent.values()) == {1}
    assert sum(o.sent for o in outcomes) == MESSAGES
    assert all(o.sent for o in outcomes), outcomes  # the work was shared, not serialised
    statuses = {status for (status,) in db.session.query(Notification.status)}
    assert statuses == {"sent"}
