"""A real browser (Debian's chromium, driven by Playwright) signs in through the login form and
uses the console under its Content-Security-Policy: no violation reported, no script error,
the navbar dropdowns open. Screenshots go to tests/artifacts/ (git-ignored)."""

import threading
from pathlib import Path

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

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="needs Debian's chromium at /usr/bin/chromium (apt-get install chromium)",
    ),
]


@pytest.fixture
def server(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)  # the real forms, tokens included
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()
    thread.join(timeout=10)


@pytest.fixture
def browser_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 800}, locale="zh-CN")
        page.add_init_script(RECORD_CSP_VIOLATIONS)
        problems = []
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
        yield page
        browser.close()


def sign_in(page, server, username="admin"):
    page.goto(f"{server}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("input[type=submit], button[type=submit]")
    page.wait_for_url(f"{server}/")


def csp_violations(page):
    return page.evaluate("window.__cspViolations")


def test_admin_signs_in_and_uses_the_division_list_under_the_csp(server, browser_page):
    page = browser_page
    sign_in(page, server)
    page.goto(f"{server}/divisionmodelview/list/")
    assert page.get_by_text("土地利用处").is_visible()

    toggles = page.locator(".navbar .dropdown-toggle")
    assert toggles.count() >= 3  # security, organisation, assistant, language, user
    for index in range(toggles.count()):
        toggle = toggles.nth(index)
        menu = toggle.locator("xpath=..").locator(".dropdown-menu")
        assert not menu.is_visible()
        toggle.click()  # Bootstrap's script opens it...
        menu.wait_for(state="visible", timeout=5000)
        toggle.click()  # ...and closes it again
        menu.wait_for(state="hidden", timeout=5000)

    page.locator(".navbar .dropdown-toggle").first.click()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "division-list.png"), full_page=True)
    assert csp_violations(page) == []
    assert page.problems == []


@pytest.mark.parametrize(
    "path",
    ["/divisionmodelview/add", "/users/list/", "/roles/list/", "/directory/list/", "/swagger/v1"],
)
def test_admin_pages_run_their_scripts_under_the_csp(server, browser_page, path):
    page = browser_page
    sign_in(page, server)
    page.goto(f"{server}{path}")
    page.wait_for_load_state("networkidle")
    assert csp_violations(page) == []
    assert page.problems == []


def test_the_login_page_reports_no_violation(server, browser_page):
    browser_page.goto(f"{server}/login/")
    browser_page.wait_for_load_state("networkidle")
    assert csp_violations(browser_page) == []
    assert browser_page.problems == []
