"""In a real browser: the Supervisor 督办s an overdue task from the board, the handler
answers with a delay reason on the case page, the Supervisor closes the notice."""

import threading

import pytest
from werkzeug.serving import make_server

from app.extensions import db
from app.models.supervision import SupervisionNotice
from app.workflow.deadlines import scan
from tests.browser import ARTIFACTS, BROWSER, csp_violations, sign_in, sign_out
from tests.factories import gd01
from tests.supervision_helpers import NEXT_THURSDAY_9AM, receive

pytestmark = BROWSER


@pytest.fixture
def late(make_app):
    """A live console with one case whose task is five working days late."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        case = receive(gd01())
        scan(NEXT_THURSDAY_9AM)
        case_id, receipt_no = case.id, case.receipt_no
        db.session.remove()
    httpd = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield app, f"http://127.0.0.1:{httpd.server_port}", case_id, receipt_no
    httpd.shutdown()
    thread.join(timeout=10)


def test_board_supervise_answer_close(late, browser_page):
    expect = pytest.importorskip("playwright.sync_api").expect
    app, server, case_id, receipt_no = late
    page = browser_page
    ARTIFACTS.mkdir(exist_ok=True)

    sign_in(page, server, "supervisor")
    page.goto(f"{server}/supervision/board/?flag=overdue")
    row = page.locator("tr.board-row", has_text=receipt_no).filter(has_text="征询规划部门意见")
    row.locator("input[type=checkbox]").check()
    page.fill("#supervise-message", "已超时五个工作日，请说明原因并尽快办结。")
    page.get_by_role("button", name="督办").click()
    expect(page.get_by_text("已发出 1 件督办")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "board.png"), full_page=True)
    sign_out(page, server)

    sign_in(page, server, "landuse_staff")
    assert page.locator(".badge-unread").first.inner_text().strip() != ""
    page.goto(f"{server}/cases/show/{case_id}")
    notice = page.locator(".supervision-notice").first
    notice.get_by_label("延误原因").select_option(label="等待其他部门")
    notice.get_by_label("说明（选择“其他”时必填）").fill("等待市规划局回函")
    notice.get_by_role("button", name="反馈").click()
    expect(page.get_by_text("您的反馈已记录")).to_be_visible()
    expect(page.locator(".supervision-notice", has_text="等待市规划局回函")).to_be_visible()
    page.locator("#supervision").screenshot(path=str(ARTIFACTS / "case-supervision.png"))
    sign_out(page, server)

    sign_in(page, server, "supervisor")
    page.goto(f"{server}/supervision/board/")
    answered = page.locator("tr.board-row", has_text=receipt_no).locator(".board-notice")
    assert "已反馈" in answered.first.inner_text() and "等待其他部门" in answered.first.inner_text()
    answered.first.locator("a").click()
    page.get_by_placeholder("备注（可选）").fill("原因属实，继续跟踪")
    page.get_by_role("button", name="办结督办").click()
    expect(page.get_by_text("督办已办结")).to_be_visible()

    assert csp_violations(page) == []
    assert page.problems == []
    assert page.outside_requests == []
    with app.app_context():
        notice = db.session.query(SupervisionNotice).one()
        assert (notice.status, notice.delay_reason) == ("closed", "awaiting_department")
