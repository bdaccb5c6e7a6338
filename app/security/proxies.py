"""The client's address behind our own proxies: one setting for everything that reads it.

``TRUSTED_PROXIES`` (formerly ``AUDIT_TRUSTED_PROXIES``, still read) says how many proxies
run in front of the console. werkzeug's ProxyFix then sets ``request.remote_addr`` to the
``X-Forwarded-For`` entry that many hops from the right, the address our first proxy saw;
the audit trail, the login limits and the portal's lookup limit all read ``remote_addr``.
With 0, ``X-Forwarded-For`` is ignored (a client could write anything there).
"""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def trusted_proxies(config) -> int:
    return int(config.get("TRUSTED_PROXIES") or config.get("AUDIT_TRUSTED_PROXIES") or 0)


def install_proxy_fix(app: Flask) -> None:
    hops = trusted_proxies(app.config)
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops)
