"""Versions of a workflow template.

A case runs on the exact template version it started with. Once a version has
been used (``first_used_at`` is set by the case engine), an edit must not change
it: the edit goes to a new version with the same code and ``version + 1``, which
becomes current, and the matters pointing at the old version move to the new one.
A template no case has used is edited in place.
"""

from datetime import UTC, datetime

from sqlalchemy import func, inspect

from app.extensions import db
from app.models.catalog import Matter
from app.models.workflow import WorkflowStage, WorkflowStep, WorkflowTemplate

STAGE_FIELDS = ("position", "name", "mode")
STEP_FIELDS = (
    "position",
    "name",
    "kind",
    "division",
    "leader",
    "limit_days",
    "counts_toward_limit",
)


def is_used(template):
    return template.first_used_at is not None


def template_of(obj):
    """The template a template, stage or step belongs to."""
    if isinstance(obj, WorkflowStep):
        return obj.stage.template
    if isinstance(obj, WorkflowStage):
        return obj.template
    return obj


def new_version(template, *, skip=()):
    """Copy ``template`` (its in-memory state, unsaved edits included) to a new
    current version, re-point its matters, and return ``(new, copies)`` where
    ``copies`` maps each old stage/step to its copy. Objects in ``skip`` and
    objects not yet saved are left out of the copy."""
    with db.session.no_autoflush:
        latest = (
            db.session.query(func.max(WorkflowTemplate.version))
            .filter(WorkflowTemplate.code == template.code)
            .scalar()
        )
        copy = WorkflowTemplate(
            code=template.code,
            version=(latest or template.version) + 1,
            name=template.name,
            description=template.description,
            is_current=True,
            created_on=datetime.now(UTC).replace(tzinfo=None),
        )
        copies = {}
        for stage in _saved(template.stages, skip):
            stage_copy = WorkflowStage(**{f: getattr(stage, f) for f in STAGE_FIELDS})
            copies[stage] = stage_copy
            stage_copy.steps = []
            for step in _saved(stage.steps, skip):
                step_copy = WorkflowStep(**{f: getattr(step, f) for f in STEP_FIELDS})
                copies[step] = step_copy
                stage_copy.steps.append(step_copy)
            copy.stages.append(stage_copy)
        db.session.add(copy)
        for matter in db.session.query(Matter).filter(Matter.workflow_id == template.id):
            matter.workflow = copy
    return copy, copies


def _saved(objects, skip):
    return [obj for obj in objects if obj not in skip and inspect(obj).persistent]


def keep_original(template):
    """Discard unsaved edits on a used version and its parts, then mark it not current."""
    for obj in [template, *template.stages, *[s for st in template.stages for s in st.steps]]:
        if inspect(obj).persistent and obj in db.session.dirty:
            db.session.refresh(obj)
    template.is_current = False


def fork_for_edit(obj):
    """Before saving an edit of ``obj`` (a template, stage or step with its new values
    already set): when its template is used, move the edit to a new version and
    leave the old version as it was. Returns the object that carries the edit."""
    template = template_of(obj)
    if template is None or template.id is None or not is_used(template):
        return obj
    new, copies = new_version(template)
    keep_original(template)
    return new if obj is template else copies[obj]


def fork_for_add(template):
    """Before saving a new stage or step under ``template``: None when the template is
    unused (add in place), else ``(new version, copies of its stages and steps)``."""
    if not is_used(template):
        return None
    new, copies = new_version(template)
    keep_original(template)
    return new, copies


def fork_for_delete(obj):
    """Delete ``obj`` (a stage or step). On a used template the old version stays
    whole and the new version leaves ``obj`` out; returns the template now current."""
    template = template_of(obj)
    if not is_used(template):
        parent = obj.stage.steps if isinstance(obj, WorkflowStep) else template.stages
        parent.remove(obj)  # delete-orphan deletes it; the rules see the collection without it
        return template
    skip = {obj, *getattr(obj, "steps", [])}
    new, _ = new_version(template, skip=skip)
    keep_original(template)
    return new


def replace_stages(template, stages):
    """Give ``template`` these (new, unsaved) stages; on a used template the new
    version gets them and the old one stays whole. Returns the template edited."""
    if is_used(template):
        new, _ = new_version(template, skip=set(template.stages))
        keep_original(template)
        new.stages = stages
        return new
    with db.session.no_autoflush:
        template.stages = []
    db.session.flush()  # the old positions are free before the new stages are inserted
    template.stages = stages
    return template
