"""Queue messages in the transaction of what caused them (DESIGN §6).

Callers (the engine, the scan, petitions, the portal) call :func:`queue` inside
their action; the row commits or rolls back with the action, so a message is
never sent for something that did not happen, nor lost for something that did.
Texts are rendered at queue time in the recipient's language.
"""

from flask_babel import force_locale
from sqlalchemy import select

from app.extensions import db
from app.models.notification import Channel, DeliveryStatus, Notification
from app.workflow.clock import utcnow

DEFAULT_LOCALE = "zh"


def render(locale, template):
    """``template`` is a callable returning text (so gettext runs in ``locale``), or text."""
    with force_locale(locale or DEFAULT_LOCALE):
        return str(template()) if callable(template) else str(template)


def user_address(user, channel):
    if channel == Channel.EMAIL:
        return user.email or None
    if channel == Channel.SMS:
        return user.phone or None
    return None


def opted_out(user, channel):
    """The user's profile turned this channel off (in-app messages cannot be)."""
    if channel == Channel.EMAIL:
        return not user.notify_email
    if channel == Channel.SMS:
        return not user.notify_sms
    return False


def queue(
    *,
    channel,
    reason,
    key,
    subject,
    body,
    recipient=None,
    address=None,
    body_html=None,
    target=None,
    mandatory=False,
    locale=None,
    at=None,
):
    """Write one outbox row unless a row with ``key`` exists; returns it or None.

    ``recipient`` is a user (address from their profile) or None with an explicit
    ``address`` (an applicant's phone). ``subject``/``body``/``body_html`` are text or
    callables rendered in the recipient's locale. ``target`` is ``(type, id)``.
    An in-app row is delivered by being written; a row with no address, or on a channel
    the recipient turned off (unless ``mandatory``), is not queued.
    """
    channel = Channel(channel)
    if recipient is not None and not mandatory and opted_out(recipient, channel):
        return None
    if recipient is not None:
        locale = locale or getattr(recipient, "locale", None)
        address = address or user_address(recipient, channel)
    if channel != Channel.INAPP and not address:
        return None
    if channel == Channel.INAPP and recipient is None:
        raise ValueError("an in-app message needs a recipient")
    if _key_taken(key):
        return None
    at = at or utcnow()
    locale = locale or DEFAULT_LOCALE
    target_type, target_id = target or (None, None)
    inapp = channel == Channel.INAPP
    row = Notification(
        channel=channel.value,
        recipient=recipient,
        address=address,
        locale=locale,
        subject=render(locale, subject)[:300],
        body=render(locale, body),
        body_html=render(locale, body_html) if body_html is not None else None,
        reason=reason,
        mandatory=mandatory,
        target_type=target_type,
        target_id=target_id,
        idempotency_key=key[:200],
        status=(DeliveryStatus.SENT if inapp else DeliveryStatus.PENDING).value,
        attempts=0,
        next_attempt_at=at,
        created_at=at,
        sent_at=at if inapp else None,
    )
    db.session.add(row)
    return row


def _key_taken(key):
    key = key[:200]
    if any(isinstance(o, Notification) and o.idempotency_key == key for o in db.session.new):
        return True
    taken = select(Notification.id).where(Notification.idempotency_key == key)
    return db.session.scalar(taken) is not None
