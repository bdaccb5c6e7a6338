"""The scan issues cards and queues the policy's reminders, set-based and once."""

import pytest
from sqlalchemy import event

from app.extensions import db
from app.models.notification import Notification
from app.models.supervision import Card
from app.workflow.deadlines import scan
from tests.factories import gd01
from tests.supervision_helpers import (
    FRIDAY_9AM,
    NEXT_THURSDAY_9AM,
    THURSDAY_9AM,
    messages,
    receive,
    recipients,
    user,
)


@pytest.fixture
def matter(app):
    return gd01()


def test_a_warning_reminds_the_units_staff_of_an_unassigned_task(matter):
    case = receive(matter)
    scan(THURSDAY_9AM)
    assert recipients("warning") == ["landuse_staff"]
    [email] = messages(reason="warning", channel="email")
    assert email.address == "landuse_staff@yzgt.example.cn"
    assert email.subject == f"预警：{case.receipt_no} 征询规划部门意见"
    assert "2026-03-05 23:59" in email.body and "土地利用处" in email.body
    assert messages(reason="warning", channel="sms") == []  # not on the default policy


def test_overdue_reminds_handler_and_head_and_later_the_overseeing_leader(matter):
    receive(matter)
    scan(FRIDAY_9AM)
    assert recipients("overdue") == ["landuse_head", "landuse_staff"]
    assert recipients("escalation") == []
    scan(NEXT_THURSDAY_9AM)
    assert recipients("escalation") == ["deputy1"]  # oversees landuse


def test_an_assigned_task_reminds_its_assignee_only(matter):
    case = receive(matter)
    task = case.tasks[-1]
    task.assignee = user("landuse_head")
    db.session.commit()
    scan(THURSDAY_9AM)
    assert recipients("warning") == ["landuse_head"]


def test_texts_follow_the_recipients_language(matter):
    staff = user("landuse_staff")
    staff.locale = "en"
    db.session.commit()
    case = receive(matter)
    scan(FRIDAY_9AM)
    [english] = messages(reason="overdue", channel="inapp", recipient_id=staff.id)
    assert english.subject == f"Overdue: {case.receipt_no} 征询规划部门意见"
    assert english.locale == "en"
    [chinese] = messages(reason="overdue", channel="inapp", recipient_id=user("landuse_head").id)
    assert chinese.subject.startswith("超时：")


def test_opted_out_channels_are_skipped(matter):
    staff = user("landuse_staff")
    staff.notify_email = False
    db.session.commit()
    receive(matter)
    scan(THURSDAY_9AM)
    assert messages(reason="warning", channel="email") == []
    assert recipients("warning") == ["landuse_staff"]  # in-app stays


def test_the_supervision_post_gets_one_digest_a_day(matter):
    for _ in range(3):
        receive(matter)
    scan(FRIDAY_9AM)
    scan(FRIDAY_9AM.replace(hour=5))
    [digest] = messages(reason="digest", channel="inapp")
    assert digest.recipient.username == "supervisor"
    assert "3 个超时任务" in digest.body or "超时任务 3" in digest.body, digest.body
    scan(NEXT_THURSDAY_9AM)
    assert len(messages(reason="digest", channel="inapp")) == 2


def test_cards_yellow_for_tasks_red_for_cases_and_repeated_yellows(matter, app, monkeypatch):
    monkeypatch.setitem(app.config, "RED_CARD_AFTER_YELLOW", 3)
    cases = [receive(matter) for _ in range(3)]
    scan(FRIDAY_9AM)
    yellow = db.session.query(Card).filter_by(kind="yellow").all()
    assert sorted(c.case_id for c in yellow) == sorted(c.id for c in cases)
    assert {c.month for c in yellow} == {"2026-03"}
    [red] = db.session.query(Card).filter_by(kind="red").all()
    assert (red.cause, red.division.code, red.key) == (
        "repeated_yellow",
        "landuse",
        f"red:division:{red.division_id}:2026-03",
    )
    scan(cases[0].promised_due_at.replace(year=2027))
    assert db.session.query(Card).filter_by(cause="case_overdue").count() == 3


def test_a_second_scan_at_the_same_moment_issues_and_queues_nothing(matter):
    receive(matter)
    receive(matter)
    first = scan(NEXT_THURSDAY_9AM)
    counts = (db.session.query(Notification).count(), db.session.query(Card).count())
    second = scan(NEXT_THURSDAY_9AM)
    assert sum(first.reminders.values()) > 0 and first.cards.yellow == 2
    assert sum(second.reminders.values()) == 0 and second.cards.yellow == 0
    assert (db.session.query(Notification).count(), db.session.query(Card).count()) == counts


def test_the_scan_runs_a_constant_number_of_statements(matter):
    def statements_for(cases):
        for _ in range(cases):
            receive(matter)
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            scan(NEXT_THURSDAY_9AM)
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        db.session.query(Notification).delete()
        db.session.query(Card).delete()
        db.session.commit()
        return len(seen)

    assert statements_for(2) == statements_for(25) <= 16
