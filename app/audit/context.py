"""Who is acting and from where, read from the current request (none outside one)."""

from flask import current_app, g, has_request_context, request


def current_actor():
    """The signed-in user (session cookie, JWT or API key), or None."""
    if not has_request_context():
        return None
    user = g.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def client_ip() -> str | None:
    """The client's address. ``X-Forwarded-For`` is believed only when
    ``AUDIT_TRUSTED_PROXIES`` says how many proxies we run in front of the app:
    the entry that many hops from the right is the one our first proxy saw."""
    if not has_request_context():
        return None
    hops = current_app.config.get("AUDIT_TRUSTED_PROXIES", 0)
    if hops:
        forwarded = request.headers.get("X-Forwarded-For", "")
        addresses = [part.strip() for part in forwarded.split(",") if part.strip()]
        if len(addresses) >= hops:
            return addresses[-hops][:45]
    return request.remote_addr
