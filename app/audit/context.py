"""Who is acting and from where, read from the current request (none outside one)."""

from flask import g, has_request_context, request


def current_actor():
    """The signed-in user (session cookie, JWT or API key), or None."""
    if not has_request_context():
        return None
    user = g.get("user")
    if user is None or not getattr(user, "is_authenticated", False):
        return None
    return user


def client_ip() -> str | None:
    """The client's address: behind trusted proxies, ProxyFix has already put the
    forwarded one in ``remote_addr`` (app/security/proxies.py)."""
    if not has_request_context():
        return None
    address = request.remote_addr
    return address[:45] if address else address
