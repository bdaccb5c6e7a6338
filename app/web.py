"""Request-level hooks: security headers and JSON errors for the API."""

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self' 'unsafe-inline'; font-src 'self' data:; frame-ancestors 'none'; "
    "base-uri 'self'; form-action 'self'"
)


def register_web_hooks(app: Flask) -> None:
    from app.views.labels import register_template_filters

    register_template_filters(app)

    @app.after_request
    def security_headers(response):
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        return response

    @app.errorhandler(HTTPException)
    def api_errors_as_json(error):
        if request.path.startswith("/api/"):
            return jsonify(message=error.description or error.name), error.code
        return error
