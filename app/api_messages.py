"""API error answers in one language: the request's (Chinese by default).

Our own messages are translated where they are raised, but FAB answers ``{"message":
"Not found"}``, ``"Forbidden"``..., Werkzeug's errors carry English descriptions and
marshmallow's field errors are English: one answer could mix both languages. An
after-request hook replaces those known English texts, at the top of every ``/api/`` error
answer and inside its ``message``/``errors`` mappings, with their translation.
"""

from flask import Flask, current_app, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import default_exceptions

API_PREFIX = "/api/"

KNOWN_TEXTS = {
    # FAB's BaseApi.response_4xx/5xx and rison parsing
    "Arguments are not correct": _l("The request's arguments are not correct."),
    "Could not process entity": _l("The record could not be processed."),
    "Not authorized": _l("Sign in first."),
    "Forbidden": _l("Your roles do not allow this."),
    "Not found": _l("No such record, or not one you may see."),
    "Internal error": _l("The console could not complete the request."),
    "Fatal error": _l("The console could not complete the request."),
    "Not a valid rison/json argument": _l("The q argument is not valid Rison or JSON."),
    "Not a valid rison argument": _l("The q argument is not valid Rison."),
    # marshmallow's field errors
    "Missing data for required field.": _l("This field is required."),
    "Field may not be null.": _l("This field may not be empty."),
    "Unknown field.": _l("Unknown field."),
    "Not a valid string.": _l("Must be text."),
    "Not a valid integer.": _l("Must be a whole number."),
    "Not a valid number.": _l("Must be a number."),
    "Not a valid boolean.": _l("Must be true or false."),
    "Not a valid datetime.": _l("Must be a date and time (ISO 8601)."),
    "Not a valid date.": _l("Must be a date (YYYY-MM-DD)."),
    "Not a valid list.": _l("Must be a list."),
    "Invalid input type.": _l("Wrong type of value."),
    "Invalid value.": _l("Invalid value."),
    "Not a valid choice.": _l("Not one of the allowed values."),
    "Not a valid choice": _l("Not one of the allowed values."),
}
# Werkzeug's standard descriptions ("The requested URL was not found on the server...").
GENERIC_BY_STATUS = {
    400: _l("The request could not be understood."),
    401: _l("Sign in first."),
    403: _l("Your roles do not allow this."),
    404: _l("No such address or record."),
    405: _l("This address does not take that method."),
    409: _l("The request conflicts with the record's current state."),
    413: _l("What you sent is too large."),
    415: _l("The request body is of a type this address does not take."),
    429: _l("Too many requests. Try again later."),
    500: _l("The console could not complete the request."),
}
WERKZEUG_DESCRIPTIONS = {
    cls.description: code for code, cls in default_exceptions.items() if cls.description
}


def translate(value):
    """``value`` with every known English text replaced, in lists and mappings too."""
    if isinstance(value, str):
        if value in KNOWN_TEXTS:
            return str(KNOWN_TEXTS[value])
        code = WERKZEUG_DESCRIPTIONS.get(value)
        if code is not None:
            return str(GENERIC_BY_STATUS.get(code, value))
        return value
    if isinstance(value, list):
        return [translate(item) for item in value]
    if isinstance(value, dict):
        return {key: translate(item) for key, item in value.items()}
    return value


def translate_api_errors(response):
    if response.status_code < 400 or not request.path.startswith(API_PREFIX):
        return response
    if not response.is_json or response.direct_passthrough:
        return response
    body = response.get_json(silent=True)
    if not isinstance(body, dict):
        return response
    translated = translate(body)
    if translated != body:
        response.set_data(current_app.json.dumps(translated))
    return response


def register_api_messages(app: Flask) -> None:
    app.after_request(translate_api_errors)
