"""Pages and REST API of petitions (信访件): thin, scoped, engine-driven.

Lists are FAB views under the petition scope (app/security/scope.py); every action posts
to an endpoint that calls app/petitions/engine.py (one transaction) and flashes the
outcome or answers JSON. Nothing here decides a status, a flag or a due date, and the
petitioner's identity leaves only for the petition office.
"""

from flask import abort, current_app, flash, g, make_response, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_appbuilder.api import safe
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name, protect
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from wtforms.validators import DataRequired

from app import audit
from app.extensions import db
from app.labels import iso_utc, label, labeller, local_time, yes_no
from app.models.cases import Case
from app.models.org import Division
from app.models.petitions import (
    AssignmentStatus,
    LinkKind,
    Petition,
    PetitionAttachment,
    PetitionCategory,
    PetitionLink,
)
from app.petitions import engine, intake, queues, repeats, timeline
from app.petitions.protection import shield
from app.security.permissions import (
    ACT,
    MODEL_VIEW_METHODS,
    READ,
    REST_API_METHODS,
    WRITE,
    Resource,
)
from app.security.scope import (
    PetitionScopeFilter,
    case_clause,
    current_user,
    may_see_petitioner,
    petition_clause,
)
from app.views.audit import AuditHistoryLinkMixin
from app.views.base import EagerSQLAInterface, SunshineModelRestApi, SunshineModelView
from app.views.case_api import EngineApiMixin, content_disposition, json_body
from app.views.org import CODE_RULE
from app.workflow.errors import BadInput, WorkflowError

PETITIONER_FIELDS = (
    "petitioner_name",
    "petitioner_phone",
    "petitioner_id_number",
    "petitioner_address",
)
REGISTRATION_FIELDS = (
    *PETITIONER_FIELDS,
    "channel",
    "category",
    "received_at",
    "content",
    "complaint_unit",
    "complaint_person",
    "case",
    "repeat_of",
)
FIELD_LABELS = {
    "number": _l("Petition number"),
    "petitioner_name": _l("Petitioner's name"),
    "petitioner_phone": _l("Phone"),
    "petitioner_id_number": _l("ID number"),
    "petitioner_address": _l("Address"),
    "channel": _l("Channel"),
    "category": _l("Category"),
    "received_at": _l("Received at"),
    "content": _l("Content"),
    "complaint_unit": _l("Complaint against unit"),
    "complaint_person": _l("Complaint against person"),
    "complaint_against": _l("Complaint against"),
    "case": _l("Licence case (receipt number)"),
    "repeat_of": _l("Repeat of petition (number)"),
    "evidence": _l("Evidence"),
    "status": _l("Status"),
    "flag": _l("Flag"),
    "is_repeat": _l("Repeat petition"),
    "is_complaint": _l("Report or complaint"),
    "accept_due": _l("Acceptance due"),
    "handle_due": _l("Handling due"),
    "registered_at": _l("Registered at"),
}
UPLOAD_FIELD = "file"


def _flag_mark(value, text):
    return str(text) if value else ""


# ---------------------------------------------------------------- categories (Admin)


CATEGORY_LABELS = {
    "code": _l("Code"),
    "name": _l("Name"),
    "name_en": _l("English name"),
    "position": _l("Order"),
    "active": _l("Active"),
}


class PetitionCategoryView(AuditHistoryLinkMixin, SunshineModelView):
    route_base = "/petitioncategories"
    datamodel = SQLAInterface(PetitionCategory)
    class_permission_name = Resource.PETITION_CATEGORY
    list_title = _l("Petition categories")
    show_title = _l("Petition category")
    add_title = _l("Add petition category")
    edit_title = _l("Edit petition category")
    label_columns = CATEGORY_LABELS
    list_columns = ["position", "code", "name", "name_en", "active"]
    show_columns = list_columns
    add_columns = ["code", "name", "name_en", "position", "active"]
    edit_columns = add_columns
    search_columns = ["code", "name", "active"]
    order_columns = ["position", "code", "name"]
    base_order = ("position", "asc")
    formatters_columns = {"active": yes_no}
    validators_columns = {"code": [DataRequired(), CODE_RULE], "name": [DataRequired()]}


class PetitionCategoryApi(SunshineModelRestApi):
    resource_name = "petitioncategory"
    datamodel = SQLAInterface(PetitionCategory)
    class_permission_name = Resource.PETITION_CATEGORY
    include_route_methods = {"get", "get_list", "info"}
    list_columns = ["id", "code", "name", "name_en", "position", "active"]
    show_columns = list_columns
    search_columns = ["code", "name", "active"]
    order_columns = ["position", "code", "name"]
    base_order = ("position", "asc")


# ---------------------------------------------------------------- pages


class PetitionView(SunshineModelView):
    """Petitions in the user's scope, the petition page where people act, registration."""

    route_base = "/petitions"
    datamodel = EagerSQLAInterface(Petition, eager=("category",))
    class_permission_name = Resource.PETITION
    method_permission_name = {
        **MODEL_VIEW_METHODS,
        "register": WRITE,
        "decide": ACT,
        "assign": ACT,
        "reassign": ACT,
        "feedback": ACT,
        "review": ACT,
        "close": ACT,
        "extend": ACT,
        "follow_up": ACT,
        "link": ACT,
        "attach": ACT,
        "notice": READ,
    }
    base_permissions = ["can_read", "can_write", "can_act"]
    include_route_methods = {
        "list",
        "show",
        "register",
        "decide",
        "assign",
        "reassign",
        "feedback",
        "review",
        "close",
        "extend",
        "follow_up",
        "link",
        "attach",
        "notice",
    }
    base_filters = [["id", PetitionScopeFilter, None]]
    list_title = _l("All petitions")
    label_columns = FIELD_LABELS
    list_columns = [
        "number",
        "category",
        "channel",
        "status",
        "flag",
        "is_repeat",
        "is_complaint",
        "received_at",
        "accept_due",
        "handle_due",
    ]
    show_columns = list_columns
    search_columns = ["number", "category", "channel", "status", "flag", "received_at"]
    order_columns = ["number", "received_at", "accept_due", "handle_due", "status", "flag"]
    base_order = ("id", "desc")
    # No add or edit routes: registration and every change go through the engine; the
    # computed columns must still be kept out of FAB's unused forms.
    add_exclude_columns = edit_exclude_columns = ["is_repeat", "is_complaint"]
    formatters_columns = {
        "channel": labeller("petition_channel"),
        "status": labeller("petition_status"),
        "flag": labeller("flag"),
        "is_repeat": lambda value: _flag_mark(value, _l("Repeat")),
        "is_complaint": lambda value: _flag_mark(value, _l("Report or complaint")),
        "received_at": local_time,
        "accept_due": local_time,
        "handle_due": local_time,
    }

    # -- the petition page

    def _scoped(self, pk):
        petition = db.session.scalar(
            select(Petition).where(Petition.id == pk, petition_clause(current_user()))
        )
        if petition is None:
            audit.mark_denied()
            abort(404)
        return petition

    @expose("/show/<int:pk>")
    @has_access
    def show(self, pk):
        petition = self._scoped(pk)
        user = current_user()
        office = may_see_petitioner(user)
        return self.render_template(
            "petitions/show.html",
            petition=petition,
            may=engine.may(user, petition),
            office=office,
            show=shield(petition, user),
            attachments=[a for a in petition.attachments if engine.may_read_attachment(user, a)],
            links=_visible_links(petition, user),
            candidates=repeats.candidates_of(petition) if office else [],
            events=timeline.events(petition, user),
            units=_assignable_units(petition),
            open_assignments=[
                a for a in petition.assignments if a.status == AssignmentStatus.OPEN.value
            ],
            extension_left=_extension_left(petition),
            title=petition.number,
        )

    @expose("/register", methods=["GET", "POST"])
    @has_access
    def register(self):
        errors, message, values = {}, None, {}
        if request.method == "POST":
            values = {name: (request.form.get(name) or "").strip() for name in REGISTRATION_FIELDS}
            try:
                petition = engine.register(
                    intake.parse_registration(_form_registration(values)),
                    g.user,
                    files=_evidence(),
                )
                found = repeats.candidates_of(petition)
                flash(_("Petition %(number)s registered.", number=petition.number), "success")
                if found:
                    flash(
                        _(
                            "%(n)d earlier petitions of the same person look alike: "
                            "see Possible repeats.",
                            n=len(found),
                        ),
                        "warning",
                    )
                return redirect(url_for("PetitionView.show", pk=petition.id))
            except intake.InvalidRegistration as error:
                errors, message = error.errors, error.message
            except WorkflowError as error:
                message = error.message
        return self.render_template(
            "petitions/register.html",
            values=values,
            errors=errors,
            message=message,
            labels=FIELD_LABELS,
            categories=db.session.scalars(
                select(PetitionCategory)
                .where(PetitionCategory.active.is_(True))
                .order_by(PetitionCategory.position, PetitionCategory.code)
            ).all(),
            units=_units(),
            title=_l("Register a petition"),
        )

    # -- actions: each one engine call, its outcome flashed

    def _act(self, pk, call, success):
        self._scoped(pk)
        try:
            call()
            flash(success, "success")
        except WorkflowError as error:
            flash(error.message, "danger")
        except HTTPException as error:  # a file beyond the size limit (413)
            flash(error.description, "danger")
        return redirect(url_for("PetitionView.show", pk=pk))

    @expose("/<int:pk>/decide", methods=["POST"])
    @has_access
    def decide(self, pk):
        form = request.form
        return self._act(
            pk,
            lambda: engine.decide(
                pk, g.user, form.get("decision"), form.get("reason"), form.get("transfer_to")
            ),
            _("Acceptance decided."),
        )

    @expose("/<int:pk>/assign", methods=["POST"])
    @has_access
    def assign(self, pk):
        form = request.form
        return self._act(
            pk,
            lambda: engine.assign(
                pk,
                g.user,
                form.get("unit"),
                lead=bool(form.get("lead")),
                due=form.get("due"),
                instructions=form.get("instructions"),
            ),
            _("Petition assigned."),
        )

    @expose("/<int:pk>/reassign", methods=["POST"])
    @has_access
    def reassign(self, pk):
        form = request.form
        return self._act(
            pk,
            lambda: engine.reassign(
                pk,
                g.user,
                form.get("from_unit"),
                form.get("unit"),
                form.get("reason"),
                due=form.get("due"),
                instructions=form.get("instructions"),
            ),
            _("Petition reassigned."),
        )

    @expose("/<int:pk>/feedback", methods=["POST"])
    @has_access
    def feedback(self, pk):
        return self._act(
            pk,
            lambda: engine.submit_feedback(
                pk, g.user, request.form.get("text"), files=_uploads(UPLOAD_FIELD)
            ),
            _("Answer sent to the petition office."),
        )

    @expose("/<int:pk>/review", methods=["POST"])
    @has_access
    def review(self, pk):
        form = request.form
        return self._act(
            pk,
            lambda: engine.review(
                pk, g.user, form.get("decision"), form.get("reason"), due=form.get("due")
            ),
            _("Review recorded."),
        )

    @expose("/<int:pk>/close", methods=["POST"])
    @has_access
    def close(self, pk):
        form = request.form
        return self._act(
            pk,
            lambda: engine.close(pk, g.user, form.get("result"), form.get("satisfaction")),
            _("Petition closed."),
        )

    @expose("/<int:pk>/extend", methods=["POST"])
    @has_access
    def extend(self, pk):
        form = request.form
        return self._act(
            pk,
            lambda: engine.extend(pk, g.user, form.get("days"), form.get("reason")),
            _("Handling limit extended; the petitioner is told by SMS."),
        )

    @expose("/<int:pk>/follow_up", methods=["POST"])
    @has_access
    def follow_up(self, pk):
        form = request.form
        return self._act(
            pk,
            lambda: engine.record_follow_up(
                pk, g.user, form.get("outcome"), form.get("satisfaction")
            ),
            _("Follow-up visit recorded."),
        )

    @expose("/<int:pk>/link", methods=["POST"])
    @has_access
    def link(self, pk):
        form = request.form
        if form.get("case"):
            return self._act(
                pk,
                lambda: engine.link_case(pk, g.user, form.get("case")),
                _("Linked to the case."),
            )
        return self._act(
            pk,
            lambda: engine.link_repeat(pk, g.user, form.get("repeat_of")),
            _("Linked as a repeat petition."),
        )

    @expose("/<int:pk>/attach", methods=["POST"])
    @has_access
    def attach(self, pk):
        def store():
            files = _uploads(UPLOAD_FIELD)
            if not files:
                raise BadInput(_("Choose a file."))
            for filename, data in files:
                engine.attach_evidence(
                    pk, g.user, filename, data, shared=bool(request.form.get("shared"))
                )

        return self._act(pk, store, _("Evidence added."))

    @expose("/<int:pk>/notice")
    @has_access
    def notice(self, pk):
        """The printable notice of the acceptance decision, addressed to the petitioner."""
        petition = self._scoped(pk)
        if not may_see_petitioner(current_user()):
            abort(403)
        if petition.decision is None:
            abort(404)
        return self.render_template(
            "petitions/notice.html", petition=petition, title=petition.number
        )


def _form_registration(values):
    """The form's fields as the API's JSON (blank fields left out)."""
    data = {name: value for name, value in values.items() if value}
    if "received_at" in data:
        data["received_at"] = data["received_at"].replace(" ", "T")
    return data


def _uploads(field):
    """Files of a multipart form, each read within the size limit: ``[(name, bytes)]``."""
    limit = current_app.config["UPLOAD_MAX_BYTES"]
    return [
        (upload.filename, upload.stream.read(limit + 1))
        for upload in request.files.getlist(field)
        if upload and upload.filename
    ]


def _evidence():
    """Evidence handed in at registration, shared with the units when the box is ticked."""
    shared = bool(request.form.get("share_evidence"))
    return [(name, data, shared) for name, data in _uploads("evidence")]


def _units():
    return db.session.scalars(
        select(Division)
        .where(
            Division.active.is_(True),
            Division.kind.in_([kind.value for kind in intake.ASSIGNABLE_KINDS]),
        )
        .order_by(Division.kind, Division.code)
    ).all()


def _assignable_units(petition):
    taken = {a.unit_id for a in engine.active_assignments(petition)}
    accused = {t.unit_id for t in petition.complaint_targets if t.unit_id}
    return [unit for unit in _units() if unit.id not in taken | accused]


def _extension_left(petition):
    return current_app.config["PETITION_EXTENSION_MAX_DAYS"] - petition.extension_days


def _visible_links(petition, user):
    """The petition's links the user may follow: earlier petitions in their petition
    scope, cases in their case scope (others are listed without a link)."""
    earlier_ids = [link.earlier_id for link in petition.links if link.earlier_id]
    case_ids = [link.case_id for link in petition.links if link.case_id]
    seen_petitions = set()
    if earlier_ids:
        seen_petitions = set(
            db.session.scalars(
                select(Petition.id).where(Petition.id.in_(earlier_ids), petition_clause(user))
            )
        )
    seen_cases = set()
    if case_ids:
        seen_cases = set(
            db.session.scalars(select(Case.id).where(Case.id.in_(case_ids), case_clause(user)))
        )
    return [
        {"link": link, "visible": link.earlier_id in seen_petitions or link.case_id in seen_cases}
        for link in petition.links
        if link.case_id or link.earlier_id in seen_petitions
    ]


class PetitionDeskView(BaseView):
    """One desk (信访工作台): the petition office's queues (to accept, to assign, awaiting review,
    overdue ...), or a unit's (to answer, assigned to us)."""

    route_base = "/petitions/desk"
    default_view = "desk"
    class_permission_name = Resource.PETITION
    method_permission_name = {"desk": READ}

    @expose("/")
    @has_access
    def desk(self):
        """The petition office's queues, or those of the user's own unit."""
        user = current_user()
        office = engine.is_office(user)
        sections = queues.office_queues(user) if office else queues.unit_queues(user)
        return self.render_template(
            "petitions/desk.html",
            sections=sections,
            office=office,
            due_of=lambda petition, section: queues.due_of(petition, section, user),
            title=_l("Petition desk") if office else _l("Our petitions"),
        )


def linked_petitions(case):
    """For the case page: the petitions about this case that the reader may see."""
    user = current_user()
    if user is None:
        return []
    return db.session.scalars(
        select(Petition)
        .join(PetitionLink, PetitionLink.petition_id == Petition.id)
        .where(
            PetitionLink.kind == LinkKind.CASE.value,
            PetitionLink.case_id == case.id,
            petition_clause(user),
        )
        .order_by(Petition.id)
    ).all()


# ---------------------------------------------------------------- REST API


PETITION_COLUMNS = [
    "id",
    "number",
    "status",
    "flag",
    "channel",
    "category.code",
    "category.name",
    "facts",
    "received_at",
    "registered_at",
    "accept_due",
    "decision",
    "decided_at",
    "accepted_at",
    "handle_due",
    "extension_days",
    "due_provisional",
    "satisfaction",
    "closed_at",
]
SHOW_COLUMNS = [*PETITION_COLUMNS, "decision_reason", "transfer_to", "result"]
MOMENTS = (
    "received_at",
    "registered_at",
    "accept_due",
    "decided_at",
    "accepted_at",
    "handle_due",
    "closed_at",
)
SHIELDED = ("decision_reason", "result")


class PetitionApi(EngineApiMixin, SunshineModelRestApi):
    """``/api/v1/petition/``: registration, the actions, the timeline, evidence."""

    resource_name = "petition"
    datamodel = SQLAInterface(Petition)
    class_permission_name = Resource.PETITION
    method_permission_name = {
        **REST_API_METHODS,
        "post": WRITE,
        "accept": ACT,
        "assign": ACT,
        "reassign": ACT,
        "feedback": ACT,
        "review": ACT,
        "close": ACT,
        "extend": ACT,
        "follow_up": ACT,
        "link": ACT,
        "repeats": READ,
        "timeline": READ,
        "attach": ACT,
        "attachment": READ,
    }
    include_route_methods = {
        "get",
        "get_list",
        "info",
        "post",
        "accept",
        "assign",
        "reassign",
        "feedback",
        "review",
        "close",
        "extend",
        "follow_up",
        "link",
        "repeats",
        "timeline",
        "attach",
        "attachment",
    }
    base_filters = [["id", PetitionScopeFilter, None]]
    # POST is registration through the engine and PUT does not exist; the computed
    # columns must still be kept out of FAB's unused schemas.
    add_exclude_columns = edit_exclude_columns = ["is_repeat", "is_complaint"]
    list_columns = PETITION_COLUMNS
    show_columns = SHOW_COLUMNS
    search_columns = ["number", "status", "flag", "channel", "category", "received_at"]
    order_columns = ["id", "number", "received_at", "accept_due", "handle_due", "status", "flag"]
    base_order = ("id", "desc")

    # -- reading

    def pre_get_list(self, data):
        marks = _marks(data["ids"])
        for pk, row in zip(data["ids"], data["result"], strict=True):
            _tidy(row, marks.get(pk))

    def pre_get(self, data):
        row = data["result"]
        petition = db.session.get(Petition, data["id"])
        _tidy(row, (petition.is_repeat, petition.is_complaint))
        user = current_user()
        if may_see_petitioner(user):
            row.update({name: getattr(petition, name) for name in PETITIONER_FIELDS})
            row["content"] = petition.content
        else:
            show = shield(petition, user)
            for name in SHIELDED:
                if name in row:
                    row[name] = show(row[name])
        row["complaint_against"] = [
            {"unit": t.unit.code if t.unit else None, "person": t.person}
            for t in petition.complaint_targets
        ]
        row["assignments"] = [
            {
                "unit": a.unit.code,
                "lead": a.lead,
                "status": a.status,
                "flag": a.flag,
                "due_at": iso_utc(a.due_at),
                "assigned_at": iso_utc(a.assigned_at),
                "answered_at": iso_utc(a.answered_at),
            }
            for a in petition.assignments
            if a.status != AssignmentStatus.WITHDRAWN.value or may_see_petitioner(user)
        ]

    def engine_response(self, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except WorkflowError as error:
            errors = getattr(error, "errors", None) or error.details.get("errors")
            if error.status == 400 and errors:
                return self.response(400, message=error.message, errors=_texts(errors))
            return self.response(error.status, message=error.message)
        except HTTPException as error:
            return self.response(error.code, message=error.description)

    def _scoped(self, pk):
        petition = self.datamodel.get(pk, self._base_filters)
        if petition is None:
            audit.mark_denied()
        return petition

    # -- registration

    @expose("/", methods=["POST"])
    @protect()
    @safe
    @permission_name("post")
    def post(self):
        """Register a petition: JSON, or a multipart form with ``evidence`` files."""
        return self.engine_response(self._register)

    def _register(self):
        files = []
        if request.mimetype == "multipart/form-data":
            body = {name: request.form.get(name) for name in REGISTRATION_FIELDS}
            body = {name: value for name, value in body.items() if value not in (None, "")}
            files = _evidence()
        else:
            body = json_body()
        petition = engine.register(intake.parse_registration(body), g.user, files=files)
        found = repeats.candidates_of(petition)
        return self.response(
            201,
            id=petition.id,
            result={**_summary(petition), "possible_repeats": [_candidate(c) for c in found]},
        )

    # -- actions

    def _action(self, pk, call):
        body = json_body()
        if self._scoped(pk) is None:
            return self.response_404()
        petition = call(body)
        petition = petition if isinstance(petition, Petition) else petition.petition
        return self.response(200, result=_summary(petition))

    @expose("/<int:pk>/accept", methods=["POST"])
    @protect()
    @safe
    @permission_name("accept")
    def accept(self, pk):
        """Decide acceptance: ``decision`` accept / not_accept / transfer, ``reason``,
        ``transfer_to`` (the competent authority of a transfer)."""
        return self.engine_response(
            self._action,
            pk,
            lambda body: engine.decide(
                pk, g.user, body.get("decision"), body.get("reason"), body.get("transfer_to")
            ),
        )

    @expose("/<int:pk>/assign", methods=["POST"])
    @protect()
    @safe
    @permission_name("assign")
    def assign(self, pk):
        """Assign (交办) to a unit: ``unit`` (code), ``lead``, ``due`` (date), ``instructions``."""
        return self.engine_response(
            self._action,
            pk,
            lambda body: engine.assign(
                pk,
                g.user,
                body.get("unit"),
                lead=body.get("lead"),
                due=body.get("due"),
                instructions=body.get("instructions"),
            ),
        )

    @expose("/<int:pk>/reassign", methods=["POST"])
    @protect()
    @safe
    @permission_name("reassign")
    def reassign(self, pk):
        """Replace a unit that has not answered: ``from_unit``, ``unit``, ``reason``, ``due``."""
        return self.engine_response(
            self._action,
            pk,
            lambda body: engine.reassign(
                pk,
                g.user,
                body.get("from_unit"),
                body.get("unit"),
                body.get("reason"),
                due=body.get("due"),
                instructions=body.get("instructions"),
            ),
        )

    @expose("/<int:pk>/feedback", methods=["POST"])
    @protect()
    @safe
    @permission_name("feedback")
    def feedback(self, pk):
        """The unit's answer: ``text`` (JSON), or a multipart form with ``text`` and files."""
        return self.engine_response(self._feedback, pk)

    def _feedback(self, pk):
        files = []
        if request.mimetype == "multipart/form-data":
            text = request.form.get("text")
            files = _uploads(UPLOAD_FIELD)
        else:
            text = json_body().get("text")
        if self._scoped(pk) is None:
            return self.response_404()
        feedback = engine.submit_feedback(pk, g.user, text, files=files)
        return self.response(200, result=_summary(feedback.petition))

    @expose("/<int:pk>/review", methods=["POST"])
    @protect()
    @safe
    @permission_name("review")
    def review(self, pk):
        """Review the lead unit's answer: ``decision`` accept / return, ``reason``, ``due``."""
        return self.engine_response(
            self._action,
            pk,
            lambda body: engine.review(
                pk, g.user, body.get("decision"), body.get("reason"), due=body.get("due")
            ),
        )

    @expose("/<int:pk>/close", methods=["POST"])
    @protect()
    @safe
    @permission_name("close")
    def close(self, pk):
        """Close: ``result`` and ``satisfaction`` (very_satisfied ... very_dissatisfied)."""
        return self.engine_response(
            self._action,
            pk,
            lambda body: engine.close(pk, g.user, body.get("result"), body.get("satisfaction")),
        )

    @expose("/<int:pk>/extend", methods=["POST"])
    @protect()
    @safe
    @permission_name("extend")
    def extend(self, pk):
        """The head of the petition office extends the handling limit: ``days``, ``reason``."""
        return self.engine_response(
            self._action,
            pk,
            lambda body: engine.extend(pk, g.user, body.get("days"), body.get("reason")),
        )

    @expose("/<int:pk>/follow_up", methods=["POST"])
    @protect()
    @safe
    @permission_name("follow_up")
    def follow_up(self, pk):
        """Record the follow-up visit (回访): ``outcome``, optional ``satisfaction``."""
        return self.engine_response(
            self._action,
            pk,
            lambda body: engine.record_follow_up(
                pk, g.user, body.get("outcome"), body.get("satisfaction")
            ),
        )

    @expose("/<int:pk>/link", methods=["POST"])
    @protect()
    @safe
    @permission_name("link")
    def link(self, pk):
        """Link as a repeat of an earlier petition (``repeat_of``: its number) or to the
        licence case it concerns (``case``: its receipt number)."""

        def call(body):
            if body.get("case") is not None:
                return engine.link_case(pk, g.user, body.get("case"))
            return engine.link_repeat(pk, g.user, body.get("repeat_of"))

        return self.engine_response(self._action, pk, call)

    @expose("/<int:pk>/repeats", methods=["GET"])
    @protect()
    @safe
    @permission_name("repeats")
    def repeats(self, pk):
        """Earlier petitions of the same person that look alike (the petition office)."""
        petition = self._scoped(pk)
        if petition is None:
            return self.response_404()
        if not may_see_petitioner(g.user):
            return self.response_403()
        return self.response(200, result=[_candidate(c) for c in repeats.candidates_of(petition)])

    @expose("/<int:pk>/timeline", methods=["GET"])
    @protect()
    @safe
    @permission_name("timeline")
    def timeline(self, pk):
        """Every step of the petition, oldest first."""
        petition = self._scoped(pk)
        if petition is None:
            return self.response_404()
        return self.response(
            200, result=timeline.as_json(timeline.events(petition, current_user()))
        )

    @expose("/<int:pk>/attachments", methods=["POST"])
    @protect()
    @safe
    @permission_name("attach")
    def attach(self, pk):
        """Add evidence (multipart ``file``; ``shared``: the handling units may read it)."""
        return self.engine_response(self._attach, pk)

    def _attach(self, pk):
        if self._scoped(pk) is None:
            return self.response_404()
        files = _uploads(UPLOAD_FIELD)
        if not files:
            raise BadInput(_("Send the file as multipart form field 'file'."))
        filename, data = files[0]
        item = engine.attach_evidence(
            pk, g.user, filename, data, shared=request.form.get("shared", False)
        )
        return self.response(
            201,
            id=item.id,
            result={
                "id": item.id,
                "name": item.original_name,
                "content_type": item.content_type,
                "size": item.size,
                "sha256": item.sha256,
                "shared": item.shared,
            },
        )

    @expose("/<int:pk>/attachments/<int:attachment_id>", methods=["GET"])
    @protect()
    @safe
    @permission_name("attachment")
    def attachment(self, pk, attachment_id):
        """Download a file of a petition in scope (evidence the office has not shared:
        the petition office only)."""
        petition = self._scoped(pk)
        if petition is None:
            return self.response_404()
        item = db.session.get(PetitionAttachment, attachment_id)
        if item is None or item.petition_id != pk or not engine.may_read_attachment(g.user, item):
            audit.mark_denied()
            return self.response_404()
        response = make_response(engine.read_attachment(item))
        response.headers["Content-Type"] = item.content_type
        name = shield(petition, g.user)(item.original_name)  # a name may say who wrote
        response.headers["Content-Disposition"] = content_disposition(name)
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


def _texts(errors):
    return {name: str(message) for name, message in errors.items()}


def _marks(ids):
    """(is_repeat, is_complaint) of each listed petition, in one statement."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Petition.id, Petition.is_repeat, Petition.is_complaint).where(Petition.id.in_(ids))
    )
    return {pk: (repeat, complaint) for pk, repeat, complaint in rows}


def _tidy(row, marks):
    """Rows carry the category code and name flat, moments in UTC with Z, and whether
    the petition is a repeat (重复件) or a report or complaint (检举控告)."""
    row["is_repeat"], row["is_complaint"] = marks or (False, False)
    category = row.pop("category", None) or {}
    row["category"] = category.get("code")
    row["category_name"] = category.get("name")
    for name in MOMENTS:
        if row.get(name) and not row[name].endswith("Z"):
            row[name] += "Z"


def _summary(petition):
    return {
        "id": petition.id,
        "number": petition.number,
        "status": petition.status,
        "status_label": label("petition_status", petition.status),
        "flag": petition.flag,
        "accept_due": iso_utc(petition.accept_due),
        "handle_due": iso_utc(petition.handle_due),
        "due_provisional": petition.due_provisional,
        "extension_days": petition.extension_days,
    }


def _candidate(candidate):
    petition = candidate.petition
    return {
        "id": petition.id,
        "number": petition.number,
        "category": petition.category.code,
        "status": petition.status,
        "received_at": iso_utc(petition.received_at),
        "same_id_number": candidate.same_id_number,
        "same_phone": candidate.same_phone,
        "same_category": candidate.same_category,
        "similarity": candidate.similarity,
    }
