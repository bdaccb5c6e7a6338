"""Pages of the case engine: my tasks (待办), done (已办), a head's division queue, the case
list, the case page and permits.

Thin: lists are FAB ModelViews under the scope filters, with a filter bar of labels
(app/views/lists.py); the case page gathers what a reader may see and which forms the
signed-in user may use, both decided by app/security/scope.py and the rules of
app/workflow (the action endpoints are in app/views/case_actions.py).
"""

from dataclasses import dataclass, field
from itertools import groupby

from flask import abort, current_app, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import case as sql_case
from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from app import audit, labels
from app.extensions import db
from app.models.attachment import Attachment
from app.models.cases import (
    Case,
    Decision,
    Extension,
    Minutes,
    Opinion,
    Permit,
    SuspensionKind,
    Task,
    TaskStatus,
)
from app.models.catalog import Matter
from app.models.org import Division, DivisionKind
from app.models.workflow import StageMode, StepKind, WorkflowTemplate
from app.security.permissions import ACT, MODEL_VIEW_METHODS, READ, Resource, perm
from app.security.scope import (
    CaseScopeFilter,
    PermitScopeFilter,
    TaskScopeFilter,
    case_clause,
    current_user,
    may_see_applicant_contacts,
    opinion_clause,
    reads_every_opinion,
    sees_route,
    task_clause,
)
from app.views.audit import AuditHistoryLinkMixin
from app.views.base import EagerSQLAInterface, SunshineModelView
from app.views.case_actions import carry_out
from app.views.lists import (
    Checkbox,
    ClauseFilter,
    Dropdown,
    FilterBarMixin,
    LinkedListWidget,
    Search,
    vocabulary,
)
from app.workflow import attachments, engine, permits, receipts, worklists

TASK_LABELS = {
    "case": _l("Receipt number"),
    "case.matter": _l("Matter"),
    "case.applicant_name": _l("Applicant"),
    "name": _l("Step"),
    "division": _l("Unit"),
    "assignee": _l("Assignee"),
    "opened_at": _l("Opened"),
    "due_at": _l("Due"),
    "done_at": _l("Done"),
    "decision": _l("Decision"),
    "flag": _l("Flag"),
    "status": _l("Status"),
}

CASE_LABELS = {
    "receipt_no": _l("Receipt number"),
    "matter": _l("Matter"),
    "applicant_name": _l("Applicant"),
    "applicant_org": _l("Organisation"),
    "project_name": _l("Project name"),
    "status": _l("Status"),
    "flag": _l("Flag"),
    "has_overdue_task": _l("Overdue step"),
    "received_at": _l("Received"),
    "promised_due_at": _l("Promised due"),
    "statutory_due_at": _l("Statutory due"),
}


def matter_name(matter):
    return matter.name if matter is not None else labels.EMPTY


def flag_html(flag):
    return labels.html_label("flag", flag, labels.FLAG_STYLES) if flag else labels.EMPTY


def overdue_step_marker(has_overdue_task):
    """A red marker on a case with an overdue open task, whatever the case's own flag."""
    if not has_overdue_task:
        return labels.EMPTY
    return Markup('<span class="label label-danger overdue-step">{}</span>').format(
        _("Overdue step")
    )


def matter_choices():
    rows = db.session.execute(
        select(Matter.code, Matter.name).where(Matter.workflow_id.isnot(None)).order_by(Matter.code)
    )
    return [(code, f"{code} {name}") for code, name in rows]


CASE_UNIT_KINDS = (  # the units that work cases, in the order people know them
    DivisionKind.WINDOW.value,
    DivisionKind.DIVISION.value,
    DivisionKind.AGENCY.value,
    DivisionKind.EXTERNAL.value,
)


def unit_choices():
    kind_order = sql_case({kind: n for n, kind in enumerate(CASE_UNIT_KINDS)}, value=Division.kind)
    rows = db.session.execute(
        select(Division.code, Division.name)
        .where(Division.active.is_(True), Division.kind.in_(CASE_UNIT_KINDS))
        .order_by(kind_order, Division.code)
    )
    return [(code, name) for code, name in rows]


TASK_FORMATTERS = {
    "case": labels.text,
    "case.matter": matter_name,
    "case.applicant_name": labels.text,
    "name": labels.text,
    "division": labels.unit,
    "assignee": labels.person,
    "flag": flag_html,
    "status": labels.labeller("task_status"),
    "decision": labels.labeller("decision"),
    "opened_at": labels.local_time,
    "due_at": labels.local_time,
    "done_at": labels.local_time,
}


class _TaskListView(FilterBarMixin, SunshineModelView):
    datamodel = EagerSQLAInterface(Task, eager=("case.matter", "division", "assignee"))
    class_permission_name = Resource.TASK
    base_permissions = ["can_read"]
    list_widget = LinkedListWidget
    include_route_methods = {"list", "show"}
    label_columns = TASK_LABELS
    show_columns = [
        "case",
        "case.matter",
        "name",
        "division",
        "assignee",
        "opened_at",
        "due_at",
        "done_at",
        "decision",
        "flag",
        "status",
    ]
    search_columns = ["name", "flag", "due_at"]
    order_columns = ["opened_at", "due_at", "flag"]
    formatters_columns = TASK_FORMATTERS
    filter_bar = (
        Search("q", _l("Receipt number or applicant"), worklists.task_matching),
        Dropdown("flag", _l("Flag"), lambda code: Task.flag == code, vocabulary("flag")),
    )

    @expose("/show/<pk>")
    @has_access
    @permission_name("show")
    def show(self, pk):
        """A task is read on its case's page."""
        task = self.datamodel.get(pk, self._base_filters)
        if task is None:
            audit.mark_denied()
            abort(404)
        return redirect(url_for("CaseView.show", pk=task.case_id))


class MineFilter(ClauseFilter):
    """Open tasks the current user can complete (the engine's rule, as SQL)."""

    def apply(self, query, value):
        return query.filter(worklists.my_open_tasks(current_user()))


class DoneByMeFilter(ClauseFilter):
    def apply(self, query, value):
        user = current_user()
        return query.filter(Task.done_by_id == (user.id if user else None))


class DivisionQueueFilter(ClauseFilter):
    def apply(self, query, value):
        return query.filter(worklists.division_queue(current_user()))


class MyTasksView(_TaskListView):
    route_base = "/tasks/todo"
    list_title = _l("My tasks")
    method_permission_name = {**MODEL_VIEW_METHODS, "complete": ACT}
    base_permissions = ["can_read", "can_act"]
    include_route_methods = {"list", "show", "complete"}
    base_filters = [["id", TaskScopeFilter, None], ["id", MineFilter, None]]
    list_columns = ["case", "case.matter", "case.applicant_name", "name", "due_at", "flag"]
    base_order = ("due_at", "asc")

    @expose("/<int:task_id>/complete", methods=["POST"])
    @has_access
    @permission_name("complete")
    def complete(self, task_id):
        """Complete a task from the case page; the engine checks who may."""
        task = (
            db.session.query(Task)
            .filter(Task.id == task_id, task_clause(current_user()))
            .one_or_none()
        )
        if task is None:
            audit.mark_denied()
            abort(404)
        permit = None
        if task.kind == StepKind.DRAFT_PERMIT.value:
            permit = {k: request.form.get(f"permit_{k}") or None for k in permits.FIELD_LABELS}
        carry_out(
            engine.complete_task,
            task_id,
            g.user,
            request.form.get("decision"),
            request.form.get("opinion"),
            permit=permit,
            done=_("Task completed: %(name)s", name=task.name),
            field_names=permits.FIELD_LABELS,
        )
        return redirect(url_for("CaseView.show", pk=task.case_id))


class DoneTasksView(_TaskListView):
    route_base = "/tasks/done"
    list_title = _l("Done tasks")
    base_filters = [["id", TaskScopeFilter, None], ["id", DoneByMeFilter, None]]
    list_columns = ["case", "case.matter", "name", "done_at", "decision", "flag"]
    base_order = ("done_at", "desc")
    filter_bar = (_TaskListView.filter_bar[0],)


class DivisionQueueWidget(LinkedListWidget):
    template = "sunshine/widgets/queue_list.html"


class DivisionQueueView(_TaskListView):
    """A division head's queue: the division's open tasks nobody has been given yet,
    each with a form to give it to a colleague."""

    route_base = "/tasks/division"
    class_permission_name = Resource.DIVISION_QUEUE
    list_title = _l("Division queue")
    list_widget = DivisionQueueWidget
    base_filters = [["id", TaskScopeFilter, None], ["id", DivisionQueueFilter, None]]
    list_columns = ["case", "case.matter", "name", "opened_at", "due_at", "flag"]
    base_order = ("due_at", "asc")

    def _get_list_widget(self, filters, **kwargs):
        user = current_user()
        people = engine.colleagues(user.division_id) if user and user.division_id else []
        return super()._get_list_widget(filters, colleagues=people, **kwargs)


class CaseListWidget(LinkedListWidget):
    """Case rows, each with a link to its timeline."""

    template = "sunshine/widgets/case_list.html"


class CaseListInterface(EagerSQLAInterface):
    """Case rows carry ``has_overdue_task``: one query for the whole page."""

    def get_values(self, lst, list_columns):
        rows = list(super().get_values(lst, list_columns))
        if "has_overdue_task" in list_columns:
            late = worklists.with_overdue_task([case.id for case in lst])
            for case, row in zip(lst, rows, strict=True):
                row["has_overdue_task"] = case.id in late
        return rows


CASE_FORMATTERS = {
    "receipt_no": labels.text,
    "matter": matter_name,
    "applicant_name": labels.text,
    "status": labels.labeller("case_status"),
    "flag": flag_html,
    "has_overdue_task": overdue_step_marker,
    "received_at": labels.local_time,
    "promised_due_at": labels.local_time,
}


class CaseView(FilterBarMixin, SunshineModelView):
    """Cases in the user's scope, and the case page where people act."""

    route_base = "/cases"
    datamodel = CaseListInterface(Case, eager=("matter",))
    class_permission_name = Resource.CASE
    base_permissions = ["can_read"]
    base_filters = [["id", CaseScopeFilter, None]]
    include_route_methods = {"list", "show"}
    list_title = _l("Cases")
    list_widget = CaseListWidget
    label_columns = CASE_LABELS
    list_columns = [
        "receipt_no",
        "matter",
        "applicant_name",
        "status",
        "flag",
        "has_overdue_task",
        "received_at",
        "promised_due_at",
    ]
    show_columns = list_columns
    search_columns = ["receipt_no", "applicant_name", "status", "flag", "received_at"]
    order_columns = ["receipt_no", "received_at", "promised_due_at", "status", "flag"]
    base_order = ("received_at", "desc")
    formatters_columns = CASE_FORMATTERS
    filter_bar = (
        Search("q", _l("Receipt number, applicant or project"), worklists.case_matching),
        Dropdown(
            "status", _l("Status"), lambda code: Case.status == code, vocabulary("case_status")
        ),
        Dropdown("flag", _l("Flag"), lambda code: Case.flag == code, vocabulary("flag")),
        Dropdown("matter", _l("Matter"), worklists.case_of_matter, matter_choices),
        Dropdown("unit", _l("Unit"), worklists.case_with_unit, unit_choices),
        Checkbox("overdue_task", _l("Has an overdue step"), worklists.case_has_overdue_task),
    )

    @expose("/show/<int:pk>")
    @has_access
    def show(self, pk):
        user = current_user()
        case = (
            db.session.query(Case)
            .filter(Case.id == pk, case_clause(user))
            .options(*CASE_PAGE_LOADS)
            .one_or_none()
        )
        if case is None:
            audit.mark_denied()
            abort(404)
        return self.render_template(
            "sunshine/case_show.html", title=case.receipt_no, **case_page(case, user)
        )


# Many-to-one relations join their parent's statement; collections take one query each.
TASK_LOADS = (joinedload(Task.division), joinedload(Task.assignee), joinedload(Task.done_by))
CASE_PAGE_LOADS = (
    joinedload(Case.matter),
    joinedload(Case.workflow).selectinload(WorkflowTemplate.stages),
    joinedload(Case.received_by),
    selectinload(Case.tasks).options(*TASK_LOADS),
    selectinload(Case.materials),
    selectinload(Case.suspensions),
    selectinload(Case.extensions).selectinload(Extension.approved_by),
)


@dataclass
class StageRoute:
    """One stage of the case's route as every reader sees it."""

    position: int
    name: str
    mode: str
    tasks: list = field(default_factory=list)


def route_tasks(case, user):
    """The tasks of the case the user sees: the whole route (already loaded with the case)
    for every reader but an intermediary, who sees its own tasks (scope.task_clause)."""
    if sees_route(user):
        return sorted(case.tasks, key=lambda t: (t.stage_position, t.id))
    return (
        db.session.query(Task)
        .filter(Task.case_id == case.id, task_clause(user))
        .options(*TASK_LOADS)
        .order_by(Task.stage_position, Task.id)
        .all()
    )


def _step_done(tasks, **attributes):
    return any(
        t.status == TaskStatus.DONE.value and all(getattr(t, k) == v for k, v in attributes.items())
        for t in tasks
    )


def reads_permits():
    """Permits are shown to whoever may read them (an intermediary may not)."""
    return current_app.appbuilder.sm.has_access(perm(READ), Resource.PERMIT)


def case_permits(case, tasks):
    """Permits are drafted when a 制作批准文件 step is done: no such step, no query."""
    if not _step_done(tasks, kind=StepKind.DRAFT_PERMIT.value):
        return []
    return (
        db.session.query(Permit)
        .filter_by(case_id=case.id)
        .options(joinedload(Permit.signed_by), joinedload(Permit.revoked_by))
        .order_by(Permit.id)
        .all()
    )


def case_minutes(case, tasks):
    """Minutes are written when a countersign stage completes: none done, no query."""
    if not _step_done(tasks, stage_mode=StageMode.COUNTERSIGN.value):
        return []
    return (
        db.session.query(Minutes)
        .filter_by(case_id=case.id)
        .options(joinedload(Minutes.signed_by))
        .order_by(Minutes.stage_position)
        .all()
    )


def case_page(case, user):
    """Everything the case page shows ``user`` and the forms it offers them."""
    tasks = route_tasks(case, user)
    permits = case_permits(case, case.tasks) if reads_permits() else []
    assignable = [
        t for t in tasks if t.status == TaskStatus.OPEN.value and engine.may_reassign(t, user)
    ]
    return {
        "case": case,
        "route": route(case, tasks, user),
        "returns": return_reasons(tasks),
        "my_tasks": [
            t for t in tasks if t.status == TaskStatus.OPEN.value and engine.may_handle(t, user)
        ],
        "assignable": {t.id for t in assignable},
        "colleagues": engine.colleagues(user.division_id) if assignable else [],
        "opinions": db.session.query(Opinion)
        .filter(Opinion.case_id == case.id, opinion_clause(user))
        .options(joinedload(Opinion.author), joinedload(Opinion.division))
        .order_by(Opinion.id)
        .all(),
        "minutes": case_minutes(case, case.tasks) if reads_every_opinion(user) else [],
        "permits": permits,
        "revocable": {
            p.id for p in permits if engine.is_revocable(p) and engine.may_revoke(p, user)
        },
        "attachments": db.session.query(Attachment)
        .filter_by(case_id=case.id)
        .options(joinedload(Attachment.uploaded_by), joinedload(Attachment.material))
        .order_by(Attachment.id)
        .all(),
        "acceptance": receipts.acceptance_decisions(case, user),
        "steering": engine.steering_actions(case, user),
        "extension_days_left": engine.extension_days_left(case),
        "suspension_kinds": labels.choices(
            "suspension_kind",
            [k.value for k in SuspensionKind if k != SuspensionKind.UNCOUNTED_STEP],
        ),
        "may_attach": attachments.may_attach(case, user),
        "may_print_receipt": receipts.may_receive(user),
        "show_contacts": may_see_applicant_contacts(user),
        "draft_kind": StepKind.DRAFT_PERMIT.value,
    }


def route(case, tasks, user):
    """The case's stages in order, each with its tasks; an intermediary sees only the
    stages of its own tasks (scope.sees_route), everyone else every stage, reached or not."""
    by_stage = {
        position: list(group) for position, group in groupby(tasks, lambda t: t.stage_position)
    }
    stages = [
        StageRoute(stage.position, stage.name, stage.mode, by_stage.get(stage.position, []))
        for stage in case.workflow.stages
    ]
    if not sees_route(user):
        stages = [stage for stage in stages if stage.tasks]
    return stages


def return_reasons(tasks):
    """{task id: opinion} of the returns among ``tasks``: why a stage went back is part of
    the route every reader sees (other opinions follow opinion_clause)."""
    returned = [t.id for t in tasks if t.decision == Decision.RETURN.value]
    if not returned:
        return {}
    rows = db.session.query(Opinion).filter(
        Opinion.task_id.in_(returned), Opinion.decision == Decision.RETURN.value
    )
    return {opinion.task_id: opinion for opinion in rows}


PERMIT_FORMATTERS = {
    "number": labels.text,
    "kind": labels.labeller("permit_kind"),
    "holder": labels.text,
    "matter": matter_name,
    "parcel": labels.text,
    "area": labels.text,
    "conditions": labels.text,
    "status": labels.labeller("permit_status"),
    "issued_at": labels.local_time,
    "released_at": labels.local_time,
    "revoked_at": labels.local_time,
    "signed_by": labels.person,
    "revoked_by": labels.person,
    "valid_until": labels.local_date,
    "case": lambda case: (
        Markup('<a href="{}">{}</a>').format(url_for("CaseView.show", pk=case.id), case.receipt_no)
        if case is not None
        else labels.EMPTY
    ),
    "revocation_reason": labels.text,
}


class PermitView(AuditHistoryLinkMixin, FilterBarMixin, SunshineModelView):
    route_base = "/permits"
    datamodel = EagerSQLAInterface(Permit, eager=("matter",))
    class_permission_name = Resource.PERMIT
    base_permissions = ["can_read"]
    base_filters = [["id", PermitScopeFilter, None]]
    include_route_methods = {"list", "show"}
    list_title = _l("Permits")
    show_title = _l("Permit")
    list_widget = LinkedListWidget
    show_template = "sunshine/permit_show.html"
    label_columns = {
        "number": _l("Number"),
        "kind": _l("Kind"),
        "holder": _l("Holder"),
        "matter": _l("Matter"),
        "parcel": _l("Parcel"),
        "area": _l("Area (m²)"),
        "conditions": _l("Conditions"),
        "status": _l("Status"),
        "issued_at": _l("Issued"),
        "signed_by": _l("Signed by"),
        "released_at": _l("Released"),
        "valid_until": _l("Valid until"),
        "case": _l("Case"),
        "revoked_at": _l("Revoked"),
        "revoked_by": _l("Revoked by"),
        "revocation_reason": _l("Reason for revocation"),
    }
    list_columns = ["number", "kind", "holder", "matter", "status", "issued_at", "valid_until"]
    show_columns = [
        "number",
        "kind",
        "holder",
        "matter",
        "parcel",
        "area",
        "conditions",
        "status",
        "issued_at",
        "signed_by",
        "released_at",
        "valid_until",
        "case",
        "revoked_at",
        "revoked_by",
        "revocation_reason",
    ]
    search_columns = ["number", "holder", "status", "kind"]
    order_columns = ["number", "issued_at", "status"]
    base_order = ("id", "desc")
    formatters_columns = PERMIT_FORMATTERS
    filter_bar = (
        Search("q", _l("Number or holder"), worklists.permit_matching),
        Dropdown(
            "status", _l("Status"), lambda code: Permit.status == code, vocabulary("permit_status")
        ),
        Dropdown("kind", _l("Kind"), lambda code: Permit.kind == code, vocabulary("permit_kind")),
    )

    def _get_show_widget(self, pk, item, **kwargs):
        widgets = super()._get_show_widget(pk, item, **kwargs)
        user = current_user()
        widgets["may_revoke"] = engine.is_revocable(item) and engine.may_revoke(item, user)
        return widgets
