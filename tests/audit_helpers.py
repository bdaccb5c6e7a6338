"""Reading the audit trail in tests: events after a mark, tampering as a DBA would."""

from sqlalchemy import select, text

from app.audit import chain
from app.extensions import db
from app.models.audit import AuditEvent


def head_seq():
    return chain.read_head(db.session.connection())[0]


def events_since(seq):
    """Events appended after ``seq``, oldest first (expired first: other sessions wrote)."""
    db.session.expire_all()
    return db.session.scalars(
        select(AuditEvent).where(AuditEvent.seq > seq).order_by(AuditEvent.seq)
    ).all()


def verify():
    with db.engine.connect() as connection:
        return chain.verify(connection, chunk_size=7)


def tamper(*statements, **params):
    """Run SQL on the trail as someone who can drop the append-only triggers."""
    db.session.remove()
    with db.engine.begin() as connection:
        drop_append_only_guards(connection)
        for statement in statements:
            connection.execute(text(statement), params)


def drop_append_only_guards(connection):
    if connection.dialect.name == "postgresql":
        for table in ("audit_event", "audit_anchor"):
            connection.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER {table}_append_only"))
    else:
        for table in ("audit_event", "audit_anchor"):
            for operation in ("update", "delete"):
                connection.execute(text(f"DROP TRIGGER IF EXISTS {table}_no_{operation}"))
