"""In a real browser on a laptop screen: the Supervisor opens the timeline of a GD-01 case
that went through the three parallel surveys, a return and a suspension, from the case
page, and sees each; then the progress table. The README's pictures are taken here."""

import os
import shutil
from pathlib import Path

import pytest

from app.extensions import db
from app.models.catalog import Matter
from app.workflow import clock
from tests.browser import ARTIFACTS, BROWSER, csp_violations, sign_in
from tests.supervision_helpers import receive
from tests.timeline_helpers import (
    EXTENSION_REASON,
    NOW,
    RETURN_REASON,
    SUSPENSION_REASON,
    beijing,
    walked_gd01_case,
)

pytestmark = BROWSER
LAPTOP = {"width": 1366, "height": 768}
SCREENSHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


@pytest.fixture
def viewport():
    return LAPTOP


@pytest.fixture
def walked(live_console, monkeypatch):
    """The walked case, on a console whose clock reads Tuesday 24 March 2026."""
    monkeypatch.setattr(clock, "utcnow", lambda: NOW)
    with live_console.app.app_context():
        case = walked_gd01_case()
        for code, day, name in (("JS-01", 12, "扬州某科技有限公司"), ("GD-01", 20, "李四")):
            matter = db.session.query(Matter).filter_by(code=code).one()
            receive(matter, at=beijing(day, 9), applicant_name=name)
        return case.id, case.receipt_no


def test_the_supervisor_reads_where_the_time_went(live_console, walked, browser_page):
    expect = pytest.importorskip("playwright.sync_api").expect
    server, page = live_console.url, browser_page
    case_id, receipt_no = walked
    ARTIFACTS.mkdir(exist_ok=True)

    sign_in(page, server, "supervisor")
    page.goto(f"{server}/cases/show/{case_id}")
    page.locator("a.timeline-link").click()
    page.wait_for_url(f"{server}/cases/timeline/{case_id}")
    chart = page.locator("svg.timeline-chart")
    expect(chart).to_be_visible()

    surveys = chart.locator('g.tl-bar[data-stage="4"]')
    expect(surveys).to_have_count(6)  # three surveys, twice: before and after the return
    for name in ("权属核定", "面积量算", "地价评估"):
        expect(surveys.filter(has_text=name)).to_have_count(2)
    cancelled = chart.locator("g.tl-cancelled")
    expect(cancelled).to_have_count(1)
    expect(cancelled).to_contain_text("地价评估")
    expect(chart.locator("g.tl-return")).to_have_count(1)
    expect(chart.locator('g.tl-pause[data-kind="expert_review"]')).to_have_count(1)
    expect(chart.locator("g.tl-due-moved")).to_have_count(1)
    assert chart.locator("g.tl-critical").count() >= 5
    assert chart.locator("g.tl-day-weekend").count() >= 6

    events = page.locator("table.timeline-events")
    expect(events).to_contain_text(RETURN_REASON)
    expect(events).to_contain_text(SUSPENSION_REASON)
    expect(events).to_contain_text(EXTENSION_REASON)
    expect(events).to_contain_text("实地勘察")  # the delay reason of the notice
    expect(page.locator("table.timeline-trace")).to_contain_text("起算日")
    box = chart.bounding_box()
    assert box["x"] + box["width"] <= LAPTOP["width"], "the chart fits a laptop screen"
    page.screenshot(path=str(ARTIFACTS / "timeline-full.png"), full_page=True)
    chart.screenshot(path=str(ARTIFACTS / "timeline-chart.png"))
    page.screenshot(
        path=str(ARTIFACTS / "timeline.png"), clip={"x": 0, "y": 0, **LAPTOP, "height": 900}
    )

    page.goto(f"{server}/progress/list/")
    row = page.locator(f'tr[data-case="{case_id}"]')
    expect(row).to_contain_text(receipt_no)
    expect(row).to_contain_text("5/11")
    expect(row).to_have_class("progress-row progress-delayed danger")
    page.screenshot(path=str(ARTIFACTS / "progress.png"), full_page=True)

    assert csp_violations(page) == []
    assert page.problems == []
    assert page.outside_requests == []
    if os.environ.get("UPDATE_README_SCREENSHOTS"):  # the README's pictures, on request only
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for name in ("timeline.png", "progress.png"):
            shutil.copy(ARTIFACTS / name, SCREENSHOTS / name)
