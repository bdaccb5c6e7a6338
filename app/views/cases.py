"""Pages of the case engine: my tasks (待办), done (已办), cases, the case page, permits.

Thin: lists are FAB ModelViews under the scope filters; every action posts to an
endpoint that calls app/workflow and flashes the outcome.
"""

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import expose, has_access
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.security.decorators import permission_name
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_
from sqlalchemy.orm import joinedload

from app.extensions import db
from app.labels import labeller, local_time
from app.models.cases import Case, Minutes, Opinion, Permit, Task, TaskStatus
from app.models.workflow import StepKind
from app.security.permissions import ACT, MODEL_VIEW_METHODS, Resource
from app.security.scope import (
    CaseScopeFilter,
    PermitScopeFilter,
    TaskScopeFilter,
    current_user,
    may_see_applicant_contacts,
    opinion_clause,
    reads_every_opinion,
    task_clause,
)
from app.views.base import EagerSQLAInterface, SunshineModelView
from app.workflow import engine
from app.workflow.errors import WorkflowError

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
    "received_at": _l("Received"),
    "promised_due_at": _l("Promised due"),
    "statutory_due_at": _l("Statutory due"),
}


class MyOpenTasksFilter(BaseFilter):
    """Open tasks the current user can complete: assigned to them, or unassigned in their unit."""

    name = "mine"
    arg_name = None

    def apply(self, query, value):
        user = current_user()
        if user is None:
            return query.filter(False)
        mine = or_(
            Task.assignee_id == user.id,
            and_(Task.assignee_id.is_(None), Task.division_id == user.division_id),
        )
        return query.filter(Task.status == TaskStatus.OPEN.value, mine)


class DoneByMeFilter(BaseFilter):
    name = "done by me"
    arg_name = None

    def apply(self, query, value):
        user = current_user()
        return query.filter(Task.done_by_id == (user.id if user else None))


class _TaskListView(SunshineModelView):
    datamodel = EagerSQLAInterface(Task, eager=("case.matter",))
    class_permission_name = Resource.TASK
    base_permissions = ["can_read"]
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
    formatters_columns = {
        "flag": labeller("flag"),
        "status": labeller("task_status"),
        "decision": labeller("decision"),
        "opened_at": local_time,
        "due_at": local_time,
        "done_at": local_time,
    }

    @expose("/show/<pk>")
    @has_access
    @permission_name("show")
    def show(self, pk):
        task = self.datamodel.get(pk, self._base_filters)
        if task is None:
            abort(404)
        return redirect(url_for("CaseView.show", pk=task.case_id))


class MyTasksView(_TaskListView):
    route_base = "/tasks/todo"
    list_title = _l("My tasks")
    method_permission_name = {**MODEL_VIEW_METHODS, "complete": ACT}
    base_permissions = ["can_read", "can_act"]
    base_filters = [["id", TaskScopeFilter, None], ["id", MyOpenTasksFilter, None]]
    list_columns = ["case", "case.matter", "name", "opened_at", "due_at", "flag"]
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
            abort(404)
        permit = None
        if task.kind == StepKind.DRAFT_PERMIT.value:
            fields = ("kind", "holder", "parcel", "conditions", "valid_until")
            permit = {k: request.form.get(f"permit_{k}") or None for k in fields}
            permit["kind"] = permit["kind"] or "approval"
        try:
            engine.complete_task(
                task_id,
                g.user,
                request.form.get("decision"),
                request.form.get("opinion"),
                permit=permit,
            )
            flash(_("Task completed: %(name)s", name=task.name), "success")
        except WorkflowError as error:
            flash(error.message, "danger")
        return redirect(url_for("CaseView.show", pk=task.case_id))


class DoneTasksView(_TaskListView):
    route_base = "/tasks/done"
    list_title = _l("Done tasks")
    base_filters = [["id", TaskScopeFilter, None], ["id", DoneByMeFilter, None]]
    list_columns = ["case", "case.matter", "name", "done_at", "decision", "flag"]
    base_order = ("done_at", "desc")


class CaseView(SunshineModelView):
    """Cases in the user's scope, and the case page where handlers act."""

    route_base = "/cases"
    datamodel = EagerSQLAInterface(Case, eager=("matter",))
    class_permission_name = Resource.CASE
    base_permissions = ["can_read"]
    base_filters = [["id", CaseScopeFilter, None]]
    list_title = _l("Cases")
    label_columns = CASE_LABELS
    list_columns = [
        "receipt_no",
        "matter",
        "applicant_name",
        "status",
        "flag",
        "received_at",
        "promised_due_at",
    ]
    show_columns = list_columns
    search_columns = ["receipt_no", "applicant_name", "status", "flag", "received_at"]
    order_columns = ["receipt_no", "received_at", "promised_due_at", "status", "flag"]
    base_order = ("received_at", "desc")
    formatters_columns = {
        "flag": labeller("flag"),
        "status": labeller("case_status"),
        "received_at": local_time,
        "promised_due_at": local_time,
    }

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        case = self.datamodel.get(pk, self._base_filters)
        if case is None:
            abort(404)
        user = current_user()
        visible_tasks = (
            db.session.query(Task)
            .filter(Task.case_id == case.id, task_clause(user))
            .options(joinedload(Task.division), joinedload(Task.assignee))
            .order_by(Task.id)
            .all()
        )
        return self.render_template(
            "sunshine/case_show.html",
            case=case,
            tasks=visible_tasks,
            my_tasks=[
                t
                for t in visible_tasks
                if t.status == TaskStatus.OPEN.value and engine.may_handle(t, user)
            ],
            opinions=db.session.query(Opinion)
            .filter(Opinion.case_id == case.id, opinion_clause(user))
            .options(joinedload(Opinion.author), joinedload(Opinion.division))
            .order_by(Opinion.id)
            .all(),
            minutes=db.session.query(Minutes).filter_by(case_id=case.id).all()
            if reads_every_opinion(user)
            else [],
            permits=db.session.query(Permit).filter_by(case_id=case.id).all(),
            show_contacts=may_see_applicant_contacts(user),
            draft_kind=StepKind.DRAFT_PERMIT.value,
            title=case.receipt_no,
        )


class PermitView(SunshineModelView):
    route_base = "/permits"
    datamodel = EagerSQLAInterface(Permit, eager=("matter", "case"))
    class_permission_name = Resource.PERMIT
    base_permissions = ["can_read"]
    base_filters = [["id", PermitScopeFilter, None]]
    list_title = _l("Permits")
    label_columns = {
        "number": _l("Number"),
        "kind": _l("Kind"),
        "holder": _l("Holder"),
        "matter": _l("Matter"),
        "parcel": _l("Parcel"),
        "status": _l("Status"),
        "issued_at": _l("Issued"),
        "valid_until": _l("Valid until"),
        "case": _l("Case"),
        "revocation_reason": _l("Reason for revocation"),
    }
    list_columns = ["number", "kind", "holder", "matter", "status", "issued_at", "valid_until"]
    show_columns = [
        "number",
        "kind",
        "holder",
        "matter",
        "parcel",
        "status",
        "issued_at",
        "valid_until",
        "case",
        "revocation_reason",
    ]
    search_columns = ["number", "holder", "status", "kind"]
    order_columns = ["number", "issued_at", "status"]
    base_order = ("id", "desc")
