"""Queue one message per (row, recipient, channel) of a query in ONE statement.

The set-based twin of :func:`app.notify.outbox.queue`, for the deadline scan: an
``INSERT ... SELECT`` whose idempotency key, address and texts are computed by
the database, so a scan over 100,000 cases queues its reminders in a constant
number of statements and a second scan at the same moment queues nothing.
"""

from sqlalchemy import and_, false, func, literal, null, or_, select, true, union_all
from sqlalchemy import case as when

from app.extensions import db
from app.models.notification import Channel, DeliveryStatus, Notification
from app.notify import sqltext
from app.sql import insert_new

COLUMNS = (
    "channel",
    "recipient_id",
    "address",
    "locale",
    "subject",
    "body",
    "reason",
    "mandatory",
    "target_type",
    "target_id",
    "idempotency_key",
    "status",
    "attempts",
    "next_attempt_at",
    "created_at",
    "sent_at",
)


def _channels(channels):
    rows = [select(literal(Channel(c).value).label("channel")) for c in channels]
    return (rows[0] if len(rows) == 1 else union_all(*rows)).subquery("ch")


def reachable(user, channel, mandatory=False):
    """SQL: ``user`` can be reached on ``channel`` (an address, and not opted out)."""
    email = and_(
        channel == Channel.EMAIL.value,
        func.coalesce(user.email, "") != "",
        or_(user.notify_email, literal(mandatory)),
    )
    sms = and_(
        channel == Channel.SMS.value,
        func.coalesce(user.phone, "") != "",
        or_(user.notify_sms, literal(mandatory)),
    )
    return or_(channel == Channel.INAPP.value, email, sms)


def queue_bulk(
    *,
    reason,
    channels,
    user,
    source,
    where,
    target_type,
    target_id,
    key,
    subject,
    body,
    at,
    mandatory=False,
):
    """Queue ``reason`` messages to ``user`` (an alias of BureauUser joined in ``source``)
    for every row of ``source`` matching ``where``. ``key`` is the SQL text of the row's
    key; the recipient and channel are appended. ``subject``/``body`` are
    ``(message, {name: column})`` for :func:`app.notify.sqltext.localized`.
    Returns the number of rows queued."""
    if not channels:
        return 0
    ch = _channels(channels)
    channel = ch.c.channel
    full_key = sqltext.join(key, ":", sqltext.text(user.id), ":", channel)
    inapp = channel == Channel.INAPP.value
    taken = select(Notification.id).where(Notification.idempotency_key == full_key)
    rows = (
        select(
            channel,
            user.id,
            when(
                (channel == Channel.EMAIL.value, user.email),
                (channel == Channel.SMS.value, user.phone),
                else_=null(),
            ),
            func.coalesce(user.locale, sqltext.default_locale()),
            func.substr(sqltext.localized(user.locale, subject[0], **subject[1]), 1, 300),
            sqltext.localized(user.locale, body[0], **body[1]),
            literal(reason),
            true() if mandatory else false(),
            literal(target_type),
            target_id,
            full_key,
            when((inapp, DeliveryStatus.SENT.value), else_=DeliveryStatus.PENDING.value),
            literal(0),
            literal(at),
            literal(at),
            when((inapp, literal(at)), else_=null()),
        )
        .select_from(source)
        .join(ch, true())
        .where(*where, user.active.is_(True), reachable(user, channel, mandatory), ~taken.exists())
    )
    statement = insert_new(Notification, "idempotency_key").from_select(list(COLUMNS), rows)
    return db.session.execute(statement).rowcount
