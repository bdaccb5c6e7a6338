"""Every demo role walks the console in a real browser (tests/crawl.py): every menu link,
the first row, add and edit page of every list, the pages of a few cases at different
stages. No 5xx, no link to a page the user may not open, no request to another host, no
script error, and no raw value (True, None, a class name, FAB's English buttons) on a
Chinese page."""

import pytest

from app.extensions import db
from tests.browser import BROWSER, launch, live_server, recording_page
from tests.conftest import build_app
from tests.crawl import CRAWL_USERS, Crawler, extra_paths, may_show_raw_values
from tests.demo_cases import build_demo_cases

pytestmark = BROWSER

# Users who see every case: each also opens the page of every demo case.
CASE_READERS = ("window1", "supervisor", "inspector", "director")


@pytest.fixture(scope="module")
def crawl_site(databases):
    url = databases.fresh_url()
    # The browser keeps the static files an hour, as in production: each page then
    # costs one request, not thirty revalidations.
    app = build_app(url, WTF_CSRF_ENABLED=True, SEND_FILE_MAX_AGE_DEFAULT=3600)
    cases = build_demo_cases(app)
    with live_server(app) as server:
        yield server, cases
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture(scope="module")
def crawl_page():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = launch(playwright)
        yield recording_page(browser, {"width": 1366, "height": 768})
        browser.close()


def paths_of_cases(username, cases):
    paths = []
    if username in CASE_READERS:
        paths += [f"/cases/show/{case_id}" for case_id in vars(cases).values()]
    if username == "window1":
        paths += [f"/window/receipt/{cases.in_progress}"]
    return paths


@pytest.mark.parametrize("username", CRAWL_USERS)
def test_every_reachable_page_reads_as_labels(crawl_site, crawl_page, username):
    server, cases = crawl_site
    extra = [*extra_paths(username), *paths_of_cases(username, cases)]
    visited, findings = Crawler(crawl_page, server).walk(username, extra)
    assert len(visited) > 10, visited  # the walk really went through the menus
    known = [f for f in findings if f.kind == "raw" and may_show_raw_values(f.path)]
    for finding in known:
        print(f"known exception (actions): {finding}")  # noqa: T201 (shown with -s)
    failures = [str(f) for f in findings if f not in known]
    assert failures == []
