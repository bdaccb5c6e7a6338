"""Login limits: per client address (FAB's ``AUTH_RATE_LIMIT``) and per account name.

FAB limits only its login form, per ``request.remote_addr`` (the client behind trusted
proxies, app/security/proxies.py); the API login gets the same limit here. A second limit
counts *failed* logins per account name, from any address: past ``AUTH_ACCOUNT_RATE_LIMIT``
that name alone gets 429 (a correct password included) until the window passes, so a
guesser spreading over many addresses is stopped without locking anyone else out. The
refusal is recorded on the audit trail as a denial naming the account.
"""

from flask import current_app, request
from flask_appbuilder.security.api import SecurityApi
from flask_babel import gettext as _

from app import audit
from app.audit import logins

ACCOUNT_SCOPE = "login-account"
MAX_NAME = 256


def attempted_username() -> str:
    """The account name a login request names (form or JSON), normalised; "" if none."""
    name = request.form.get("username")
    if name is None and request.is_json:
        try:
            body = request.get_json(silent=True)
        except RecursionError:
            body = None
        name = body.get("username") if isinstance(body, dict) else None
    return name.strip().casefold()[:MAX_NAME] if isinstance(name, str) else ""


def _account_key():
    return f"account:{attempted_username()}"


def _no_account_named():
    return not attempted_username()


def _login_failed(_response):
    return logins.attempt_failed()


def _account_refused(_limit):
    audit.mark_denied("account_rate_limited", username=attempted_username())


def too_many_failures():
    return _("Too many failed sign-ins for this account. Try again later.")


def register_login_limits(sm):
    """Apply both limits to the login form and the API login (POST only)."""
    views = [view for view in sm.appbuilder.baseviews if isinstance(view, SecurityApi)]
    for view in views:
        sm.limiter.limit(sm.auth_rate_limit, methods=["POST"])(view.blueprint)
    account_limit = current_app.config.get("AUTH_ACCOUNT_RATE_LIMIT")
    if not account_limit:
        return
    limit = sm.limiter.shared_limit(
        account_limit,
        scope=ACCOUNT_SCOPE,
        key_func=_account_key,
        methods=["POST"],
        exempt_when=_no_account_named,
        deduct_when=_login_failed,
        on_breach=_account_refused,
        error_message=too_many_failures,
    )
    for view in [*views, sm.auth_view]:
        limit(view.blueprint)
