"""The geometry of a case's timeline chart: where each bar, pause and due line sits.

Plain computation over plain inputs (tasks, pauses, extensions, returns shaped like the
models, a :class:`~app.calendar.workdays.Calendar`, a moment "now"): no query, no view,
no markup, so the positions can be tested from a fixed case. The SVG template only
multiplies by a pixel scale.

The axis runs in *working-day units* from the start of the case's receipt day
(Asia/Shanghai): a working day (an adjusted workday too) is one unit wide, a weekend
day or a holiday :data:`DAY_OFF_WIDTH` of a unit, so a bar's length reads as working
days while the days off stay visible as narrow shaded columns. A moment sits in its
day by the time of day (a due date, 23:59:59, at the day's right edge).

Each task is a row: *planned* from its opening to its due date, *actual* from its
opening to its completion, to the return that cancelled it, or to now. Rows of a stage
opened at the same moment ran in parallel; in each such round the step that finished
last held the next stage back, and is on the critical path.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from app.calendar.workdays import (
    TZ,
    Reason,
    add_working_days,
    classify,
    local_day,
    working_days_between,
)

DAY_OFF_WIDTH = 0.4
ONE_DAY = timedelta(days=1)
SECONDS_PER_DAY = 86400

WORKING = "working"
ADJUSTED = "adjusted"  # a weekend day that is worked (调休)
WEEKEND = "weekend"
HOLIDAY = "holiday"
DAY_KINDS = {
    Reason.WORKING_DAY: WORKING,
    Reason.ADJUSTED_WORKDAY: ADJUSTED,
    Reason.WEEKEND: WEEKEND,
    Reason.HOLIDAY: HOLIDAY,
}


@dataclass(frozen=True)
class Day:
    day: date
    kind: str
    name: str | None
    x: float
    width: float

    @property
    def off(self):
        return self.kind in (WEEKEND, HOLIDAY)


@dataclass(frozen=True)
class Span:
    start: float
    end: float

    @property
    def length(self):
        return round(self.end - self.start, 4)


@dataclass
class Bar:
    """One task on the chart."""

    task: object
    planned: Span
    actual: Span
    ongoing: bool  # open: the actual bar runs to now
    late: bool  # finished (or is now) after its due date
    critical: bool = False
    cancelled_by: object = None  # the task whose return cancelled this one
    row: int = 0

    @property
    def cancelled(self):
        return self.task.status == "cancelled"


@dataclass(frozen=True)
class Pause:
    suspension: object
    span: Span
    ongoing: bool


@dataclass(frozen=True)
class DueLine:
    """Where the promised due date stood; ``extension`` moved it there (None: the first)."""

    x: float
    due_at: datetime  # naive UTC
    extension: object = None


@dataclass(frozen=True)
class Return:
    task: object
    x: float
    reason: str | None


@dataclass
class Chart:
    start_day: date
    days: list
    width: float
    bars: list = field(default_factory=list)
    pauses: list = field(default_factory=list)
    due_lines: list = field(default_factory=list)
    returns: list = field(default_factory=list)
    now_x: float | None = None
    provisional: bool = False

    @property
    def rows(self):
        return len(self.bars)


def _aware(moment):
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


def _naive_utc(moment):
    return moment.astimezone(UTC).replace(tzinfo=None)


class Axis:
    """Calendar days from ``first`` to ``last`` laid end to end, each with its x."""

    def __init__(self, first, last, calendar):
        self.days = []
        x = 0.0
        day = first
        while day <= last:
            working, reason, name = classify(day, calendar)
            width = 1.0 if working else DAY_OFF_WIDTH
            self.days.append(Day(day, DAY_KINDS[reason], name, round(x, 4), width))
            x += width
            day += ONE_DAY
        self.first, self.last = first, last
        self.width = round(x, 4)
        self._index = {d.day: d for d in self.days}

    def x(self, moment):
        """The x of a naive-UTC (or aware) moment; clamped to the axis."""
        local = _aware(moment).astimezone(TZ)
        day = local.date()
        if day < self.first:
            return 0.0
        if day > self.last:
            return self.width
        cell = self._index[day]
        seconds = local.hour * 3600 + local.minute * 60 + local.second + 1
        return round(cell.x + cell.width * min(seconds / SECONDS_PER_DAY, 1.0), 4)


@dataclass(frozen=True)
class Step:
    """A row that is not a case's task: a petition's periods and assignments. ``ended_at``
    ends a cancelled row (a withdrawn assignment)."""

    id: int
    stage_position: int
    name: str
    division: object
    opened_at: datetime
    due_at: datetime
    done_at: datetime | None = None
    status: str = "open"
    ended_at: datetime | None = None
    decision: str | None = None
    counts_toward_limit: bool = True


def build_chart(case, tasks, calendar, now, returns=None, pauses=None, extensions=None):
    """The chart of ``case``: ``tasks`` as the reader may see them, ``returns`` as
    ``{task id: reason}``, pauses and extensions oldest first, ``now`` naive UTC."""
    pauses = list(case.suspensions if pauses is None else pauses)
    extensions = list(case.extensions if extensions is None else extensions)
    return chart_of(
        tasks,
        calendar,
        now,
        start=case.received_at,
        finished_at=case.finished_at,
        due_lines=_due_lines(case, extensions, calendar),
        pauses=pauses,
        returns=returns,
        provisional=bool(case.due_provisional),
    )


def chart_of(
    rows,
    calendar,
    now,
    start,
    finished_at=None,
    due_lines=(),
    pauses=(),
    returns=None,
    provisional=False,
):
    """The chart of any rows shaped like tasks (``opened_at``, ``due_at``, ``done_at``,
    ``status``, ``decision``, ``stage_position``, ``id``), from ``start``'s day."""
    returns = returns or {}
    end = finished_at or now
    moments = [start, end]
    moments += [t.due_at for t in rows] + [t.done_at for t in rows if t.done_at]
    moments += [line.due_at for line in due_lines]
    first = local_day(_aware(start))
    last = max(local_day(_aware(m)) for m in moments) + ONE_DAY
    axis = Axis(first, last, calendar)
    returning = sorted(
        (t for t in rows if t.decision == "return" and t.done_at), key=lambda t: t.done_at
    )
    bars = [_bar(task, axis, now, finished_at, returning) for task in _ordered(rows)]
    for row, bar in enumerate(bars):
        bar.row = row
    _mark_critical(bars)
    return Chart(
        start_day=first,
        days=axis.days,
        width=axis.width,
        bars=bars,
        pauses=[
            Pause(p, Span(axis.x(p.started_at), axis.x(p.ended_at or end)), p.ended_at is None)
            for p in pauses
        ],
        due_lines=[DueLine(axis.x(line.due_at), line.due_at, line.extension) for line in due_lines],
        returns=[Return(t, axis.x(t.done_at), returns.get(t.id)) for t in returning],
        now_x=None if finished_at else axis.x(now),
        provisional=provisional,
    )


def _ordered(tasks):
    return sorted(tasks, key=lambda t: (t.opened_at, t.stage_position, t.id))


def _bar(task, axis, now, finished_at, returning):
    cancelled_by = None
    if task.status == "cancelled":
        cancelled_by = next((r for r in returning if r.done_at >= task.opened_at), None)
        ended = getattr(task, "ended_at", None) or (
            cancelled_by.done_at if cancelled_by else (finished_at or task.opened_at)
        )
    else:
        ended = task.done_at
    ongoing = ended is None
    finish = now if ongoing else ended
    return Bar(
        task=task,
        planned=Span(axis.x(task.opened_at), axis.x(task.due_at)),
        actual=Span(axis.x(task.opened_at), axis.x(finish)),
        ongoing=ongoing,
        late=task.status != "cancelled" and finish > task.due_at,
        cancelled_by=cancelled_by,
    )


def _mark_critical(bars):
    """In each round (a stage's steps opened together), the step that finished last."""
    rounds = {}
    for bar in bars:
        if bar.cancelled:
            continue
        key = (bar.task.stage_position, bar.task.opened_at)
        rounds.setdefault(key, []).append(bar)
    for members in rounds.values():
        max(members, key=lambda b: (b.actual.end, -b.task.id)).critical = True


@dataclass(frozen=True)
class Line:
    """A due date to draw; ``extension`` (with ``days`` and ``reason``) moved it there."""

    due_at: datetime
    extension: object = None


def _due_lines(case, extensions, calendar):
    """The promised due date before any extension, then after each (pauses included)."""
    if case.accepted_at is None:
        return []
    start = _aware(case.accepted_at)
    base = case.matter.promised_days + (case.paused_days or 0)
    lines = [Line(_naive_utc(add_working_days(start, base, calendar).due_at))]
    added = 0
    for extension in extensions:
        added += extension.days
        moved = add_working_days(start, base + added, calendar).due_at
        lines.append(Line(_naive_utc(moved), extension))
    return lines


def working_days_used(start, end, calendar):
    """Working days after ``start``'s day up to ``end``'s day (naive UTC moments)."""
    return working_days_between(_aware(start), _aware(end), calendar)
