"""Workflow template screens and API: templates made of stages made of steps, each
template page with its diagram and time analysis.

Every change runs through :mod:`app.workflow.versions` (a used template gets a
new version) and :func:`app.catalog.validation.template_problems`; a change that
breaks a rule is rolled back and its message shown.
"""

from flask import abort, current_app, flash, request
from flask_appbuilder import expose, has_access
from flask_appbuilder.api import protect, safe
from flask_appbuilder.fields import QuerySelectMultipleField
from flask_appbuilder.fieldwidgets import Select2ManyWidget
from flask_appbuilder.models.sqla.filters import FilterInFunction
from flask_appbuilder.models.sqla.interface import SQLAInterface
from flask_appbuilder.security.decorators import permission_name
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, StringField
from wtforms.validators import DataRequired, Optional

from app.catalog.validation import (
    CatalogError,
    raise_if,
    template_problems,
    used_template_problems,
)
from app.extensions import db
from app.models.org import Division
from app.models.user import BureauUser
from app.models.workflow import WorkflowStage, WorkflowStep, WorkflowTemplate
from app.security.permissions import MODEL_VIEW_METHODS, READ, REST_API_METHODS, WRITE, Resource
from app.views.base import EagerSQLAInterface, RuleCheckedApi, SunshineModelView
from app.views.labelled import vocabulary_select
from app.workflow import versions
from app.workflow.analysis import analyse
from app.workflow.diagram import render_svg
from app.workflow.documents import UnknownHandler, build_stages, template_document

LEADER_ROLE = "Leader"
WORKFLOW_LABELS = {
    "code": _l("Code"),
    "version": _l("Version"),
    "name": _l("Name"),
    "description": _l("Description"),
    "is_current": _l("Current version"),
    "created_on": _l("Created on"),
    "first_used_at": _l("First used at"),
    "template": _l("Workflow template"),
    "stage": _l("Stage"),
    "position": _l("No."),
    "mode": _l("Mode"),
    "kind": _l("Kind"),
    "division": _l("Handling unit"),
    "leader": _l("Leader in person"),
    "limit_days": _l("Limit (working days)"),
    "counts_toward_limit": _l("Counts toward the promised limit"),
    "steps": _l("Steps"),
}


def _kind_field():
    return vocabulary_select("step_kind", _l("Kind"), validators=[DataRequired()])


def _leaders():
    """Users holding the Leader role: the only people a step may name in person."""
    role = current_app.appbuilder.sm.role_model
    return (
        db.session.query(BureauUser)
        .filter(BureauUser.roles.any(role.name == LEADER_ROLE))
        .order_by(BureauUser.username)
    )


def _leaders_ids():
    return [user.id for user in _leaders()]


def _attach(collection, item):
    """Put a new stage or step into its parent's collection (SQLAlchemy 2 no longer
    cascades a backref into the session), so the rules see it."""
    if item not in collection:
        collection.append(item)


class VersionedEditView(SunshineModelView):
    """Edits a template or one of its parts through :mod:`app.workflow.versions`
    (a used template gets a new version), then checks the template's rules."""

    def _check(self, template):
        problems = template_problems(template)
        if problems:
            db.session.rollback()
            raise_if(problems)

    def pre_update(self, item):
        with db.session.no_autoflush:
            target = versions.fork_for_edit(item)
            self._check(versions.template_of(target))


class VersionedPartView(VersionedEditView):
    """Also adds and deletes stages and steps the same way."""

    def _delete(self, pk):
        item = self.datamodel.get(pk, self._base_filters)
        if not item:
            abort(404)
        try:
            with db.session.no_autoflush:
                template = versions.fork_for_delete(item)
                self._check(template)
            db.session.commit()
            flash(str(self.delete_row_message), "success")
        except CatalogError as error:
            db.session.rollback()
            flash(str(error), "danger")
        self.update_redirect()


class WorkflowStepView(VersionedPartView):
    datamodel = EagerSQLAInterface(WorkflowStep, eager=("division", "leader"))
    class_permission_name = Resource.WORKFLOW
    list_title = _l("Steps")
    show_title = _l("Step")
    add_title = _l("Add step")
    edit_title = _l("Edit step")
    vocabulary_columns = {"kind": "step_kind"}
    label_columns = WORKFLOW_LABELS
    list_columns = [
        "position",
        "name",
        "kind",
        "division",
        "leader",
        "limit_days",
        "counts_toward_limit",
    ]
    show_columns = ["stage", *list_columns]
    add_columns = show_columns
    edit_columns = list_columns
    search_columns = ["name", "kind", "division", "counts_toward_limit"]
    order_columns = ["position", "name", "limit_days"]
    base_order = ("position", "asc")
    add_form_query_rel_fields = {"leader": [["id", FilterInFunction, _leaders_ids]]}
    edit_form_query_rel_fields = add_form_query_rel_fields
    add_form_extra_fields = {"kind": _kind_field()}
    edit_form_extra_fields = add_form_extra_fields

    def pre_add(self, item):
        with db.session.no_autoflush:
            stage = item.stage
            forked = versions.fork_for_add(stage.template)
            if forked:
                stage = forked[1][stage]
            _attach(stage.steps, item)
            self._check(stage.template)


class WorkflowStageView(VersionedPartView):
    """A stage; adding one also adds its steps: one per chosen unit or leader."""

    datamodel = SQLAInterface(WorkflowStage)
    class_permission_name = Resource.WORKFLOW
    list_title = _l("Stages")
    show_title = _l("Stage")
    add_title = _l("Add stage")
    edit_title = _l("Edit stage")
    vocabulary_columns = {"mode": "stage_mode"}
    label_columns = {
        **WORKFLOW_LABELS,
        "step_units": _l("Handling units (one step each)"),
        "step_leaders": _l("Leaders in person (one step each)"),
        "step_name": _l("Step name"),
        "step_kind": _l("Step kind"),
        "step_limit_days": _l("Step limit (working days)"),
        "step_counted": _l("Steps count toward the promised limit"),
    }
    list_columns = ["position", "name", "mode"]
    show_columns = ["template", "position", "name", "mode"]
    add_columns = [
        "template",
        "position",
        "name",
        "mode",
        "step_units",
        "step_leaders",
        "step_name",
        "step_kind",
        "step_limit_days",
        "step_counted",
    ]
    edit_columns = ["position", "name", "mode"]
    search_columns = ["name", "mode"]
    order_columns = ["position", "name"]
    base_order = ("position", "asc")
    related_views = [WorkflowStepView]
    add_form_extra_fields = {
        "mode": vocabulary_select("stage_mode", _l("Mode"), validators=[DataRequired()]),
        "step_units": QuerySelectMultipleField(
            _l("Handling units (one step each)"),
            query_func=lambda: db.session.query(Division).order_by(Division.code),
            get_pk_func=lambda unit: str(unit.id),
            widget=Select2ManyWidget(),
            get_label="name",
        ),
        "step_leaders": QuerySelectMultipleField(
            _l("Leaders in person (one step each)"),
            query_func=_leaders,
            get_pk_func=lambda user: str(user.id),
            widget=Select2ManyWidget(),
            get_label=lambda user: f"{user.last_name}{user.first_name} ({user.username})",
        ),
        "step_name": StringField(_l("Step name"), validators=[Optional()]),
        "step_kind": _kind_field(),
        "step_limit_days": IntegerField(_l("Step limit (working days)"), default=1),
        "step_counted": BooleanField(_l("Steps count toward the promised limit"), default=True),
    }
    edit_form_extra_fields = {"mode": add_form_extra_fields["mode"]}

    def pre_add(self, item):
        with db.session.no_autoflush:
            template = item.template
            forked = versions.fork_for_add(template)
            if forked:
                template = forked[0]
            _attach(template.stages, item)
        handlers = [(unit, None) for unit in item.step_units or []]
        handlers += [(None, leader) for leader in item.step_leaders or []]
        item.steps = [
            WorkflowStep(
                position=position,
                name=item.step_name or item.name,
                kind=item.step_kind,
                division=unit,
                leader=leader,
                limit_days=item.step_limit_days,
                counts_toward_limit=bool(item.step_counted),
            )
            for position, (unit, leader) in enumerate(handlers, start=1)
        ]
        with db.session.no_autoflush:
            self._check(template)


class WorkflowTemplateView(VersionedEditView):
    datamodel = SQLAInterface(WorkflowTemplate)
    class_permission_name = Resource.WORKFLOW
    method_permission_name = {**MODEL_VIEW_METHODS}
    show_template = "workflow/template_show.html"
    list_title = _l("Workflow templates")
    show_title = _l("Workflow template")
    add_title = _l("Add workflow template")
    edit_title = _l("Edit workflow template")
    label_columns = WORKFLOW_LABELS
    list_columns = ["code", "version", "name", "is_current", "first_used_at"]
    show_columns = [
        "code",
        "version",
        "name",
        "description",
        "is_current",
        "created_on",
        "first_used_at",
    ]
    add_columns = ["code", "name", "description"]
    edit_columns = ["name", "description"]
    search_columns = ["code", "name", "is_current"]
    order_columns = ["code", "version", "name"]
    base_order = ("code", "asc")
    related_views = [WorkflowStageView]

    def pre_add(self, item):
        item.version, item.is_current = 1, True
        raise_if(template_problems(item))

    def pre_delete(self, item):
        raise_if(used_template_problems(item))

    @expose("/show/<pk>", methods=["GET"])
    @has_access
    def show(self, pk):
        widgets = self._show(pk)
        template = self.datamodel.get(pk, self._base_filters)
        return self.render_template(
            self.show_template,
            pk=pk,
            title=self.show_title,
            widgets=widgets,
            related_views=self._related_views,
            diagram=render_svg(template),
            analysis=analyse(template),
        )


class WorkflowApi(RuleCheckedApi):
    resource_name = "workflow"
    datamodel = SQLAInterface(WorkflowTemplate)
    class_permission_name = Resource.WORKFLOW
    method_permission_name = {
        **REST_API_METHODS,
        "analysis": READ,
        "document": READ,
        "put_stages": WRITE,
    }
    list_columns = ["id", "code", "version", "name", "is_current", "first_used_at"]
    show_columns = [*list_columns, "description", "created_on"]
    add_columns = ["code", "name", "description"]
    edit_columns = ["name", "description"]
    search_columns = ["code", "name", "is_current"]
    order_columns = ["code", "version", "name"]

    def pre_add(self, item):
        item.version, item.is_current = 1, True
        raise_if(template_problems(item))

    def pre_update(self, item):
        with db.session.no_autoflush:
            target = versions.fork_for_edit(item)
            raise_if(template_problems(versions.template_of(target)))

    def pre_delete(self, item):
        raise_if(used_template_problems(item))

    def _template_or_404(self, pk):
        return self.datamodel.get(pk, self._base_filters)

    @expose("/<int:pk>/analysis", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def analysis(self, pk):
        """Serial sum, critical path and days saved of a template, per stage.
        ---
        get:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          responses:
            200:
              description: The analysis
            404:
              $ref: '#/components/responses/404'
        """
        template = self._template_or_404(pk)
        if template is None:
            return self.response_404()
        return self.response(
            200,
            template={"id": template.id, "code": template.code, "version": template.version},
            **analyse(template).as_dict(),
        )

    @expose("/<int:pk>/document", methods=["GET"])
    @protect()
    @safe
    @permission_name("get")
    def document(self, pk):
        """The template with its stages and steps as one nested document.
        ---
        get:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          responses:
            200:
              description: The template document
            404:
              $ref: '#/components/responses/404'
        """
        template = self._template_or_404(pk)
        if template is None:
            return self.response_404()
        return self.response(200, result=template_document(template))

    @expose("/<int:pk>/stages", methods=["PUT"])
    @protect()
    @safe
    @permission_name("put")
    def put_stages(self, pk):
        """Replace the stages and steps of a template (a used template gets a new version).
        ---
        put:
          parameters:
          - in: path
            schema:
              type: integer
            name: pk
          requestBody:
            description: "{stages: [{name, mode, steps: [{name, handler, kind,
              limit_days, counts_toward_limit}]}]}; handler is a unit code or @username"
            required: true
            content:
              application/json:
                schema:
                  type: object
          responses:
            200:
              description: The template now current, as a document
            400:
              $ref: '#/components/responses/400'
            404:
              $ref: '#/components/responses/404'
        """
        template = self._template_or_404(pk)
        if template is None:
            return self.response_404()
        body = request.get_json(silent=True)
        if not isinstance(body, dict) or not isinstance(body.get("stages"), list):
            return self.response_400(message="expected a JSON object with a list of stages")
        try:
            stages = build_stages(body)
            target = versions.replace_stages(template, stages)
            raise_if(template_problems(target))
        except (CatalogError, UnknownHandler) as error:
            db.session.rollback()
            return self.response_400(message=str(error))
        except (KeyError, TypeError, AttributeError) as error:
            db.session.rollback()
            return self.response_400(message=f"malformed stage or step: {error}")
        db.session.commit()
        return self.response(200, result=template_document(target))
