"""Celery, where the bureau runs several machines (DESIGN §6): the deadline scan on a
beat schedule and the delivery of the outbox as tasks, on a Redis broker.

    celery -A app.celery_app worker -Q sunshine --loglevel=info    # on every machine
    celery -A app.celery_app beat --loglevel=info                  # on ONE machine

Without Celery, cron runs ``flask deadlines scan`` and ``flask notify deliver``.
Both paths call the same functions; the scan is idempotent and the deliverers
claim rows under a lease, so a task run twice (or a worker on every machine)
neither queues nor sends anything twice.

Configuration is read from the environment, as the console's (``APP_CONFIG``,
``DATABASE_URL``, ``CELERY_BROKER_URL``, ``CELERY_RESULT_BACKEND``,
``CELERY_QUEUE``, ``SCAN_EVERY_SECONDS``, ``DELIVER_EVERY_SECONDS``). The Flask
app is built once per worker process, on its first task.
"""

import os
from datetime import datetime

from celery import Celery

from config import CONFIGS

_settings = CONFIGS[os.environ.get("APP_CONFIG", "production")]

celery = Celery("sunshine")
celery.conf.update(
    broker_url=_settings.CELERY_BROKER_URL,
    result_backend=_settings.CELERY_RESULT_BACKEND,
    task_default_queue=_settings.CELERY_QUEUE,
    task_acks_late=True,  # a worker that dies mid-task leaves it to another
    worker_prefetch_multiplier=1,
    broker_connection_retry_on_startup=True,
    timezone="Asia/Shanghai",
    beat_schedule={
        "deadline-scan": {
            "task": "sunshine.scan",
            "schedule": float(_settings.SCAN_EVERY_SECONDS),
        },
        "deliver-outbox": {
            "task": "sunshine.deliver",
            "schedule": float(_settings.DELIVER_EVERY_SECONDS),
        },
    },
)

_flask_app = None


def flask_app():
    global _flask_app
    if _flask_app is None:
        from app import create_app

        _flask_app = create_app()
    return _flask_app


def _moment(value):
    """An ISO moment with its zone (as ``--now``) as naive UTC, or now."""
    from app.workflow.clock import as_naive_utc, utcnow

    return as_naive_utc(datetime.fromisoformat(value)) if value else utcnow()


@celery.task(name="sunshine.scan")
def scan(now=None):
    """``flask deadlines scan``: flags, cards, reminders (cases and petitions); then a
    delivery is queued."""
    from app.petitions.deadlines import scan as scan_petitions
    from app.workflow.deadlines import scan as run_scan

    with flask_app().app_context():
        moment = _moment(now)
        result = run_scan(moment)
        scan_petitions(moment)
    deliver.delay(now)
    return {
        "tasks": result.tasks,
        "cases": result.cases,
        "yellow_cards": result.cards.yellow,
        "red_cards": result.cards.red_cases + result.cards.red_divisions,
        "queued": result.reminders,
    }


@celery.task(name="sunshine.deliver")
def deliver(now=None):
    """``flask notify deliver``: claim due messages under a lease and send them."""
    from app.notify.deliver import deliver as run_delivery

    with flask_app().app_context():
        outcome = run_delivery(_moment(now))
    return {"sent": outcome.sent, "retrying": outcome.retrying, "failed": outcome.failed}
