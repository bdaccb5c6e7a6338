"""The one hook on the session: every flushed create, update and delete of a
mapped object (FAB's security tables included) appends an event in the same
transaction. Views, APIs, CLI commands and tests need do nothing.

``before_flush`` captures what deleted rows held (they cannot be read after);
``after_flush`` sees the new primary keys and the foreign keys the flush filled
in, and appends every event of the flush in one insert.
"""

from sqlalchemy import event

from app.audit import actions
from app.audit.chain import append
from app.audit.recorder import anchor_every, build_event
from app.audit.values import changes, is_audited, object_id, object_type, snapshot
from app.extensions import db
from app.models.audit import AuditAnchor, AuditCheckpoint, AuditEvent

DELETED_KEY = "audit_deleted_snapshots"


class AuditTrailWriteError(RuntimeError):
    """Someone tried to add, change or delete an audit row through the ORM."""


def register_session_listeners(session=db.session):
    if not event.contains(session, "before_flush", before_flush):
        event.listen(session, "before_flush", before_flush)
        event.listen(session, "after_flush", after_flush)


def before_flush(session, flush_context, instances):
    _refuse_audit_rows(session)
    session.info[DELETED_KEY] = [
        (obj, snapshot(obj)) for obj in _ordered(session.deleted) if is_audited(obj)
    ]


def after_flush(session, flush_context):
    new_events = [
        *[_created(obj) for obj in _ordered(session.new) if is_audited(obj)],
        *filter(None, (_updated(obj) for obj in _ordered(session.dirty) if is_audited(obj))),
        *[_deleted(obj, before) for obj, before in session.info.pop(DELETED_KEY, [])],
    ]
    if new_events:
        append(session.connection(), new_events, anchor_every())


def _created(obj):
    return build_event(
        actions.CREATE, object_type(obj), object_id(obj), after=snapshot(obj, loaded_only=True)
    )


def _updated(obj):
    before, after = changes(obj)
    if not after and not before:
        return None
    return build_event(actions.UPDATE, object_type(obj), object_id(obj), before, after)


def _deleted(obj, before):
    return build_event(actions.DELETE, object_type(obj), object_id(obj), before=before)


def _ordered(objects):
    """Events of one flush grouped by type (a stable sort keeps the session's order)."""
    return sorted(objects, key=lambda obj: object_type(obj))


def _refuse_audit_rows(session):
    for obj in (*session.new, *session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent | AuditAnchor | AuditCheckpoint):
            raise AuditTrailWriteError("audit rows are append-only and written by app.audit alone")
