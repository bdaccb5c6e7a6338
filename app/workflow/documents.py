"""A workflow template as a plain nested document, and back.

The document is what the REST API and the demo data speak::

    {"code": "GD-01", "name": "...", "description": "...",
     "stages": [{"name": "...", "mode": "single|countersign|sequence",
                 "steps": [{"name": "...", "handler": "landuse" or "@director",
                            "kind": "review", "limit_days": 3,
                            "counts_toward_limit": true}]}]}

A handler is a unit code, or ``@username`` for a leader in person.
"""

from app.extensions import db
from app.models.org import Division
from app.models.user import BureauUser
from app.models.workflow import WorkflowStage, WorkflowStep, WorkflowTemplate

LEADER_PREFIX = "@"


class UnknownHandler(ValueError):
    pass


def handler_code(step):
    if step.leader is not None:
        return f"{LEADER_PREFIX}{step.leader.username}"
    return step.division.code if step.division is not None else None


def template_document(template):
    return {
        "id": template.id,
        "code": template.code,
        "version": template.version,
        "name": template.name,
        "description": template.description,
        "is_current": template.is_current,
        "first_used_at": template.first_used_at.isoformat() if template.first_used_at else None,
        "stages": [
            {
                "position": stage.position,
                "name": stage.name,
                "mode": stage.mode,
                "steps": [
                    {
                        "position": step.position,
                        "name": step.name,
                        "handler": handler_code(step),
                        "kind": step.kind,
                        "limit_days": step.limit_days,
                        "counts_toward_limit": step.counts_toward_limit,
                    }
                    for step in stage.steps
                ],
            }
            for stage in template.stages
        ],
    }


class Handlers:
    """Resolves handler codes with two queries, whatever the number of steps."""

    def __init__(self):
        self.units = {d.code: d for d in db.session.query(Division)}
        self.leaders = {u.username: u for u in db.session.query(BureauUser)}

    def resolve(self, code):
        """(division, leader) for a handler code."""
        code = (code or "").strip()
        if code.startswith(LEADER_PREFIX):
            leader = self.leaders.get(code[1:])
            if leader is None:
                raise UnknownHandler(f"unknown leader {code}")
            return None, leader
        if code not in self.units:
            raise UnknownHandler(f"unknown unit {code!r}")
        return self.units[code], None


def build_stages(document, handlers=None):
    """New stage objects (with steps) from a document's ``stages``."""
    handlers = handlers or Handlers()
    stages = []
    for stage_position, stage_doc in enumerate(document.get("stages") or [], start=1):
        stage = WorkflowStage(
            position=stage_position,
            name=stage_doc["name"],
            mode=stage_doc.get("mode") or "single",
        )
        stage.steps = []
        for step_position, step_doc in enumerate(stage_doc.get("steps") or [], start=1):
            division, leader = handlers.resolve(step_doc.get("handler"))
            stage.steps.append(
                WorkflowStep(
                    position=step_position,
                    name=step_doc["name"],
                    kind=step_doc.get("kind") or "review",
                    division=division,
                    leader=leader,
                    limit_days=step_doc.get("limit_days"),
                    counts_toward_limit=step_doc.get("counts_toward_limit", True),
                )
            )
        stages.append(stage)
    return stages


def build_template(document, handlers=None):
    """A new, unsaved version-1 template from a document."""
    template = WorkflowTemplate(
        code=document["code"],
        version=1,
        name=document["name"],
        description=document.get("description"),
        is_current=True,
    )
    template.stages = build_stages(document, handlers)
    return template
