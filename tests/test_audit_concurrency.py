"""Concurrent writers, each with its own session, keep one unforked chain."""

import threading

from app import audit
from app.audit import actions
from app.extensions import db
from app.models.org import Division
from tests.audit_helpers import events_since, head_seq, verify

THREADS = 8
COMMITS = 15


def write_events(app, worker, errors):
    try:
        with app.app_context():
            for n in range(COMMITS):
                if n % 2:
                    audit.record(actions.EXPORT, target_type="Matter", worker=worker, n=n)
                else:
                    db.session.add(Division(code=f"w{worker}_{n}", name="并发", kind="agency"))
                db.session.commit()
            db.session.remove()
    except Exception as exc:  # noqa: BLE001 - reported by the main thread
        errors.append(exc)


def test_concurrent_writers_keep_the_chain_valid_and_contiguous(app):
    mark = head_seq()
    db.session.remove()
    errors = []
    threads = [
        threading.Thread(target=write_events, args=(app, worker, errors))
        for worker in range(THREADS)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    new = events_since(mark)
    assert len(new) == THREADS * COMMITS
    assert [e.seq for e in new] == list(range(mark + 1, mark + 1 + THREADS * COMMITS))
    result = verify()
    assert result.ok and result.checked == mark + THREADS * COMMITS
