"""Statement counts and sizes of every benchmarked page on a small bureau (not timings:
those belong to `flask bench run`). Pages are the benchmark's own list (app/bench/pages.py),
so a page added there is held to its targets here."""

import pytest
from sqlalchemy import exists, select

from app.bench import pages, seed
from app.bench.measure import StatementRecorder
from app.extensions import db
from app.models.cases import Case, Task
from app.models.user import BureauUser
from app.security.scope import case_clause, own_task_clause
from app.views.base import COUNT_CAP
from tests.conftest import DEMO_PASSWORD, build_app

CASES = 1500

MEASURED = [(entry, user) for entry in pages.PAGES if entry.call is None for user in entry.users]


@pytest.fixture(scope="module")
def bureau(databases):
    """An app on its own copy of the demo database with CASES generated cases."""
    url = databases.fresh_url()
    application = build_app(url)
    with application.app_context():
        connection = db.engine.connect()
        seed.seed(connection, CASES, batch_size=500)
        connection.close()
        recorder = StatementRecorder()
        recorder.attach(db.engine)
        case_id = pages.sample_case_id()
    yield application, recorder, case_id
    recorder.detach()
    with application.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture(scope="module")
def visitors(bureau):
    application = bureau[0]
    everyone = {user for entry, user in MEASURED} | set(pages.USERS)
    return {user: pages.Visitor(application, user, DEMO_PASSWORD) for user in everyone}


def open_page(bureau, visitors, path, user, api):
    _app, recorder, case_id = bureau
    visitor = visitors[user]
    path = path.format(case_id=case_id)
    visitor.get(path, api)  # the first request of a client may fill caches
    with recorder.recording() as recording:
        response = visitor.get(path, api)
    return response, recording.count


@pytest.mark.parametrize(("entry", "user"), MEASURED, ids=lambda v: getattr(v, "name", v))
def test_page_stays_within_its_statement_and_size_budget(bureau, visitors, entry, user):
    response, statements = open_page(bureau, visitors, entry.path, user, entry.api)
    assert response.status_code == 200
    assert statements <= pages.TARGETS[entry.kind], f"{entry.name} as {user}: {statements}"
    assert len(response.data) <= pages.MAX_KB * 1024


@pytest.mark.parametrize("resource", ["case", "task", "opinion", "permit"])
@pytest.mark.parametrize("user", ["landuse_staff", "deputy1"])
def test_list_api_statements_do_not_grow_with_the_page_size(bureau, visitors, resource, user):
    counts = {
        size: open_page(bureau, visitors, f"/api/v1/{resource}/?q=(page_size:{size})", user, True)
        for size in (5, 100)
    }
    assert counts[5][0].status_code == counts[100][0].status_code == 200
    assert len(counts[100][0].get_json()["result"]) > len(counts[5][0].get_json()["result"])
    assert counts[5][1] == counts[100][1]


@pytest.mark.parametrize(
    ("path", "view"),
    [
        ("/cases/list/", "CaseView"),
        ("/tasks/todo/list/", "MyTasksView"),
        ("/tasks/done/list/", "DoneTasksView"),
        ("/permits/list/", "PermitView"),
    ],
)
def test_list_page_statements_do_not_grow_with_the_page_size(bureau, visitors, path, view):
    small, small_count = open_page(bureau, visitors, f"{path}?psize_{view}=5", "deputy1", False)
    large, large_count = open_page(bureau, visitors, f"{path}?psize_{view}=100", "deputy1", False)
    assert small.status_code == large.status_code == 200
    assert len(large.data) > len(small.data)
    assert large_count == small_count


def test_a_count_past_the_cap_is_said_in_words(bureau, visitors):
    response, _ = open_page(bureau, visitors, "/cases/list/?_l_=en", "supervisor", False)
    assert f"more than {COUNT_CAP:,}" in response.get_data(as_text=True)
    response, _ = open_page(bureau, visitors, "/api/v1/case/", "supervisor", True)
    body = response.get_json()
    assert body["count"] == COUNT_CAP and body["count_capped"] is True


def test_a_count_under_the_cap_is_exact(bureau, visitors):
    response, _ = open_page(bureau, visitors, "/api/v1/permit/?q=(page_size:1)", "deputy1", True)
    body = response.get_json()
    assert "count_capped" not in body
    with bureau[0].app_context():
        assert body["count"] < COUNT_CAP


def test_deadline_scan_is_a_constant_handful_of_statements(bureau):
    application, recorder, _ = bureau
    [scan] = [entry for entry in pages.PAGES if entry.name == "Deadline scan"]
    with application.app_context(), recorder.recording() as recording:
        scan.call()
    assert recording.count <= pages.TARGETS[pages.WORK]


@pytest.mark.parametrize(
    "username", ["landuse_staff", "minerals_head", "deputy1", "deputy3", "measure_staff"]
)
def test_the_lookup_tables_agree_with_the_tasks(bureau, username):
    """Row scope through case_unit/case_assignee equals searching each case's tasks."""
    with bureau[0].app_context():
        user = db.session.scalar(select(BureauUser).filter_by(username=username))
        by_lookup = set(db.session.scalars(select(Case.id).where(case_clause(user))))
        own_task = select(Task.id).where(Task.case_id == Case.id, own_task_clause(user))
        by_tasks = set(db.session.scalars(select(Case.id).where(exists(own_task))))
    assert by_lookup == by_tasks
    assert by_lookup


def test_a_partial_bench_run_names_its_pages_and_refuses_an_unknown_name(app):
    chosen = pages.named(["STATISTICS api"])
    assert [p.name for p in chosen] == ["Case statistics API", "Petition statistics API"]
    result = app.test_cli_runner().invoke(args=["bench", "run", "--only", "no such page"])
    assert result.exit_code == 2
    assert "no benchmarked page's name contains no such page" in result.output
