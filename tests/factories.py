"""Builders for catalog and workflow rows the tests need (the demo seed aside)."""

from app.demo.catalog_data import DIVISIONS_8, LEADERS_5
from app.extensions import db
from app.models.catalog import Matter, RequiredDocument
from app.models.org import Division
from app.models.user import BureauUser
from app.models.workflow import WorkflowStage, WorkflowStep, WorkflowTemplate


def step(name, handler, limit=1, kind="review", counts=True):
    """``handler``: a unit code, or ``@username`` for a leader in person."""
    return (name, handler, limit, kind, counts)


def make_template(code, stages):
    """``stages``: [(name, mode, [step(...), ...]), ...] in order."""
    template = WorkflowTemplate(code=code, version=1, name=code, is_current=True)
    for position, (name, mode, steps) in enumerate(stages, start=1):
        stage = WorkflowStage(position=position, name=name, mode=mode)
        for index, (step_name, handler, limit, kind, counts) in enumerate(steps, start=1):
            stage.steps.append(
                WorkflowStep(
                    position=index,
                    name=step_name,
                    kind=kind,
                    limit_days=limit,
                    counts_toward_limit=counts,
                    **_handler(handler),
                )
            )
        template.stages.append(stage)
    db.session.add(template)
    return template


def _handler(handler):
    if handler.startswith("@"):
        return {"leader": db.session.query(BureauUser).filter_by(username=handler[1:]).one()}
    return {"division": db.session.query(Division).filter_by(code=handler).one()}


def make_matter(
    code,
    template,
    promised=20,
    statutory=20,
    max_extension=10,
    documents=("申请书", "身份证明", "用地红线图"),
):
    matter = Matter(
        code=code,
        name=f"{code} 测试事项",
        level=1,
        category="licence",
        promised_days=promised,
        statutory_days=statutory,
        max_extension_days=max_extension,
        workflow=template,
        responsible_division=db.session.query(Division).filter_by(code="landuse").one(),
        public=True,
        active=True,
    )
    for position, name in enumerate(documents, start=1):
        matter.documents.append(RequiredDocument(position=position, name=name))
    db.session.add(matter)
    db.session.commit()
    return matter


def gd01(code="TGD-01"):
    """The GD-01 land supply template of DESIGN §4, with its matter."""
    template = make_template(
        code,
        [
            ("窗口收件", "single", [step("窗口收件", "window", 1, "receipt")]),
            ("征询规划部门意见", "single", [step("征询规划部门意见", "landuse", 3)]),
            ("处室材料审核", "single", [step("处室材料审核", "landuse", 2)]),
            (
                "权属、面积、地价",
                "single",
                [
                    step("权属核定", "ownership", 5, "survey"),
                    step("面积量算", "measure", 5, "survey"),
                    step("地价评估", "valuation", 5, "survey"),
                ],
            ),
            ("网上会办", "countersign", [step(f"会办-{c}", c, 3) for c in DIVISIONS_8]),
            ("局领导审定、签发会议纪要", "single", [step("审定", "@director", 2, "sign")]),
            ("报政府审批", "single", [step("报政府审批", "office", 20, "external", False)]),
            ("制作批准文件", "single", [step("制作批准文件", "landuse", 2, "draft_permit")]),
            ("申请人缴费", "single", [step("申请人缴费", "window", 10, "payment", False)]),
            ("局长签发", "single", [step("局长签发", "@director", 1, "sign")]),
            ("窗口出件", "single", [step("窗口出件", "window", 1, "release")]),
        ],
    )
    return make_matter(code, template, promised=20, statutory=20, max_extension=10)


def js01(code="TJS-01"):
    """JS-01: receipt, review, the eight divisions, then the five leaders countersign."""
    leaders = LEADERS_5
    template = make_template(
        code,
        [
            ("窗口收件", "single", [step("窗口收件", "window", 1, "receipt")]),
            ("土地利用处审查", "single", [step("审查", "landuse", 3)]),
            ("处室会签", "countersign", [step(f"会签-{c}", c, 3) for c in DIVISIONS_8]),
            ("局领导会签", "countersign", [step(f"签-{u}", f"@{u}", 2, "sign") for u in leaders]),
            ("窗口出件", "single", [step("窗口出件", "window", 1, "release")]),
        ],
    )
    return make_matter(code, template, promised=15, statutory=20, max_extension=10)
