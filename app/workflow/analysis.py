"""Time analysis of a workflow template: serial sum, critical path, days saved.

Pure functions over any object shaped like a template (``.stages`` in order, each
with ``.mode`` and ``.steps``, each step with ``.limit_days`` and
``.counts_toward_limit``), so they work on saved models and on unsaved drafts alike.

Per stage:

- ``serial``: the days the stage would take if its steps ran one after another:
  the sum of counted limits for ``single`` and ``sequence``; the maximum for
  ``countersign``, whose signers sign at once by definition.
- ``critical``: the days the stage takes as designed: the maximum of counted
  limits for ``single`` (parallel steps) and ``countersign``; the sum for ``sequence``.

Steps whose ``counts_toward_limit`` is false (government approval, applicant
payment) are listed but contribute 0: they do not use the promised time.
"""

from dataclasses import asdict, dataclass

from app.models.workflow import StageMode


@dataclass(frozen=True)
class StepFigures:
    name: str
    limit_days: int
    counted: bool


@dataclass(frozen=True)
class StageFigures:
    position: int
    name: str
    mode: str
    steps: tuple
    serial: int
    critical: int

    @property
    def saved(self):
        return self.serial - self.critical


@dataclass(frozen=True)
class TemplateAnalysis:
    stages: tuple
    serial: int
    critical: int

    @property
    def saved(self):
        return self.serial - self.critical

    def as_dict(self):
        return {
            "serial_days": self.serial,
            "critical_path_days": self.critical,
            "days_saved": self.saved,
            "stages": [
                {**asdict(stage), "steps": [asdict(s) for s in stage.steps], "saved": stage.saved}
                for stage in self.stages
            ],
        }


def counted_days(step):
    return step.limit_days if step.counts_toward_limit else 0


def analyse_stage(stage, position=None):
    days = [counted_days(step) for step in stage.steps] or [0]
    longest, total = max(days), sum(days)
    if stage.mode == StageMode.COUNTERSIGN:
        serial, critical = longest, longest
    elif stage.mode == StageMode.SEQUENCE:
        serial, critical = total, total
    else:
        serial, critical = total, longest
    steps = tuple(
        StepFigures(step.name, step.limit_days, bool(step.counts_toward_limit))
        for step in stage.steps
    )
    return StageFigures(
        position=stage.position if position is None else position,
        name=stage.name,
        mode=stage.mode,
        steps=steps,
        serial=serial,
        critical=critical,
    )


def analyse(template):
    """The :class:`TemplateAnalysis` of ``template``."""
    stages = tuple(
        analyse_stage(stage, getattr(stage, "position", None) or index)
        for index, stage in enumerate(template.stages, start=1)
    )
    return TemplateAnalysis(
        stages=stages,
        serial=sum(stage.serial for stage in stages),
        critical=sum(stage.critical for stage in stages),
    )
