"""The progress table (办理情况表): where each case of a page stands, in a constant number
of queries whatever the page size.

For the cases of one page, in one query: the stage reached of the template's total, the
open steps' units and handlers, the latest delay reason the reader may see
(:func:`app.security.scope.supervision_clause`); then the working days used and left,
counted on the transaction's calendar snapshot (one query, shared).
"""

from dataclasses import dataclass, field

from sqlalchemy import and_, func, literal, select, union_all
from sqlalchemy import case as sql_case
from sqlalchemy.orm import aliased

from app.extensions import db
from app.models.cases import Case, CaseStatus, Flag, Task, TaskStatus
from app.models.catalog import Matter
from app.models.org import Division
from app.models.supervision import SupervisionNotice
from app.models.user import BureauUser
from app.models.workflow import WorkflowStage
from app.security.scope import supervision_clause
from app.workflow import clock

# Cases the table lists: accepted (the promised clock runs or has run).
LISTED_STATUSES = (
    CaseStatus.IN_PROGRESS.value,
    CaseStatus.SUSPENDED.value,
    CaseStatus.APPROVED.value,
    CaseStatus.REJECTED.value,
    CaseStatus.RELEASED.value,
    CaseStatus.WITHDRAWN.value,
)
ACTIVE = (CaseStatus.IN_PROGRESS.value, CaseStatus.SUSPENDED.value)


@dataclass
class Progress:
    stage: int | None = None
    stages: int = 0
    units: list = field(default_factory=list)
    handlers: list = field(default_factory=list)
    days_used: int | None = None
    days_left: int | None = None
    delay_reason: str | None = None
    delay_text: str | None = None
    delayed: bool = False

    @property
    def stage_of(self):
        return f"{self.stage}/{self.stages}" if self.stage else None


def listed_clause(case=Case):
    return case.status.in_(LISTED_STATUSES)


def progress_of(cases, user, now=None):
    """{case id: Progress} for ``cases`` (a page), as ``user`` may see them: one query for
    the stages, open steps and delay reasons, one for the calendar (shared)."""
    now = now or clock.utcnow()
    if not cases:
        return {}
    facts = _page_facts([case.id for case in cases], user)
    calendar = clock.calendar_snapshot()
    result = {}
    for case in cases:
        row = facts.get(case.id) or Progress()
        active = case.status in ACTIVE
        row.stage = case.current_stage if active else (row.stages if case.finished_at else None)
        if case.accepted_at is not None:
            end = case.finished_at or now
            used = clock.working_days(case.accepted_at, end, calendar) - (case.paused_days or 0)
            row.days_used = max(used, 0)
            if active and case.promised_due_at is not None:
                row.days_left = clock.working_days(now, case.promised_due_at, calendar)
        late_finish = (
            case.finished_at is not None
            and case.promised_due_at is not None
            and case.finished_at > case.promised_due_at
        )
        row.delayed = case.flag == Flag.OVERDUE.value or late_finish or bool(row.delay_reason)
        result[case.id] = row
    return result


def _page_facts(case_ids, user):
    """{case id: Progress} with the template's number of stages, the open steps' units and
    handlers, and the latest delay reason of a notice the user sees: ONE query."""
    stages = (
        select(func.count(WorkflowStage.id))
        .where(WorkflowStage.template_id == Case.workflow_id)
        .correlate(Case)
        .scalar_subquery()
    )
    latest = (
        select(SupervisionNotice.id)
        .where(
            SupervisionNotice.case_id == Case.id,
            SupervisionNotice.delay_reason.isnot(None),
            supervision_clause(user),
        )
        .order_by(SupervisionNotice.responded_at.desc(), SupervisionNotice.id.desc())
        .limit(1)
        .correlate(Case)
        .scalar_subquery()
    )
    notice = aliased(SupervisionNotice)
    assignee = aliased(BureauUser)
    rows = db.session.execute(
        select(Case.id, stages, Division.name, assignee, notice.delay_reason, notice.response)
        .select_from(Case)
        .outerjoin(Task, and_(Task.case_id == Case.id, Task.status == TaskStatus.OPEN.value))
        .outerjoin(Division, Division.id == Task.division_id)
        .outerjoin(assignee, assignee.id == Task.assignee_id)
        .outerjoin(notice, notice.id == latest)
        .where(Case.id.in_(case_ids))
        .order_by(Case.id, Task.id)
    )
    found = {}
    for case_id, total, unit_name, person, reason, text in rows:
        row = found.setdefault(
            case_id, Progress(stages=total or 0, delay_reason=reason, delay_text=text)
        )
        if unit_name and unit_name not in row.units:
            row.units.append(unit_name)
        if person is not None and person not in row.handlers:
            row.handlers.append(person)
    return found


def filter_choices(unit_kinds):
    """The progress table's dropdowns in ONE query: ``{"matter": [(code, "code name")],
    "unit": [(code, name)]}``, matters with a workflow, active units of ``unit_kinds``."""
    kind_order = sql_case({kind: n for n, kind in enumerate(unit_kinds)}, value=Division.kind)
    matters = select(
        literal("matter").label("list"), Matter.code, Matter.name, literal(0).label("rank")
    ).where(Matter.workflow_id.isnot(None))
    units = select(
        literal("unit").label("list"), Division.code, Division.name, kind_order.label("rank")
    ).where(Division.active.is_(True), Division.kind.in_(unit_kinds))
    both = union_all(matters, units).subquery()
    rows = db.session.execute(
        select(both.c.list, both.c.code, both.c.name).order_by(
            both.c.list, both.c.rank, both.c.code
        )
    )
    choices = {"matter": [], "unit": []}
    for kind, code, name in rows:
        choices[kind].append((code, f"{code} {name}" if kind == "matter" else name))
    return choices
