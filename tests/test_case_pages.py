"""The pages handlers use every day: receive, receipt, my tasks, the case page."""

import re

import pytest

from app.extensions import db
from app.models.cases import Case, Task
from tests.case_helpers import Api
from tests.factories import gd01


@pytest.fixture
def matter(app):
    return gd01()


def receive_by_form(client, matter, **overrides):
    data = {
        "matter": matter.code,
        "applicant_name": "李四",
        "applicant_phone": "13905140002",
        "project_name": "<script>alert(1)</script>",
        "decision": "accept",
        "materials": [str(d.id) for d in matter.required_documents],
        **overrides,
    }
    return client.post(f"/window/receive?matter={matter.code}", data=data)


def test_window_receives_through_the_form_and_prints_a_receipt(client, auth, matter):
    auth.login("window1")
    form = client.get(f"/window/receive?matter={matter.code}").get_data(as_text=True)
    assert all(d.name in form for d in matter.required_documents)
    response = receive_by_form(client, matter)
    assert response.status_code == 302
    receipt = client.get(response.headers["Location"]).get_data(as_text=True)
    case = db.session.query(Case).one()
    assert case.receipt_no in receipt and case.query_code in receipt
    assert "<svg" in receipt  # the QR code, drawn inline
    assert "public/progress?receipt_no=" in receipt


def test_form_errors_are_shown_and_nothing_is_written(client, auth, matter):
    auth.login("window1")
    response = receive_by_form(client, matter, applicant_phone="12", applicant_name="")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "has-error" in page
    assert db.session.query(Case).count() == 0


def test_handler_completes_from_the_case_page(client, auth, matter):
    auth.login("window1")
    receive_by_form(client, matter)
    auth.logout()
    auth.login("landuse_staff")
    todo = client.get("/tasks/todo/list/").get_data(as_text=True)
    case = db.session.query(Case).one()
    assert case.receipt_no in todo
    page = client.get(f"/cases/show/{case.id}").get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    task = db.session.query(Task).filter_by(case_id=case.id, status="open").one()
    action = re.search(r'action="([^"]*/complete)"', page).group(1)
    response = client.post(action, data={"decision": "approve", "opinion": "同意"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(Task, task.id).status == "done"


def test_other_divisions_get_404_on_the_case_page(client, auth, matter):
    auth.login("window1")
    receive_by_form(client, matter)
    case = db.session.query(Case).one()
    auth.logout()
    auth.login("minerals_staff")
    assert client.get(f"/cases/show/{case.id}").status_code == 404
    assert case.receipt_no not in client.get("/cases/list/").get_data(as_text=True)
    assert client.get(f"/window/receipt/{case.id}").status_code == 404


def test_intermediary_does_not_see_applicant_contacts(client, auth, matter):
    auth.login("window1")
    receive_by_form(client, matter)
    case = db.session.query(Case).one()
    for task in db.session.query(Task).filter_by(case_id=case.id, status="open"):
        task.status = "done"
    db.session.commit()
    from app.workflow import engine

    stage4 = engine.stage_at(case, 4)
    engine.open_task(case, stage4, stage4.steps[0], case.received_at)
    db.session.commit()
    auth.logout()
    auth.login("ownership_staff")
    page = client.get(f"/cases/show/{case.id}").get_data(as_text=True)
    assert "李四" in page
    assert "13905140002" not in page


# ---------------------------------------------------------------- the route


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def returned_case(api, matter):
    """GD-01 at the parallel stage 4, where the ownership survey returned the case."""
    case_id = api.receive(matter).get_json()["id"]
    api.run_stages(case_id, 2)
    [ownership] = [t for t in api.open_tasks("supervisor", case_id) if t["division"] == "ownership"]
    response = api.complete("ownership_staff", ownership["id"], "return", "界址点坐标与红线图不符")
    assert response.status_code == 200
    return case_id


def route_rows(page):
    """(stage, step, status label, flag text) of each task row of the route."""
    rows = re.findall(
        r'<tr class="task-row task-(\w+)" data-task="\d+">\s*<td>([^<]*)</td>.*?'
        r'task-status">([^<]*)</span>.*?<td class="task-flag">(.*?)</td>',
        page,
        re.S,
    )
    return [
        (status, step, label, re.sub(r"<[^>]+>", "", flag)) for status, step, label, flag in rows
    ]


def test_every_reader_sees_the_whole_route_by_stage(client, auth, returned_case, matter):
    auth.login("window1")
    page = client.get(f"/cases/show/{returned_case}").get_data(as_text=True)
    for stage in ("1. 窗口收件", "4. 权属、面积、地价", "11. 窗口出件"):
        assert stage in page
    rows = route_rows(page)
    steps = [step for _status, step, _label, _flag in rows]
    assert steps.count("处室材料审核") == 2  # done, then reopened by the return
    assert {"权属核定", "面积量算", "地价评估"} <= set(steps)
    assert "土地利用处" in page and "—" in page


def test_cancelled_tasks_read_as_cancelled_with_the_return_and_its_reason(
    client, auth, returned_case
):
    auth.login("window1")
    page = client.get(f"/cases/show/{returned_case}").get_data(as_text=True)
    cancelled = [row for row in route_rows(page) if row[0] == "cancelled"]
    assert {row[1] for row in cancelled} == {"面积量算", "地价评估"}
    assert all(row[2] == "已取消" and row[3] == "—" for row in cancelled)
    assert "界址点坐标与红线图不符" in page  # the return's reason is route information
    assert "权属调查所" in page
    # the window reads no other unit's opinion (opinion_clause)
    assert 'class="opinion"' in page and "同意。</p>" not in page


def test_an_intermediary_sees_only_its_own_tasks_of_the_route(client, auth, returned_case):
    auth.login("measure_staff")
    page = client.get(f"/cases/show/{returned_case}").get_data(as_text=True)
    assert [row[1] for row in route_rows(page)] == ["面积量算"]
    assert "界址点坐标与红线图不符" not in page


@pytest.mark.parametrize(("username", "shown"), [("inspector", True), ("landuse_staff", False)])
def test_the_audit_history_link_is_for_readers_of_the_trail(client, auth, matter, username, shown):
    auth.login("window1")
    receive_by_form(client, matter)
    case = db.session.query(Case).one()
    auth.logout()
    auth.login(username)
    page = client.get(f"/cases/show/{case.id}").get_data(as_text=True)
    assert ("audit-history-link" in page) is shown
