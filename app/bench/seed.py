"""Bureau-scale data for the benchmark: cases over the demo matters at realistic stages.

``seed(connection, count)`` plans cases in Python (matter, fate, how far each got, when
each step opened and finished) and writes them with bulk inserts, one table at a time,
a batch of cases per transaction. Every table is filled by one *generator*: a function
registered with :func:`generator` that turns a batch of planned cases into rows. A new
kind of record (petitions, notifications...) is one more function::

    @generator(Petition.__table__)
    def petitions(world, batch):
        for plan in batch[::10]:
            yield {...}

Due dates come from the real working-day calendar (cached per start day); flags are set
afterwards by the real deadline scan, so the share of warned and overdue work is the
one the console would show.
"""

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select

from app.audit import actions, chain
from app.calendar.workdays import TZ, Calendar
from app.models.cases import (
    Case,
    CaseMaterial,
    CaseReader,
    CaseStatus,
    Decision,
    Flag,
    Opinion,
    Permit,
    PermitStatus,
    Suspension,
    SuspensionKind,
    Task,
    TaskStatus,
)
from app.models.catalog import Matter, RequiredDocument
from app.models.org import Division, DivisionKind
from app.models.petitions import (
    Petition,
    PetitionAssignment,
    PetitionCategory,
    PetitionFeedback,
    PetitionStatus,
)
from app.models.rating import LEVEL_VALUES, CaseRating
from app.models.user import BureauUser
from app.models.workflow import StageMode, StepKind, WorkflowStage, WorkflowStep
from app.workflow import clock

SEED = 20260
CALENDAR_DAYS_PER_WORKING_DAY = 7 / 5
HISTORY_DAYS = 3 * 365  # finished cases were received over the last three years
OPINION_TEXTS = (
    "材料齐全，符合受理条件，同意。",
    "经审核，用地符合土地利用总体规划，同意上报。",
    "权属清楚，界址明确，无争议。",
    "面积量算结果与申报一致。",
    "地价评估报告符合规程，同意。",
    "同意，请按程序办理。",
    "建议补充规划意见后再议。",
)
APPLICANTS = ("扬州某置业有限公司", "江都区某村民委员会", "宝应县某实业公司", "邗江区某开发公司")
PROJECTS = ("商住用地项目", "工业厂房项目", "学校扩建工程", "道路改造工程", "安置房项目")
STEP_OPINION_KIND = {StageMode.COUNTERSIGN.value: "countersign"}

# (status, share): what became of the cases received; ACTIVE cases are recent.
FATES = (
    (CaseStatus.RELEASED, 0.62),
    (CaseStatus.IN_PROGRESS, 0.20),
    (CaseStatus.SUSPENDED, 0.03),
    (CaseStatus.REJECTED, 0.04),
    (CaseStatus.NOT_ACCEPTED, 0.03),
    (CaseStatus.SUPPLEMENT_REQUESTED, 0.03),
    (CaseStatus.RECEIVED, 0.02),
    (CaseStatus.WITHDRAWN, 0.03),
)
ACTIVE = (CaseStatus.IN_PROGRESS, CaseStatus.SUSPENDED)
NO_TASKS = (CaseStatus.NOT_ACCEPTED, CaseStatus.SUPPLEMENT_REQUESTED, CaseStatus.RECEIVED)


@dataclass
class StepPlan:
    id: int
    position: int
    name: str
    kind: str
    division_id: int | None
    leader_id: int | None
    limit_days: int
    counts: bool


@dataclass
class StagePlan:
    position: int
    name: str
    mode: str
    steps: list[StepPlan]


@dataclass
class MatterPlan:
    id: int
    code: str
    workflow_id: int
    promised_days: int
    statutory_days: int
    stages: list[StagePlan]
    documents: list[tuple[int, str, int]]


@dataclass
class TaskPlan:
    id: int
    stage: StagePlan
    step: StepPlan
    opened_at: datetime
    due_at: datetime
    warn_at: datetime
    done_at: datetime | None = None
    done_by_id: int | None = None
    decision: str | None = None
    status: str = TaskStatus.OPEN.value
    assignee_id: int | None = None


@dataclass
class CasePlan:
    id: int
    number: int
    matter: MatterPlan
    status: CaseStatus
    received_at: datetime
    accepted_at: datetime | None = None
    finished_at: datetime | None = None
    current_stage: int | None = None
    tasks: list[TaskPlan] = field(default_factory=list)
    open_pause: tuple[str, str, datetime] | None = None  # kind, reason, since
    petition: "PetitionPlan | None" = None  # one petition received beside each case


@dataclass
class PetitionPlan:
    id: int
    received_at: datetime
    status: str
    category_id: int
    channel: str
    unit_id: int
    decided_at: datetime | None = None
    assignment_id: int | None = None
    answered_at: datetime | None = None
    closed_at: datetime | None = None


@dataclass
class World:
    """What the generators share: the demo organisation, the catalog, the calendar, ids."""

    rng: random.Random
    now: datetime
    calendar: Calendar
    matters: list[MatterPlan]
    handlers: dict[int, int]  # division id -> a user of that unit
    window_clerk: int
    window_id: int
    next_ids: dict[str, int]
    prefix: str
    due_cache: dict = field(default_factory=dict)
    petition_categories: list = field(default_factory=list)
    petition_units: list = field(default_factory=list)  # counties and branches
    petition_office: int | None = None

    def take_id(self, table):
        value = self.next_ids[table]
        self.next_ids[table] = value + 1
        return value

    def due(self, start, days):
        """(due_at, warn_at) of a limit from ``start``, through the real calendar."""
        key = (clock.as_aware(start).astimezone(TZ).date(), days)
        if key not in self.due_cache:
            deadline = clock.due(start, days, 1, calendar=self.calendar)
            self.due_cache[key] = (deadline.due_at, deadline.warn_at)
        return self.due_cache[key]


# ---------------------------------------------------------------- the world


def load_world(connection, now=None, seed=SEED, prefix="YZGT"):
    divisions = {code: id_ for id_, code in connection.execute(select(Division.id, Division.code))}
    handlers = {}
    for user_id, division_id, username in connection.execute(
        select(BureauUser.id, BureauUser.division_id, BureauUser.username).order_by(
            BureauUser.username
        )
    ):
        if division_id is not None and username.endswith("_staff"):
            handlers.setdefault(division_id, user_id)
    window_clerk = connection.execute(
        select(BureauUser.id).where(BureauUser.username == "window1")
    ).scalar_one()
    return World(
        rng=random.Random(seed),
        now=now or clock.utcnow(),
        calendar=Calendar.load(connection),
        matters=_matters(connection),
        handlers=handlers,
        window_clerk=window_clerk,
        window_id=divisions["window"],
        next_ids={name: _next_id(connection, table) for name, table in ID_TABLES.items()},
        prefix=prefix,
        petition_categories=list(connection.scalars(select(PetitionCategory.id))),
        petition_units=[
            divisions[code]
            for code, kind in connection.execute(select(Division.code, Division.kind))
            if kind in (DivisionKind.COUNTY.value, DivisionKind.BRANCH.value)
        ],
        petition_office=connection.scalar(
            select(BureauUser.id).where(BureauUser.username == "petition_staff")
        ),
    )


ID_TABLES = {
    "case": Case.__table__,
    "task": Task.__table__,
    "opinion": Opinion.__table__,
    "permit": Permit.__table__,
    "suspension": Suspension.__table__,
    "case_material": CaseMaterial.__table__,
    "petition": Petition.__table__,
    "petition_assignment": PetitionAssignment.__table__,
    "petition_feedback": PetitionFeedback.__table__,
}


def _next_id(connection, table):
    return (connection.execute(select(func.max(table.c.id))).scalar() or 0) + 1


def _matters(connection):
    steps = {}
    for row in connection.execute(
        select(WorkflowStep, WorkflowStage.template_id, WorkflowStage.position.label("stage_pos"))
        .join(WorkflowStage, WorkflowStep.stage_id == WorkflowStage.id)
        .order_by(WorkflowStage.position, WorkflowStep.position)
    ).mappings():
        steps.setdefault(row["stage_id"], []).append(
            StepPlan(
                id=row["id"],
                position=row["position"],
                name=row["name"],
                kind=row["kind"],
                division_id=row["division_id"],
                leader_id=row["leader_id"],
                limit_days=row["limit_days"],
                counts=row["counts_toward_limit"],
            )
        )
    stages = {}
    for stage in connection.execute(
        select(WorkflowStage).order_by(WorkflowStage.position)
    ).mappings():
        stages.setdefault(stage["template_id"], []).append(
            StagePlan(stage["position"], stage["name"], stage["mode"], steps.get(stage["id"], []))
        )
    documents = {}
    rows = connection.execute(select(RequiredDocument).order_by(RequiredDocument.id))
    for doc in rows.mappings():
        documents.setdefault(doc["matter_id"], []).append((doc["id"], doc["name"], doc["copies"]))
    return [
        MatterPlan(
            id=m["id"],
            code=m["code"],
            workflow_id=m["workflow_id"],
            promised_days=m["promised_days"],
            statutory_days=m["statutory_days"],
            stages=stages[m["workflow_id"]],
            documents=documents.get(m["id"], []),
        )
        for m in connection.execute(
            select(Matter).where(Matter.workflow_id.is_not(None), Matter.active).order_by(Matter.id)
        ).mappings()
        if stages.get(m["workflow_id"])
    ]


# ---------------------------------------------------------------- planning cases


def plan_cases(world, count):
    """``count`` cases, oldest first, each with its route as far as it got."""
    statuses = [fate for fate, _ in FATES]
    weights = [share for _, share in FATES]
    plans = []
    for _ in range(count):
        matter = _pick_matter(world)
        status = world.rng.choices(statuses, weights)[0]
        plans.append(_plan_case(world, matter, status))
    plans.sort(key=lambda plan: plan.received_at)
    for plan in plans:
        plan.id = world.take_id("case")
        plan.number = plan.id
        for task in plan.tasks:
            task.id = world.take_id("task")
    return plans


def _pick_matter(world):
    # The two reference matters (GD-01, JS-01) carry most of the load.
    main = [m for m in world.matters if m.code in ("GD-01", "JS-01")]
    if main and world.rng.random() < 0.6:
        return world.rng.choice(main)
    return world.rng.choice(world.matters)


def _stage_days(world, step):
    """How long a step took, in calendar days: mostly within its limit, some late."""
    share = world.rng.betavariate(2, 3) * 1.5
    return timedelta(days=step.limit_days * share * CALENDAR_DAYS_PER_WORKING_DAY + 0.05)


def _plan_case(world, matter, status):
    rng = world.rng
    plan = CasePlan(id=0, number=0, matter=matter, status=status, received_at=world.now)
    if status in NO_TASKS:
        plan.received_at = world.now - timedelta(days=rng.uniform(0, 20))
        if status == CaseStatus.NOT_ACCEPTED:
            plan.received_at -= timedelta(days=rng.uniform(0, HISTORY_DAYS))
            plan.finished_at = plan.received_at
        return plan
    stages = matter.stages
    if status in ACTIVE:
        reached = rng.randrange(1, len(stages))  # the stage open now (0 is the receipt)
    elif status == CaseStatus.RELEASED:
        reached = len(stages)
    else:  # rejected or withdrawn part way
        reached = rng.randrange(1, len(stages))
    # Walk the route from a placeholder start, then shift it so it ends where it should.
    start = datetime(2000, 1, 3, 1, 0)
    durations = []
    moment = start
    for stage in stages[:reached]:
        took = max(_stage_days(world, step) for step in stage.steps)
        durations.append((stage, moment, took))
        moment += took
    if status in ACTIVE:
        current = stages[reached]
        elapsed_in_current = _stage_days(world, current.steps[0])
        end_of_history = world.now - elapsed_in_current
    else:
        end_of_history = world.now - timedelta(days=rng.uniform(1, HISTORY_DAYS))
    shift = end_of_history - moment
    plan.received_at = start + shift
    plan.accepted_at = plan.received_at
    for stage, opened, took in durations:
        opened += shift
        for step in stage.steps:
            done = opened + min(took, _stage_days(world, step))
            plan.tasks.append(_task(world, stage, step, opened, done, Decision.APPROVE.value))
    if status in ACTIVE:
        current = stages[reached]
        plan.current_stage = current.position
        steps = current.steps[:1] if current.mode == StageMode.SEQUENCE.value else current.steps
        for step in steps:
            done = None
            if current.mode == StageMode.COUNTERSIGN.value and rng.random() < 0.4:
                done = end_of_history + timedelta(hours=rng.uniform(1, 20))
                done = min(done, world.now)
            plan.tasks.append(_task(world, current, step, end_of_history, done, "approve"))
        if status == CaseStatus.SUSPENDED:
            plan.open_pause = (SuspensionKind.EXPERT_REVIEW.value, "专家评审", end_of_history)
        elif not any(step.counts for step in current.steps):
            plan.open_pause = (SuspensionKind.UNCOUNTED_STEP.value, current.name, end_of_history)
    else:
        plan.finished_at = end_of_history
        if status != CaseStatus.RELEASED and plan.tasks:
            last = plan.tasks[-1]
            last.decision = Decision.REJECT.value if status == CaseStatus.REJECTED else None
            if status == CaseStatus.WITHDRAWN:
                last.status, last.done_at, last.done_by_id = TaskStatus.CANCELLED.value, None, None
    return plan


def _task(world, stage, step, opened, done, decision):
    due_at, warn_at = world.due(opened, step.limit_days)
    handler = step.leader_id or world.handlers.get(step.division_id) or world.window_clerk
    assignee = step.leader_id
    if step.kind == StepKind.RECEIPT.value:
        assignee = handler = world.window_clerk
    return TaskPlan(
        id=0,
        stage=stage,
        step=step,
        opened_at=opened,
        due_at=due_at,
        warn_at=warn_at,
        done_at=done,
        done_by_id=handler if done else None,
        decision=decision if done else None,
        status=TaskStatus.DONE.value if done else TaskStatus.OPEN.value,
        assignee_id=assignee,
    )


# ---------------------------------------------------------------- generators


Generator = Callable[[World, list[CasePlan]], Iterable[dict]]
GENERATORS: list[tuple[object, Generator]] = []


def generator(table):
    """Register ``function(world, batch)`` as the source of ``table``'s rows, in order."""

    def register(function):
        GENERATORS.append((table, function))
        return function

    return register


@generator(Case.__table__)
def cases(world, batch):
    rng = world.rng
    for plan in batch:
        matter, received = plan.matter, plan.received_at
        promised = statutory = (None, None)
        if plan.accepted_at:
            promised = world.due(plan.accepted_at, matter.promised_days)
            statutory = world.due(plan.accepted_at, matter.statutory_days)
        late = plan.finished_at and promised[0] and plan.finished_at > promised[0]
        yield {
            "id": plan.id,
            "receipt_no": f"{world.prefix}-{received.year}-B{plan.number:07d}",
            "query_code": f"Q{plan.number:07d}",
            "matter_id": matter.id,
            "workflow_id": matter.workflow_id,
            "applicant_name": rng.choice(APPLICANTS),
            "applicant_id_number": f"32100219800101{plan.number % 10000:04d}",
            "applicant_phone": f"138{plan.number % 100000000:08d}",
            "applicant_email": None,
            "applicant_org": None,
            "project_name": f"{matter.code} {rng.choice(PROJECTS)}",
            "project_location": "扬州市",
            "project_area": round(rng.uniform(500, 90000), 2),
            "received_at": received,
            "received_by_id": world.window_clerk,
            "supplement_deadline_at": world.due(received, 5)[0],
            "accepted_at": plan.accepted_at,
            "promised_due_at": promised[0],
            "promised_warn_at": promised[1],
            "statutory_due_at": statutory[0],
            "statutory_warn_at": statutory[1],
            "due_provisional": False,
            "paused_days": 0,
            "extension_days": 0,
            "status": plan.status.value,
            "flag": Flag.OVERDUE.value if late else Flag.NORMAL.value,
            "statutory_flag": Flag.NORMAL.value,
            "current_stage": plan.current_stage,
            "status_reason": "材料不全" if plan.status == CaseStatus.NOT_ACCEPTED else None,
            "missing_documents": None,
            "finished_at": plan.finished_at,
            "version": 1,
        }


@generator(CaseMaterial.__table__)
def materials(world, batch):
    for plan in batch:
        for document_id, name, copies in plan.matter.documents:
            yield {
                "id": world.take_id("case_material"),
                "case_id": plan.id,
                "document_id": document_id,
                "name": name,
                "received": plan.status != CaseStatus.SUPPLEMENT_REQUESTED,
                "copies": copies,
            }


@generator(Task.__table__)
def tasks(world, batch):
    for plan in batch:
        for task in plan.tasks:
            late = task.done_at is not None and task.done_at > task.due_at
            yield {
                "id": task.id,
                "case_id": plan.id,
                "step_id": task.step.id,
                "stage_position": task.stage.position,
                "stage_mode": task.stage.mode,
                "name": task.step.name,
                "kind": task.step.kind,
                "division_id": task.step.division_id,
                "assignee_id": task.assignee_id,
                "limit_days": task.step.limit_days,
                "counts_toward_limit": task.step.counts,
                "opened_at": task.opened_at,
                "due_at": task.due_at,
                "warn_at": task.warn_at,
                "paused_days": 0,
                "done_at": task.done_at,
                "done_by_id": task.done_by_id,
                "decision": task.decision,
                "status": task.status,
                "flag": Flag.OVERDUE.value if late else Flag.NORMAL.value,
                "version": 1,
            }


@generator(CaseReader.__table__)
def case_readers(world, batch):
    for plan in batch:
        for division_id in sorted({t.step.division_id for t in plan.tasks} - {None}):
            yield {"case_id": plan.id, "division_id": division_id, "user_id": None}
        for user_id in sorted({t.assignee_id for t in plan.tasks} - {None}):
            yield {"case_id": plan.id, "division_id": None, "user_id": user_id}


@generator(Opinion.__table__)
def opinions(world, batch):
    for plan in batch:
        for task in plan.tasks:
            if task.done_at is None:
                continue
            kind = STEP_OPINION_KIND.get(task.stage.mode)
            kind = kind or ("sign" if task.step.kind == StepKind.SIGN.value else "review")
            yield {
                "id": world.take_id("opinion"),
                "case_id": plan.id,
                "task_id": task.id,
                "author_id": task.done_by_id,
                "division_id": task.step.division_id or world.window_id,
                "stage_kind": kind,
                "decision": task.decision,
                "text": world.rng.choice(OPINION_TEXTS),
                "signed_at": task.done_at,
            }


@generator(Suspension.__table__)
def suspensions(world, batch):
    for plan in batch:
        if plan.open_pause:
            kind, reason, since = plan.open_pause
            yield {
                "id": world.take_id("suspension"),
                "case_id": plan.id,
                "kind": kind,
                "reason": reason,
                "expected_days": 10 if kind != SuspensionKind.UNCOUNTED_STEP.value else None,
                "started_at": since,
                "started_by_id": None,
                "ended_at": None,
                "ended_by_id": None,
                "working_days": None,
            }


@generator(Permit.__table__)
def permits(world, batch):
    for plan in batch:
        drafted = [
            t for t in plan.tasks if t.step.kind == StepKind.DRAFT_PERMIT.value and t.done_at
        ]
        if not drafted:
            continue
        released = plan.status == CaseStatus.RELEASED
        permit_id = world.take_id("permit")
        issued = plan.finished_at if released else None
        yield {
            "id": permit_id,
            "number": f"{world.prefix}-PZ-{drafted[0].done_at.year}-B{permit_id:07d}",
            "kind": "approval",
            "case_id": plan.id,
            "matter_id": plan.matter.id,
            "holder": world.rng.choice(APPLICANTS),
            "parcel": "扬州市某地块",
            "area": round(world.rng.uniform(500, 90000), 2),
            "conditions": None,
            "valid_until": (drafted[0].done_at + timedelta(days=730)).date(),
            "status": PermitStatus.RELEASED.value if released else PermitStatus.DRAFT.value,
            "drafted_at": drafted[0].done_at,
            "issued_at": issued,
            "signed_by_id": None,
            "released_at": issued,
            "revoked_at": None,
            "revoked_by_id": None,
            "revocation_reason": None,
        }


# ---------------------------------------------------------------- petitions and ratings

# (status, share) of the petitions received beside the cases (for the statistics).
PETITION_FATES = (
    (PetitionStatus.CLOSED, 0.6),
    (PetitionStatus.FEEDBACK_SUBMITTED, 0.1),
    (PetitionStatus.ASSIGNED, 0.15),
    (PetitionStatus.REGISTERED, 0.1),
    (PetitionStatus.NOT_ACCEPTED, 0.05),
)
CHANNELS = ("letter", "visit", "online", "phone", "email")
ACCEPT_DAYS, HANDLE_DAYS = timedelta(days=15), timedelta(days=60)


def _plan_petition(world, plan):
    rng = world.rng
    statuses = [fate for fate, _ in PETITION_FATES]
    status = rng.choices(statuses, [share for _, share in PETITION_FATES])[0]
    received = plan.received_at
    petition = PetitionPlan(
        id=world.take_id("petition"),
        received_at=received,
        status=status.value,
        category_id=rng.choice(world.petition_categories),
        channel=rng.choice(CHANNELS),
        unit_id=rng.choice(world.petition_units),
    )

    def later(start, days):
        return min(start + timedelta(days=rng.uniform(0.5, days)), world.now)

    if status != PetitionStatus.REGISTERED:
        petition.decided_at = later(received, 20)
    if status not in (PetitionStatus.REGISTERED, PetitionStatus.NOT_ACCEPTED):
        petition.assignment_id = world.take_id("petition_assignment")
    if status in (PetitionStatus.CLOSED, PetitionStatus.FEEDBACK_SUBMITTED):
        petition.answered_at = later(petition.decided_at, 50)
    if status == PetitionStatus.CLOSED:
        petition.closed_at = later(petition.answered_at, 15)
    return petition


@generator(Petition.__table__)
def petitions(world, batch):
    if not (world.petition_categories and world.petition_units and world.petition_office):
        return
    rng = world.rng
    for plan in batch:
        p = plan.petition = _plan_petition(world, plan)
        accept_due = p.received_at + ACCEPT_DAYS
        accepted = p.assignment_id is not None
        handle_due = p.decided_at + HANDLE_DAYS if accepted else None
        open_due = accept_due if p.decided_at is None else handle_due
        late = p.status not in ("closed", "not_accepted") and open_due and open_due < world.now
        yield {
            "id": p.id,
            "number": f"BXF-{p.id:08d}",
            "petitioner_name": "信访人",
            "petitioner_phone": f"139{p.id % 100000000:08d}",
            "channel": p.channel,
            "category_id": p.category_id,
            "content": "反映征地补偿问题",
            "facts": "反映征地补偿问题",
            "received_at": p.received_at,
            "registered_at": p.received_at,
            "registered_by_id": world.petition_office,
            "accept_due": accept_due,
            "accept_warn_at": accept_due - timedelta(days=1),
            "decision": None if p.decided_at is None else ("accept" if accepted else "not_accept"),
            "decided_at": p.decided_at,
            "decided_by_id": None if p.decided_at is None else world.petition_office,
            "accepted_at": p.decided_at if accepted else None,
            "handle_due": handle_due,
            "handle_warn_at": handle_due - timedelta(days=1) if handle_due else None,
            "due_provisional": False,
            "extension_days": 0,
            "status": p.status,
            "flag": Flag.OVERDUE.value if late else Flag.NORMAL.value,
            "result": "已答复" if p.closed_at else None,
            "satisfaction": rng.choice(LEVEL_VALUES) if p.closed_at else None,
            "closed_at": p.closed_at,
            "closed_by_id": world.petition_office if p.closed_at else None,
            "version": 1,
        }


@generator(PetitionAssignment.__table__)
def petition_assignments(world, batch):
    for plan in batch:
        p = plan.petition
        if p is None or p.assignment_id is None:
            continue
        yield {
            "id": p.assignment_id,
            "petition_id": p.id,
            "unit_id": p.unit_id,
            "lead": True,
            "assigned_at": p.decided_at,
            "assigned_by_id": world.petition_office,
            "due_at": p.decided_at + HANDLE_DAYS,
            "warn_at": p.decided_at + HANDLE_DAYS - timedelta(days=1),
            "status": "answered" if p.answered_at else "open",
            "flag": Flag.NORMAL.value,
            "answered_at": p.answered_at,
        }


@generator(PetitionFeedback.__table__)
def petition_feedback(world, batch):
    for plan in batch:
        p = plan.petition
        if p is None or p.answered_at is None:
            continue
        yield {
            "id": world.take_id("petition_feedback"),
            "petition_id": p.id,
            "assignment_id": p.assignment_id,
            "unit_id": p.unit_id,
            "lead": True,
            "text": "已调查处理",
            "submitted_at": p.answered_at,
            "submitted_by_id": world.petition_office,
        }


@generator(CaseRating.__table__)
def ratings(world, batch):
    """Half the released cases are rated on the portal (好差评)."""
    for plan in batch:
        if plan.status == CaseStatus.RELEASED and world.rng.random() < 0.5:
            yield {
                "case_id": plan.id,
                "level": world.rng.choice(LEVEL_VALUES),
                "comment": None,
                "rated_at": min(plan.finished_at + timedelta(days=1), world.now),
            }


def audit_events(world, batch):
    """The trail the engine would have written: receipt and every status change."""
    for plan in batch:
        yield _event(plan.received_at, actions.CREATE, plan, None, {"status": "received"})
        if plan.accepted_at:
            yield _event(plan.accepted_at, actions.TRANSITION, plan, "received", "in_progress")
        if plan.status.value not in ("received", "in_progress"):
            moment = plan.finished_at or plan.received_at
            yield _event(moment, actions.TRANSITION, plan, "in_progress", plan.status.value)


def _event(at, action, plan, before, after):
    return {
        "created_at": at,
        "user_id": None,
        "username": "bench",
        "ip": "127.0.0.1",
        "action": action,
        "target_type": "Case",
        "target_id": str(plan.id),
        "before": {"status": before} if isinstance(before, str) else before,
        "after": {"status": after} if isinstance(after, str) else after,
        "details": None,
    }


# ---------------------------------------------------------------- writing


def write_batch(connection, world, batch):
    for table, function in GENERATORS:
        rows = list(function(world, batch))
        if rows:
            connection.execute(table.insert(), rows)
    chain.append(connection, audit_events(world, batch))


def seed(connection, count, batch_size=2000, progress=None, now=None):
    """Add ``count`` cases (with everything that hangs off them) to the database behind
    ``connection``, one transaction per batch; returns the world (ids, clock) used."""
    world = load_world(connection, now=now)
    connection.commit()
    done = 0
    while done < count:
        size = min(batch_size, count - done)
        with connection.begin():
            write_batch(connection, world, plan_cases(world, size))
        done += size
        if progress:
            progress(size)
    with connection.begin():
        _advance_sequences(connection)
    return world


def _advance_sequences(connection):
    """Rows went in with explicit ids: PostgreSQL's sequences must move past them, or the
    console's next insert takes an id that exists."""
    if connection.dialect.name != "postgresql":
        return
    for table in ID_TABLES.values():
        highest = select(func.coalesce(func.max(table.c.id), 1)).scalar_subquery()
        sequence = func.pg_get_serial_sequence(f'"{table.name}"', "id")
        connection.execute(select(func.setval(sequence, highest)))
