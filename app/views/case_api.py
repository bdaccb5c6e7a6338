"""REST API of cases, tasks, opinions and permits (DESIGN §9): thin, scoped, engine-driven.

Reads go through FAB's ModelRestApi with the scope filters of app/security/scope.py;
every write is a call into app/workflow (one transaction each). Nothing here can
set a status, stage, flag or due date.
"""

from urllib.parse import quote

from flask import current_app, g, make_response, request
from flask_appbuilder.api import expose, safe
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

from app import audit
from app.extensions import db
from app.models.attachment import Attachment
from app.models.cases import Case, Opinion, Permit, Task
from app.models.user import BureauUser
from app.security.permissions import ACT, READ, REST_API_METHODS, Resource
from app.security.request_guards import INTEGER_LIMIT, is_valid_pk
from app.security.scope import (
    CaseScopeFilter,
    OpinionScopeFilter,
    PermitScopeFilter,
    TaskScopeFilter,
    may_see_applicant_contacts,
)
from app.supervision import notices
from app.views.base import EagerSQLAInterface, SunshineModelRestApi
from app.workflow import attachments, engine, receipts
from app.workflow.errors import BadInput, WorkflowError
from app.workflow.timeline import case_timeline

APPLICANT_CONTACTS = ("applicant_id_number", "applicant_phone", "applicant_email")


def json_body():
    """The request's JSON object, or a 400 with a clear message."""
    if not request.is_json:
        raise BadInput(_("The request body must be JSON (Content-Type: application/json)."))
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise BadInput(_("The request body must be a JSON object."))
    return body


class EngineApiMixin:
    """For APIs whose writes are engine actions, not FAB's add/edit forms: workflow
    errors become JSON answers with their status, and ``_info`` lists no form fields
    (FAB would offer every related row as a choice, outside the user's scope)."""

    def _get_fields_info(self, cols, model_schema, filter_rel_fields, **kwargs):
        return []

    def engine_response(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except WorkflowError as error:
            errors = error.details.get("errors")
            extra = {"errors": errors} if errors else {}
            return self.response(error.status, message=error.message, **extra)
        except HTTPException as error:  # e.g. 413 from reading an oversize body
            return self.response(error.code, message=error.description)

    def scoped_or_404(self, pk):
        """The row if it is in the user's scope; otherwise None, recorded as denied."""
        item = self.datamodel.get(pk, self._base_filters)
        if item is None:
            audit.mark_denied()
        return item


CASE_COLUMNS = [
    "id",
    "receipt_no",
    "matter.code",
    "matter.name",
    "applicant_name",
    "applicant_org",
    "applicant_id_number",
    "applicant_phone",
    "applicant_email",
    "project_name",
    "project_location",
    "project_area",
    "status",
    "flag",
    "statutory_flag",
    "current_stage",
    "received_at",
    "accepted_at",
    "supplement_deadline_at",
    "promised_due_at",
    "statutory_due_at",
    "due_provisional",
    "extension_days",
    "paused_days",
    "missing_documents",
    "status_reason",
    "finished_at",
]


class CaseApi(EngineApiMixin, SunshineModelRestApi):
    resource_name = "case"
    datamodel = EagerSQLAInterface(Case)
    class_permission_name = Resource.CASE
    method_permission_name = {
        **REST_API_METHODS,
        "post": ACT,
        "decide": ACT,
        "supplement": ACT,
        "suspend": ACT,
        "resume": ACT,
        "extend": ACT,
        "timeline": READ,
        "attach": ACT,
        "attachment": READ,
        "supervise": READ,  # the supervision post reads cases; the notice checks the role
    }
    include_route_methods = {
        "get",
        "get_list",
        "info",
        "post",
        "decide",
        "supplement",
        "suspend",
        "resume",
        "extend",
        "timeline",
        "attach",
        "attachment",
        "supervise",
    }
    base_filters = [["id", CaseScopeFilter, None]]
    list_columns = CASE_COLUMNS
    show_columns = CASE_COLUMNS
    search_columns = ["receipt_no", "applicant_name", "status", "flag", "project_name"]
    order_columns = ["receipt_no", "received_at", "promised_due_at", "status", "flag"]
    base_order = ("id", "desc")

    def pre_get(self, data):
        self._hide_contacts([data["result"]])

    def pre_get_list(self, data):
        self._hide_contacts(data["result"])

    def _hide_contacts(self, rows):
        if may_see_applicant_contacts(g.user):
            return
        for row in rows:
            for column in APPLICANT_CONTACTS:
                row.pop(column, None)

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @permission_name("post")
    def post(self):
        """Receipt at the window: register an application and accept, request a
        supplement, refuse or register it."""
        return self.engine_response(self._receive)

    def _receive(self):
        application = receipts.parse_application(json_body())
        case = receipts.receive(application, g.user)
        return self.response(201, id=case.id, result=self._case_summary(case))

    @expose("/<int:pk>/decide", methods=["POST"])
    @protect()
    @safe
    @permission_name("decide")
    def decide(self, pk):
        """Accept, request a supplement or refuse a registered case."""
        return self.engine_response(self._decide, pk)

    def _decide(self, pk):
        body = json_body()
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        materials = body.get("materials", [])
        if not isinstance(materials, list) or not all(isinstance(m, int) for m in materials):
            raise BadInput(_("materials must be a list of required-document ids."))
        case = receipts.decide(pk, g.user, body.get("decision"), materials, body.get("reason"))
        return self.response(200, result=self._case_summary(case))

    @expose("/<int:pk>/supplement", methods=["POST"])
    @protect()
    @safe
    @permission_name("supplement")
    def supplement(self, pk):
        """Record documents brought after a supplement notice (``materials``: ids); the
        case is accepted from that day once nothing is missing."""
        return self.engine_response(self._supplement, pk)

    def _supplement(self, pk):
        body = json_body()
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        materials = body.get("materials")
        if not isinstance(materials, list) or not all(
            isinstance(m, int) and not isinstance(m, bool) for m in materials
        ):
            raise BadInput(_("materials must be a list of required-document ids."))
        case = receipts.record_supplement(pk, g.user, materials)
        return self.response(200, result=self._case_summary(case))

    @expose("/<int:pk>/suspend", methods=["POST"])
    @protect()
    @safe
    @permission_name("suspend")
    def suspend(self, pk):
        """Suspend the clock (special procedure): kind, reason, expected_days."""
        return self.engine_response(self._steer, pk, "suspend")

    @expose("/<int:pk>/resume", methods=["POST"])
    @protect()
    @safe
    @permission_name("resume")
    def resume(self, pk):
        """Resume a suspended case: its due dates move by the working days suspended."""
        return self.engine_response(self._steer, pk, "resume")

    @expose("/<int:pk>/extend", methods=["POST"])
    @protect()
    @safe
    @permission_name("extend")
    def extend(self, pk):
        """A leader approves an extension: days, reason."""
        return self.engine_response(self._steer, pk, "extend")

    def _steer(self, pk, what):
        body = json_body() if what != "resume" else {}
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        if what == "suspend":
            case = engine.suspend(
                pk, g.user, body.get("kind"), body.get("reason"), body.get("expected_days")
            )
        elif what == "resume":
            case = engine.resume(pk, g.user)
        else:
            case = engine.extend(pk, g.user, body.get("days"), body.get("reason"))
        return self.response(200, result=self._case_summary(case))

    @expose("/<int:pk>/supervise", methods=["POST"])
    @protect()
    @safe
    @permission_name("supervise")
    def supervise(self, pk):
        """The supervision post issues a supervision notice (督办): ``message``, and
        ``task_id`` to chase one open task of the case rather than the whole case."""
        return self.engine_response(self._supervise, pk)

    def _supervise(self, pk):
        body = json_body()
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        task_id = body.get("task_id")
        if task_id is not None and (
            not is_valid_pk(task_id, INTEGER_LIMIT)
            or isinstance(task_id, bool)
            or db.session.query(Task.case_id).filter_by(id=task_id).scalar() != pk
        ):
            raise BadInput(_("task_id must be the id of a task of this case."))
        target = ("task", task_id) if task_id is not None else ("case", pk)
        [notice] = notices.issue([target], g.user, body.get("message"))
        return self.response(201, id=notice.id, result=notices.as_json(notice))

    @expose("/<int:pk>/timeline", methods=["GET"])
    @protect()
    @safe
    @permission_name("timeline")
    def timeline(self, pk):
        """Everything that happened to the case, oldest first, with due-date explanations."""
        case = self.scoped_or_404(pk)
        if case is None:
            return self.response_404()
        return self.response(200, result=case_timeline(case, g.user))

    @expose("/<int:pk>/attachments", methods=["POST"])
    @protect()
    @safe
    @permission_name("attach")
    def attach(self, pk):
        """Attach a scan (multipart field ``file``; optional ``material_id``): PDF, JPEG,
        PNG or OFD, checked from the content, within the size limit."""
        return self.engine_response(self._attach, pk)

    def _attach(self, pk):
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        upload = request.files.get("file")
        if upload is None:
            raise BadInput(_("Send the file as multipart form field 'file'."))
        material_id = request.form.get("material_id")
        if material_id is not None and not is_valid_pk(material_id, INTEGER_LIMIT):
            raise BadInput(_("material_id must be a number."))
        limit = current_app.config["UPLOAD_MAX_BYTES"]
        data = upload.stream.read(limit + 1)
        attachment = attachments.attach(
            pk, g.user, upload.filename, data, int(material_id) if material_id else None
        )
        return self.response(201, id=attachment.id, result=_attachment_summary(attachment))

    @expose("/<int:pk>/attachments/<int:attachment_id>", methods=["GET"])
    @protect()
    @safe
    @permission_name("attachment")
    def attachment(self, pk, attachment_id):
        """Download an attachment of a case in the user's scope."""
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        item = db.session.get(Attachment, attachment_id)
        if item is None or item.case_id != pk:
            return self.response_404()
        response = make_response(attachments.read(item))
        response.headers["Content-Type"] = item.content_type
        response.headers["Content-Disposition"] = content_disposition(item.original_name)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response

    @staticmethod
    def _case_summary(case):
        def iso(moment):
            return moment.isoformat() + "Z" if moment else None

        return {
            "id": case.id,
            "receipt_no": case.receipt_no,
            "query_code": case.query_code,
            "status": case.status,
            "current_stage": case.current_stage,
            "received_at": iso(case.received_at),
            "accepted_at": iso(case.accepted_at),
            "supplement_deadline_at": iso(case.supplement_deadline_at),
            "promised_due_at": iso(case.promised_due_at),
            "statutory_due_at": iso(case.statutory_due_at),
            "due_provisional": case.due_provisional,
            "missing_documents": case.missing_documents.split("\n")
            if case.missing_documents
            else [],
        }


TASK_COLUMNS = [
    "id",
    "case_id",
    "name",
    "kind",
    "stage_position",
    "stage_mode",
    "division.code",
    "assignee.username",
    "status",
    "decision",
    "opened_at",
    "due_at",
    "done_at",
    "flag",
    "limit_days",
    "counts_toward_limit",
]


class TaskApi(EngineApiMixin, SunshineModelRestApi):
    resource_name = "task"
    datamodel = EagerSQLAInterface(Task)
    class_permission_name = Resource.TASK
    method_permission_name = {**REST_API_METHODS, "complete": ACT, "assign": ACT}
    include_route_methods = {"get", "get_list", "info", "complete", "assign"}
    base_filters = [["id", TaskScopeFilter, None]]
    list_columns = TASK_COLUMNS
    show_columns = TASK_COLUMNS
    search_columns = ["case_id", "status", "flag", "kind", "division"]
    order_columns = ["id", "due_at", "opened_at", "status", "flag"]
    base_order = ("id", "asc")

    def pre_get(self, data):
        _flatten_task(data["result"])

    def pre_get_list(self, data):
        for row in data["result"]:
            _flatten_task(row)

    @expose("/<int:pk>/complete", methods=["POST"])
    @protect()
    @safe
    @permission_name("complete")
    def complete(self, pk):
        """Complete an open task: decision (approve, disagree, return, reject), opinion,
        and for a 制作批准文件 step the permit fields."""
        return self.engine_response(self._complete, pk)

    def _complete(self, pk):
        body = json_body()
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        permit = body.get("permit")
        if permit is not None and not isinstance(permit, dict):
            raise BadInput(_("permit must be an object."))
        task = engine.complete_task(
            pk, g.user, body.get("decision"), body.get("opinion"), permit=permit
        )
        return self.response(
            200, result={"id": task.id, "status": task.status, "case_status": task.case.status}
        )

    @expose("/<int:pk>/assign", methods=["POST"])
    @protect()
    @safe
    @permission_name("assign")
    def assign(self, pk):
        """A division head assigns an open task to a colleague: username."""
        return self.engine_response(self._assign, pk)

    def _assign(self, pk):
        body = json_body()
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        username = body.get("username")
        if not isinstance(username, str):
            raise BadInput(_("username is required."))
        assignee = db.session.query(BureauUser).filter_by(username=username).one_or_none()
        task = engine.reassign(pk, g.user, assignee)
        return self.response(200, result={"id": task.id, "assignee": username})


def _attachment_summary(item):
    return {
        "id": item.id,
        "name": item.original_name,
        "content_type": item.content_type,
        "size": item.size,
        "sha256": item.sha256,
    }


def content_disposition(name):
    """``attachment`` with an ASCII fallback and the UTF-8 name (RFC 6266)."""
    fallback = name.encode("ascii", "replace").decode().replace("?", "_")
    return f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(name)}"


def _flatten_task(row):
    """Rows carry the division code and assignee username as plain values."""
    if "division" in row:
        row["division"] = (row["division"] or {}).get("code")
    if "assignee" in row:
        row["assignee"] = (row["assignee"] or {}).get("username")


OPINION_COLUMNS = [
    "id",
    "case_id",
    "task_id",
    "author.username",
    "division.code",
    "stage_kind",
    "decision",
    "text",
    "signed_at",
]


class OpinionApi(EngineApiMixin, SunshineModelRestApi):
    resource_name = "opinion"
    datamodel = EagerSQLAInterface(Opinion)
    class_permission_name = Resource.OPINION
    include_route_methods = {"get", "get_list", "info"}
    base_filters = [["id", OpinionScopeFilter, None]]
    list_columns = OPINION_COLUMNS
    show_columns = OPINION_COLUMNS
    search_columns = ["case_id", "decision", "stage_kind"]
    order_columns = ["id", "signed_at"]
    base_order = ("id", "asc")


PERMIT_COLUMNS = [
    "id",
    "number",
    "kind",
    "case_id",
    "matter.code",
    "holder",
    "parcel",
    "area",
    "conditions",
    "valid_until",
    "status",
    "drafted_at",
    "issued_at",
    "signed_by.username",
    "released_at",
    "revoked_at",
    "revocation_reason",
]


class PermitApi(EngineApiMixin, SunshineModelRestApi):
    resource_name = "permit"
    datamodel = EagerSQLAInterface(Permit)
    class_permission_name = Resource.PERMIT
    method_permission_name = {**REST_API_METHODS, "revoke": ACT}
    include_route_methods = {"get", "get_list", "info", "revoke"}
    base_filters = [["id", PermitScopeFilter, None]]
    list_columns = PERMIT_COLUMNS
    show_columns = PERMIT_COLUMNS
    search_columns = ["number", "holder", "status", "kind"]
    order_columns = ["id", "number", "issued_at", "status"]
    base_order = ("id", "desc")

    @expose("/<int:pk>/revoke", methods=["POST"])
    @protect()
    @safe
    @permission_name("revoke")
    def revoke(self, pk):
        """A leader revokes an issued permit: reason."""
        return self.engine_response(self._revoke, pk)

    def _revoke(self, pk):
        body = json_body()
        if self.scoped_or_404(pk) is None:
            return self.response_404()
        permit = engine.revoke_permit(pk, g.user, body.get("reason"))
        return self.response(200, result={"id": permit.id, "status": permit.status})
