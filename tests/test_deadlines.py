"""`flask deadlines scan`: warning with a working day or less left, overdue past due."""

from datetime import datetime

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models.cases import Case, Task
from app.models.user import BureauUser
from app.workflow import engine, receipts
from app.workflow.deadlines import scan
from tests.factories import gd01

MONDAY_10AM = datetime(2026, 3, 2, 2, 0)  # Beijing 10:00


@pytest.fixture
def matter(app):
    return gd01()


def receive(matter, at=MONDAY_10AM):
    clerk = db.session.query(BureauUser).filter_by(username="window1").one()
    data = {
        "matter": matter.code,
        "applicant_name": "王五",
        "decision": "accept",
        "materials": [d.id for d in matter.required_documents],
    }
    return receipts.receive(receipts.parse_application(data), clerk, at=at)


def open_task(case):
    return db.session.query(Task).filter_by(case_id=case.id, status="open").one()


@pytest.mark.parametrize(
    ("now", "flag"),
    [
        (datetime(2026, 3, 4, 2, 0), "normal"),  # Wed 10:00: more than a working day left
        (datetime(2026, 3, 4, 16, 0), "warning"),  # Thu 00:00 Beijing: the due day itself
        (datetime(2026, 3, 5, 15, 59), "warning"),  # Thu 23:59 Beijing: still on time
        (datetime(2026, 3, 5, 16, 0), "overdue"),  # Fri 00:00 Beijing
    ],
)
def test_task_flags_follow_working_days(matter, now, flag):
    case = receive(matter)  # stage 2 opens: 3 working days → due Thursday 5 March
    scan(now)
    db.session.expire_all()
    assert open_task(case).flag == flag


def test_case_flag_follows_the_promised_due_date(matter):
    case = receive(matter)
    scan(case.promised_warn_at)
    db.session.expire_all()
    assert db.session.get(Case, case.id).flag == "warning"
    scan(datetime(2027, 1, 1))
    db.session.expire_all()
    assert db.session.get(Case, case.id).flag == "overdue"


def test_a_suspended_case_does_not_run_late(matter):
    case = receive(matter)
    leader = db.session.query(BureauUser).filter_by(username="deputy1").one()
    engine.suspend(case.id, leader, "hearing", "听证", 10, at=datetime(2026, 3, 3, 2, 0))
    scan(datetime(2026, 12, 1))
    db.session.expire_all()
    assert db.session.get(Case, case.id).flag == "normal"


def test_scan_is_a_constant_number_of_statements(matter):
    def statements_for(cases):
        for _ in range(cases):
            receive(matter)
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            scan(datetime(2027, 1, 1))
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    # flags (4), cards (3), reminders (4), calendar (1), digest (2): see test_scan_reminders
    assert statements_for(2) == statements_for(20) <= 16


def test_cli_scan_as_of_a_moment(matter, runner):
    receive(matter)
    result = runner.invoke(args=["deadlines", "scan", "--now", "2026-03-06T09:00+08:00"])
    assert result.exit_code == 0, result.output
    assert "1 tasks, 0 cases" in result.output


@pytest.mark.parametrize("now", ["yesterday", "2026-03-06T09:00"])
def test_cli_scan_refuses_a_bad_moment(runner, now):
    result = runner.invoke(args=["deadlines", "scan", "--now", now])
    assert result.exit_code == 2
    assert "--now" in result.output
