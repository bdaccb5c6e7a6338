"""Denied access, recorded by one after-request hook on every path (HTML pages, our APIs
and FAB's own alike): every 401, 403 and 429 answer, FAB's "Access is Denied" redirect
of an anonymous visitor to the login page, a refused CSRF token (the error page marks
it), and every 404 a signed-in user gets for an address naming a record
(``/cases/show/<pk>``, ``/api/v1/case/<pk>``...): the row is missing or outside their
scope, and the answer does not say which. ``mark_denied`` adds a reason or details the
status cannot tell."""

import logging

from flask import Flask, g, request, session
from flask_appbuilder.const import FLAMSG_ERR_SEC_ACCESS_DENIED
from sqlalchemy.exc import SQLAlchemyError

from app.audit import actions, logins
from app.audit.context import current_actor
from app.audit.recorder import record
from app.extensions import db

log = logging.getLogger(__name__)

SCOPE_DENIED = "audit_scope_denied"
DENIAL_DETAILS = "audit_denial_details"
DENIED_STATUSES = frozenset({401, 403})
STATIC_ENDPOINT = "static"


def mark_denied(reason="out_of_scope", **details):
    """Call when refusing in a way the status alone does not tell (a 404 hiding a
    row outside the user's scope, a login limit on one account): the answer is then
    recorded as a denied access with this reason and these details."""
    g.setdefault(SCOPE_DENIED, reason)
    g.setdefault(DENIAL_DETAILS, details)


def register_denial_hook(app: Flask):
    app.before_request(forget_marks)
    app.after_request(record_denied_response)


def forget_marks():
    """Marks live in ``g``, which outlives a request when an app context was
    already pushed (a test, a CLI command serving several requests)."""
    g.pop(SCOPE_DENIED, None)
    g.pop(DENIAL_DETAILS, None)
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
            **g.get(DENIAL_DETAILS, {}),
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
    if response.status_code == 429:
        return "rate_limited"
    if response.status_code == 404 and _names_a_record() and current_actor() is not None:
        return "out_of_scope"
    if response.status_code in DENIED_STATUSES:
        return "unauthenticated" if response.status_code == 401 else "forbidden"
    if response.status_code == 302 and _flashed_access_denied():
        return "unauthenticated"
    return None


def _names_a_record():
    """The address carries a path parameter (a record's id), and is not a static file."""
    endpoint = request.endpoint or ""
    return bool(request.view_args) and endpoint.rpartition(".")[2] != STATIC_ENDPOINT


def _flashed_access_denied():
    denied = str(FLAMSG_ERR_SEC_ACCESS_DENIED)
    return any(message == denied for _category, message in session.get("_flashes", ()))
