"""Petition time limits (信访工作条例 2022) and their part of `flask deadlines scan`.

Each limit (acceptance 15 days, handling 60 days, extension up to 30, follow-up visit)
counts either *calendar* days, as the regulation's 日 reads, or *working* days; which one is
configuration (``PETITION_*_COUNTING``). Both follow the Civil Code: the start day is not
counted and a period ends at 23:59:59 Asia/Shanghai of its last day; a calendar period
whose last day is a weekend or a holiday ends on the next working day (art. 203). Both
read the working-day calendar (app/calendar/workdays.py) through app/workflow/clock.py.

The scan sets the flags of open petitions, assignments and follow-up visits with one
UPDATE each and queues a reminder for each row that just turned warning or overdue.
"""

from dataclasses import dataclass
from datetime import timedelta

from flask import current_app
from flask_appbuilder.security.sqla.models import Role
from flask_babel import gettext as _
from sqlalchemy import case as when
from sqlalchemy import select, update

from app.calendar.signals import calendar_year_published
from app.calendar.workdays import end_of_day, is_working_day, local_day
from app.extensions import db
from app.labels import local_time
from app.models.cases import Flag
from app.models.petitions import (
    HANDLING_STATUSES,
    AssignmentStatus,
    FollowUpStatus,
    Petition,
    PetitionAssignment,
    PetitionFollowUp,
    PetitionStatus,
)
from app.models.user import BureauUser
from app.notify import outbox
from app.security.scope import PETITION_HANDLER_ROLES, PETITION_OFFICE
from app.startup import StartupError
from app.workflow import clock

CALENDAR = "calendar"
WORKING = "working"
COUNTINGS = (CALENDAR, WORKING)
RULES = ("ACCEPT", "HANDLE", "FOLLOW_UP")
ONE_DAY = timedelta(days=1)


def check_config(config):
    """At start-up: every counting setting names a known way of counting."""
    for rule in RULES:
        value = config.get(f"PETITION_{rule}_COUNTING", CALENDAR)
        if value not in COUNTINGS:
            raise StartupError(
                f"PETITION_{rule}_COUNTING={value!r}: use {CALENDAR!r} or {WORKING!r}"
            )


def rule(name):
    """(days, counting) of a configured limit: ``accept``, ``handle`` or ``follow_up``."""
    key = name.upper()
    config = current_app.config
    return config[f"PETITION_{key}_DAYS"], config.get(f"PETITION_{key}_COUNTING", CALENDAR)


def _warning_days():
    return current_app.config.get("WARNING_WORKING_DAYS", 1)


def due(start, days, counting):
    """When a limit of ``days`` from ``start`` ends, and when to warn (``clock.Due``)."""
    if counting == WORKING:
        return clock.due(start, days, _warning_days())
    calendar = clock.calendar_snapshot()
    first = local_day(clock.as_aware(start))
    last = first + timedelta(days=days)
    trace = [{"date": first.isoformat(), "kind": "start", "reason": "start_not_counted"}]
    while not is_working_day(last, calendar):  # Civil Code art. 203
        trace.append({"date": last.isoformat(), "kind": "skipped", "reason": "last_day_off"})
        last += ONE_DAY
    trace.append({"date": last.isoformat(), "kind": "counted", "reason": "last_day"})
    warn_day = max(_working_days_before(last, _warning_days(), calendar), first)
    return clock.Due(
        due_at=clock.as_naive_utc(end_of_day(last)),
        warn_at=clock.as_naive_utc(end_of_day(warn_day)),
        provisional=any(
            not calendar.is_published(year) for year in range((first + ONE_DAY).year, last.year + 1)
        ),
        trace=trace,
    )


def _working_days_before(day, count, calendar):
    """The working day ``count`` working days before ``day``."""
    for _step in range(count):
        day -= ONE_DAY
        while not is_working_day(day, calendar):
            day -= ONE_DAY
    return day


def rule_due(name, start, extra_days=0):
    days, counting = rule(name)
    return due(start, days + extra_days, counting)


def day_end(value):
    """A date chosen by a user (a unit's due date): the end of that day in Beijing."""
    return clock.as_naive_utc(end_of_day(value))


def warn_before(due_at):
    """The warning moment of a due date a user chose."""
    calendar = clock.calendar_snapshot()
    day = _working_days_before(local_day(clock.as_aware(due_at)), _warning_days(), calendar)
    return clock.as_naive_utc(end_of_day(day))


# ---------------------------------------------------------------- provisional due dates


def refresh_due(petition):
    """Recompute the due date the petition runs against now: acceptance until it is
    accepted, then handling (with its extensions)."""
    if petition.accepted_at is None:
        deadline = rule_due("accept", petition.received_at)
        petition.accept_due, petition.accept_warn_at = deadline.due_at, deadline.warn_at
    else:
        deadline = rule_due("handle", petition.accepted_at, petition.extension_days)
        petition.handle_due, petition.handle_warn_at = deadline.due_at, deadline.warn_at
    petition.due_provisional = deadline.provisional


def recompute_provisional(year=None):
    """When a year's calendar is published: recompute every open petition whose due date
    was provisional (a few rows). Returns how many were recomputed."""
    open_statuses = [PetitionStatus.REGISTERED.value, *(s.value for s in HANDLING_STATUSES)]
    petitions = db.session.scalars(
        select(Petition).where(
            Petition.due_provisional.is_(True), Petition.status.in_(open_statuses)
        )
    ).all()
    for petition in petitions:  # one calendar read for all (clock.calendar_snapshot)
        refresh_due(petition)
    db.session.commit()
    return len(petitions)


def connect_signals():
    calendar_year_published.connect(_on_year_published, weak=False)


def _on_year_published(year, **_kwargs):
    recompute_provisional(year)


# ---------------------------------------------------------------- the scan


@dataclass(frozen=True)
class ScanResult:
    petitions: int
    assignments: int
    follow_ups: int
    reminders: int

    def __str__(self):
        return (
            f"petitions: flags changed on {self.petitions} petitions, {self.assignments} "
            f"assignments, {self.follow_ups} follow-up visits; {self.reminders} reminders queued"
        )


def _flag(due_column, warn_column, now):
    return when(
        (due_column < now, Flag.OVERDUE.value),
        (warn_column <= now, Flag.WARNING.value),
        else_=Flag.NORMAL.value,
    )


def scan(now):
    """Flag petitions (acceptance, then handling), assignments and follow-up visits as of
    ``now`` (naive UTC); queue reminders for rows that just became warning or overdue."""
    registered = Petition.status == PetitionStatus.REGISTERED.value
    petition_flag = when(
        (registered, _flag(Petition.accept_due, Petition.accept_warn_at, now)),
        else_=_flag(Petition.handle_due, Petition.handle_warn_at, now),
    )
    open_statuses = [PetitionStatus.REGISTERED.value, *(s.value for s in HANDLING_STATUSES)]
    petitions = _changed(
        update(Petition)
        .where(Petition.status.in_(open_statuses), Petition.flag != petition_flag)
        .values(flag=petition_flag)
        .returning(Petition.id, Petition.flag)
    )
    assignment_flag = _flag(PetitionAssignment.due_at, PetitionAssignment.warn_at, now)
    assignments = _changed(
        update(PetitionAssignment)
        .where(
            PetitionAssignment.status == AssignmentStatus.OPEN.value,
            PetitionAssignment.flag != assignment_flag,
        )
        .values(flag=assignment_flag)
        .returning(PetitionAssignment.id, PetitionAssignment.flag)
    )
    follow_up_flag = _flag(PetitionFollowUp.due_at, PetitionFollowUp.warn_at, now)
    follow_ups = _changed(
        update(PetitionFollowUp)
        .where(
            PetitionFollowUp.status == FollowUpStatus.OPEN.value,
            PetitionFollowUp.flag != follow_up_flag,
        )
        .values(flag=follow_up_flag)
        .returning(PetitionFollowUp.id, PetitionFollowUp.flag)
    )
    reminders = _remind(petitions, assignments, follow_ups, now)
    db.session.commit()
    return ScanResult(len(petitions), len(assignments), len(follow_ups), reminders)


def _changed(statement):
    rows = db.session.execute(statement, execution_options={"synchronize_session": False})
    return dict(rows.all())


# ---------------------------------------------------------------- reminders


def _remind(petitions, assignments, follow_ups, now):
    """One in-app reminder per row that turned warning or overdue and per recipient: the
    unit's handlers for an assignment, the petition office's clerk (and its heads when
    overdue) for a petition or a follow-up visit."""
    late = {Flag.WARNING.value, Flag.OVERDUE.value}
    petition_ids = [pk for pk, flag in petitions.items() if flag in late]
    assignment_ids = [pk for pk, flag in assignments.items() if flag in late]
    follow_up_ids = [pk for pk, flag in follow_ups.items() if flag in late]
    if not (petition_ids or assignment_ids or follow_up_ids):
        return 0
    messages = []
    heads = office_heads()
    for petition in _load(Petition, petition_ids):
        stage = "accept" if petition.status == PetitionStatus.REGISTERED.value else "handle"
        due_at = petition.accept_due if stage == "accept" else petition.handle_due
        recipients = [petition.registered_by]
        if petition.flag == Flag.OVERDUE.value:
            recipients += heads
        messages += [
            (
                user,
                f"petition:{petition.id}:{stage}:{due_at:%Y%m%d}:{petition.flag}",
                petition,
                petition.flag,
                due_at,
                stage,
            )
            for user in recipients
        ]
    for assignment in _load(PetitionAssignment, assignment_ids):
        key = f"petition-assignment:{assignment.id}:{assignment.due_at:%Y%m%d}:{assignment.flag}"
        messages += [
            (user, key, assignment.petition, assignment.flag, assignment.due_at, "assignment")
            for user in unit_handlers(assignment.unit_id)
        ]
    for follow_up in _load(PetitionFollowUp, follow_up_ids):
        key = f"petition-follow-up:{follow_up.id}:{follow_up.flag}"
        recipients = [follow_up.petition.closed_by or follow_up.petition.registered_by]
        messages += [
            (user, key, follow_up.petition, follow_up.flag, follow_up.due_at, "follow_up")
            for user in recipients
        ]
    queued = 0
    with db.session.no_autoflush:
        for user, key, petition, flag, due_at, stage in messages:
            if user is None:
                continue
            row = outbox.queue(
                channel="inapp",
                reason=flag,
                key=f"{key}:{user.id}",
                recipient=user,
                subject=_reminder_subject(petition.number, flag, stage),
                body=_reminder_body(petition.number, due_at, stage),
                target=("petition", petition.id),
                at=now,
            )
            queued += row is not None
    return queued


def _load(model, ids):
    if not ids:
        return []
    return db.session.scalars(select(model).where(model.id.in_(ids)).order_by(model.id)).all()


STAGE_TEXT = {
    "accept": lambda: _("the decision on acceptance"),
    "handle": lambda: _("handling"),
    "assignment": lambda: _("your unit's answer"),
    "follow_up": lambda: _("the follow-up visit"),
}


def _reminder_subject(number, flag, stage):
    if flag == Flag.OVERDUE.value:
        return lambda: _(
            "Petition %(number)s: %(stage)s is overdue", number=number, stage=STAGE_TEXT[stage]()
        )
    return lambda: _(
        "Petition %(number)s: %(stage)s is due soon", number=number, stage=STAGE_TEXT[stage]()
    )


def _reminder_body(number, due_at, stage):
    return lambda: _(
        "Petition %(number)s: %(stage)s is due by %(due)s (Beijing time).",
        number=number,
        stage=STAGE_TEXT[stage](),
        due=local_time(due_at),
    )


def unit_handlers(unit_id):
    """Active users who handle a unit's petitions (its UnitStaff, Staff and head)."""
    return db.session.scalars(
        select(BureauUser)
        .where(
            BureauUser.division_id == unit_id,
            BureauUser.active.is_(True),
            BureauUser.roles.any(Role.name.in_(sorted(PETITION_HANDLER_ROLES))),
        )
        .order_by(BureauUser.id)
    ).all()


def office_heads():
    """The heads of the petition office: PetitionOffice users who are heads of division."""
    return db.session.scalars(
        select(BureauUser)
        .where(
            BureauUser.active.is_(True),
            BureauUser.roles.any(Role.name == PETITION_OFFICE),
            BureauUser.roles.any(Role.name == "DivisionHead"),
        )
        .order_by(BureauUser.id)
    ).all()
