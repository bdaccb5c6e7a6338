"""Building events and appending them in the caller's transaction."""

from flask import current_app, has_app_context

from app.audit import actions
from app.audit.chain import append, utcnow
from app.audit.context import client_ip, current_actor
from app.audit.values import object_id, object_type, scrub
from app.extensions import db

CURRENT_USER = object()  # default actor: whoever the request is signed in as


def build_event(
    action,
    target_type=None,
    target_id=None,
    before=None,
    after=None,
    details=None,
    actor=CURRENT_USER,
) -> dict:
    """An unchained event: who, when, from where, what, on what, before/after."""
    if actor is CURRENT_USER:
        actor = current_actor()
    return {
        "created_at": utcnow(),
        "user_id": actor.id if actor is not None else None,
        "username": actor.username if actor is not None else None,
        "ip": client_ip(),
        "action": action,
        "target_type": target_type,
        "target_id": None if target_id is None else str(target_id),
        "before": scrub(before),
        "after": scrub(after),
        "details": scrub(details) or None,
    }


def anchor_every() -> int:
    """``AUDIT_ANCHOR_EVERY``: anchor the head each time the trail grows by that many events."""
    return current_app.config.get("AUDIT_ANCHOR_EVERY", 0) if has_app_context() else 0


def record(
    action,
    target=None,
    target_type=None,
    target_id=None,
    before=None,
    after=None,
    *,
    actor=CURRENT_USER,
    **details,
) -> dict:
    """Append one event to the trail in the current session's transaction.

    ``target`` is a mapped object (its class name and primary key are used) or
    give ``target_type``/``target_id``. ``before``/``after`` are name → value
    mappings; secrets in them are withheld. Extra keywords go to ``details``.
    The caller commits (or rolls back: the event goes with it)."""
    if target is not None:
        target_type = target_type or object_type(target)
        target_id = target_id if target_id is not None else object_id(target)
    event = build_event(action, target_type, target_id, before, after, details, actor)
    return append(db.session.connection(), [event], anchor_every())[0]


def record_export(target_type, rows, fmt, **details) -> dict:
    """An export of ``rows`` records of ``target_type`` as ``fmt`` (csv, xlsx…);
    pass the filters used as keywords so the trail says what left the building."""
    return record(actions.EXPORT, target_type=target_type, rows=rows, format=fmt, **details)


def record_transition(target, from_status, to_status, **details) -> dict:
    """A workflow transition of ``target`` (the case engine calls this)."""
    return record(
        actions.TRANSITION,
        target=target,
        before={"status": from_status},
        after={"status": to_status},
        **details,
    )
