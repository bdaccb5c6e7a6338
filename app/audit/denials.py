"""Denied access: every 401 and 403 answer, FAB's "Access is Denied" redirect of
an anonymous visitor to the login page, and 404s a scope rule marked as hiding
a row (``mark_denied``), on HTML pages and the API alike."""

import logging

from flask import Flask, g, request, session
from flask_appbuilder.const import FLAMSG_ERR_SEC_ACCESS_DENIED
from sqlalchemy.exc import SQLAlchemyError

from app.audit import actions, logins
from app.audit.recorder import record
from app.extensions import db

log = logging.getLogger(__name__)

SCOPE_DENIED = "audit_scope_denied"
DENIED_STATUSES = frozenset({401, 403})


def mark_denied(reason="out_of_scope"):
    """Call when answering 404 to hide a row outside the user's scope: the
    answer is then recorded as a denied access."""
    g.setdefault(SCOPE_DENIED, reason)


def register_denial_hook(app: Flask):
    app.before_request(forget_marks)
    app.after_request(record_denied_response)


def forget_marks():
    """Marks live in ``g``, which outlives a request when an app context was
    already pushed (a test, a CLI command serving several requests)."""
    g.pop(SCOPE_DENIED, None)
    logins.begin_attempt()


def record_denied_response(response):
    reason = _denial_reason(response)
    if reason is None:
        return response
    try:
        record(
            actions.DENIED,
            method=request.method,
            path=request.path,
            status=response.status_code,
            reason=reason,
        )
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("could not record a denied access to %s", request.path)
    return response


def _denial_reason(response):
    if logins.attempt_recorded():
        return None  # a failed login: already on the trail
    if g.get(SCOPE_DENIED):
        return g.get(SCOPE_DENIED)
    if response.status_code in DENIED_STATUSES:
        return "unauthenticated" if response.status_code == 401 else "forbidden"
    if response.status_code == 302 and _flashed_access_denied():
        return "unauthenticated"
    return None


def _flashed_access_denied():
    denied = str(FLAMSG_ERR_SEC_ACCESS_DENIED)
    return any(message == denied for _category, message in session.get("_flashes", ()))
