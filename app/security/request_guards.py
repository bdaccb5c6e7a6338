"""Malformed ids and page arguments answer 404/400 before FAB turns them into a 500.

FAB passes the ``<pk>`` of ``/show/<pk>``, ``/edit/<pk>``, ``/api/v1/x/<pk>``... and the
``rowid`` of ``action_post`` straight to the database: ``abc`` or a number beyond the column's
range raises a database error (500). FAB's HTML lists ``int()`` every ``page_*``/``psize_*``
argument (``ValueError``: 500) and send negative pages to the database as negative offsets.
These hooks check the shape once, for every registered view, FAB's own included.
"""

import json
import math
import re

import prison
from flask import Flask, abort, current_app, request
from flask_babel import gettext as _
from sqlalchemy import BigInteger, Integer, SmallInteger

INTEGER_RANGES = ((SmallInteger, 2**15 - 1), (BigInteger, 2**63 - 1), (Integer, 2**31 - 1))
INTEGER_LIMIT = 2**31 - 1  # an Integer column (ids of our tables)
INTEGER_PATTERN = re.compile(r"[0-9]{1,20}")
PAGE_ARGUMENT = re.compile(r"(page|psize)_")
MAX_PAGE = 1_000_000
# ``q`` nests filters two or three deep; FAB's rison parser recurses once per level.
MAX_QUERY_DEPTH = 32
# SQLite stores 64-bit integers; larger numbers raise OverflowError before any SQL runs.
LARGEST_INTEGER = 2**63 - 1
PAGE_KEYS = ("page", "page_size")


def integer_pk_limit(datamodel):
    """The largest id the model's single integer primary key can hold, or None."""
    try:
        columns = list(datamodel.obj.__mapper__.primary_key)
    except AttributeError:
        return None
    if len(columns) != 1:
        return None
    for kind, limit in INTEGER_RANGES:
        if isinstance(columns[0].type, kind):
            return limit
    return None


def is_valid_pk(value, limit):
    value = str(value)
    return bool(INTEGER_PATTERN.fullmatch(value)) and abs(int(value)) <= limit


def integer_id_or_404(value, limit=INTEGER_RANGES[-1][1]):
    """An ``<int:...>`` id of a page of our own, refused (404) beyond an Integer column's range
    before it reaches the database."""
    if not is_valid_pk(value, limit):
        abort(404, description=_("No such record."))
    return value


def pk_limits_by_blueprint(appbuilder):
    limits = {}
    for view in appbuilder.baseviews:
        datamodel = getattr(view, "datamodel", None)
        blueprint = getattr(view, "blueprint", None)
        if datamodel is not None and blueprint is not None:
            limit = integer_pk_limit(datamodel)
            if limit is not None:
                limits[blueprint.name] = limit
    return limits


def reject_malformed_ids():
    limit = current_app.extensions["sunshine_pk_limits"].get(request.blueprint)
    if limit is None:
        return
    candidates = []
    if request.view_args and "pk" in request.view_args:
        candidates.append(request.view_args["pk"])
    if request.method == "POST" and request.endpoint and request.endpoint.endswith(".action_post"):
        candidates.extend(request.form.getlist("rowid"))
    if not all(is_valid_pk(value, limit) for value in candidates):
        abort(404, description=_("No such record."))


def reject_malformed_page_arguments():
    if request.path.startswith("/api/"):
        return
    for name, value in request.args.items():
        if not PAGE_ARGUMENT.search(name):
            continue
        if not INTEGER_PATTERN.fullmatch(value):
            abort(400, description=_("%(name)s must be a whole number.", name=name))
        number = int(value)
        if name.startswith("psize_"):
            ceiling = current_app.config["FAB_API_MAX_PAGE_SIZE"]
            if not 1 <= number <= ceiling:
                abort(
                    400, description=_("The page size must be between 1 and %(max)d.", max=ceiling)
                )
        elif not 0 <= number <= MAX_PAGE:
            abort(
                400, description=_("The page number must be between 0 and %(max)d.", max=MAX_PAGE)
            )


def nesting_depth(text):
    """The deepest bracket nesting of a rison or JSON text, quoted strings skipped."""
    depth = deepest = 0
    quote = None
    escaped = False
    for char in text:
        if quote:
            if escaped:
                escaped = False
            elif char in "!\\":
                escaped = True
            elif char == quote:
                quote = None
        elif char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in ")]}":
            depth -= 1
    return deepest


def numbers_out_of_range(value, key=None):
    """True when ``value`` holds a number no column can hold (or a page beyond MAX_PAGE)."""
    if isinstance(value, dict):
        return any(numbers_out_of_range(v, k) for k, v in value.items())
    if isinstance(value, list):
        return any(numbers_out_of_range(v) for v in value)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    if isinstance(value, float) and not math.isfinite(value):
        return True
    limit = MAX_PAGE if key in PAGE_KEYS else LARGEST_INTEGER
    return abs(value) > limit


def reject_malformed_query():
    """FAB parses an API's ``q`` (rison) recursively and expects an object: a run of
    brackets exhausts the stack, a bare number or a page past 64 bits ends in a 500.
    Checked here, once, for every list, get and ``_info`` endpoint."""
    value = request.args.get("q") if request.path.startswith("/api/") else None
    if not value:
        return
    if nesting_depth(value) > MAX_QUERY_DEPTH:
        abort(400, description=_("The q argument is nested too deeply."))
    parsed = _parse_query(value)
    if parsed is None:  # prison raises ValueError on ``1e+20``, which FAB lets through
        abort(400, description=_("The q argument is not valid rison or JSON."))
    if not isinstance(parsed, dict):
        abort(400, description=_("The q argument must be a rison object, e.g. (page:0)."))
    if numbers_out_of_range(parsed):
        abort(400, description=_("A number in the q argument is out of range."))


def _parse_query(value):
    """``q`` as FAB reads it: rison, else JSON; None when neither parses."""
    for loads in (prison.loads, json.loads):
        try:
            return loads(value)
        except Exception:  # noqa: BLE001, S112 - any parser failure means "try the next"
            continue
    return None


def register_request_guards(app: Flask) -> None:
    app.extensions["sunshine_pk_limits"] = pk_limits_by_blueprint(app.appbuilder)
    app.before_request(reject_malformed_ids)
    app.before_request(reject_malformed_page_arguments)
    app.before_request(reject_malformed_query)
