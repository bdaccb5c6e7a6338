"""A workflow template drawn as inline SVG, server-side: no JavaScript, no CDN.

Stages run left to right; the steps of a stage are stacked (they run in
parallel, or one after another when the stage is a sequence). Each step shows
its handler and limit; a step that does not count toward the promised limit
has a dashed outline and says so.
"""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.models.workflow import StageMode

STAGE_WIDTH = 168
GAP = 36
HEADER = 46
STEP_HEIGHT = 50
STEP_GAP = 8
MARGIN = 10
TEXT_LIMIT = 13  # characters that fit one line of a box


def _clip(text, limit=TEXT_LIMIT):
    text = str(text or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _mode_label(stage):
    if stage.mode == StageMode.COUNTERSIGN:
        return _("countersign: all sign at once")
    if stage.mode == StageMode.SEQUENCE:
        return _("sequence: one after another")
    return _("in parallel") if len(stage.steps) > 1 else ""


def _handler_label(step):
    handler = step.leader or step.division
    return str(handler) if handler is not None else "?"


def _text(x, y, content, css="", anchor="middle"):
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="{css}">{escape(content)}</text>'


def render_svg(template, handler_label=_handler_label):
    """The diagram of ``template`` as a Markup ``<svg>`` element. ``handler_label(step)``
    names each step's handler (the public portal names units, never people)."""
    stages = list(template.stages)
    tallest = max((len(stage.steps) for stage in stages), default=1) or 1
    width = MARGIN * 2 + len(stages) * STAGE_WIDTH + max(len(stages) - 1, 0) * GAP
    height = MARGIN * 2 + HEADER + tallest * (STEP_HEIGHT + STEP_GAP)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(template.name)}">',
        '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" class="wf-arrowhead"/></marker></defs>',
    ]
    for index, stage in enumerate(stages):
        x = MARGIN + index * (STAGE_WIDTH + GAP)
        parts.append(_stage(stage, x, height, handler_label))
        if index:
            middle = MARGIN + HEADER / 2
            parts.append(
                f'<line x1="{x - GAP + 2}" y1="{middle}" x2="{x - 4}" y2="{middle}" '
                'class="wf-arrow" marker-end="url(#arrow)"/>'
            )
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text part went through escape())


def _stage(stage, x, height, handler_label):
    mode_css = f"wf-stage wf-mode-{stage.mode}"
    parts = [
        f'<g class="{mode_css}" data-stage="{stage.position}">',
        f'<rect x="{x}" y="{MARGIN}" width="{STAGE_WIDTH}" height="{height - 2 * MARGIN}" '
        'rx="6" class="wf-stage-box"/>',
        _text(
            x + STAGE_WIDTH / 2,
            MARGIN + 18,
            f"{stage.position}. {_clip(stage.name)}",
            "wf-stage-name",
        ),
        _text(x + STAGE_WIDTH / 2, MARGIN + 36, _mode_label(stage), "wf-mode"),
    ]
    for row, step in enumerate(stage.steps):
        y = MARGIN + HEADER + row * (STEP_HEIGHT + STEP_GAP)
        parts.append(_step(step, x + 8, y, handler_label(step)))
    parts.append("</g>")
    return "".join(parts)


def _step(step, x, y, handler):
    counted = bool(step.counts_toward_limit)
    css = "wf-step" if counted else "wf-step wf-uncounted"
    width = STAGE_WIDTH - 16
    if counted:
        limit = _("working days: %(days)s", days=step.limit_days)
    else:
        limit = _("working days: %(days)s, not counted", days=step.limit_days)
    return (
        f'<g class="{css}"><title>{escape(step.name)}</title>'
        f'<rect x="{x}" y="{y}" width="{width}" height="{STEP_HEIGHT}" rx="4"/>'
        + _text(x + width / 2, y + 16, _clip(step.name), "wf-step-name")
        + _text(x + width / 2, y + 31, _clip(handler), "wf-handler")
        + _text(x + width / 2, y + 45, limit, "wf-limit")
        + "</g>"
    )
