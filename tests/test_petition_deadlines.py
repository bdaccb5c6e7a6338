"""Petition time limits (calendar or working days, as configured) and their part of the
deadline scan: flags on acceptance, handling, units' answers and follow-up visits, with
reminders queued once."""

from datetime import datetime

import pytest
from sqlalchemy import event, select

from app.extensions import db
from app.models.notification import Notification
from app.models.petitions import Petition, PetitionAssignment
from app.models.user import BureauUser
from app.petitions import deadlines, engine, intake
from tests.petition_helpers import registration

MONDAY_10AM = datetime(2026, 3, 2, 2, 0)  # Beijing 10:00, naive UTC


def user(username):
    return db.session.scalars(select(BureauUser).where(BureauUser.username == username)).one()


def register(at=MONDAY_10AM, **overrides):
    data = intake.parse_registration(registration(**overrides), now=at)
    data.received_at = at
    return engine.register(data, user("petition_staff"), at=at)


@pytest.mark.parametrize(
    ("start", "due"),
    [
        (datetime(2026, 3, 2, 2, 0), "2026-03-17"),  # Mon + 15 days: Tue 17 March
        (datetime(2026, 3, 6, 2, 0), "2026-03-23"),  # Fri + 15 = Sat 21: the next Monday
        (datetime(2026, 9, 16, 2, 0), "2026-10-08"),  # + 15 = 1 October: after the holiday
    ],
)
def test_acceptance_counts_calendar_days_ending_on_a_working_day(app, start, due):
    petition = register(at=start)
    assert petition.accept_due.strftime("%Y-%m-%d %H:%M:%S") == _utc_end_of(due)


def _utc_end_of(day):
    """23:59:59 Beijing of ``day`` written as UTC: 15:59:59 the same day."""
    return f"{day} 15:59:59"


def test_a_working_day_rule_is_configuration(app, monkeypatch):
    monkeypatch.setitem(app.config, "PETITION_ACCEPT_COUNTING", "working")
    petition = register()  # Mon 2 March + 15 working days: Mon 23 March
    assert petition.accept_due.strftime("%Y-%m-%d %H:%M:%S") == _utc_end_of("2026-03-23")


def test_an_unknown_counting_stops_the_start(app):
    from app.startup import StartupError

    with pytest.raises(StartupError, match="PETITION_HANDLE_COUNTING"):
        deadlines.check_config({"PETITION_HANDLE_COUNTING": "lunar"})


def test_handling_runs_60_days_from_acceptance_and_extends(app):
    petition = register()
    engine.decide(petition.id, user("petition_staff"), "accept", at=MONDAY_10AM)
    petition = db.session.get(Petition, petition.id)
    # 60 days after 2 March is Friday 1 May, Labour Day: the holiday runs to 5 May
    assert petition.handle_due.strftime("%Y-%m-%d %H:%M:%S") == _utc_end_of("2026-05-06")
    engine.extend(petition.id, user("petition_head"), 30, "需要补充调查", at=MONDAY_10AM)
    petition = db.session.get(Petition, petition.id)
    # 90 days: Sunday 31 May, so Monday 1 June
    assert petition.handle_due.strftime("%Y-%m-%d %H:%M:%S") == _utc_end_of("2026-06-01")


def test_the_warning_comes_a_working_day_before(app):
    petition = register()
    assert petition.accept_warn_at.strftime("%Y-%m-%d %H:%M:%S") == _utc_end_of("2026-03-16")


def flags(model):
    db.session.expire_all()
    return [row.flag for row in db.session.scalars(select(model).order_by(model.id))]


def test_the_scan_flags_acceptance_then_handling(app):
    petition = register()
    deadlines.scan(datetime(2026, 3, 16, 16, 0))  # Tue 17 March 00:00 Beijing: the due day
    assert flags(Petition) == ["warning"]
    deadlines.scan(datetime(2026, 3, 17, 16, 0))  # Wed 18 March: overdue
    assert flags(Petition) == ["overdue"]
    engine.decide(petition.id, user("petition_staff"), "accept", at=datetime(2026, 3, 18, 2, 0))
    deadlines.scan(datetime(2026, 3, 18, 3, 0))
    assert flags(Petition) == ["normal"]  # now measured by the handling limit


def test_the_scan_flags_a_units_answer_and_reminds_the_unit_once(app):
    petition = register()
    office = user("petition_staff")
    engine.decide(petition.id, office, "accept", at=MONDAY_10AM)
    engine.assign(petition.id, office, "baoying", due="2026-03-10", at=MONDAY_10AM)
    result = deadlines.scan(datetime(2026, 3, 10, 1, 0))  # Tue 10 March: the due day
    assert flags(PetitionAssignment) == ["warning"]
    assert (result.assignments, result.reminders) == (1, 1)
    again = deadlines.scan(datetime(2026, 3, 10, 1, 0))
    assert (again.assignments, again.reminders) == (0, 0)
    deadlines.scan(datetime(2026, 3, 11, 1, 0))
    assert flags(PetitionAssignment) == ["overdue"]
    reminders = db.session.scalars(
        select(Notification).where(Notification.reason.in_(["warning", "overdue"]))
    ).all()
    assert {(n.recipient.username, n.reason) for n in reminders} == {
        ("baoying_staff", "warning"),
        ("baoying_staff", "overdue"),
    }
    assert all(n.target_type == "petition" and n.target_id == petition.id for n in reminders)


def test_an_overdue_acceptance_reminds_the_clerk_and_the_heads(app):
    register()
    deadlines.scan(datetime(2026, 4, 1))
    reminded = {
        n.recipient.username
        for n in db.session.scalars(select(Notification).where(Notification.reason == "overdue"))
    }
    assert reminded == {"petition_staff", "petition_head"}


def test_an_answered_assignment_and_a_closed_petition_are_left_alone(app):
    petition = register()
    office = user("petition_staff")
    engine.decide(petition.id, office, "accept", at=MONDAY_10AM)
    engine.assign(petition.id, office, "baoying", due="2026-03-10", at=MONDAY_10AM)
    engine.submit_feedback(petition.id, user("baoying_staff"), "已处理", at=MONDAY_10AM)
    engine.review(petition.id, office, "accept", at=MONDAY_10AM)
    engine.close(petition.id, office, "已解决", "satisfied", at=MONDAY_10AM)
    result = deadlines.scan(datetime(2027, 1, 1))
    assert (result.petitions, result.assignments) == (0, 0)


def test_a_follow_up_visit_has_its_own_due_date(app):
    petition = register()
    office = user("petition_staff")
    engine.decide(petition.id, office, "accept", at=MONDAY_10AM)
    engine.assign(petition.id, office, "baoying", at=MONDAY_10AM)
    engine.submit_feedback(petition.id, user("baoying_staff"), "已处理", at=MONDAY_10AM)
    engine.review(petition.id, office, "accept", at=MONDAY_10AM)
    engine.close(petition.id, office, "已解决", "very_dissatisfied", at=MONDAY_10AM)
    follow_up = db.session.get(Petition, petition.id).follow_ups[0]
    # 10 working days from Monday 2 March: Monday 16 March
    assert follow_up.due_at.strftime("%Y-%m-%d %H:%M:%S") == _utc_end_of("2026-03-16")
    result = deadlines.scan(datetime(2026, 3, 20))
    assert result.follow_ups == 1


def test_the_scan_flags_any_number_of_rows_with_the_same_statements(app):
    def statements_for(count):
        for _ in range(count):
            register()
        seen = []
        listener = lambda *args: seen.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            deadlines.scan(datetime(2026, 3, 3))  # nothing is late yet
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    assert statements_for(2) == statements_for(20) <= 4


def test_cli_scan_reports_petitions(app, runner):
    register()
    result = runner.invoke(args=["deadlines", "scan", "--now", "2026-04-01T09:00+08:00"])
    assert result.exit_code == 0, result.output
    assert "petitions: flags changed on 1 petitions" in result.output


def test_publishing_a_year_recomputes_provisional_due_dates(app):
    from app.calendar.paste import parse_year_list
    from app.calendar.store import publish_years
    from app.models.calendar import CalendarSource

    petition = register(at=datetime(2031, 1, 2, 2, 0))  # Thursday 2 January 2031
    assert petition.due_provisional is True
    assert petition.accept_due.strftime("%Y-%m-%d") == "2031-01-17"  # Friday
    pasted = parse_year_list("2031-01-17 holiday 假日", 2031)
    publish_years(db.session, {2031: pasted.entries}, CalendarSource.ADMIN)
    db.session.expire_all()
    petition = db.session.get(Petition, petition.id)
    assert petition.due_provisional is False
    assert petition.accept_due.strftime("%Y-%m-%d") == "2031-01-20"  # a holiday: Monday
