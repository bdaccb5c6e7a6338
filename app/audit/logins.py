"""Login successes and failures, form and ``/api/v1/security/login`` alike.

The security manager calls these from FAB's ``on_user_login`` /
``on_user_login_failed`` hooks and, for names with no active account (where FAB
calls neither), from its ``auth_user_db``. A per-request mark keeps it to one
event per attempt and tells the denied-response hook the 401 is already told.
"""

from flask import g, has_request_context, request

from app.audit import actions
from app.audit.recorder import record

RECORDED = "audit_login_recorded"
FAILED = "audit_login_failed"


def _where():
    return {"path": request.path} if has_request_context() else {}


def begin_attempt():
    g.pop(RECORDED, None)
    g.pop(FAILED, None)


def attempt_failed() -> bool:
    """This request was a failed login (the per-account login limit counts it)."""
    return bool(g.get(FAILED))


def attempt_recorded() -> bool:
    return bool(g.get(RECORDED))


def record_login(user):
    record(actions.LOGIN, target=user, actor=user, **_where())
    g.setdefault(RECORDED, True)


def record_login_failed(username, account=None):
    """``account``: the user the name belongs to, when there is one."""
    record(actions.LOGIN_FAILED, target=account, actor=None, username=username, **_where())
    g.setdefault(RECORDED, True)
    g.setdefault(FAILED, True)
