"""A real Celery worker (a subprocess on the local Redis) runs a scan and a delivery."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis

from app import celery_app
from app.extensions import db
from app.models.notification import Notification
from app.models.supervision import Card
from tests.factories import gd01
from tests.supervision_helpers import receive

BROKER = os.environ.get("CELERY_TEST_BROKER_URL", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent


def redis_is_up():
    try:
        return redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError:
        return False


pytestmark = pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")


@pytest.fixture
def worker(app, tmp_path):
    """A worker on a queue of its own, on the test's database; stopped after the test."""
    queue = f"sunshine-test-{uuid.uuid4().hex[:8]}"
    env = {
        **os.environ,
        "APP_CONFIG": "testing",
        "TEST_DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
        "CELERY_BROKER_URL": BROKER,
        "CELERY_RESULT_BACKEND": BROKER,
        "CELERY_QUEUE": queue,
    }
    log = (tmp_path / "worker.log").open("w")
    process = subprocess.Popen(  # noqa: S603 - our own venv's celery
        [
            str(Path(sys.executable).parent / "celery"),
            "-A",
            "app.celery_app",
            "worker",
            "--pool=solo",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-Q",
            queue,
            "--loglevel=info",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    celery_app.celery.conf.update(
        broker_url=BROKER, result_backend=BROKER, task_default_queue=queue
    )
    try:
        yield queue
    finally:
        process.terminate()
        process.wait(timeout=30)
        log.close()
        redis.Redis.from_url(BROKER).delete(queue)


def test_a_worker_runs_a_scan_and_a_delivery(app, worker, tmp_path):
    receive(gd01())
    db.session.commit()
    db.session.remove()
    now = "2026-03-12T09:00+08:00"  # the first task is 5 working days late
    try:
        scanned = celery_app.scan.apply_async(args=[now], queue=worker).get(timeout=120)
        delivered = celery_app.deliver.apply_async(args=[now], queue=worker).get(timeout=120)
    except Exception:
        print((tmp_path / "worker.log").read_text())
        raise
    assert scanned["yellow_cards"] == 1 and scanned["queued"]["overdue"] > 0
    assert db.session.query(Card).count() == 1
    pending = db.session.query(Notification).filter_by(status="pending").count()
    assert pending == 0, delivered  # the scan's own delivery, then ours, sent everything
    assert db.session.query(Notification).filter_by(channel="sms", status="sent").count() > 0
