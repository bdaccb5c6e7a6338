"""Bar positions of the timeline chart from a fixed case on a known calendar.

The calendar: Wednesday 4 March 2026 is a holiday, Saturday 7 March an adjusted workday.
The axis starts on Monday 2 March (the receipt day): a working day is one unit wide,
a day off 0.4, so the days start at:

    Mon 2: 0    Tue 3: 1    Wed 4 (holiday): 2    Thu 5: 2.4    Fri 6: 3.4
    Sat 7 (worked): 4.4    Sun 8: 5.4    Mon 9: 5.8    Tue 10: 6.8    Wed 11: 7.8
    Thu 12: 8.8

A moment sits in its day by the time of day: 10:00 Beijing is 0.4167 of the day.
"""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

import pytest

from app.calendar.workdays import Calendar
from app.workflow.timeline_chart import DAY_OFF_WIDTH, build_chart

CALENDAR = Calendar(
    holidays={date(2026, 3, 4): "测试假日"},
    workdays={date(2026, 3, 7): "调休"},
    published_years=[2026],
)
TEN = 0.4167  # 10:00 Beijing, as a share of the day


def beijing(day, hour, minute=0, second=0):
    """A Beijing wall-clock moment in March 2026 as the naive UTC the database stores."""
    return datetime(2026, 3, day, hour, minute, second) - timedelta(hours=8)


def end_of(day):
    return beijing(day, 23, 59, 59)


def task(id, stage, opened, due, done=None, status="done", decision="approve"):
    return SimpleNamespace(
        id=id,
        stage_position=stage,
        name=f"step {id}",
        opened_at=opened,
        due_at=due,
        done_at=done,
        status=status,
        decision=decision if done else None,
        counts_toward_limit=True,
    )


REVIEW = task(1, 2, beijing(2, 10), end_of(5), done=beijing(3, 10))
SURVEY_A = task(2, 3, beijing(3, 10), end_of(9), done=beijing(5, 10))
SURVEY_B = task(3, 3, beijing(3, 10), end_of(9), done=beijing(6, 12), decision="return")
SURVEY_C = task(4, 3, beijing(3, 10), end_of(9), status="cancelled")
REVIEW_AGAIN = task(5, 2, beijing(6, 12), end_of(10), status="open")
PAUSE = SimpleNamespace(
    kind="expert_review", reason="专家论证", started_at=beijing(9, 10), ended_at=beijing(10, 10)
)
EXTENSION = SimpleNamespace(days=2, reason="补充测算", approved_at=beijing(9, 11))
CASE = SimpleNamespace(
    received_at=beijing(2, 10),
    accepted_at=beijing(2, 10),
    finished_at=None,
    matter=SimpleNamespace(promised_days=5),
    paused_days=1,
    due_provisional=False,
    suspensions=[PAUSE],
    extensions=[EXTENSION],
)
NOW = beijing(11, 10)


@pytest.fixture
def chart():
    tasks = [REVIEW, SURVEY_A, SURVEY_B, SURVEY_C, REVIEW_AGAIN]
    return build_chart(CASE, tasks, CALENDAR, NOW, returns={3: "权属资料不全"})


def bar(chart, task_id):
    return next(b for b in chart.bars if b.task.id == task_id)


def test_days_off_are_narrow_and_adjusted_workdays_count_in_full(chart):
    kinds = {d.day.day: (d.kind, d.x, d.width) for d in chart.days}
    assert kinds[4] == ("holiday", 2.0, DAY_OFF_WIDTH)
    assert kinds[7] == ("adjusted", 4.4, 1.0)
    assert kinds[8] == ("weekend", 5.4, DAY_OFF_WIDTH)
    assert kinds[9] == ("working", 5.8, 1.0)


def test_planned_runs_from_opening_to_due_and_actual_to_done(chart):
    review = bar(chart, 1)
    assert (review.planned.start, review.planned.end) == (TEN, 3.4)
    assert review.actual.end == 1 + TEN
    assert not review.late and not review.ongoing


def test_an_open_task_runs_to_now(chart):
    again = bar(chart, 5)
    assert again.ongoing
    assert again.actual.end == pytest.approx(7.8 + TEN)
    assert again.late  # due Tuesday 10 March, still open on Wednesday


def test_parallel_steps_start_together_on_separate_rows(chart):
    surveys = [bar(chart, i) for i in (2, 3, 4)]
    assert {b.planned.start for b in surveys} == {1 + TEN}
    assert len({b.row for b in surveys}) == 3


def test_a_return_cancels_the_open_parallel_step_at_the_moment_of_the_return(chart):
    cancelled = bar(chart, 4)
    assert cancelled.cancelled_by is SURVEY_B
    assert cancelled.actual.end == pytest.approx(3.9, abs=1e-3)  # Friday 12:00
    assert not cancelled.critical
    [returned] = chart.returns
    assert (returned.task.id, returned.reason) == (3, "权属资料不全")
    assert returned.x == pytest.approx(3.9, abs=1e-3)


def test_the_critical_step_of_a_round_is_the_one_that_finished_last(chart):
    assert [b.task.id for b in chart.bars if b.critical] == [1, 3, 5]


def test_a_pause_is_a_span_from_suspension_to_resumption(chart):
    [pause] = chart.pauses
    assert (pause.span.start, pause.span.end) == pytest.approx((5.8 + TEN, 6.8 + TEN))
    assert pause.suspension.reason == "专家论证" and not pause.ongoing


def test_an_extension_moves_the_due_line(chart):
    first, moved = chart.due_lines
    # 5 promised + 1 paused working days: Tue 3, Thu 5, Fri 6, Sat 7 (worked), Mon 9, Tue 10
    assert first.x == 7.8 and first.extension is None
    assert first.due_at == end_of(10)
    # + 2 extension days: Wed 11, Thu 12
    assert moved.x == 9.8 and moved.extension is EXTENSION


def test_now_is_marked_on_an_unfinished_case(chart):
    assert chart.now_x == pytest.approx(7.8 + TEN)


def test_the_rows_follow_the_order_of_opening(chart):
    assert [b.task.id for b in chart.bars] == [1, 2, 3, 4, 5]
    assert [b.row for b in chart.bars] == [0, 1, 2, 3, 4]
