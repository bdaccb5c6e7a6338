"""The deliverer (DESIGN §6): claims due outbox rows with a lease, sends, records.

Any number of deliverers (cron on one machine, Celery workers on several) can run
at once: a claim is one statement that sets a lease on up to ``batch`` due rows
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL; SQLite serialises writers, so its
plain UPDATE is as safe), and only rows without a live lease are claimable. Each
result is committed as soon as it is known, so a crash re-sends at most the one
message in flight once its lease runs out.

A failed attempt is retried after ``NOTIFY_RETRY_BASE_SECONDS * 2**(attempts-1)``
(at most ``NOTIFY_RETRY_MAX_SECONDS``); after ``NOTIFY_MAX_ATTEMPTS`` the row is
``failed`` with its last error, for the Admin to retry. SMS are not claimed
during ``SMS_QUIET_HOURS`` (Beijing time): they wait, they are not dropped.
"""

import logging
from dataclasses import dataclass
from datetime import time, timedelta

from flask import current_app
from sqlalchemy import or_, select, update
from sqlalchemy.orm import aliased

from app.extensions import db
from app.labels import as_beijing
from app.models.notification import Channel, DeliveryStatus, Notification
from app.notify.channels import DeliveryError, send
from app.workflow.clock import utcnow

log = logging.getLogger(__name__)
MAX_BATCHES = 1000  # one run stops after this many claims, whatever is left


@dataclass
class Outcome:
    sent: int = 0
    retrying: int = 0
    failed: int = 0


def quiet_hours(config):
    """``(start, end)`` local times from ``SMS_QUIET_HOURS`` ("22:00-07:00"), or None."""
    value = (config.get("SMS_QUIET_HOURS") or "").strip()
    if not value:
        return None
    try:
        start, end = (time.fromisoformat(part.strip()) for part in value.split("-"))
    except ValueError:
        raise ValueError(f"SMS_QUIET_HOURS={value!r}: use HH:MM-HH:MM, e.g. 22:00-07:00") from None
    return start, end


def in_quiet_hours(now, config):
    hours = quiet_hours(config)
    if hours is None:
        return False
    start, end = hours
    local = as_beijing(now).time()
    if start <= end:
        return start <= local < end
    return local >= start or local < end


def _due(row, now):
    """SQL: ``row`` (the table or an alias of it) is due now and not leased."""
    due = [
        row.status == DeliveryStatus.PENDING.value,
        row.next_attempt_at <= now,
        or_(row.lease_until.is_(None), row.lease_until < now),
    ]
    if in_quiet_hours(now, current_app.config):
        due.append(row.channel != Channel.SMS.value)
    return due


def claim(now, batch, lease):
    """Lease up to ``batch`` due rows to this deliverer; returns their ids (committed)."""
    candidate = aliased(Notification, name="candidate")  # not correlated with the UPDATE
    candidates = (
        select(candidate.id)
        .where(*_due(candidate, now))
        .order_by(candidate.next_attempt_at, candidate.id)
        .limit(batch)
    )
    if db.session.get_bind().dialect.name == "postgresql":
        candidates = candidates.with_for_update(skip_locked=True)
    # A CTE runs once: PostgreSQL may re-run a locking IN-subquery for each row it
    # re-checks, and then the LIMIT no longer bounds the claim.
    chosen = candidates.cte("chosen")
    claimed = db.session.execute(
        update(Notification)
        .where(Notification.id.in_(select(chosen.c.id)), *_due(Notification, now))
        .values(lease_until=now + lease)
        .returning(Notification.id)
        .execution_options(synchronize_session=False)
    )
    ids = sorted(claimed.scalars())
    db.session.commit()
    return ids


def backoff(attempts, config):
    base = config.get("NOTIFY_RETRY_BASE_SECONDS", 60)
    ceiling = config.get("NOTIFY_RETRY_MAX_SECONDS", 3600)
    return timedelta(seconds=min(base * 2 ** max(attempts - 1, 0), ceiling))


def deliver_one(row_id, now):
    """Send one claimed row and record the outcome; returns its status."""
    config = current_app.config
    row = db.session.get(Notification, row_id, populate_existing=True)
    try:
        send(row)
    except DeliveryError as error:
        row.attempts += 1
        row.last_error = str(error)[:2000]
        if row.attempts >= config.get("NOTIFY_MAX_ATTEMPTS", 6):
            row.status = DeliveryStatus.FAILED.value
        else:
            row.next_attempt_at = now + backoff(row.attempts, config)
        log.warning("notification %s: attempt %s failed: %s", row.id, row.attempts, error)
    else:
        row.attempts += 1
        row.status = DeliveryStatus.SENT.value
        row.sent_at = now
        row.last_error = None
    row.lease_until = None
    db.session.commit()
    return row.status


def deliver(now=None, batch=None):
    """Deliver every due row as of ``now`` (naive UTC); returns an :class:`Outcome`."""
    now = now or utcnow()
    config = current_app.config
    batch = batch or config.get("NOTIFY_BATCH_SIZE", 100)
    lease = timedelta(seconds=config.get("NOTIFY_LEASE_SECONDS", 300))
    outcome = Outcome()
    for _ in range(MAX_BATCHES):
        ids = claim(now, batch, lease)
        if not ids:
            break
        for row_id in ids:
            status = deliver_one(row_id, now)
            if status == DeliveryStatus.SENT.value:
                outcome.sent += 1
            elif status == DeliveryStatus.FAILED.value:
                outcome.failed += 1
            else:
                outcome.retrying += 1
    return outcome


def held_sms(now):
    """SMS waiting for the quiet hours to end."""
    if not in_quiet_hours(now, current_app.config):
        return 0
    return (
        db.session.query(Notification)
        .filter(
            Notification.status == DeliveryStatus.PENDING.value,
            Notification.channel == Channel.SMS.value,
            Notification.next_attempt_at <= now,
        )
        .count()
    )


def retry(row_ids, now=None):
    """The Admin sends failed rows again: pending now, attempts from zero."""
    now = now or utcnow()
    result = db.session.execute(
        update(Notification)
        .where(
            Notification.id.in_(row_ids),
            Notification.status == DeliveryStatus.FAILED.value,
        )
        .values(
            status=DeliveryStatus.PENDING.value,
            attempts=0,
            next_attempt_at=now,
            lease_until=None,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return result.rowcount
