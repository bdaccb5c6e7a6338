"""The tamper-evident audit trail (DESIGN §3 AuditEvent).

Public API for the rest of the app:

- ``record(action, target=None, target_type=None, target_id=None, before=None,
  after=None, **details)`` appends one event in the current transaction;
- ``record_export(...)``, ``record_transition(...)`` for exports and workflow moves;
- ``mark_denied()`` when a scope rule answers 404 to hide a row;
- ``verify(connection)`` and ``anchor(connection)`` in :mod:`app.audit.chain`.

Creates, updates and deletes of mapped objects, logins and denied answers are
recorded without any call (see :mod:`app.audit.listeners`, :mod:`.logins`,
:mod:`.denials`); ``init_app`` wires them, once per app.
"""

from app.audit import actions
from app.audit.denials import mark_denied, register_denial_hook
from app.audit.listeners import AuditTrailWriteError, register_session_listeners
from app.audit.recorder import record, record_export, record_transition

__all__ = [
    "AuditTrailWriteError",
    "actions",
    "init_app",
    "mark_denied",
    "record",
    "record_export",
    "record_transition",
]


def init_app(app):
    register_session_listeners()
    register_denial_hook(app)
