"""What an event says about an object: JSON-safe values, secrets withheld.

Column values become JSON (dates as ISO strings, enums as their values, binary
as its length). Many-to-many collections (a user's roles, a role's permissions,
a leader's overseen divisions) are recorded as ``[{"id", "label"}]`` lists.
Secrets are never written: a changed secret shows as ``REDACTED`` on both sides. A model
may withhold more of its columns (``__audit_withheld__``: a petitioner's identity, say); they
are recorded the same way.
"""

import enum
import math
import uuid
from datetime import date, datetime, time
from decimal import Decimal

from flask import current_app, has_app_context
from sqlalchemy import inspect

REDACTED = "[redacted]"
SECRET_COLUMNS = frozenset(
    {
        "password",
        "key_hash",
        "lookup_hash",
        "registration_hash",
        "api_key",
        "secret",
        "token",
        "session_stamp",  # would let a stolen cookie outlive a logout if known
    }
)
SECRET_SUFFIXES = ("password", "_secret", "_token")
# Login bookkeeping: the login event says it; a change of these alone is no update.
UNRECORDED_COLUMNS = frozenset({"last_login", "login_count", "fail_login_count"})


def is_secret(name: str) -> bool:
    name = name.lower()
    extra = current_app.config.get("AUDIT_SECRET_COLUMNS", ()) if has_app_context() else ()
    return name in SECRET_COLUMNS or name in extra or name.endswith(SECRET_SUFFIXES)


def json_value(value):
    """A JSON-native copy of ``value`` whose canonical form survives a database round trip."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    if isinstance(value, enum.Enum):
        return json_value(value.value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(value)} bytes>"
    if isinstance(value, dict):
        return {str(key): json_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [json_value(item) for item in value]
    return str(value)


def scrub(values: dict | None) -> dict | None:
    """JSON-safe copy of a name → value mapping with every secret replaced."""
    if values is None:
        return None
    return {
        str(name): REDACTED if is_secret(str(name)) else json_value(value)
        for name, value in values.items()
    }


# --- mapped objects -------------------------------------------------------------


def is_audited(obj) -> bool:
    return getattr(type(obj), "__audited__", True)


def object_type(obj) -> str:
    return type(obj).__name__


def object_id(obj) -> str | None:
    state = inspect(obj)
    # A row inserted by the flush under way has its key but no identity yet.
    identity = state.identity or state.mapper.primary_key_from_instance(obj)
    if identity is None or all(part is None for part in identity):
        return None
    return ",".join(str(part) for part in identity)


def _recorded_columns(mapper):
    return [attr for attr in mapper.column_attrs if attr.key not in UNRECORDED_COLUMNS]


def _withheld(mapper):
    return getattr(mapper.class_, "__audit_withheld__", frozenset())


def _many_to_many(mapper):
    return [rel for rel in mapper.relationships if rel.secondary is not None]


def related_list(objects) -> list[dict]:
    items = [{"id": object_id(obj), "label": str(obj)} for obj in objects]
    return sorted(items, key=lambda item: (item["id"] is None, str(item["id"])))


def snapshot(obj, loaded_only=False) -> dict:
    """Every recorded column and many-to-many collection of ``obj``.

    ``loaded_only`` reads only what is in memory (after a flush, for new rows);
    otherwise unloaded values are fetched (before a delete)."""
    state = inspect(obj)
    withheld = _withheld(state.mapper)
    values = {}
    for attr in _recorded_columns(state.mapper):
        if not loaded_only or attr.key in state.dict:
            values[attr.key] = REDACTED if attr.key in withheld else getattr(obj, attr.key)
    for rel in _many_to_many(state.mapper):
        if not loaded_only or rel.key in state.dict:
            values[rel.key] = related_list(getattr(obj, rel.key))
    return values


def changes(obj) -> tuple[dict, dict]:
    """(before, after) of the recorded attributes changed since load; empty when none."""
    state = inspect(obj)
    withheld = _withheld(state.mapper)
    before, after = {}, {}
    for attr in _recorded_columns(state.mapper):
        history = state.attrs[attr.key].history
        if history.has_changes() and attr.key in withheld:
            before[attr.key] = after[attr.key] = REDACTED
        elif history.has_changes():
            before[attr.key] = history.deleted[0] if history.deleted else None
            after[attr.key] = history.added[0] if history.added else None
    for rel in _many_to_many(state.mapper):
        history = state.attrs[rel.key].history
        if history.has_changes():
            kept = list(history.unchanged)
            before[rel.key] = related_list(kept + list(history.deleted))
            after[rel.key] = related_list(kept + list(history.added))
    return before, after


# --- reading events -------------------------------------------------------------


def diff_rows(before: dict | None, after: dict | None) -> list[tuple[str, object, object]]:
    """(field, before, after) for every field of either side, in name order."""
    before, after = before or {}, after or {}
    return [(name, before.get(name), after.get(name)) for name in sorted({*before, *after})]
