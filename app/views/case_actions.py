"""The forms of the case page post here: every engine action a person takes in the console.

Each endpoint finds the record in the user's scope (otherwise 404, recorded as a denial),
calls the same function of app/workflow as the API, and goes back to the page with the
outcome as a message. The engine decides who may act: a user it refuses gets 403 (the
page never offered them the form); a request it cannot carry out now (400, 409) comes back
as a message on the page.
"""

from flask import abort, current_app, flash, g, redirect, request, url_for
from flask_appbuilder import BaseView, expose, has_access
from flask_babel import gettext as _

from app import audit, labels
from app.extensions import db
from app.models.cases import Case, Permit, Task
from app.models.user import BureauUser
from app.security.permissions import ACT, Resource, perm
from app.security.scope import case_clause, case_id_clause, current_user, task_clause
from app.workflow import attachments, engine, receipts
from app.workflow.errors import BadInput, Forbidden, NotFound, WorkflowError


def in_scope_or_404(model, pk, clause):
    """The row if the signed-in user may see it; else 404, recorded as a denied access."""
    row = db.session.query(model).filter(model.id == pk, clause).one_or_none()
    if row is None:
        audit.mark_denied()
        abort(404)
    return row


def carry_out(call, *args, done=None, field_names=None, **kwargs):
    """Run an engine action; say how it went. Returns True when it was done."""
    try:
        call(*args, **kwargs)
    except Forbidden as error:
        abort(403, description=error.message)
    except NotFound as error:
        audit.mark_denied()
        abort(404, description=error.message)
    except WorkflowError as error:
        flash(error.message, "danger")
        for name, message in (error.details.get("errors") or {}).items():
            flash(f"{(field_names or {}).get(name, name)}: {message}", "danger")
        return False
    if done:
        flash(done, "success")
    return True


def whole_number(name, label, required=True):
    """A form field as a positive whole number (the engine checks the range)."""
    raw = (request.form.get(name) or "").strip()
    if not raw and not required:
        return None
    if not raw.isdigit() or len(raw) > 6:
        raise BadInput(_("%(field)s must be a whole number of working days.", field=label))
    return int(raw)


def document_ids(name="materials"):
    return [int(value) for value in request.form.getlist(name) if value.isdigit()]


def uploaded(name):
    """(filename, bytes) of a file field, or None when no file was chosen. Reads at most
    one byte past the limit: the engine then refuses the size with a message."""
    upload = request.files.get(name)
    if upload is None or not upload.filename:
        return None
    return upload.filename, upload.stream.read(current_app.config["UPLOAD_MAX_BYTES"] + 1)


def scans_of(documents):
    """The scan chosen for each required document (``scan_<document id>`` fields)."""
    scans = []
    for document in documents:
        file = uploaded(f"scan_{document.id}")
        if file is not None:
            scans.append(attachments.Scan(document.id, *file))
    return scans


def scan_field_names(case):
    return {
        f"scan_{document.id}": _("Scan of %(name)s", name=document.name)
        for document in case.matter.required_documents
    }


def back_to_case(case_id):
    return redirect(url_for("CaseView.show", pk=case_id))


class CaseActionView(BaseView):
    """Acceptance at the window, the clock (suspend, resume, extend) and scans."""

    route_base = "/cases"
    class_permission_name = Resource.CASE
    base_permissions = [perm(ACT)]
    method_permission_name = dict.fromkeys(
        ("decide", "supplement", "suspend", "resume", "extend", "attach"), ACT
    )

    @staticmethod
    def _case(pk):
        return in_scope_or_404(Case, pk, case_clause(current_user()))

    @expose("/<int:pk>/decide", methods=["POST"])
    @has_access
    def decide(self, pk):
        """The window accepts, requests a supplement for or refuses a registered case."""
        self._case(pk)
        decision = request.form.get("decision")
        carry_out(
            receipts.decide,
            pk,
            g.user,
            decision,
            document_ids(),
            (request.form.get("reason") or "").strip() or None,
            done={
                "accept": _("The application is accepted."),
                "supplement": _("A supplement notice is recorded; print it for the applicant."),
                "refuse": _("The application is not accepted."),
            }.get(decision),
        )
        return back_to_case(pk)

    @expose("/<int:pk>/supplement", methods=["POST"])
    @has_access
    def supplement(self, pk):
        """The window records documents brought after a supplement notice, with scans."""
        case = self._case(pk)
        brought = document_ids()
        carry_out(
            receipts.record_supplement,
            pk,
            g.user,
            brought,
            scans_of(case.matter.required_documents),
            done=_("The documents brought are recorded."),
            field_names=scan_field_names(case),
        )
        return back_to_case(pk)

    @expose("/<int:pk>/suspend", methods=["POST"])
    @has_access
    def suspend(self, pk):
        self._case(pk)
        try:
            days = whole_number("expected_days", _("Expected length"), required=False)
        except BadInput as error:
            flash(error.message, "danger")
            return back_to_case(pk)
        carry_out(
            engine.suspend,
            pk,
            g.user,
            request.form.get("kind"),
            request.form.get("reason"),
            days,
            done=_("The case is suspended: its clock stops until it is resumed."),
        )
        return back_to_case(pk)

    @expose("/<int:pk>/resume", methods=["POST"])
    @has_access
    def resume(self, pk):
        self._case(pk)
        carry_out(
            engine.resume,
            pk,
            g.user,
            done=_("The case is resumed: its due dates moved by the working days suspended."),
        )
        return back_to_case(pk)

    @expose("/<int:pk>/extend", methods=["POST"])
    @has_access
    def extend(self, pk):
        self._case(pk)
        try:
            days = whole_number("days", _("Working days"))
        except BadInput as error:
            flash(error.message, "danger")
            return back_to_case(pk)
        carry_out(
            engine.extend,
            pk,
            g.user,
            days,
            request.form.get("reason"),
            done=_("The extension is approved: the promised due date moved."),
        )
        return back_to_case(pk)

    @expose("/<int:pk>/attach", methods=["POST"])
    @has_access
    def attach(self, pk):
        """A scan for the case (the window, or a handler of one of its open tasks)."""
        case = self._case(pk)
        file = uploaded("file")
        if file is None:
            flash(_("Choose a file to upload."), "danger")
            return back_to_case(pk)
        raw_material = request.form.get("material_id") or ""
        material_id = int(raw_material) if raw_material.isdigit() else None
        carry_out(
            attachments.attach,
            case.id,
            g.user,
            *file,
            material_id,
            done=_("The file %(name)s is attached.", name=attachments.display_name(file[0])),
        )
        return back_to_case(pk)


class TaskActionView(BaseView):
    """A division head gives a task to a colleague (from the case page or the queue)."""

    route_base = "/tasks"
    class_permission_name = Resource.TASK
    base_permissions = [perm(ACT)]
    method_permission_name = {"assign": ACT}

    @expose("/<int:pk>/assign", methods=["POST"])
    @has_access
    def assign(self, pk):
        task = in_scope_or_404(Task, pk, task_clause(current_user()))
        raw = request.form.get("assignee") or ""
        assignee = db.session.get(BureauUser, int(raw)) if raw.isdigit() else None
        carry_out(
            engine.reassign,
            pk,
            g.user,
            assignee,
            done=_(
                "%(step)s is given to %(person)s.",
                step=task.name,
                person=labels.person(assignee),
            ),
        )
        if request.form.get("back") == "queue":
            return redirect(url_for("DivisionQueueView.list"))
        return back_to_case(task.case_id)


class PermitActionView(BaseView):
    """A leader revokes a permit, with a reason (from the permit page or the case page)."""

    route_base = "/permits"
    class_permission_name = Resource.PERMIT
    base_permissions = [perm(ACT)]
    method_permission_name = {"revoke": ACT}

    @expose("/<int:pk>/revoke", methods=["POST"])
    @has_access
    def revoke(self, pk):
        permit = in_scope_or_404(Permit, pk, case_id_clause(current_user(), Permit.case_id))
        carry_out(
            engine.revoke_permit,
            pk,
            g.user,
            request.form.get("reason"),
            done=_("Permit %(number)s is revoked.", number=permit.number),
        )
        if request.form.get("back") == "permit":
            return redirect(url_for("PermitView.show", pk=pk))
        return back_to_case(permit.case_id)
