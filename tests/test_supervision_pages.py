"""Every supervision and message page renders for those who may see it, in Chinese,
with labels not codes; the home page's panels; the menus of each role."""

import re

import pytest

from app import workbench
from app.extensions import db
from app.models.supervision import ExtensionRequest
from app.supervision import extensions, notices
from app.workflow.deadlines import scan
from tests.factories import gd01
from tests.supervision_helpers import NEXT_THURSDAY_9AM, receive, user

PAGES = [
    "/supervision/board/",
    "/supervision/notices/list/",
    "/supervision/to-answer/list/",
    "/supervision/extensions/list/",
    "/supervision/cards/",
    "/supervision/cards/?by=quarter&year=2026",
    "/inbox/list/",
    "/profile/",
]


@pytest.fixture
def supervised(app):
    case = receive(gd01())
    scan(NEXT_THURSDAY_9AM)
    [notice] = notices.issue([("case", case.id)], user("supervisor"), "请说明超时原因")
    extensions.request_extension(case.id, user("landuse_head"), 3, "等待外业测绘")
    return case, notice


@pytest.mark.parametrize(
    ("username", "allowed"),
    [
        ("supervisor", set(PAGES)),
        ("inspector", set(PAGES)),
        ("deputy1", set(PAGES)),
        ("landuse_head", set(PAGES)),  # the board shows the head's own unit
        ("landuse_staff", set(PAGES) - {p for p in PAGES if p.startswith("/supervision/cards/")}),
        ("admin", {"/inbox/list/", "/profile/"}),
    ],
)
def test_pages_render_or_refuse_by_role(client, auth, supervised, username, allowed):
    auth.login(username)
    for path in PAGES:
        response = client.get(path)
        expected = 200 if path in allowed else 403
        assert response.status_code == expected, (path, response.status_code)
        if expected == 200:
            text = response.get_data(as_text=True)
            for code in ("awaiting_department", "task_overdue", "in_progress", "None"):
                assert f">{code}<" not in text, (path, code)


def test_the_notice_and_request_pages_show_labels_and_forms(client, auth, supervised):
    case, notice = supervised
    auth.login("landuse_staff")
    page = client.get(f"/supervision/notices/show/{notice.id}").get_data(as_text=True)
    assert "请说明超时原因" in page and "延误原因" in page and "等待其他部门" in page
    auth.logout()
    auth.login("supervisor")
    page = client.get(f"/supervision/notices/show/{notice.id}").get_data(as_text=True)
    page = re.sub(r'<form[^>]*class="navbar-logout".*?</form>', "", page, flags=re.S)
    assert "办结督办" in page and "delay_reason" not in page.split("<form")[0][-200:]
    cards = client.get("/supervision/cards/?year=2026").get_data(as_text=True)
    assert "土地利用处" in cards and "2026-03" in cards


def test_the_case_page_shows_the_panel_to_whom_it_concerns(client, auth, supervised):
    case, notice = supervised
    auth.login("landuse_staff")
    page = client.get(f"/cases/show/{case.id}").get_data(as_text=True)
    assert f'id="notice-{notice.id}"' in page and 'name="delay_reason"' in page
    assert "等待外业测绘" in page
    auth.logout()
    auth.login("window1")  # sees the case, not the notice of another unit
    page = client.get(f"/cases/show/{case.id}").get_data(as_text=True)
    assert f'id="notice-{notice.id}"' not in page


def test_home_panels(app, supervised):
    def keys(username):
        with app.test_request_context():
            return {panel.key for panel in workbench.panels_for(user(username))}

    assert {"notices_to_answer", "messages"} <= keys("landuse_staff")
    assert "extension_requests" in keys("deputy1")
    assert "supervision" in keys("supervisor")
    assert "extension_requests" not in keys("deputy2")
    assert db.session.query(ExtensionRequest).count() == 1
