"""Delivery channels: each sends one outbox row or raises :class:`DeliveryError`.

``inapp`` rows are the user's inbox (delivered by being written); ``email`` goes
through Flask-Mail; ``sms`` through the backend named by ``SMS_BACKEND``.
"""

from app.models.notification import Channel


class DeliveryError(Exception):
    """The channel could not deliver now; the deliverer retries later."""


def send(row):
    from app.notify.channels import email, inapp, sms

    senders = {Channel.INAPP.value: inapp.send, Channel.EMAIL.value: email.send}
    senders[Channel.SMS.value] = sms.send
    sender = senders.get(row.channel)
    if sender is None:
        raise DeliveryError(f"unknown channel {row.channel!r}")
    sender(row)
