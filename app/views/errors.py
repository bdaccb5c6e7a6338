"""Error pages in the console's layout and the reader's language (400, 403, 404, 405, 413,
429, 500) for pages; the API keeps answering JSON ``{"message": ...}``.

The handlers are registered per status code, so Flask asks them before the app's
``HTTPException`` handler (app/web.py); for an ``/api/`` path they hand the error to that
handler, so the API's JSON stays defined in one place. A 500 page shows no traceback;
anonymous visitors see the page without any staff menu (FAB shows menus by permission).
"""

import logging

from flask import current_app, render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from app import audit
from app.extensions import db

log = logging.getLogger(__name__)

API_PREFIX = "/api/"

PAGES = {
    400: (
        _l("The request could not be understood"),
        _l(
            "Something in the address or the form was not as expected. Go back, check what you "
            "entered and try again."
        ),
    ),
    403: (
        _l("Access denied"),
        _l(
            "Your role does not give you this page. If your work needs it, ask the system "
            "administrator."
        ),
    ),
    404: (
        _l("Page not found"),
        _l("The page or record does not exist, or it is not among the records you may see."),
    ),
    405: (
        _l("This address does not take that request"),
        _l("Use the buttons and forms of the console's pages rather than typing the address."),
    ),
    413: (
        _l("The file is too large"),
        _l(
            "What you sent is larger than the console accepts (%(limit)s MB per file). Send a "
            "smaller scan, or one file at a time."
        ),
    ),
    429: (
        _l("Too many attempts"),
        _l(
            "Too many requests came from your computer in a short time. Wait a minute, then "
            "try again."
        ),
    ),
    500: (
        _l("Something went wrong"),
        _l(
            "The console could not complete your request; the error has been recorded for the "
            "system administrator. Try again in a moment, and if it happens again, tell the "
            "administrator the time it happened."
        ),
    ),
}
EXPIRED_FORM = _l("The form has expired or was sent twice. Reload the page and send it again.")


def register_error_pages(app):
    for code in PAGES:
        app.register_error_handler(code, error_page)


def error_page(error):
    if isinstance(error, CSRFError):
        audit.mark_denied("csrf_failed")
    if not isinstance(error, HTTPException):  # an exception no handler caught: a 500
        error = InternalServerError(original_exception=error)
    if request.path.startswith(API_PREFIX):
        return _api_error(error)
    if error.code == 500:
        db.session.rollback()  # the failed request may have left the session unusable
    title, message = PAGES[error.code]
    context = {
        "code": error.code,
        "title": title,
        "message": message % {"limit": _upload_limit_mb()} if error.code == 413 else message,
        "detail": _detail(error),
    }
    try:
        page = render_template("sunshine/error.html", appbuilder=current_app.appbuilder, **context)
    except Exception:  # the layout needs the database; the plain page does not
        log.exception("the error page could not be drawn in the console's layout")
        db.session.rollback()
        page = render_template("sunshine/error_plain.html", **context)
    return page, error.code, _headers(error)


def _api_error(error):
    """The app's own HTTPException handler (JSON for the API), or Werkzeug's answer."""
    handler = current_app.error_handler_spec.get(None, {}).get(None, {}).get(HTTPException)
    return handler(error) if handler is not None else error


DETAILED = frozenset({400, 403, 404})


def _detail(error):
    """The message our code gave a 400, 403 or 404 (translated where it was raised).
    Werkzeug's and extensions' English descriptions, and anything of a 500, are not shown."""
    if isinstance(error, CSRFError):
        return EXPIRED_FORM
    if error.code not in DETAILED or error.description == type(error).description:
        return None
    return error.description


def _headers(error):
    """Keep what the status needs: ``Allow`` for a 405, ``Retry-After`` for a 429."""
    headers = error.get_headers() if hasattr(error, "get_headers") else []
    return [(name, value) for name, value in headers if name in ("Allow", "Retry-After")]


def _upload_limit_mb():
    return round(current_app.config.get("UPLOAD_MAX_BYTES", 0) / (1024 * 1024))
