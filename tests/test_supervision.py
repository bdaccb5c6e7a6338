"""Supervision notices: the board, 督办, answers with coded delay reasons, closing, scope."""

import pytest

from app.extensions import db
from app.models.notification import Notification
from app.models.supervision import SupervisionNotice
from app.supervision import board as overdue
from app.supervision import notices
from app.workflow.deadlines import scan
from tests.case_helpers import Api
from tests.factories import gd01
from tests.supervision_helpers import FRIDAY_9AM, NEXT_THURSDAY_9AM, messages, receive, user


@pytest.fixture
def api(client):
    return Api(client)


@pytest.fixture
def late_case(app):
    case = receive(gd01())
    scan(NEXT_THURSDAY_9AM)
    return case


def supervise(api, case_id, username="supervisor", **body):
    return api.post(
        username, f"/api/v1/case/{case_id}/supervise", {"message": "请说明原因", **body}
    )


def test_the_supervisor_supervises_a_case_and_the_handler_and_head_are_reminded(api, late_case):
    response = supervise(api, late_case.id)
    assert response.status_code == 201, response.get_json()
    notice = response.get_json()["result"]
    assert sorted(notice["recipients"]) == ["landuse_head", "landuse_staff"]
    assert notice["status"] == "open" and notice["created_at"].endswith("Z")
    reminded = messages(reason="supervision", channel="inapp")
    assert sorted(m.recipient.username for m in reminded) == ["landuse_head", "landuse_staff"]
    assert {m.mandatory for m in messages(reason="supervision")} == {True}


@pytest.mark.parametrize("username", ["landuse_staff", "landuse_head", "deputy1", "inspector"])
def test_only_the_supervisor_issues_notices(api, late_case, username):
    assert supervise(api, late_case.id, username).status_code == 403


def test_a_case_outside_scope_is_404(api, late_case):
    assert supervise(api, late_case.id, "planning_staff").status_code in (403, 404)


def test_an_answer_without_a_delay_reason_is_400_with_a_message(api, late_case):
    notice_id = supervise(api, late_case.id).get_json()["id"]
    response = api.post("landuse_staff", f"/api/v1/supervision/{notice_id}/respond", {})
    assert response.status_code == 400
    body = response.get_json()
    assert body["message"] and "delay_reason" in body["errors"]
    other = api.post(
        "landuse_staff", f"/api/v1/supervision/{notice_id}/respond", {"delay_reason": "other"}
    )
    assert other.status_code == 400 and "response" in other.get_json()["errors"]


@pytest.mark.parametrize(
    "body", [{"delay_reason": ["other"]}, {"delay_reason": "late"}, {"delay_reason": None}, []]
)
def test_malformed_answers_are_400(api, late_case, body):
    notice_id = supervise(api, late_case.id).get_json()["id"]
    response = api.post("landuse_staff", f"/api/v1/supervision/{notice_id}/respond", body)
    assert response.status_code == 400 and response.get_json()["message"]


def test_a_target_chosen_twice_gets_one_notice(app, late_case):
    [notice] = notices.issue([("case", late_case.id)] * 2, user("supervisor"), "请说明")
    assert db.session.query(SupervisionNotice).count() == 1 and notice.target_id == late_case.id


def test_the_reminded_handler_answers_and_the_supervisor_closes(api, late_case):
    notice_id = supervise(api, late_case.id).get_json()["id"]
    answer = api.post(
        "landuse_staff",
        f"/api/v1/supervision/{notice_id}/respond",
        {"delay_reason": "awaiting_department", "response": "等待规划部门回函"},
    )
    assert answer.status_code == 200, answer.get_json()
    assert answer.get_json()["result"]["status"] == "answered"
    assert [
        m.recipient.username for m in messages(reason="supervision_answer", channel="inapp")
    ] == ["supervisor"]
    again = api.post(
        "landuse_head",
        f"/api/v1/supervision/{notice_id}/respond",
        {"delay_reason": "other", "response": "x"},
    )
    assert again.status_code == 409
    assert (
        api.post("landuse_staff", f"/api/v1/supervision/{notice_id}/close", {}).status_code == 403
    )
    closed = api.post("supervisor", f"/api/v1/supervision/{notice_id}/close", {"note": "已了解"})
    assert closed.status_code == 200 and closed.get_json()["result"]["status"] == "closed"


@pytest.mark.parametrize(
    ("username", "status"),
    [("planning_staff", 404), ("ownership_staff", 404), ("window1", 404), ("deputy1", 403)],
)
def test_only_the_reminded_answer(api, late_case, username, status):
    notice_id = supervise(api, late_case.id).get_json()["id"]
    response = api.post(
        username, f"/api/v1/supervision/{notice_id}/respond", {"delay_reason": "complex_case"}
    )
    assert response.status_code == status


@pytest.mark.parametrize(
    ("username", "sees"),
    [
        ("supervisor", True),
        ("inspector", True),
        ("director", True),
        ("deputy1", True),  # oversees landuse
        ("deputy2", False),
        ("landuse_staff", True),
        ("planning_staff", False),
        ("admin", False),
    ],
)
def test_scope_of_notices(api, late_case, username, sees):
    notice_id = supervise(api, late_case.id).get_json()["id"]
    listed = api.get(username, "/api/v1/supervision/")
    shown = api.get(username, f"/api/v1/supervision/{notice_id}")
    if username == "admin":
        assert listed.status_code == 403
        return
    ids = [row["id"] for row in listed.get_json()["result"]]
    assert (notice_id in ids) is sees
    assert shown.status_code == (200 if sees else 404)


def test_a_task_of_the_case_can_be_chased_alone(api, late_case):
    task_id = late_case.tasks[-1].id
    response = supervise(api, late_case.id, task_id=task_id)
    assert response.status_code == 201
    assert response.get_json()["result"]["target_type"] == "task"
    assert supervise(api, late_case.id, task_id=999999).status_code == 400


# ---------------------------------------------------------------- the board page


def board(client, **args):
    query = "&".join(f"{k}={v}" for k, v in args.items())
    response = client.get(f"/supervision/board/?{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.fixture
def three_cases(app):
    matter = gd01()
    cases = [receive(matter) for _ in range(3)]
    scan(FRIDAY_9AM)
    return cases


def test_the_board_lists_warned_and_overdue_tasks_and_filters_them(client, auth, three_cases):
    auth.login("supervisor")
    page = board(client)
    assert all(c.receipt_no in page for c in three_cases)
    assert "超时" in page and "黄牌" in page
    assert three_cases[0].receipt_no not in board(client, flag="warning")
    assert three_cases[0].receipt_no in board(client, flag="overdue", card="yellow", kind="task")
    assert three_cases[0].receipt_no not in board(client, card="red")
    assert three_cases[0].receipt_no in board(client, days=3)  # months late by today


def test_the_days_overdue_filter_counts_working_days(three_cases):
    supervisor = user("supervisor")

    def references(days, now):
        page = overdue.board(supervisor, overdue.Filters(kind="task", min_days_overdue=days), now)
        return {row.reference for row in page.rows}

    assert references(1, FRIDAY_9AM) == {c.receipt_no for c in three_cases}
    assert references(2, FRIDAY_9AM) == set()  # Friday: 1 working day late
    assert references(2, FRIDAY_9AM.replace(day=9)) == {c.receipt_no for c in three_cases}
    planning = db.session.query(SupervisionNotice).count()  # nothing issued by reading
    assert planning == 0


def test_the_board_bulk_action_issues_one_notice_per_row(client, auth, three_cases):
    auth.login("supervisor")
    targets = [f"task:{c.tasks[-1].id}" for c in three_cases[:2]]
    response = client.post(
        "/supervision/board/supervise", data={"target": targets, "message": "请尽快办理"}
    )
    assert response.status_code == 302
    assert db.session.query(SupervisionNotice).count() == 2
    page = board(client)
    assert page.count("待反馈") >= 2


def test_the_board_is_a_constant_number_of_statements(client, auth, app):
    from sqlalchemy import event

    matter = gd01()
    auth.login("supervisor")

    def statements(n):
        for _ in range(n):
            receive(matter)
        scan(FRIDAY_9AM)
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            board(client)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements(2) == statements(12)


def test_the_handler_answers_from_the_case_page(client, auth, api, late_case):
    notice_id = supervise(api, late_case.id).get_json()["id"]
    auth.login("landuse_staff")
    page = client.get(f"/cases/show/{late_case.id}").get_data(as_text=True)
    assert f"notice-{notice_id}" in page and "延误原因" in page or "原因" in page
    response = client.post(
        f"/supervision/notices/{notice_id}/respond",
        data={"delay_reason": "", "next": f"/cases/show/{late_case.id}"},
        follow_redirects=True,
    )
    assert "请选择" in response.get_data(as_text=True) or response.status_code == 200
    assert db.session.get(SupervisionNotice, notice_id).status == "open"
    client.post(
        f"/supervision/notices/{notice_id}/respond",
        data={"delay_reason": "field_survey", "next": f"/cases/show/{late_case.id}"},
    )
    assert db.session.get(SupervisionNotice, notice_id).delay_reason == "field_survey"


def test_notices_to_answer_list_only_mine(client, auth, api, late_case):
    supervise(api, late_case.id)
    auth.login("landuse_staff")
    assert late_case.receipt_no in client.get("/supervision/to-answer/list/").get_data(as_text=True)
    auth.logout()
    auth.login("planning_staff")
    assert late_case.receipt_no not in client.get("/supervision/to-answer/list/").get_data(
        as_text=True
    )
    assert db.session.query(Notification).filter_by(reason="supervision").count() > 0
