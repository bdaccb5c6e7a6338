"""The catalog's rules, in one place for the pages, the REST API and the import.

Each check returns a list of :class:`Problem` (field, message); an empty list
means the record may be written. Callers decide how to show them: form errors on
pages, ``400 {"message": ...}`` on the API, ``row N, column C: reason`` on import.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from app.extensions import db
from app.models.catalog import Matter
from app.models.workflow import StageMode, StepKind, WorkflowTemplate
from app.workflow.analysis import analyse

MAX_LEVEL = 3
STAGE_MODES = {mode.value for mode in StageMode}
STEP_KINDS = {kind.value for kind in StepKind}


@dataclass(frozen=True)
class Problem:
    field: str
    message: str

    def __str__(self):
        return str(self.message)


class CatalogError(ValueError):
    """Raised with the problems that stop a write."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__("; ".join(str(p) for p in self.problems))


def raise_if(problems):
    if problems:
        raise CatalogError(problems)


@dataclass
class MatterDraft:
    """The values of a matter about to be written (from a form, a row or a model)."""

    code: str
    level: int
    parent: Matter | None = None
    promised_days: int = 0
    statutory_days: int = 0
    max_extension_days: int = 0
    workflow: WorkflowTemplate | None = None
    active: bool = True
    id: int | None = None

    @classmethod
    def of(cls, source, id=None):
        """From any object with the matter's attribute names (a model or form data)."""
        get = source.get if isinstance(source, dict) else lambda name: getattr(source, name, None)
        return cls(
            code=(get("code") or "").strip(),
            level=get("level"),
            parent=get("parent"),
            promised_days=get("promised_days") or 0,
            statutory_days=get("statutory_days") or 0,
            max_extension_days=get("max_extension_days") or 0,
            workflow=get("workflow"),
            active=bool(get("active")),
            id=id if id is not None else get("id"),
        )


def matter_problems(draft):
    """Every rule a matter must satisfy, in the order a reader would check them.

    Nothing is flushed while checking: the draft may be an unsaved, invalid state."""
    with db.session.no_autoflush:
        return [
            *_code_problems(draft),
            *_tree_problems(draft),
            *_time_problems(draft),
            *_workflow_problems(draft),
        ]


def _code_problems(draft):
    if not draft.code:
        return [Problem("code", _l("The code is required."))]
    with db.session.no_autoflush:
        query = db.session.query(Matter.id).filter(Matter.code == draft.code)
        if draft.id is not None:
            query = query.filter(Matter.id != draft.id)
        taken = query.first() is not None
    if taken:
        return [Problem("code", _l("The code %(code)s is already used.", code=draft.code))]
    return []


def _tree_problems(draft):
    problems = []
    if draft.parent is not None and _parent_chain_loops(draft):
        problems.append(
            Problem("parent", _l("The parent chain loops back to %(code)s.", code=draft.code))
        )
        return problems
    expected = 1 if draft.parent is None else draft.parent.level + 1
    if expected > MAX_LEVEL:
        problems.append(Problem("parent", _l("A level-3 matter cannot have children.")))
    elif draft.level != expected:
        problems.append(
            Problem(
                "level",
                _l(
                    "The level must be %(expected)s: one below the parent, 1 without a parent.",
                    expected=expected,
                ),
            )
        )
    return problems


def _parent_chain_loops(draft):
    seen = set()
    node = draft.parent
    while node is not None:
        if (draft.id is not None and node.id == draft.id) or node.code == draft.code:
            return True
        if id(node) in seen:
            return True
        seen.add(id(node))
        node = node.parent
    return False


def _time_problems(draft):
    problems = []
    for field in ("promised_days", "statutory_days", "max_extension_days"):
        if getattr(draft, field) < 0:
            problems.append(Problem(field, _l("Days cannot be negative.")))
    if draft.promised_days > draft.statutory_days:
        problems.append(
            Problem(
                "promised_days",
                _l(
                    "The promised time (%(promised)s days) exceeds the statutory time "
                    "(%(statutory)s days).",
                    promised=draft.promised_days,
                    statutory=draft.statutory_days,
                ),
            )
        )
    return problems


def _workflow_problems(draft):
    if draft.workflow is None:
        if draft.active:
            return [Problem("workflow", _l("An active matter needs a workflow template."))]
        return []
    if draft.active and not draft.workflow.stages:
        return [
            Problem(
                "workflow",
                _l("The workflow template %(code)s has no stage yet.", code=draft.workflow.code),
            )
        ]
    return critical_path_problems(draft.workflow, draft.promised_days, draft.code)


def critical_path_problems(template, promised_days, matter_code):
    critical = analyse(template).critical
    if critical > promised_days:
        return [
            Problem(
                "workflow",
                _l(
                    "The counted limits on the critical path of %(template)s add up to "
                    "%(critical)s working days, more than the %(promised)s promised days "
                    "of matter %(code)s.",
                    template=template.code,
                    critical=critical,
                    promised=promised_days,
                    code=matter_code,
                ),
            )
        ]
    return []


def template_problems(template):
    """Rules on a template's structure, and on the matters that point at it.

    A template without stages is a draft being built; a matter cannot use it."""
    with db.session.no_autoflush:
        return _template_problems(template)


def _template_problems(template):
    problems = [*_template_code_problems(template)]
    positions = {}
    for stage in template.stages:
        if stage.position in positions:
            problems.append(
                Problem(
                    "position",
                    _l(
                        "Stages %(a)s and %(b)s have the same position %(position)s.",
                        a=positions[stage.position],
                        b=stage.name,
                        position=stage.position,
                    ),
                )
            )
        positions[stage.position] = stage.name
        problems.extend(stage_problems(stage))
    if not problems:
        for matter in _matters_using(template):
            problems.extend(critical_path_problems(template, matter.promised_days, matter.code))
    return problems


def stage_problems(stage):
    problems = []
    if stage.mode not in STAGE_MODES:
        problems.append(
            Problem("mode", _l("Stage %(stage)s has an unknown mode.", stage=stage.name))
        )
    if not stage.steps:
        problems.append(Problem("steps", _l("Stage %(stage)s has no step.", stage=stage.name)))
    if stage.mode == StageMode.COUNTERSIGN and len(stage.steps) < 2:
        problems.append(
            Problem(
                "mode",
                _l(
                    "Countersign stage %(stage)s needs at least two signers.",
                    stage=stage.name,
                ),
            )
        )
    for step in stage.steps:
        problems.extend(step_problems(step, stage))
    return problems


def step_problems(step, stage):
    problems = []
    if step.kind not in STEP_KINDS:
        problems.append(Problem("kind", _l("Step %(step)s has an unknown kind.", step=step.name)))
    if step.limit_days is None or step.limit_days <= 0:
        problems.append(
            Problem(
                "limit_days",
                _l(
                    "Step %(step)s of stage %(stage)s: the time limit must be at least "
                    "one working day.",
                    step=step.name,
                    stage=stage.name,
                ),
            )
        )
    if (step.division is None) == (step.leader is None):
        problems.append(
            Problem(
                "division",
                _l(
                    "Step %(step)s of stage %(stage)s needs exactly one handler: "
                    "a unit or a leader.",
                    step=step.name,
                    stage=stage.name,
                ),
            )
        )
    return problems


def _template_code_problems(template):
    if not (template.code or "").strip():
        return [Problem("code", _l("The code is required."))]
    with db.session.no_autoflush:
        query = db.session.query(WorkflowTemplate.id).filter(
            WorkflowTemplate.code == template.code,
            WorkflowTemplate.version == (template.version or 1),
        )
        if template.id is not None:
            query = query.filter(WorkflowTemplate.id != template.id)
        taken = query.first() is not None
    if taken:
        return [Problem("code", _l("The code %(code)s is already used.", code=template.code))]
    return []


def _matters_using(template):
    """Matters pointing at ``template``, unsaved re-pointings (a new version) included."""
    in_session = [
        obj
        for obj in (*db.session.dirty, *db.session.new)
        if isinstance(obj, Matter) and obj.workflow is template
    ]
    if template.id is None:
        return in_session
    with db.session.no_autoflush:
        saved = db.session.query(Matter).filter(Matter.workflow_id == template.id).all()
    return list(dict.fromkeys([*(m for m in saved if m.workflow is template), *in_session]))


def used_template_problems(template):
    """A template version that cases used stays for them: it cannot be deleted."""
    if template.first_used_at is None:
        return []
    return [
        Problem(
            "code",
            _l(
                "Version %(version)s of %(code)s is used by cases and cannot be deleted.",
                version=template.version,
                code=template.code,
            ),
        )
    ]
