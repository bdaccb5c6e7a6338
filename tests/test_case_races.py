"""Races between actions on one case, with real threads against PostgreSQL: every action
locks the case row first, then its tasks, so a race has one winner and clean 409s,
never a deadlock (500), and no action is lost."""

import threading
import time
from datetime import datetime

import pytest
from sqlalchemy import text

from app.extensions import db
from app.models.cases import Case, Opinion, Task
from app.models.catalog import Matter
from app.workflow import deadlines, engine
from tests.case_helpers import Api
from tests.databases import on_postgres
from tests.factories import gd01

pytestmark = pytest.mark.skipif(not on_postgres(), reason="row locks need PostgreSQL")

PARALLEL_STAGE = 4  # 权属、面积、地价: ownership, measure and valuation at once
ROUNDS = 4


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


def at_parallel_stage(api, matter):
    case_id = api.receive(matter).get_json()["id"]
    api.run_stages(case_id, 2)
    tasks = {t["division"]: t["id"] for t in api.open_tasks("supervisor", case_id)}
    assert sorted(tasks) == ["measure", "ownership", "valuation"]
    return case_id, tasks


def race(app, calls):
    """Run ``calls`` (username, path, body) at the same moment, each by its own client;
    returns the answers' status codes by username."""
    clients = {username: Api(app.test_client(use_cookies=False)) for username, _, _ in calls}
    for username, client in clients.items():
        client.token(username)
    barrier = threading.Barrier(len(calls))
    answers = {}

    def call(username, path, body):
        barrier.wait()
        answers[username] = clients[username].post(username, path, body).status_code

    threads = [threading.Thread(target=call, args=c) for c in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return answers


def test_a_return_racing_two_approvals_is_never_lost_nor_a_500(app, api):
    code = gd01().code
    for _ in range(ROUNDS):
        case_id, tasks = at_parallel_stage(api, db.session.query(Matter).filter_by(code=code).one())
        db.session.remove()
        answers = race(
            app,
            [
                (
                    "ownership_staff",
                    f"/api/v1/task/{tasks['ownership']}/complete",
                    {"decision": "return", "opinion": "权属资料不全，退回。"},
                ),
                (
                    "measure_staff",
                    f"/api/v1/task/{tasks['measure']}/complete",
                    {"decision": "approve", "opinion": "同意。"},
                ),
                (
                    "valuation_staff",
                    f"/api/v1/task/{tasks['valuation']}/complete",
                    {"decision": "approve", "opinion": "同意。"},
                ),
            ],
        )
        assert answers["ownership_staff"] == 200, answers
        assert set(answers.values()) <= {200, 409}, answers
        db.session.expire_all()
        case = db.session.get(Case, case_id)
        assert case.current_stage == PARALLEL_STAGE - 1  # the return won: back one stage
        [reopened] = api.open_tasks("supervisor", case_id)
        assert reopened["division"] == "landuse"
        for division, task_id in tasks.items():
            task = db.session.get(Task, task_id)
            opinions = db.session.query(Opinion).filter_by(task_id=task_id).count()
            approved = division != "ownership" and answers[f"{division}_staff"] == 200
            assert (task.status == "done") == (division == "ownership" or approved)
            assert opinions == (1 if task.status == "done" else 0)


def test_a_suspension_racing_a_completion_gives_one_winner(app, api):
    matter = gd01()
    case_id = api.receive(matter).get_json()["id"]
    [task] = api.open_tasks("landuse_staff", case_id)
    db.session.remove()
    answers = race(
        app,
        [
            (
                "landuse_staff",
                f"/api/v1/task/{task['id']}/complete",
                {"decision": "approve", "opinion": "同意。"},
            ),
            (
                "deputy1",
                f"/api/v1/case/{case_id}/suspend",
                {"kind": "hearing", "reason": "听证", "expected_days": 5},
            ),
        ],
    )
    assert set(answers.values()) <= {200, 409}, answers
    assert answers["deputy1"] == 200, answers  # a leader in scope may suspend at any stage
    db.session.expire_all()
    case = db.session.get(Case, case_id)
    assert case.status == "suspended"
    done = db.session.get(Task, task["id"]).status == "done"
    assert done == (answers["landuse_staff"] == 200)


def waiting_on_a_lock():
    """How many other sessions wait on a row lock (pg_stat_activity)."""
    return db.session.scalar(
        text(
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )
    )


def test_the_deadline_scan_takes_the_case_before_its_tasks(app, api):
    """An action holds the case and is about to lock its task when the scan starts: the
    scan waits for the case instead of holding the task (a deadlock before)."""
    case_id = api.receive(gd01()).get_json()["id"]
    task_id = db.session.query(Task.id).filter_by(case_id=case_id, status="open").scalar()
    db.session.remove()
    case_held, outcome = threading.Event(), {}

    def run_scan():
        with app.app_context():
            case_held.wait(30)
            try:
                deadlines.scan(datetime(2099, 1, 1))  # every open task is overdue by then
                outcome["scan"] = "ok"
            except Exception as error:  # noqa: BLE001 - the outcome is what is asserted
                outcome["scan"] = repr(error)
            finally:
                db.session.remove()

    scanner = threading.Thread(target=run_scan)
    scanner.start()
    with app.app_context():
        try:
            engine.lock_case(case_id)
            case_held.set()
            for _ in range(100):  # until the scan waits on a lock
                if waiting_on_a_lock():
                    break
                time.sleep(0.05)
            db.session.execute(text("SET LOCAL lock_timeout = '3s'"))
            db.session.get(Task, task_id, with_for_update=True, populate_existing=True)
            db.session.commit()
            outcome["action"] = "ok"
        except Exception as error:  # noqa: BLE001
            outcome["action"] = repr(error)
        finally:
            db.session.rollback()
            db.session.remove()
    scanner.join(timeout=60)
    assert outcome == {"action": "ok", "scan": "ok"}
    assert db.session.get(Task, task_id).flag == "overdue"
