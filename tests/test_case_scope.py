"""Row scope of cases, tasks, opinions and permits on every API path (DESIGN §5)."""

import pytest

from app.extensions import db
from app.models.cases import Opinion, Permit, Task
from tests.case_helpers import Api
from tests.factories import gd01

WINDOW = {"window": "window1"}


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def released_case(api, app):
    """A GD-01 case run to the end, so it has tasks, opinions and a permit."""
    case_id = api.receive(gd01()).get_json()["id"]
    for _ in range(10):
        api.complete_all_open(case_id, WINDOW)
    return case_id


def ids(api, username, resource):
    response = api.get(username, f"/api/v1/{resource}/?q=(page_size:100)")
    assert response.status_code == 200, response.get_json()
    return {row["id"] for row in response.get_json()["result"]}


def rows_of(model, case_id):
    return {row.id for row in db.session.query(model).filter_by(case_id=case_id)}


RESOURCES = [("case", None), ("task", Task), ("opinion", Opinion), ("permit", Permit)]


@pytest.mark.parametrize(("resource", "model"), RESOURCES)
@pytest.mark.parametrize("username", ["supervisor", "inspector", "director"])
def test_all_seeing_roles_see_every_row(api, released_case, resource, model, username):
    expected = {released_case} if model is None else rows_of(model, released_case)
    assert ids(api, username, resource) == expected


@pytest.fixture
def fresh_case(api, app):
    """A GD-01 case just accepted: only the window and landuse have had a task."""
    return api.receive(gd01()).get_json()["id"]


def unit_rows(model, case_id, *codes):
    """Rows of the case on tasks of the given units (opinions: by their task)."""
    rows = db.session.query(model).filter_by(case_id=case_id)
    task_of = (lambda row: row) if model is Task else (lambda row: row.task)
    return {r.id for r in rows if task_of(r).division and task_of(r).division.code in codes}


def test_the_window_sees_every_case_its_route_and_its_own_opinions(api, released_case):
    assert ids(api, "window1", "case") == {released_case}
    assert ids(api, "window1", "permit") == rows_of(Permit, released_case)
    assert ids(api, "window1", "task") == rows_of(Task, released_case)
    own = unit_rows(Opinion, released_case, "window")
    assert own and ids(api, "window1", "opinion") == own


@pytest.mark.parametrize(
    ("username", "resource"),
    [
        (u, r)
        for u in ("finance_staff", "minerals_head", "deputy3")
        for r in ("case", "task", "opinion")
    ]
    + [("measure_staff", "case"), ("measure_staff", "task")],
)
def test_users_without_a_task_of_the_case_see_nothing(api, fresh_case, resource, username):
    assert ids(api, username, resource) == set()
    model = {"case": None, "task": Task, "opinion": Opinion}[resource]
    some_id = fresh_case if model is None else min(rows_of(model, fresh_case))
    assert api.get(username, f"/api/v1/{resource}/{some_id}").status_code == 404


@pytest.mark.parametrize("username", ["baoying_staff", "petition_staff"])
def test_petition_units_have_no_case_access(api, fresh_case, username):
    assert api.get(username, "/api/v1/case/").status_code == 403
    assert api.get(username, f"/api/v1/case/{fresh_case}").status_code == 403


def test_a_division_sees_the_whole_route_and_every_opinion_of_its_cases(api, released_case):
    """DESIGN §5: every reader sees the route; staff read the case's opinions."""
    assert ids(api, "finance_staff", "case") == {released_case}
    assert ids(api, "finance_staff", "task") == rows_of(Task, released_case)
    assert ids(api, "finance_staff", "opinion") == rows_of(Opinion, released_case)


def test_a_leader_sees_the_route_of_the_cases_of_the_divisions_overseen(api, released_case):
    assert ids(api, "deputy1", "task") == rows_of(Task, released_case)
    assert ids(api, "deputy1", "opinion") == rows_of(Opinion, released_case)


def test_an_agency_reads_only_its_own_tasks_and_their_opinions(api, released_case):
    assert ids(api, "ownership_staff", "task") == unit_rows(Task, released_case, "ownership")
    own = unit_rows(Opinion, released_case, "ownership")
    assert len(own) == 1
    response = api.get("ownership_staff", "/api/v1/opinion/")
    assert response.status_code in (200, 403)
    if response.status_code == 200:
        assert {row["id"] for row in response.get_json()["result"]} <= own


@pytest.mark.parametrize("username", ["ownership_staff", "window1"])
def test_the_timeline_follows_the_opinion_rule(api, released_case, username):
    body = api.get(username, f"/api/v1/case/{released_case}/timeline").get_json()["result"]
    authors = {e["by"] for e in body["events"] if e["event"] == "opinion"}
    unit = username.removesuffix("_staff").removesuffix("1")
    staff_of_unit = {u for u in authors if u.startswith(unit)}
    assert authors and authors == staff_of_unit


def test_the_timeline_of_an_agency_lists_only_its_own_tasks(api, released_case):
    body = api.get("ownership_staff", f"/api/v1/case/{released_case}/timeline")
    opened = [e for e in body.get_json()["result"]["events"] if e["event"] == "task_opened"]
    assert {e["division"] for e in opened} == {"ownership"}


def test_an_agency_sees_its_task_and_no_applicant_contacts(api, released_case):
    [task_id] = ids(api, "ownership_staff", "task")
    assert db.session.get(Task, task_id).division.code == "ownership"
    case = api.get("ownership_staff", f"/api/v1/case/{released_case}").get_json()["result"]
    assert "applicant_phone" not in case and "applicant_id_number" not in case
    assert case["applicant_name"]
    listed = api.get("ownership_staff", "/api/v1/case/").get_json()["result"]
    assert all("applicant_phone" not in row for row in listed)


@pytest.mark.parametrize("resource", ["case", "task", "opinion", "permit"])
def test_admin_has_no_access_to_cases(api, released_case, resource):
    assert api.get("admin", f"/api/v1/{resource}/").status_code == 403


@pytest.mark.parametrize("resource", ["case", "task", "opinion", "permit"])
def test_filters_cannot_reach_rows_outside_the_scope(api, fresh_case, resource):
    query = f"/api/v1/{resource}/?q=(filters:!((col:id,opr:gt,value:0)))"
    response = api.get("minerals_staff", query)
    assert response.status_code in (200, 400)
    if response.status_code == 200:
        assert response.get_json()["result"] == []


def test_timeline_explains_the_due_date(api, released_case):
    response = api.get("supervisor", f"/api/v1/case/{released_case}/timeline")
    assert response.status_code == 200
    body = response.get_json()["result"]
    kinds = [event["event"] for event in body["events"]]
    assert kinds[0] == "received" and "finished" in kinds
    assert (
        kinds.count("opinion") == db.session.query(Opinion).filter_by(case_id=released_case).count()
    )
    assert body["promised_due"]["trace"]
    timeline = f"/api/v1/case/{released_case}/timeline"
    assert api.get("petition_staff", timeline).status_code == 403


@pytest.mark.parametrize("resource", ["case", "task", "opinion", "permit"])
def test_info_offers_no_related_rows(api, fresh_case, resource):
    info = api.get("minerals_staff", f"/api/v1/{resource}/_info").get_json()
    assert info["add_columns"] == [] and info["edit_columns"] == []
    assert "can_read" in info["permissions"]


def assignees(case_id):
    from app.models.cases import CaseReader

    rows = db.session.query(CaseReader).filter_by(case_id=case_id)
    return {row.user_id for row in rows if row.user_id is not None}


def test_a_reassigned_task_moves_its_case_to_the_new_assignee(api, fresh_case):
    """case_reader (the lookup behind row scope) follows the task's assignee."""
    from app.models.user import BureauUser

    [task] = api.open_tasks("landuse_head", fresh_case)
    colleague = db.session.query(BureauUser).filter_by(username="landuse_staff").one()
    head = db.session.query(BureauUser).filter_by(username="landuse_head").one()
    body = {"username": "landuse_staff"}
    assert api.post("landuse_head", f"/api/v1/task/{task['id']}/assign", body).status_code == 200
    assert colleague.id in assignees(fresh_case)
    body = {"username": "landuse_head"}
    assert api.post("landuse_head", f"/api/v1/task/{task['id']}/assign", body).status_code == 200
    assert head.id in assignees(fresh_case)
    assert colleague.id not in assignees(fresh_case)
