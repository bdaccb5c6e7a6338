"""CSRF for the REST API when it is called with the session cookie.

FAB exempts every API blueprint from CSRF (JWT clients send no token), yet our APIs also
accept the browser's session (``allow_browser_login``). A write to ``/api/`` that carries no
``Authorization`` header but a signed-in session is therefore checked like a form post:
the page's ``X-CSRFToken`` header must be present.
"""

from flask import Flask, current_app, request, session

from app.extensions import csrf

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def protect_cookie_authenticated_api_writes():
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    if request.method in SAFE_METHODS or not request.path.startswith("/api/"):
        return
    if request.headers.get("Authorization") or "_user_id" not in session:
        return
    csrf.protect()


def register_api_csrf(app: Flask) -> None:
    app.before_request(protect_cookie_authenticated_api_writes)
