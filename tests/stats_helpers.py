"""A small fixed fixture for the statistics tests, written row by row so every expected
figure can be worked out by hand from the rows below (the comments show the working).

Period counted: 2025-03-01 to 2025-05-31 (Beijing days). The 2025 calendar of the
seeded official list: Qingming 4 Apr (Fri) off; Labour Day 1–5 May off with Sunday
27 Apr worked; Dragon Boat 31 May–2 Jun.

Matters: SM-1 (responsible: landuse, promised 10 working days, one step "审核" by
landuse, limit 3) and SM-2 (planning, promised 5, one step "规划审核" by planning, limit 2).
"""

from datetime import datetime, timedelta

from sqlalchemy import select

from app.extensions import db
from app.models.cases import Case, Task
from app.models.org import Division
from app.models.petitions import (
    Petition,
    PetitionAssignment,
    PetitionCategory,
    PetitionFeedback,
    PetitionLink,
)
from app.models.rating import CaseRating
from app.models.supervision import Card, SupervisionNotice
from app.models.user import BureauUser
from tests.factories import make_matter, make_template, step

PERIOD = {"from": "2025-03-01", "to": "2025-05-31"}


def bj(month, day, hour=10, minute=0, second=0, year=2025):
    """A Beijing wall-clock moment as the naive UTC the database keeps."""
    return datetime(year, month, day, hour, minute, second) - timedelta(hours=8)


def end_of(month, day):
    return bj(month, day, 23, 59, 59)


def _id(model, **key):
    return db.session.execute(select(model.id).filter_by(**key)).scalar_one()


def build_fixture():
    landuse, planning = _id(Division, code="landuse"), _id(Division, code="planning")
    m1 = make_matter(
        "SM-1",
        make_template("SM-1", [("审核", "single", [step("审核", "landuse", 3)])]),
        promised=10,
    )
    m2 = make_matter(
        "SM-2",
        make_template("SM-2", [("规划审核", "single", [step("规划审核", "planning", 2)])]),
        promised=5,
    )
    planning_matter = db.session.get(type(m2), m2.id)
    planning_matter.responsible_division_id = planning
    db.session.commit()
    rows = _cases(m1, m2)
    _tasks(rows, m1, m2, landuse, planning)
    _supervision(rows, landuse, planning)
    _ratings(rows)
    _petitions(landuse)
    db.session.commit()
    return rows


def _case(
    number,
    matter,
    received,
    status,
    accepted=None,
    due=None,
    finished=None,
    flag="normal",
    paused=0,
    extension=0,
):
    case = Case(
        receipt_no=f"STAT-{number}",
        query_code=f"Q{number}",
        matter_id=matter.id,
        workflow_id=matter.workflow_id,
        applicant_name="测试申请人",
        received_at=received,
        accepted_at=accepted,
        promised_due_at=due,
        finished_at=finished,
        status=status,
        flag=flag,
        paused_days=paused,
        extension_days=extension,
    )
    db.session.add(case)
    return case


def _cases(m1, m2):
    cases = {
        # SM-1, on time; used: 4–7 Mar (4) + 10–14 Mar (5) = 9 working days.
        "C1": _case(1, m1, bj(3, 3), "released", bj(3, 3), end_of(3, 17), bj(3, 14)),
        # SM-1, on time; used: 27 Apr (worked Sunday), 28, 29, 30 Apr, 6, 7 May = 6, minus
        # 1 suspended = 5; promised 10 + 2 extension = 12.
        "C2": _case(
            2, m1, bj(4, 25), "approved", bj(4, 25), end_of(5, 9), bj(5, 7), paused=1, extension=2
        ),
        # SM-2, received 1 Apr 01:30 Beijing (31 Mar in UTC): an April case; late;
        # used: 2, 3 Apr, (4 Apr Qingming), 7–10 Apr = 6.
        "C3": _case(3, m2, bj(4, 1, 1, 30), "rejected", bj(4, 1), end_of(4, 8), bj(4, 10)),
        # SM-2, in progress and overdue (promised 22 Apr).
        "C4": _case(4, m2, bj(4, 15), "in_progress", bj(4, 15), end_of(4, 22), flag="overdue"),
        # SM-1, received in February (not received in the period) but finished 5 Mar, on
        # time; used: 21 Feb (1) + 24–28 Feb (5) + 3–5 Mar (3) = 9.
        "C5": _case(5, m1, bj(2, 20), "released", bj(2, 20), end_of(3, 6), bj(3, 5)),
        # SM-1, received only.
        "C6": _case(6, m1, bj(5, 10), "received"),
        # SM-1, all in July: outside the period.
        "C7": _case(7, m1, bj(7, 1), "released", bj(7, 1), end_of(7, 15), bj(7, 4)),
    }
    db.session.flush()
    return cases


def _task(
    case, matter, name, division_id, limit, opened, due, done=None, status="done", flag="normal"
):
    step_id = matter.workflow.stages[0].steps[0].id
    task = Task(
        case_id=case.id,
        step_id=step_id,
        stage_position=1,
        stage_mode="single",
        name=name,
        kind="review",
        division_id=division_id,
        limit_days=limit,
        counts_toward_limit=True,
        opened_at=opened,
        due_at=due,
        warn_at=due - timedelta(days=1),
        done_at=done,
        status=status,
        flag=flag,
    )
    db.session.add(task)
    return task


def _tasks(rows, m1, m2, landuse, planning):
    # T1 on time, used 4, 5, 6 Mar = 3; T2 late (due 29 Apr), used 27–30 Apr, 6 May = 5;
    # T3 late (due 3 Apr), used 2, 3, 7 Apr = 3; T4 open and overdue (due 17 Apr).
    rows["T1"] = _task(rows["C1"], m1, "审核", landuse, 3, bj(3, 3), end_of(3, 6), bj(3, 6, 15))
    rows["T2"] = _task(rows["C2"], m1, "审核", landuse, 3, bj(4, 25), end_of(4, 29), bj(5, 6))
    rows["T3"] = _task(rows["C3"], m2, "规划审核", planning, 2, bj(4, 1), end_of(4, 3), bj(4, 7))
    rows["T4"] = _task(
        rows["C4"],
        m2,
        "规划审核",
        planning,
        2,
        bj(4, 15),
        end_of(4, 17),
        status="open",
        flag="overdue",
    )
    db.session.flush()


def _supervision(rows, landuse, planning):
    supervisor = _id(BureauUser, username="supervisor")
    landuse_staff = _id(BureauUser, username="landuse_staff")
    planning_staff = _id(BureauUser, username="planning_staff")

    def notice(task, division, reason, responded_at, by):
        db.session.add(
            SupervisionNotice(
                target_type="task",
                target_id=task.id,
                case_id=task.case_id,
                task_id=task.id,
                division_id=division,
                supervisor_id=supervisor,
                message="请说明",
                created_at=bj(3, 1),
                status="answered" if reason else "open",
                delay_reason=reason,
                response="说明" if reason else None,
                responded_by_id=by,
                responded_at=responded_at,
            )
        )

    notice(rows["T2"], landuse, "awaiting_department", bj(4, 30), landuse_staff)
    notice(rows["T3"], planning, "field_survey", bj(4, 4), planning_staff)
    notice(rows["T4"], planning, "field_survey", bj(4, 18), planning_staff)
    notice(rows["T4"], planning, None, None, None)  # not answered: no reason to count
    notice(rows["T1"], landuse, "other", bj(6, 10), landuse_staff)  # answered in June

    def card(key, kind, cause, division, month, case=None, task=None):
        db.session.add(
            Card(
                key=key,
                kind=kind,
                cause=cause,
                case_id=case and case.id,
                task_id=task and task.id,
                division_id=division,
                month=month,
                issued_at=bj(6, 1),
            )
        )

    card("y:T2", "yellow", "task_overdue", landuse, "2025-04", rows["C2"], rows["T2"])
    card("y:T3", "yellow", "task_overdue", planning, "2025-04", rows["C3"], rows["T3"])
    card("y:T4", "yellow", "task_overdue", planning, "2025-04", rows["C4"], rows["T4"])
    card("r:C3", "red", "case_overdue", planning, "2025-04", rows["C3"])
    card("r:C4", "red", "case_overdue", planning, "2025-04", rows["C4"])
    card("r:planning", "red", "repeated_yellow", planning, "2025-05")
    card("y:june", "yellow", "task_overdue", landuse, "2025-06", rows["C1"], rows["T1"])


def _ratings(rows):
    db.session.add(CaseRating(case_id=rows["C1"].id, level="very_satisfied", rated_at=bj(3, 20)))
    db.session.add(CaseRating(case_id=rows["C3"].id, level="dissatisfied", rated_at=bj(4, 12)))
    db.session.add(CaseRating(case_id=rows["C5"].id, level="satisfied", rated_at=bj(2, 28)))


def _petitions(landuse):
    office = _id(BureauUser, username="petition_staff")
    baoying, gaoyou = _id(Division, code="baoying"), _id(Division, code="gaoyou")
    first, second = (
        db.session.execute(select(PetitionCategory.id).order_by(PetitionCategory.position).limit(2))
        .scalars()
        .all()
    )

    def petition(number, channel, category, received, status, **fields):
        p = Petition(
            number=f"XF-{number}",
            petitioner_name="信访人",
            channel=channel,
            category_id=category,
            content="内容",
            facts="事实",
            received_at=received,
            registered_at=received,
            registered_by_id=office,
            accept_due=fields.pop("accept_due", end_of(received.month, 28)),
            accept_warn_at=received,
            status=status,
            **fields,
        )
        db.session.add(p)
        db.session.flush()
        return p

    def assign(p, unit, at, lead=True, status="open"):
        a = PetitionAssignment(
            petition_id=p.id,
            unit_id=unit,
            lead=lead,
            assigned_at=at,
            assigned_by_id=office,
            due_at=at + timedelta(days=30),
            warn_at=at + timedelta(days=29),
            status=status,
        )
        db.session.add(a)
        db.session.flush()
        return a

    def answer(p, a, at):
        db.session.add(
            PetitionFeedback(
                petition_id=p.id,
                assignment_id=a.id,
                unit_id=a.unit_id,
                lead=a.lead,
                text="答复",
                submitted_at=at,
                submitted_by_id=office,
            )
        )

    # P1: acceptance 3 → 5 Mar = 2; answer 3 → 14 Mar = 9; closed 3 → 20 Mar = 4 + 5 + 4 = 13.
    p1 = petition(
        1,
        "letter",
        first,
        bj(3, 3),
        "closed",
        accept_due=end_of(3, 18),
        decided_at=bj(3, 5),
        accepted_at=bj(3, 5),
        handle_due=end_of(5, 5),
        closed_at=bj(3, 20),
        satisfaction="satisfied",
    )
    answer(p1, assign(p1, baoying, bj(3, 6)), bj(3, 14))
    # P2: acceptance 25 Apr → 7 May = 6 (on time); answer 25 Apr → 8 May = 7; landuse
    # co-handles it.
    p2 = petition(
        2,
        "visit",
        first,
        bj(4, 25),
        "feedback_submitted",
        accept_due=end_of(5, 10),
        decided_at=bj(5, 7),
        accepted_at=bj(5, 7),
        handle_due=end_of(7, 7),
    )
    answer(p2, assign(p2, baoying, bj(5, 7)), bj(5, 8))
    assign(p2, landuse, bj(5, 7), lead=False)
    # P3: acceptance 1 → 20 Apr = 2 + 5 + 5 = 12 (late, due 16 Apr); answer 1 Apr → 26 May
    # = 36; closed 1 Apr → 30 May = 40 (late, due 20 May); baoying's assignment withdrawn.
    p3 = petition(
        3,
        "online",
        second,
        bj(4, 1),
        "closed",
        accept_due=end_of(4, 16),
        decided_at=bj(4, 20),
        accepted_at=bj(4, 20),
        handle_due=end_of(5, 20),
        closed_at=bj(5, 30),
        satisfaction="dissatisfied",
    )
    assign(p3, baoying, bj(4, 20), status="withdrawn")
    answer(p3, assign(p3, gaoyou, bj(4, 21)), bj(5, 26))
    # P4: registered, acceptance overdue (due 27 May); repeats P1.
    p4 = petition(
        4, "letter", second, bj(5, 12), "registered", accept_due=end_of(5, 27), flag="overdue"
    )
    db.session.add(
        PetitionLink(
            petition_id=p4.id,
            kind="repeat",
            earlier_id=p1.id,
            linked_at=bj(5, 12),
            linked_by_id=office,
        )
    )
    # P5: June, outside the period.
    petition(5, "phone", first, bj(6, 15), "registered", flag="overdue")


def add_cases_like(model, count):
    """``count`` more finished cases shaped like ``model`` (for the statement count)."""
    for number in range(1000, 1000 + count):
        db.session.add(
            Case(
                receipt_no=f"STAT-{number}",
                query_code=f"Q{number}",
                matter_id=model.matter_id,
                workflow_id=model.workflow_id,
                applicant_name="测试申请人",
                received_at=model.received_at,
                accepted_at=model.accepted_at,
                promised_due_at=model.promised_due_at,
                finished_at=model.finished_at,
                status=model.status,
                flag=model.flag,
                paused_days=0,
                extension_days=0,
            )
        )
    db.session.commit()
