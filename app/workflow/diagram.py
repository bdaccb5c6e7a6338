"""A workflow template drawn as inline SVG, server-side: no JavaScript, no CDN.

Stages run left to right, at most :data:`STAGES_PER_ROW` to a row, so a long template
(GD-01 has 11 stages) wraps onto further rows and fits a laptop screen and a printed
page; an arrow leads from the end of a row to the start of the next. The steps of a
stage are stacked (they run in parallel, or one after another when the stage is a
sequence). Each step shows its handler and limit; a step that does not count toward the
promised limit has a dashed outline and says so.
"""

from flask_babel import gettext as _
from markupsafe import Markup, escape

from app.labels import stage_mode

STAGES_PER_ROW = 5
STAGE_WIDTH = 168
GAP = 36
ROW_GAP = 40
HEADER = 46
STEP_HEIGHT = 50
STEP_GAP = 8
MARGIN = 10
TEXT_LIMIT = 13  # characters that fit one line of a box


def _clip(text, limit=TEXT_LIMIT):
    text = str(text or "")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _handler_label(step):
    handler = step.leader or step.division
    return str(handler) if handler is not None else "?"


def _text(x, y, content, css="", anchor="middle"):
    return f'<text x="{x}" y="{y}" text-anchor="{anchor}" class="{css}">{escape(content)}</text>'


def _rows(stages):
    return [stages[i : i + STAGES_PER_ROW] for i in range(0, len(stages), STAGES_PER_ROW)]


def _row_height(row):
    tallest = max((len(stage.steps) for stage in row), default=1) or 1
    return HEADER + tallest * (STEP_HEIGHT + STEP_GAP)


def render_svg(template, handler_label=_handler_label):
    """The diagram of ``template`` as a Markup ``<svg>`` element. ``handler_label(step)``
    names each step's handler (the public portal names units, never people)."""
    rows = _rows(list(template.stages)) or [[]]
    columns = max(len(row) for row in rows)
    width = MARGIN * 2 + columns * STAGE_WIDTH + max(columns - 1, 0) * GAP
    height = MARGIN * 2 + sum(_row_height(row) for row in rows) + ROW_GAP * (len(rows) - 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="workflow-diagram" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(template.name)}">',
        '<defs><marker id="arrow" markerWidth="8" markerHeight="8" refX="7" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" class="wf-arrowhead"/></marker></defs>',
    ]
    top = MARGIN
    for row_index, row in enumerate(rows):
        row_height = _row_height(row)
        middle = top + HEADER / 2
        for index, stage in enumerate(row):
            x = MARGIN + index * (STAGE_WIDTH + GAP)
            parts.append(_stage(stage, x, top, row_height, handler_label))
            if index:
                parts.append(_arrow(f"M{x - GAP + 2},{middle} L{x - 4},{middle}"))
        if row_index + 1 < len(rows):
            parts.append(_wrap_arrow(len(row), top + row_height))
        top += row_height + ROW_GAP
    parts.append("</svg>")
    return Markup("".join(parts))  # noqa: S704 (every text part went through escape())


def _arrow(path):
    return f'<path d="{path}" class="wf-arrow" fill="none" marker-end="url(#arrow)"/>'


def _wrap_arrow(stages_in_row, row_bottom):
    """From under the last stage of a row, back to the top of the next row's first stage."""
    last_middle = MARGIN + (stages_in_row - 1) * (STAGE_WIDTH + GAP) + STAGE_WIDTH / 2
    first_middle = MARGIN + STAGE_WIDTH / 2
    turn = row_bottom + ROW_GAP / 2
    return _arrow(
        f"M{last_middle},{row_bottom + 2} L{last_middle},{turn} "
        f"L{first_middle},{turn} L{first_middle},{row_bottom + ROW_GAP - 4}"
    )


def _stage(stage, x, top, height, handler_label):
    mode_css = f"wf-stage wf-mode-{stage.mode}"
    parts = [
        f'<g class="{mode_css}" data-stage="{stage.position}">',
        f'<rect x="{x}" y="{top}" width="{STAGE_WIDTH}" height="{height}" '
        'rx="6" class="wf-stage-box"/>',
        _text(
            x + STAGE_WIDTH / 2,
            top + 18,
            f"{stage.position}. {_clip(stage.name)}",
            "wf-stage-name",
        ),
        _text(x + STAGE_WIDTH / 2, top + 36, stage_mode(stage.mode, len(stage.steps)), "wf-mode"),
    ]
    for row, step in enumerate(stage.steps):
        parts.append(
            _step(step, x + 8, top + HEADER + row * (STEP_HEIGHT + STEP_GAP), handler_label(step))
        )
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
