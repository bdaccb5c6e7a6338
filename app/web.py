"""Request-level hooks: security headers, redirect and input guards, JSON errors for the API."""

import logging

from flask import Flask, jsonify, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.exceptions import BadRequest, HTTPException

from app.api_messages import register_api_messages
from app.extensions import db
from app.security.csrf import register_api_csrf
from app.security.headers import register_security_headers
from app.security.json_provider import HtmlSafeJSONProvider
from app.security.redirects import register_redirect_guard
from app.security.request_guards import register_request_guards

log = logging.getLogger(__name__)

KEPT_HEADERS = ("Allow", "Retry-After")


def register_web_hooks(app: Flask) -> None:
    from app.labels import register_template_filters

    register_template_filters(app)
    app.json = HtmlSafeJSONProvider(app)
    register_security_headers(app)
    register_redirect_guard(app)
    register_request_guards(app)
    register_api_csrf(app)
    register_api_messages(app)
    from app.views.errors import register_error_pages

    register_error_pages(app)

    @app.errorhandler(HTTPException)
    def api_errors_as_json(error):
        if request.path.startswith("/api/"):
            answer = jsonify(message=error.description or error.name)
            for name, value in error.get_headers():
                if name in KEPT_HEADERS:  # a 405 says what is allowed, a 429 when to retry
                    answer.headers[name] = value
            return answer, error.code
        return error

    @app.errorhandler(DataError)
    def database_rejected_a_value(error):
        """A value the database cannot store (out of range, wrong type): bad input, not a 500."""
        db.session.rollback()
        log.info("database refused a value: %s", getattr(error, "orig", error))
        return api_errors_as_json(BadRequest(_("A value is out of range or of the wrong type.")))
