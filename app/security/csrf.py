"""CSRF for the REST API when it is called with the session cookie.

FAB exempts every API blueprint from CSRF (JWT clients send no token), yet our APIs also
accept the browser's session (``allow_browser_login``), and FAB's ``protect`` trusts the
session before it looks at any ``Authorization`` header. A write to ``/api/`` by a request
the session (or remember-me cookie) signs in is therefore checked like a form post, whatever
else it carries: the page's ``X-CSRFToken`` header must be present. Only a request without a
signed-in session (a Bearer JWT client) is exempt.
"""

from flask import Flask, current_app, request
from flask_login import current_user

from app.extensions import csrf

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def protect_cookie_authenticated_api_writes():
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.method in SAFE_METHODS or not request.path.startswith("/api/"):
        return
    if not current_user.is_authenticated:
        return
    csrf.protect()


def register_api_csrf(app: Flask) -> None:
    app.before_request(protect_cookie_authenticated_api_writes)
