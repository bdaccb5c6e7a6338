"""The API login's body, checked before FAB reads it.

FAB's ``POST /api/v1/security/login`` indexes ``provider`` without checking it is there:
a body without it answered 500. It now answers 400 with a message, like any bad input.
"""

from flask import abort, current_app, request
from flask_babel import gettext as _

PROVIDER = "provider"


def require_provider():
    if request.method != "POST" or not request.endpoint or not request.endpoint.endswith(".login"):
        return
    try:
        body = request.get_json(silent=True)
    except RecursionError:
        return  # too deep to read: FAB's own parsing answers it
    if isinstance(body, dict) and PROVIDER not in body:
        abort(400, description=_('The login needs "provider": "db".'))


def check_login_payloads(blueprint):
    """The blueprint is registered already: its hooks are added on the app, by its name."""
    current_app.before_request_funcs.setdefault(blueprint.name, []).append(require_provider)
