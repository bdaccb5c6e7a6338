"""Browser tests' shared parts: Debian's chromium driven by Playwright (never a downloaded
browser), a live console on 127.0.0.1, and a page that records CSP violations, script
errors and every request to a host other than the console.

The fixtures (``server``, ``live_console`` with its app, ``server_settings``,
``browser_page``, ``viewport``) reach every test through ``pytest_plugins`` in conftest.py;
a browser test module sets
``pytestmark = BROWSER`` and imports the helpers it calls (``sign_in``, ``csp_violations``,
``ARTIFACTS``).

Screenshots go to ``ARTIFACTS`` (tests/artifacts/, git-ignored).
"""

import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from werkzeug.serving import make_server

from tests.conftest import DEMO_PASSWORD

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
RECORD_CSP_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""

BROWSER = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@contextmanager
def live_server(app):
    """Serve ``app`` on a free port of 127.0.0.1; yields its base URL."""
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_port}"
    finally:
        httpd.shutdown()
        thread.join(timeout=10)


@dataclass(frozen=True)
class LiveConsole:
    url: str
    app: object  # the served app: a test prepares data in its context or through its API


@pytest.fixture
def server_settings():
    """Configuration the live console runs with; override in a module (e.g. rate limits on)."""
    return {}


@pytest.fixture
def live_console(make_app, tmp_path, server_settings):
    app = make_app(  # the real forms, tokens included
        WTF_CSRF_ENABLED=True, UPLOAD_FOLDER=str(tmp_path / "uploads"), **server_settings
    )
    with live_server(app) as url:
        yield LiveConsole(url, app)


@pytest.fixture
def server(live_console):
    return live_console.url


DESK = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 740}


def _is_local(url):
    host = urlsplit(url).hostname
    return host in (None, "127.0.0.1", "localhost") or url.startswith(("data:", "blob:", "about:"))


@pytest.fixture
def viewport():
    """Override in a module (or parametrize) for a phone: ``PHONE``."""
    return DESK


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def recording_page(browser, viewport=DESK):
    """A page that records script errors and CSP reports (``page.problems``) and every
    request to another host (``page.outside_requests``)."""
    page = browser.new_page(viewport=viewport, locale="zh-CN")
    page.add_init_script(RECORD_CSP_VIOLATIONS)
    problems = []
    outside = []
    page.on(
        "request",
        lambda request: outside.append(request.url) if not _is_local(request.url) else None,
    )
    page.on(
        "console",
        lambda message: (
            problems.append(message.text)
            if message.type == "error" or "Content Security Policy" in message.text
            else None
        ),
    )
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.problems = problems
    page.outside_requests = outside
    return page


@pytest.fixture
def browser_page(viewport):
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield recording_page(browser, viewport)
        browser.close()


def sign_in(page, server, username="admin"):
    page.goto(f"{server}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{server}/")


def sign_out(page, server):
    """Logout is a POST with the CSRF token: ``GET /logout/`` shows the confirmation form
    (or, signed out, the home page), whose button signs out."""
    page.goto(f"{server}/logout/")
    button = page.locator("button.sunshine-logout-button")
    if button.count():
        with page.expect_navigation():
            button.click()


def csp_violations(page):
    return page.evaluate("window.__cspViolations")
