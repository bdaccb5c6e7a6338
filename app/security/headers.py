"""Security headers, with a per-request nonce so FAB's inline scripts run without 'unsafe-inline'.

FAB's templates mark every inline ``<script>`` with ``nonce="{{ baselib.get_nonce() }}"``, and
``baselib.get_nonce()`` calls a template global ``csp_nonce`` when one exists (Flask-Talisman's
name). We provide that global; the policy then names the nonce in ``script-src``. Styles keep
'unsafe-inline': FAB and its widgets use ``style=`` attributes, which carry no script.
"""

import secrets

from flask import Flask, current_app, request

NONCE_BYTES = 18
NONCE_KEY = "sunshine.csp_nonce"


def csp_nonce():
    """The nonce of the current request (made on first use, kept in the request's environ:
    ``g`` lives as long as the app context, which may span several requests)."""
    return request.environ.setdefault(NONCE_KEY, secrets.token_urlsafe(NONCE_BYTES))


def content_security_policy(nonce):
    return "; ".join(
        (
            "default-src 'self'",
            f"script-src 'self' 'nonce-{nonce}'",
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "frame-ancestors 'none'",
            "base-uri 'self'",
            "form-action 'self'",
        )
    )


def add_security_headers(response):
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(csp_nonce()))
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "same-origin")
    headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", "max-age=31536000")
    return response


def register_security_headers(app: Flask) -> None:
    app.add_template_global(csp_nonce, "csp_nonce")
    app.after_request(add_security_headers)
