"""A real browser signs in through the login form and uses the console under its
Content-Security-Policy: no violation reported, no script error, the navbar dropdowns open."""

import pytest

from tests.browser import ARTIFACTS, BROWSER, csp_violations, sign_in

pytestmark = BROWSER


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
    assert page.outside_requests == []


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


def test_the_user_menu_signs_out_with_a_post(server, browser_page):
    page = browser_page
    sign_in(page, server)
    page.goto(f"{server}/logout/")  # a link from a foreign page signs nobody out
    page.goto(f"{server}/divisionmodelview/list/")
    assert page.get_by_text("土地利用处").is_visible()
    logout = page.locator("form.navbar-logout")
    logout.locator("xpath=ancestor::li[contains(@class, 'dropdown')]/a").click()
    with page.expect_navigation():
        page.locator("form.navbar-logout button").click()
    page.goto(f"{server}/divisionmodelview/list/")
    assert "/login/" in page.url
    assert csp_violations(page) == []
