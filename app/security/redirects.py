"""No open redirect: every redirect the console answers stays on the console's own host.

FAB 5.3 checks ``next=`` with ``is_safe_redirect_url``, which lets ``/\\evil.com`` through
(browsers read it as ``//evil.com``). Rather than patch each view, one ``after_request`` hook
checks the ``Location`` of every redirect, FAB's and ours, and sends unsafe ones to the index.
"""

import logging
from urllib.parse import urlsplit

from flask import Flask, current_app, request

log = logging.getLogger(__name__)

REDIRECT_CODES = {301, 302, 303, 307, 308}


def is_local_url(url):
    """True for an absolute path on this site (``/x``) or an http(s) URL on this host."""
    if not url or any(ord(ch) < 33 or ch == "\\" for ch in url):
        return False
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return parts.scheme in {"http", "https"} and parts.netloc == request.host
    return url.startswith("/") and not url.startswith("//")


def keep_redirects_local(response):
    if response.status_code in REDIRECT_CODES:
        location = response.headers.get("Location", "")
        if not is_local_url(location):
            log.warning("refused a redirect off the site to %r", location)
            response.headers["Location"] = current_app.appbuilder.get_url_for_index
    return response


def register_redirect_guard(app: Flask) -> None:
    app.after_request(keep_redirects_local)
