"""The outbox (DESIGN §6): every message is a row written in its cause's transaction.

A deliverer (app/notify/deliver.py) claims due rows with a lease, sends them and
records the outcome; in-app rows are the user's inbox and are delivered by being
written. The idempotency key makes queuing the same message twice a no-op.
"""

import enum

from flask_appbuilder import Model
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import relationship


class Channel(enum.StrEnum):
    INAPP = "inapp"
    EMAIL = "email"
    SMS = "sms"


class DeliveryStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for its next attempt (or for the quiet hours to end)
    SENT = "sent"  # delivered (in-app: written to the inbox)
    FAILED = "failed"  # gave up after the last attempt; the Admin can retry


class Notification(Model):
    __tablename__ = "notification"
    __table_args__ = (
        UniqueConstraint("idempotency_key", name="uq_notification_idempotency_key"),
        CheckConstraint(
            "channel IN ({})".format(", ".join(f"'{c.value}'" for c in Channel)),
            name="ck_notification_channel",
        ),
        CheckConstraint(
            "status IN ({})".format(", ".join(f"'{s.value}'" for s in DeliveryStatus)),
            name="ck_notification_status",
        ),
        # The deliverer's claim: due rows of a channel, oldest first.
        Index("ix_notification_due", "status", "next_attempt_at"),
        # A user's inbox, newest first, and the navbar's unread count.
        Index("ix_notification_inbox", "recipient_id", "channel", "read_at"),
    )
    # Delivery churn (attempts, leases) is not a user's action; the cause is audited.
    __audited__ = False

    id = Column(Integer, primary_key=True)
    channel = Column(String(8), nullable=False)
    recipient_id = Column(Integer, ForeignKey("ab_user.id", ondelete="CASCADE"))
    recipient = relationship("BureauUser")
    # Email address or phone number; for a user, copied from the profile when queued.
    address = Column(String(200))
    locale = Column(String(8), nullable=False, default="zh")
    subject = Column(String(300), nullable=False)
    body = Column(Text, nullable=False)
    body_html = Column(Text)
    reason = Column(String(32), nullable=False)  # warning, overdue, supervision, ...
    mandatory = Column(Boolean, nullable=False, default=False)  # ignores opt-outs
    target_type = Column(String(32))  # case, task, petition, supervision, ...
    target_id = Column(Integer)
    idempotency_key = Column(String(200), nullable=False)
    status = Column(String(8), nullable=False, default=DeliveryStatus.PENDING.value)
    attempts = Column(Integer, nullable=False, default=0)
    next_attempt_at = Column(DateTime, nullable=False)
    lease_until = Column(DateTime)  # a deliverer holds the row until then
    last_error = Column(Text)
    created_at = Column(DateTime, nullable=False)
    sent_at = Column(DateTime)
    read_at = Column(DateTime)  # in-app only

    def __repr__(self):
        return self.subject
