"""In a real browser: each audience's statistics dashboard draws its charts with the
vendored ECharts, beside the tables, without an outside request or a script error."""

import pytest

from app.extensions import db
from tests.browser import ARTIFACTS, BROWSER, csp_violations, sign_in
from tests.stats_helpers import PERIOD, build_fixture

pytestmark = BROWSER
QUERY = f"?from={PERIOD['from']}&to={PERIOD['to']}"


@pytest.fixture
def figures_console(live_console):
    with live_console.app.app_context():
        build_fixture()
        db.session.remove()
    return live_console.url


@pytest.mark.parametrize(
    ("username", "path", "charts"),
    [
        ("director", "/stats/leaders/", 6),
        ("supervisor", "/stats/supervision/", 8),
        ("landuse_head", "/stats/division/", 9),
        ("petition_staff", "/stats/petitions/", 8),
    ],
)
def test_the_dashboard_draws_its_charts(figures_console, browser_page, username, path, charts):
    expect = pytest.importorskip("playwright.sync_api").expect
    page = browser_page
    server = figures_console
    ARTIFACTS.mkdir(exist_ok=True)
    sign_in(page, server, username)
    page.goto(f"{server}{path}{QUERY}")
    drawn = page.locator(".stats-chart[data-drawn='1'] svg")
    expect(drawn).to_have_count(charts)
    assert page.locator("table.stats-table").count() >= charts
    page.screenshot(path=str(ARTIFACTS / f"stats-{username}.png"), full_page=True)
    assert csp_violations(page) == []
    assert page.problems == []
    assert page.outside_requests == []
