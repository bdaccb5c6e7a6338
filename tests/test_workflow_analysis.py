"""Template analysis: serial sum, critical path and days saved, by the function and the API."""

from types import SimpleNamespace

import pytest

from app.extensions import db
from app.models.workflow import WorkflowTemplate
from app.workflow.analysis import analyse

GD01_STAGES = [  # (serial, critical) per stage, DESIGN §4
    (1, 1),
    (3, 3),
    (2, 2),
    (15, 5),
    (3, 3),
    (2, 2),
    (0, 0),
    (2, 2),
    (0, 0),
    (1, 1),
    (1, 1),
]


def current(code):
    return db.session.query(WorkflowTemplate).filter_by(code=code, is_current=True).one()


def step(limit, counted=True):
    return SimpleNamespace(name=f"{limit}d", limit_days=limit, counts_toward_limit=counted)


def stage(mode, *steps):
    return SimpleNamespace(position=None, name=mode, mode=mode, steps=list(steps))


def test_gd01_totals(app):
    result = analyse(current("GD-01"))
    assert (result.serial, result.critical, result.saved) == (30, 20, 10)


def test_gd01_stage_breakdown(app):
    result = analyse(current("GD-01"))
    assert [(s.serial, s.critical) for s in result.stages] == GD01_STAGES
    assert result.stages[3].saved == 10
    assert [s.name for s in result.stages[3].steps] == ["权属核定", "面积量算", "地价评估"]


def test_uncounted_steps_are_listed_but_add_nothing(app):
    government = analyse(current("GD-01")).stages[6]
    assert government.name == "报政府审批"
    assert [(s.limit_days, s.counted) for s in government.steps] == [(20, False)]
    assert (government.serial, government.critical) == (0, 0)


@pytest.mark.parametrize(
    ("mode", "serial", "critical"),
    [("single", 9, 5), ("countersign", 5, 5), ("sequence", 9, 9)],
)
def test_stage_modes(mode, serial, critical):
    template = SimpleNamespace(stages=[stage(mode, step(5), step(3), step(1), step(7, False))])
    result = analyse(template)
    assert (result.serial, result.critical) == (serial, critical)


def test_api_gives_the_same_numbers(app, client, auth):
    token = auth.token("landuse_staff")
    template = current("GD-01")
    response = client.get(
        f"/api/v1/workflow/{template.id}/analysis",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200
    body = response.get_json()
    assert (body["serial_days"], body["critical_path_days"], body["days_saved"]) == (30, 20, 10)
    assert [(s["serial"], s["critical"]) for s in body["stages"]] == GD01_STAGES
    assert body["stages"][3]["saved"] == 10
    assert body["template"]["code"] == "GD-01"


def test_api_analysis_of_an_unknown_template_is_404(client, auth):
    token = auth.token("landuse_staff")
    response = client.get(
        "/api/v1/workflow/999999/analysis", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 404
