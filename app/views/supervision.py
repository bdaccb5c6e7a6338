"""Pages and API of the supervision post: the overdue board, supervision notices,
extension requests and the cards table. Thin: each action calls app/supervision."""

from flask import abort, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import safe
from flask_appbuilder.models.filters import BaseFilter
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from app import audit
from app.extensions import db
from app.labels import EMPTY, labeller, local_date, local_time, person, text, unit
from app.models.cases import Case
from app.models.supervision import (
    ExtensionRequest,
    NoticeStatus,
    RequestStatus,
    SupervisionNotice,
    SupervisionRecipient,
)
from app.security.permissions import (
    ACT,
    MODEL_VIEW_METHODS,
    READ,
    REST_API_METHODS,
    WRITE,
    Resource,
)
from app.security.scope import (
    ExtensionRequestScopeFilter,
    SupervisionScopeFilter,
    case_clause,
    current_user,
    extension_request_clause,
    supervision_clause,
)
from app.supervision import board, cards, case_panel, extensions, notices
from app.views.base import EagerSQLAInterface, SunshineModelRestApi, SunshineModelView
from app.views.case_api import EngineApiMixin, json_body
from app.workflow.clock import utcnow
from app.workflow.errors import BadInput, WorkflowError

NOTICE_LABELS = {
    "id": _l("No."),
    "target_type": _l("Supervised"),
    "case": _l("Receipt number"),
    "task": _l("Step"),
    "division": _l("Unit"),
    "supervisor": _l("Issued by"),
    "message": _l("Message"),
    "created_at": _l("Supervised at"),
    "status": _l("Status"),
    "delay_reason": _l("Reason for the delay"),
    "response": _l("Answer"),
    "responded_by": _l("Answered by"),
    "responded_at": _l("Answered at"),
    "closed_at": _l("Closed"),
}


def _back(default):
    """Where a form returns: a path of this console only (never another host)."""
    target = request.form.get("next") or ""
    if target.startswith("/") and not target.startswith("//"):
        return target
    return default


# ---------------------------------------------------------------- the overdue board


class SupervisionBoardView(BaseView):
    route_base = "/supervision/board"
    default_view = "board"
    class_permission_name = Resource.SUPERVISION
    method_permission_name = {"board": READ, "supervise": WRITE}

    @expose("/")
    @has_access
    def board(self):
        filters = board.Filters.from_args(request.args)
        page = board.board(current_user(), filters)
        query = {k: v for k, v in request.args.items() if k != "page" and v}
        return self.render_template(
            "supervision/board.html",
            page=page,
            options=board.options(),
            may_supervise=notices.is_supervisor(g.user),
            query=query,
            page_url=lambda n: url_for(".board", **{**query, "page": n}),
            days_choices=board.DAYS_OVERDUE_CHOICES,
            kinds=board.kinds(),
            title=_l("Overdue board"),
        )

    @expose("/supervise", methods=["POST"])
    @has_access
    def supervise(self):
        """督办 the ticked rows with one message."""
        targets = []
        for value in request.form.getlist("target"):
            kind, _sep, target_id = value.partition(":")
            if target_id.isdigit() and kind in board.kinds():
                targets.append((kind, int(target_id)))
        try:
            issued = notices.issue(targets, g.user, request.form.get("message"))
            flash(_("%(n)d supervision notices issued.", n=len(issued)), "success")
        except WorkflowError as error:
            flash(error.message, "danger")
        return redirect(_back(url_for(".board")))


# ---------------------------------------------------------------- notices


class RemindedAndOpenFilter(BaseFilter):
    """Notices that reminded the signed-in user and still wait for an answer."""

    name = "to answer"
    arg_name = None

    def apply(self, query, value):
        user = current_user()
        reminded = exists(
            select(SupervisionRecipient.id).where(
                SupervisionRecipient.notice_id == SupervisionNotice.id,
                SupervisionRecipient.user_id == (user.id if user else None),
            )
        )
        return query.filter(reminded, SupervisionNotice.status == NoticeStatus.OPEN.value)


class SupervisionNoticeView(SunshineModelView):
    route_base = "/supervision/notices"
    datamodel = EagerSQLAInterface(
        SupervisionNotice, eager=("case", "task", "division", "supervisor", "responded_by")
    )
    class_permission_name = Resource.SUPERVISION
    method_permission_name = {**MODEL_VIEW_METHODS, "respond": ACT, "close": WRITE}
    base_permissions = ["can_read", "can_act", "can_write"]
    include_route_methods = {"list", "show", "respond", "close"}
    base_filters = [["id", SupervisionScopeFilter, None]]
    list_title = _l("Supervision notices")
    label_columns = NOTICE_LABELS
    list_columns = [
        "id",
        "case",
        "task",
        "division",
        "created_at",
        "status",
        "delay_reason",
        "responded_by",
        "responded_at",
    ]
    show_columns = list_columns
    search_columns = ["status", "delay_reason", "created_at"]
    order_columns = ["id", "created_at", "status", "responded_at"]
    base_order = ("created_at", "desc")
    formatters_columns = {
        "case": text,
        "task": lambda task: task.name if task is not None else EMPTY,
        "division": unit,
        "supervisor": person,
        "responded_by": person,
        "status": labeller("notice_status"),
        "delay_reason": labeller("delay_reason"),
        "created_at": local_time,
        "responded_at": local_time,
    }

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        notice = self.datamodel.get(pk, self._base_filters)
        if notice is None:
            audit.mark_denied()
            abort(404)
        return self.render_template(
            "supervision/notice_show.html",
            notice=notice,
            may_respond=notices.may_respond(notice, g.user)
            and notice.status == NoticeStatus.OPEN.value,
            may_close=notices.is_supervisor(g.user) and notice.status != NoticeStatus.CLOSED.value,
            age=notices.age_in_working_days(notice),
            title=_("Supervision notice #%(id)s", id=notice.id),
        )

    def _scoped(self, pk):
        notice = (
            db.session.query(SupervisionNotice)
            .filter(SupervisionNotice.id == pk, supervision_clause(current_user()))
            .one_or_none()
        )
        if notice is None:
            audit.mark_denied()
            abort(404)
        return notice

    @expose("/<int:pk>/respond", methods=["POST"])
    @has_access
    def respond(self, pk):
        self._scoped(pk)
        try:
            notices.respond(
                pk, g.user, request.form.get("delay_reason"), request.form.get("response")
            )
            flash(_("Your answer is recorded."), "success")
        except WorkflowError as error:
            flash(error.message, "danger")
        return redirect(_back(url_for(".show", pk=pk)))

    @expose("/<int:pk>/close", methods=["POST"])
    @has_access
    def close(self, pk):
        self._scoped(pk)
        try:
            notices.close(pk, g.user, request.form.get("note"))
            flash(_("The supervision notice is closed."), "success")
        except WorkflowError as error:
            flash(error.message, "danger")
        return redirect(_back(url_for(".show", pk=pk)))


class NoticesToAnswerView(SupervisionNoticeView):
    """The notices waiting for the signed-in user's answer (beside My tasks)."""

    route_base = "/supervision/to-answer"
    include_route_methods = {"list"}
    base_filters = [["id", SupervisionScopeFilter, None], ["id", RemindedAndOpenFilter, None]]
    list_title = _l("Supervision notices to answer")
    list_columns = ["id", "case", "task", "created_at", "supervisor"]
    show_columns = list_columns
    order_columns = ["id", "created_at"]
    search_columns = ["created_at"]
    base_order = ("created_at", "asc")


def iso_z(row, columns):
    """FAB writes naive datetimes; ours are UTC: say so (``...Z``)."""
    for column in columns:
        if row.get(column):
            row[column] = row[column] + "Z"


NOTICE_API_COLUMNS = [
    "id",
    "target_type",
    "target_id",
    "case_id",
    "task_id",
    "division.code",
    "supervisor.username",
    "message",
    "created_at",
    "status",
    "delay_reason",
    "response",
    "responded_by.username",
    "responded_at",
    "closed_at",
    "close_note",
]
NOTICE_API_MOMENTS = ("created_at", "responded_at", "closed_at")


class SupervisionApi(EngineApiMixin, SunshineModelRestApi):
    """``/api/v1/supervision/``: notices in the user's scope; answer and close."""

    resource_name = "supervision"
    datamodel = SQLAInterface(SupervisionNotice)
    class_permission_name = Resource.SUPERVISION
    method_permission_name = {**REST_API_METHODS, "respond": ACT, "close": WRITE}
    include_route_methods = {"get", "get_list", "info", "respond", "close"}
    base_filters = [["id", SupervisionScopeFilter, None]]
    list_columns = NOTICE_API_COLUMNS
    show_columns = NOTICE_API_COLUMNS
    search_columns = ["status", "delay_reason", "target_type", "case_id"]
    order_columns = ["id", "created_at", "status"]
    base_order = ("id", "desc")

    def pre_get(self, data):
        _flatten_notice(data["result"])

    def pre_get_list(self, data):
        for row in data["result"]:
            _flatten_notice(row)

    @expose("/<int:pk>/respond", methods=["POST"])
    @protect()
    @safe
    @permission_name("respond")
    def respond(self, pk):
        """Answer a notice that reminded you: ``delay_reason`` (a code) and ``response``
        (text; required with ``other``)."""
        return self.engine_response(self._respond, pk)

    def _respond(self, pk):
        body = json_body()
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        notice = notices.respond(pk, g.user, body.get("delay_reason"), body.get("response"))
        return self.response(200, result=notices.as_json(notice))

    @expose("/<int:pk>/close", methods=["POST"])
    @protect()
    @safe
    @permission_name("close")
    def close(self, pk):
        """The supervision post closes a notice: optional ``note``."""
        return self.engine_response(self._close, pk)

    def _close(self, pk):
        body = json_body() if request.data else {}
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        notice = notices.close(pk, g.user, body.get("note"))
        return self.response(200, result=notices.as_json(notice))

    def engine_response(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except BadInput as error:
            errors = error.details.get("errors")
            if errors:
                return self.response(400, message=error.message, errors=errors)
            return self.response(400, message=error.message)
        except WorkflowError as error:
            return self.response(error.status, message=error.message)


def _flatten_notice(row):
    for relation, key in (("division", "code"), ("supervisor", "username")):
        if relation in row:
            row[relation] = (row[relation] or {}).get(key)
    if "responded_by" in row:
        row["responded_by"] = (row["responded_by"] or {}).get("username")
    iso_z(row, NOTICE_API_MOMENTS)


# ---------------------------------------------------------------- extension requests


class ExtensionRequestView(SunshineModelView):
    route_base = "/supervision/extensions"
    datamodel = EagerSQLAInterface(
        ExtensionRequest, eager=("case", "division", "requested_by", "decided_by")
    )
    class_permission_name = Resource.EXTENSION_REQUEST
    method_permission_name = {**MODEL_VIEW_METHODS, "ask": ACT, "decide": WRITE}
    base_permissions = ["can_read", "can_act", "can_write"]
    include_route_methods = {"list", "show", "ask", "decide"}
    base_filters = [["id", ExtensionRequestScopeFilter, None]]
    list_title = _l("Extension requests")
    label_columns = {
        "case": _l("Receipt number"),
        "division": _l("Unit"),
        "days": _l("Working days asked"),
        "reason": _l("Reason"),
        "requested_by": _l("Requested by"),
        "requested_at": _l("Requested"),
        "status": _l("Status"),
        "decided_by": _l("Decided by"),
        "decided_at": _l("Decided"),
        "decision_note": _l("Note"),
    }
    list_columns = [
        "case",
        "division",
        "days",
        "reason",
        "requested_by",
        "requested_at",
        "status",
        "decided_by",
        "decided_at",
    ]
    show_columns = [*list_columns, "decision_note"]
    search_columns = ["status", "requested_at"]
    order_columns = ["requested_at", "status", "days"]
    base_order = ("requested_at", "desc")
    formatters_columns = {
        "case": text,
        "division": unit,
        "requested_by": person,
        "decided_by": person,
        "status": labeller("extension_request_status"),
        "requested_at": local_time,
        "decided_at": local_time,
    }

    @expose("/show/<pk>")
    @has_access
    def show(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            audit.mark_denied()
            abort(404)
        return self.render_template(
            "supervision/extension_show.html",
            item=item,
            may_decide=item.status == RequestStatus.PENDING.value
            and extensions.may_decide(item, g.user),
            title=_("Extension request for %(receipt)s", receipt=item.case.receipt_no),
        )

    @expose("/case/<int:case_id>", methods=["POST"])
    @has_access
    def ask(self, case_id):
        """A handler or head asks for more working days on a case in scope."""
        visible = db.session.query(Case.id).filter(Case.id == case_id, case_clause(g.user))
        if visible.scalar() is None:
            audit.mark_denied()
            abort(404)
        try:
            extensions.request_extension(
                case_id, g.user, request.form.get("days"), request.form.get("reason")
            )
            flash(_("Your extension request is sent to the leader."), "success")
        except WorkflowError as error:
            flash(error.message, "danger")
        return redirect(_back(url_for("CaseView.show", pk=case_id)))

    @expose("/<int:pk>/decide", methods=["POST"])
    @has_access
    def decide(self, pk):
        visible = db.session.query(ExtensionRequest.id).filter(
            ExtensionRequest.id == pk, extension_request_clause(g.user)
        )
        if visible.scalar() is None:
            audit.mark_denied()
            abort(404)
        approve = request.form.get("decision") == "approve"
        try:
            extensions.decide(pk, g.user, approve, request.form.get("note"))
            flash(
                _("Extension approved.") if approve else _("Extension refused."),
                "success",
            )
        except WorkflowError as error:
            flash(error.message, "danger")
        return redirect(_back(url_for(".show", pk=pk)))


# ---------------------------------------------------------------- cards table


class CardsView(BaseView):
    route_base = "/supervision/cards"
    default_view = "table"
    class_permission_name = Resource.CARDS
    method_permission_name = {"table": READ}

    @expose("/")
    @has_access
    def table(self):
        this_year = int(local_date(utcnow())[:4])
        year_arg = request.args.get("year", "")
        year = int(year_arg) if year_arg.isdigit() and 2000 <= int(year_arg) <= 2100 else this_year
        by = "quarter" if request.args.get("by") == "quarter" else "month"
        return self.render_template(
            "supervision/cards.html",
            rows=cards.card_table(year, by),
            year=year,
            years=range(this_year - 4, this_year + 1),
            by=by,
            title=_l("Supervision cards"),
        )


def register_supervision_views(appbuilder):
    from flask import current_app

    from app.supervision import panels  # noqa: F401 - registers the home page's panels

    area = {
        "category": "Supervision",
        "category_label": _l("Supervision"),
        "category_icon": "fa-bell",
    }
    appbuilder.add_view(
        SupervisionBoardView, "Overdue board", label=_l("Overdue board"), icon="fa-flag", **area
    )
    appbuilder.add_view(
        SupervisionNoticeView,
        "Supervision notices",
        label=_l("Supervision notices"),
        icon="fa-bullhorn",
        **area,
    )
    appbuilder.add_view(
        ExtensionRequestView,
        "Extension requests",
        label=_l("Extension requests"),
        icon="fa-clock-o",
        **area,
    )
    appbuilder.add_view(
        CardsView, "Supervision cards", label=_l("Supervision cards"), icon="fa-th", **area
    )
    appbuilder.add_view(
        NoticesToAnswerView,
        "Notices to answer",
        label=_l("Supervision notices to answer"),
        icon="fa-reply",
        category="Work",
    )
    appbuilder.add_api(SupervisionApi)
    current_app.add_template_global(
        lambda case: case_panel.for_user(case, current_user()), "supervision_panel"
    )
    current_app.add_template_global(notices.age_in_working_days, "notice_age")
