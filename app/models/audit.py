"""The audit trail (DESIGN §3 AuditEvent): an append-only, hash-chained log.

Rows are written only by :mod:`app.audit.chain` (Core inserts inside the
transaction that caused them). The sequence number is the primary key and is
hashed with the rest of the row, so no event can be renumbered, moved or
swapped with another without breaking the chain. There is no foreign key to
the user table: deleting a user must never touch a past event. Migration 0004
adds triggers that refuse UPDATE and DELETE on both tables.
"""

from flask_appbuilder import Model
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    String,
    UniqueConstraint,
)


class AuditEvent(Model):
    """One recorded action: who, when, from where, what, on which object, before/after."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_event_target", "target_type", "target_id"),
        Index("ix_audit_event_created_at", "created_at"),
        Index("ix_audit_event_user_id", "user_id"),
        Index("ix_audit_event_action", "action"),
        UniqueConstraint("prev_hash", name="uq_audit_event_prev_hash"),  # no fork
        UniqueConstraint("hash", name="uq_audit_event_hash"),
    )
    __audited__ = False  # the trail does not audit itself

    seq = Column(BigInteger, primary_key=True, autoincrement=False)
    created_at = Column(DateTime, nullable=False)  # UTC, naive
    user_id = Column(Integer)
    username = Column(String(256))
    ip = Column(String(45))
    action = Column(String(32), nullable=False)
    target_type = Column(String(64))
    target_id = Column(String(64))
    before = Column(JSON(none_as_null=True))
    after = Column(JSON(none_as_null=True))
    details = Column(JSON(none_as_null=True))
    prev_hash = Column(String(64), nullable=False)
    hash = Column(String(64), nullable=False)

    @property
    def target(self):
        if self.target_type is None:
            return ""
        return f"{self.target_type} #{self.target_id}" if self.target_id else self.target_type

    def __repr__(self):
        return f"#{self.seq} {self.action} {self.target}"


class AuditAnchor(Model):
    """The chain's head as it stood on one day (UTC): proof the trail was not rewritten."""

    __tablename__ = "audit_anchor"
    __audited__ = False

    day = Column(Date, primary_key=True)
    seq = Column(BigInteger, nullable=False)
    hash = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)

    def __repr__(self):
        return f"{self.day} #{self.seq} {self.hash}"


class AuditCheckpoint(Model):
    """The chain's head every ``AUDIT_ANCHOR_EVERY`` events: an anchor by count, so a
    deleted tail is caught within that many events, not only at the next day's anchor."""

    __tablename__ = "audit_checkpoint"
    __audited__ = False

    seq = Column(BigInteger, primary_key=True, autoincrement=False)
    hash = Column(String(64), nullable=False)
    created_at = Column(DateTime, nullable=False)

    def __repr__(self):
        return f"#{self.seq} {self.hash}"
