"""The lists people work from (cases, my tasks, done, the division queue, permits) and the
home page: filters of labels, labels in every column, and a constant number of SQL
statements whatever the number of rows."""

import re
from datetime import date, timedelta

import pytest

from app.extensions import db
from app.models.cases import Case, Permit, Task
from app.models.user import BureauUser
from app.workflow import deadlines, engine, receipts
from app.workflow.clock import utcnow
from tests.calendar_helpers import count_statements
from tests.factories import gd01


@pytest.fixture
def matter(app):
    return gd01()


def user(username):
    return db.session.query(BureauUser).filter_by(username=username).one()


def receive(matter, count, decision="accept", applicant="扬州某置业有限公司"):
    clerk = user("window1")
    ids = []
    for _ in range(count):
        application = receipts.parse_application(
            {
                "matter": matter.code,
                "applicant_name": applicant,
                "decision": decision,
                "materials": [d.id for d in matter.required_documents],
            }
        )
        ids.append(receipts.receive(application, clerk).id)
    return ids


def open_task_of(case_id):
    return db.session.query(Task).filter_by(case_id=case_id, status="open").one()


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    return response.get_data(as_text=True)


def statements(client, path):
    with count_statements() as run:
        page(client, path)
    return len(run)


# ---------------------------------------------------------------- filters and labels


def test_the_flag_filter_is_a_dropdown_of_labels_and_finds_warned_cases(client, auth, matter):
    warned, calm = receive(matter, 2)
    db.session.get(Case, warned).flag = "warning"
    db.session.commit()
    auth.login("supervisor")
    html = page(client, "/cases/list/")
    assert re.search(r'<option value="warning"\s*>预警</option>', html)
    filtered = page(client, "/cases/list/?flag=warning")
    assert db.session.get(Case, warned).receipt_no in filtered
    assert db.session.get(Case, calm).receipt_no not in filtered


def test_filters_by_matter_unit_status_and_overdue_step(client, auth, matter):
    late, on_time = receive(matter, 2)
    registered = receive(matter, 1, decision="register")[0]
    open_task_of(late).flag = "overdue"
    db.session.commit()
    numbers = {pk: db.session.get(Case, pk).receipt_no for pk in (late, on_time, registered)}
    auth.login("supervisor")

    def found(query):
        html = page(client, f"/cases/list/?{query}")
        return {pk for pk, number in numbers.items() if number in html}

    assert found("overdue_task=1") == {late}
    assert found("unit=landuse") == {late, on_time}
    assert found(f"matter={matter.code}") == {late, on_time, registered}
    assert found("matter=JS-01") == set()
    assert found("status=received") == {registered}
    assert found(f"q={numbers[registered][-4:]}") == {registered}
    assert found("flag=nonsense") == {late, on_time, registered}  # an unknown value is ignored


def test_the_case_list_marks_an_overdue_step_whatever_the_case_flag(client, auth, matter):
    [late] = receive(matter, 1)
    open_task_of(late).flag = "overdue"
    db.session.commit()
    auth.login("landuse_staff")
    html = page(client, "/cases/list/")
    assert "overdue-step" in html and "环节超时" in html
    assert "正常" in html  # the case's own flag is still on time


@pytest.mark.parametrize(
    "path", ["/cases/list/", "/tasks/todo/list/", "/tasks/done/list/", "/permits/list/"]
)
def test_lists_show_labels_not_codes(client, auth, matter, path):
    [case_id] = receive(matter, 1)
    engine.complete_task(open_task_of(case_id).id, user("landuse_staff"), "approve", "同意")
    add_permits(case_id, 1)
    auth.login("director" if path == "/permits/list/" else "landuse_staff")
    html = page(client, path)
    text = html[html.index("sunshine-list") :]
    for raw in (
        ">None<",
        ">True<",
        ">False<",
        "in_progress",
        ">normal<",
        ">approve<",
        ">approval<",
    ):
        assert raw not in text, raw
    assert "+00:00" not in text and ":00.000" not in text


def add_permits(case_id, count):
    case = db.session.get(Case, case_id)
    for index in range(count):
        db.session.add(
            Permit(
                number=f"YZGT-PZ-2026-{case_id:03d}{index:03d}",
                kind="approval",
                case=case,
                matter=case.matter,
                holder="扬州某置业有限公司",
                status="issued",
                drafted_at=utcnow(),
                issued_at=utcnow(),
                valid_until=date.today() + timedelta(days=365),
            )
        )
    db.session.commit()


def test_the_permit_page_reads_in_labels_and_beijing_time(client, auth, matter):
    [case_id] = receive(matter, 1)
    add_permits(case_id, 1)
    permit = db.session.query(Permit).one()
    auth.login("director")
    html = page(client, f"/permits/show/{permit.id}")
    assert "批复文件" in html and "已核发" in html
    assert "Show Permit" not in html and ">None<" not in html
    assert permit.issued_at.isoformat()[:16].replace("T", " ") not in html  # Beijing, not UTC


# ---------------------------------------------------------------- constant statements


LISTS = {
    "/cases/list/": "supervisor",
    "/tasks/todo/list/": "landuse_staff",
    "/tasks/division/list/": "landuse_head",
    "/tasks/done/list/": "landuse_staff",
    "/permits/list/": "director",
}


def fill(matter, count):
    """``count`` more cases: each with an open landuse task, a done one, and a permit."""
    ids = receive(matter, count)
    staff = user("landuse_staff")
    for case_id in ids:
        engine.complete_task(open_task_of(case_id).id, staff, "approve", "同意")
        add_permits(case_id, 1)
    return ids


@pytest.mark.parametrize("path", list(LISTS))
def test_a_list_runs_the_same_statements_for_5_and_25_rows(client, auth, matter, path):
    fill(matter, 5)
    auth.login(LISTS[path])
    page(client, path)  # warm: the first request of a session loads what every page needs
    few = statements(client, path)
    fill(matter, 20)
    many = statements(client, path)
    html = page(client, path)
    assert html.count("<tr>") - 1 >= 25  # a full page, one header row
    assert many == few, f"{path}: {few} statements for 5 rows, {many} for 25"


def test_the_filtered_case_list_runs_the_same_statements(client, auth, matter):
    fill(matter, 5)
    auth.login("deputy1")
    path = f"/cases/list/?matter={matter.code}&unit=landuse&flag=normal&overdue_task=1"
    page(client, path)
    few = statements(client, path)
    fill(matter, 20)
    assert statements(client, path) == few


# ---------------------------------------------------------------- the home page


def panel(html, key):
    """The HTML of one panel of the home page."""
    start = html.index(f'data-panel="{key}"')
    end = html.find('data-panel="', start + 1)
    return html[start : end if end != -1 else None]


def test_a_handler_sees_to_do_due_soon_and_overdue(client, auth, matter):
    ids = receive(matter, 3)
    open_task_of(ids[0]).flag = "warning"
    open_task_of(ids[1]).flag = "overdue"
    db.session.commit()
    auth.login("landuse_staff")
    html = page(client, "/")
    assert "土地利用处" in html and "处室经办人" in html  # unit and role, translated
    assert 'data-panel="todo"' in html and 'data-panel="overdue"' in html
    todo = panel(html, "todo")
    assert '<span class="badge pull-right workbench-count">3</span>' in todo
    overdue = panel(html, "overdue")
    assert db.session.get(Case, ids[1]).receipt_no in overdue
    assert db.session.get(Case, ids[0]).receipt_no not in overdue
    assert "/tasks/todo/list/?flag=overdue" in overdue
    assert 'data-panel="division_queue"' not in html  # for heads


def test_a_head_sees_the_division_queue(client, auth, matter):
    receive(matter, 2)
    auth.login("landuse_head")
    queue = panel(page(client, "/"), "division_queue")
    assert '<span class="badge pull-right workbench-count">2</span>' in queue


def test_a_leader_sees_overdue_cases_of_the_divisions_overseen(client, auth, matter):
    ids = receive(matter, 2)
    deadlines.scan(utcnow() + timedelta(days=30))  # everything open is now overdue
    auth.login("deputy1")
    html = page(client, "/")
    late = panel(html, "leader_overdue")
    assert all(db.session.get(Case, pk).receipt_no in late for pk in ids)
    auth.logout()
    auth.login("deputy3")  # minerals and survey: no task in these cases yet
    assert '<span class="badge pull-right workbench-count">0</span>' in panel(
        page(client, "/"), "leader_overdue"
    )


def test_the_window_sees_applications_to_decide_and_supplements_awaited(client, auth, matter):
    registered = receive(matter, 1, decision="register")[0]
    auth.login("window1")
    html = page(client, "/")
    assert db.session.get(Case, registered).receipt_no in panel(html, "awaiting_decision")
    assert 'data-panel="awaiting_supplement"' in html
    assert "行政服务窗口" in html


@pytest.mark.parametrize("username", ["landuse_head", "window1", "deputy1"])
def test_the_home_page_runs_the_same_statements_for_5_and_25_rows(client, auth, matter, username):
    def more(count):
        ids = receive(matter, count) + receive(matter, count, decision="register")
        deadlines.scan(utcnow() + timedelta(days=30))
        return ids

    more(5)
    auth.login(username)
    page(client, "/")
    few = statements(client, "/")
    more(20)
    assert statements(client, "/") == few
