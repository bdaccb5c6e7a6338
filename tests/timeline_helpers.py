"""A demo GD-01 case walked through its first stages with everything the timeline shows:
the three parallel surveys, a return that cancels two of them, a suspension, an
extension, a supervision notice answered with a delay reason, and reminders."""

from datetime import datetime, timedelta

from app.extensions import db
from app.models.cases import Task
from app.models.catalog import Matter
from app.supervision import notices
from app.workflow import engine
from app.workflow.deadlines import scan
from tests.supervision_helpers import receive, user

RETURN_REASON = "权属来源资料不全，请处室补充后再送"
SUSPENSION_REASON = "地价评估需组织专家论证"
EXTENSION_REASON = "专家论证后需补充测算"
DELAY_TEXT = "等待专家论证意见"


def beijing(day, hour, minute=0):
    """A Beijing wall-clock moment in March 2026, as naive UTC."""
    return datetime(2026, 3, day, hour, minute) - timedelta(hours=8)


NOW = beijing(24, 10)  # Tuesday 24 March 2026, 10:00: the countersign is late


def complete(case, step, username, at, decision="approve", opinion="同意。"):
    task = (
        db.session.query(Task)
        .filter_by(case_id=case.id, name=step, status="open")
        .order_by(Task.id.desc())
        .first()
    )
    assert task is not None, step
    return engine.complete_task(task.id, user(username), decision, opinion, at=at)


def walked_gd01_case():
    """The case, in progress on 24 March 2026 at the countersign stage (overdue)."""
    matter = db.session.query(Matter).filter_by(code="GD-01").one()
    case = receive(matter, at=beijing(2, 10), project_name="城东地块供地")
    complete(case, "征询规划部门意见", "landuse_staff", beijing(3, 10))
    complete(case, "处室材料审核", "landuse_staff", beijing(4, 10))
    complete(case, "面积量算", "measure_staff", beijing(5, 10))
    complete(case, "权属核定", "ownership_staff", beijing(9, 10), "return", RETURN_REASON)
    complete(case, "处室材料审核", "landuse_staff", beijing(10, 10))
    director = user("director")
    engine.suspend(case.id, director, "expert_review", SUSPENSION_REASON, 3, at=beijing(10, 15))
    engine.resume(case.id, director, at=beijing(13, 10))
    engine.extend(case.id, director, 3, EXTENSION_REASON, at=beijing(13, 11))
    complete(case, "权属核定", "ownership_staff", beijing(16, 10))
    complete(case, "面积量算", "measure_staff", beijing(16, 11))
    scan(beijing(17, 9))  # 地价评估 is now in warning: reminders
    valuation = db.session.query(Task).filter_by(case_id=case.id, name="地价评估", status="open")
    [notice] = notices.issue(
        [("task", valuation.one().id)], user("supervisor"), "请说明地价评估进度", at=beijing(17, 10)
    )
    notices.respond(
        notice.id, user("valuation_staff"), "field_survey", DELAY_TEXT, at=beijing(17, 11)
    )
    complete(case, "地价评估", "valuation_staff", beijing(18, 10))
    scan(beijing(24, 9))  # the countersign was due on the 23rd: cards and reminders
    db.session.refresh(case)
    return case
