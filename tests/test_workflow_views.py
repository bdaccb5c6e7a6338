"""Template pages: the diagram and the analysis render; stage and step rules on pages."""

import re

import pytest

from app.extensions import db
from app.models.workflow import WorkflowStage, WorkflowStep, WorkflowTemplate


def current(code):
    return db.session.query(WorkflowTemplate).filter_by(code=code, is_current=True).one()


def login_en(client, auth, username="admin"):
    auth.login(username)
    client.get("/lang/en")


@pytest.mark.parametrize("code", ["GD-01", "JS-01"])
def test_diagram_shows_every_stage_and_step(app, client, auth, code):
    login_en(client, auth, "landuse_staff")
    template = current(code)
    html = client.get(f"/workflowtemplateview/show/{template.id}").get_data(as_text=True)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert svg.count('class="wf-stage ') == len(template.stages)
    for stage in template.stages:
        assert f'data-stage="{stage.position}"' in svg
        for step in stage.steps:
            assert f"<title>{step.name}</title>" in svg


def test_diagram_marks_countersign_and_uncounted_steps(app, client, auth):
    login_en(client, auth, "landuse_staff")
    html = client.get(f"/workflowtemplateview/show/{current('GD-01').id}").get_data(as_text=True)
    assert "wf-mode-countersign" in html
    assert len(re.findall(r'class="wf-step wf-uncounted"', html)) == 2
    assert "working days: 20, not counted" in html
    assert "周建国" in html or "director" in html  # the director signs in person


def test_template_page_shows_the_analysis(app, client, auth):
    login_en(client, auth, "landuse_staff")
    html = client.get(f"/workflowtemplateview/show/{current('GD-01').id}").get_data(as_text=True)
    assert '<th class="num" id="analysis-serial">30</th>' in html
    assert '<th class="num" id="analysis-critical">20</th>' in html
    assert '<th class="num" id="analysis-saved">10</th>' in html


def stage_form(template, **changes):
    landuse = db.session.query(WorkflowStep).first().division  # any unit
    form = {
        "template": str(template.id),
        "position": "50",
        "name": "补充审查",
        "mode": "single",
        "step_units": [str(landuse.id)],
        "step_name": "补充审查",
        "step_kind": "review",
        "step_limit_days": "1",
        "step_counted": "y",
    }
    form.update(changes)
    return {k: v for k, v in form.items() if v is not None}


def counts():
    return (
        db.session.query(WorkflowTemplate).count(),
        db.session.query(WorkflowStage).count(),
        db.session.query(WorkflowStep).count(),
    )


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"step_units": None}, "has no step"),
        ({"mode": "countersign"}, "needs at least two signers"),
        ({"step_limit_days": "0"}, "at least one working day"),
        ({"step_limit_days": "-2"}, "at least one working day"),
        ({"position": "1"}, "have the same position 1"),
        ({"step_counted": "y", "step_limit_days": "9"}, "more than the 20 promised days"),
    ],
)
def test_stage_page_refuses_a_bad_stage(app, client, auth, changes, message):
    login_en(client, auth)
    before = counts()
    response = client.post(
        "/workflowstageview/add",
        data=stage_form(current("GD-01"), **changes),
        follow_redirects=True,
    )
    assert message in response.get_data(as_text=True)
    db.session.expire_all()
    assert counts() == before


def test_stage_page_adds_a_good_stage_with_one_step_per_unit(app, client, auth):
    login_en(client, auth)
    template = current("YS-01")  # critical 14 of 15 promised days
    before = counts()
    client.post("/workflowstageview/add", data=stage_form(template), follow_redirects=True)
    db.session.expire_all()
    assert counts() == (before[0], before[1] + 1, before[2] + 1)


def test_step_page_refuses_a_zero_limit(app, client, auth):
    login_en(client, auth)
    step = current("JS-01").stages[1].steps[0]
    response = client.post(
        f"/workflowstepview/edit/{step.id}",
        data={
            "position": "1",
            "name": step.name,
            "kind": "review",
            "division": str(step.division_id),
            "limit_days": "0",
            "counts_toward_limit": "y",
        },
        follow_redirects=True,
    )
    assert "at least one working day" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(WorkflowStep, step.id).limit_days == 3


def test_deleting_a_countersigner_below_two_is_refused(app, client, auth):
    login_en(client, auth)
    template = current("LS-01")
    # make a two-signer countersign stage, then try to remove one signer
    stage = template.stages[1]
    stage.mode = "countersign"
    stage.steps.append(
        WorkflowStep(
            position=2, name="会签", kind="review", division=stage.steps[0].division, limit_days=1
        )
    )
    db.session.commit()
    response = client.post(f"/workflowstepview/delete/{stage.steps[1].id}", follow_redirects=True)
    assert "needs at least two signers" in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(db.session.get(WorkflowStage, stage.id).steps) == 2


def stages_document(*stages):
    return {"stages": list(stages)}


def a_stage(mode="single", *steps):
    return {"name": "审查", "mode": mode, "steps": list(steps)}


def a_step(handler="landuse", limit=1, counted=True):
    return {
        "name": "审查",
        "handler": handler,
        "kind": "review",
        "limit_days": limit,
        "counts_toward_limit": counted,
    }


RECEIPT = a_stage("single", {**a_step("window"), "kind": "receipt"})


@pytest.mark.parametrize(
    ("document", "fragment"),
    [
        (stages_document(RECEIPT, a_stage("single")), "审查"),  # empty stage
        (stages_document(a_stage("countersign", a_step())), "审查"),  # one signer
        (stages_document(a_stage("single", a_step(limit=0))), "审查"),
        (stages_document(a_stage("single", a_step(limit=-1))), "审查"),
        (stages_document(a_stage("single", a_step(limit=16))), "15"),  # YS-01 promises 15
        (stages_document(a_stage("single", a_step(handler="nowhere"))), "nowhere"),
    ],
)
def test_api_refuses_a_bad_structure(app, client, auth, document, fragment):
    token = auth.token("admin")
    template = current("YS-01")
    before = counts()
    response = client.put(
        f"/api/v1/workflow/{template.id}/stages",
        json=document,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert fragment in response.get_json()["message"]
    db.session.expire_all()
    assert counts() == before


def test_api_replaces_the_structure_of_an_unused_template(app, client, auth):
    token = auth.token("admin")
    template = current("YS-01")
    document = stages_document(
        RECEIPT, a_stage("countersign", a_step("landuse", 3), a_step("@director", 2))
    )
    response = client.put(
        f"/api/v1/workflow/{template.id}/stages",
        json=document,
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_json()
    result = response.get_json()["result"]
    assert (result["id"], result["version"]) == (template.id, 1)
    assert [s["handler"] for s in result["stages"][1]["steps"]] == ["landuse", "@director"]


def test_api_refuses_a_duplicate_template_code(app, client, auth):
    token = auth.token("admin")
    response = client.post(
        "/api/v1/workflow/",
        json={"code": "GD-01", "name": "重复"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 400
    assert "GD-01" in response.get_json()["message"]


def test_template_page_refuses_a_duplicate_code(app, client, auth):
    login_en(client, auth)
    before = counts()
    response = client.post(
        "/workflowtemplateview/add", data={"code": "GD-01", "name": "重复"}, follow_redirects=True
    )
    assert "The code GD-01 is already used." in response.get_data(as_text=True)
    db.session.expire_all()
    assert counts() == before
