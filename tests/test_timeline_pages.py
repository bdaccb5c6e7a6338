"""The case timeline page: what it draws for a walked GD-01 case, who may open it, the
links that lead there, and the events the API answers (additively)."""

import re

import pytest

from tests.timeline_helpers import (
    DELAY_TEXT,
    EXTENSION_REASON,
    RETURN_REASON,
    SUSPENSION_REASON,
    walked_gd01_case,
)


@pytest.fixture
def walked(app):
    return walked_gd01_case()


def timeline(client, auth, username, case_id):
    auth.login(username)
    return client.get(f"/cases/timeline/{case_id}")


def test_the_supervisor_sees_every_part_of_the_case(client, auth, walked):
    response = timeline(client, auth, "supervisor", walked.id)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    for survey in ("权属核定", "面积量算", "地价评估"):
        assert page.count(f"4. {survey}") >= 1, survey
    assert len(re.findall(r'class="tl-bar[^"]*tl-cancelled', page)) == 1  # 地价评估, first round
    assert page.count('class="tl-return"') == 1 and RETURN_REASON in page
    assert 'data-kind="expert_review"' in page and SUSPENSION_REASON in page
    assert 'class="tl-due tl-due-moved"' in page and EXTENSION_REASON in page
    assert "tl-critical" in page
    assert "实地勘察" in page  # the coded delay reason
    assert DELAY_TEXT in page
    assert "督办" in page and "黄牌" in page
    assert "tl-trace-start_not_counted" in page and "tl-trace-weekend" in page


def test_times_are_in_beijing_time(client, auth, walked):
    page = timeline(client, auth, "supervisor", walked.id).get_data(as_text=True)
    assert "2026-03-02 10:00" in page  # received at 10:00 Beijing (02:00 UTC)


def test_the_page_is_in_english_too(client, auth, walked):
    auth.login("supervisor")
    page = client.get(f"/cases/timeline/{walked.id}?_l_=en").get_data(as_text=True)
    assert "Planned: opened to due" in page and "How the promised due date was reached" in page


@pytest.mark.parametrize("username", ["office_staff"])
def test_a_reader_outside_the_case_gets_404(client, auth, walked, username):
    assert timeline(client, auth, username, walked.id).status_code == 404


def test_a_missing_case_is_404(client, auth, walked):
    assert timeline(client, auth, "supervisor", 2_000_000).status_code == 404


def test_a_user_without_case_reading_gets_403(client, auth, walked):
    assert timeline(client, auth, "baoying_staff", walked.id).status_code == 403


def test_an_agency_sees_only_its_own_bars(client, auth, walked):
    page = timeline(client, auth, "measure_staff", walked.id).get_data(as_text=True)
    assert page.count('class="tl-bar') == 2  # 面积量算, in both rounds
    assert "权属核定" not in page
    assert "黄牌" not in page  # the cards were given to the countersigning divisions


def test_the_window_reads_the_return_but_not_other_units_opinions(client, auth, walked):
    page = timeline(client, auth, "window1", walked.id).get_data(as_text=True)
    assert RETURN_REASON in page  # why the case went back is part of the route
    assert "timeline-opinions" not in page or "同意。" not in page.split("timeline-opinions")[1]


@pytest.mark.parametrize(
    "path",
    ["/cases/show/{id}", "/cases/list/", "/supervision/board/", "/progress/list/"],
)
def test_pages_link_to_the_timeline(client, auth, walked, path):
    auth.login("supervisor")
    page = client.get(path.format(id=walked.id)).get_data(as_text=True)
    assert f"/cases/timeline/{walked.id}" in page, path


def test_the_audit_history_of_the_case_links_to_the_timeline(client, auth, walked):
    auth.login("inspector")
    response = client.get(f"/auditevent/history/Case/{walked.id}", follow_redirects=True)
    assert f"/cases/timeline/{walked.id}" in response.get_data(as_text=True)


def test_the_api_keeps_its_events_and_adds_the_new_ones(api_client, walked):
    body = api_client.get("supervisor", f"/api/v1/case/{walked.id}/timeline").get_json()
    kinds = {event["event"] for event in body["result"]["events"]}
    assert {"received", "task_opened", "opinion", "suspended", "resumed", "extended"} <= kinds
    assert {"returned", "supervision_notice", "notice_answered", "reminder"} <= kinds
    returned = next(e for e in body["result"]["events"] if e["event"] == "returned")
    assert returned["reason"] == RETURN_REASON and returned["at"].endswith("Z")
    assert all(e["by"] is None or isinstance(e["by"], str) for e in body["result"]["events"])


@pytest.fixture
def api_client(client):
    from tests.case_helpers import Api

    return Api(client)
