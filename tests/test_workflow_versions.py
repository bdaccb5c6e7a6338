"""Editing a template that cases use makes a new version; the old one stays intact."""

from datetime import datetime

import pytest

from app.extensions import db
from app.models.catalog import Matter
from app.models.workflow import WorkflowTemplate
from app.workflow.documents import template_document


def current(code):
    return db.session.query(WorkflowTemplate).filter_by(code=code, is_current=True).one()


def versions_of(code):
    return (
        db.session.query(WorkflowTemplate)
        .filter_by(code=code)
        .order_by(WorkflowTemplate.version)
        .all()
    )


def structure(template):
    document = template_document(template)
    return document["name"], document["stages"]


@pytest.fixture
def used_js01(app):
    template = current("JS-01")
    template.first_used_at = datetime(2026, 3, 2, 9, 30)
    db.session.commit()
    return template.id, structure(template)


def edit_step_limit(client, step, limit):
    return client.post(
        f"/workflowstepview/edit/{step.id}",
        data={
            "position": str(step.position),
            "name": step.name,
            "kind": step.kind,
            "division": str(step.division_id),
            "limit_days": str(limit),
            "counts_toward_limit": "y",
        },
    )


def test_editing_a_used_template_makes_a_new_version(app, client, auth, used_js01):
    old_id, old_structure = used_js01
    auth.login("admin")
    step = db.session.get(WorkflowTemplate, old_id).stages[1].steps[0]

    edit_step_limit(client, step, 4)

    db.session.expire_all()
    old, new = versions_of("JS-01")
    assert (old.id, old.version, old.is_current) == (old_id, 1, False)
    assert (new.version, new.is_current, new.first_used_at) == (2, True, None)
    assert structure(old) == old_structure
    assert new.stages[1].steps[0].limit_days == 4
    assert len(new.stages) == len(old.stages)


def test_matters_move_to_the_new_version(app, client, auth, used_js01):
    old_id, _ = used_js01
    auth.login("admin")
    edit_step_limit(client, db.session.get(WorkflowTemplate, old_id).stages[1].steps[0], 4)
    db.session.expire_all()
    matter = db.session.query(Matter).filter_by(code="JS-01").one()
    assert matter.workflow.version == 2
    assert db.session.query(Matter).filter(Matter.workflow_id == old_id).count() == 0


def test_editing_an_unused_template_edits_it_in_place(app, client, auth):
    template = current("JS-01")
    auth.login("admin")
    edit_step_limit(client, template.stages[1].steps[0], 4)
    db.session.expire_all()
    assert [(t.id, t.version) for t in versions_of("JS-01")] == [(template.id, 1)]
    assert template.stages[1].steps[0].limit_days == 4


def test_renaming_a_used_template_keeps_the_old_name_on_the_old_version(
    app, client, auth, used_js01
):
    old_id, (old_name, _) = used_js01
    auth.login("admin")
    client.post(f"/workflowtemplateview/edit/{old_id}", data={"name": "建设用地审批（新）"})
    db.session.expire_all()
    old, new = versions_of("JS-01")
    assert (old.name, new.name) == (old_name, "建设用地审批（新）")


def test_deleting_a_step_of_a_used_template_leaves_the_old_version_whole(
    app, client, auth, used_js01
):
    old_id, old_structure = used_js01
    auth.login("admin")
    countersign = db.session.get(WorkflowTemplate, old_id).stages[2]
    client.post(f"/workflowstepview/delete/{countersign.steps[0].id}")
    db.session.expire_all()
    old, new = versions_of("JS-01")
    assert structure(old) == old_structure
    assert len(new.stages[2].steps) == len(old.stages[2].steps) - 1


def test_adding_a_stage_to_a_used_template_goes_to_the_new_version(app, client, auth, used_js01):
    old_id, old_structure = used_js01
    auth.login("admin")
    window = db.session.get(WorkflowTemplate, old_id).stages[0].steps[0].division
    client.post(
        "/workflowstageview/add",
        data={
            "template": str(old_id),
            "position": "9",
            "name": "归档",
            "mode": "single",
            "step_units": [str(window.id)],
            "step_kind": "review",
            "step_limit_days": "1",
            "step_counted": "y",
        },
    )
    db.session.expire_all()
    old, new = versions_of("JS-01")
    assert structure(old) == old_structure
    assert [s.name for s in new.stages][-1] == "归档"


def test_api_structure_change_of_a_used_template_makes_a_new_version(app, client, auth, used_js01):
    old_id, old_structure = used_js01
    token = auth.token("admin")
    stages = [
        {
            "name": "窗口收件",
            "mode": "single",
            "steps": [{"name": "收件", "handler": "window", "kind": "receipt", "limit_days": 1}],
        },
        {
            "name": "审查",
            "mode": "sequence",
            "steps": [
                {"name": "初审", "handler": "landuse", "limit_days": 2},
                {"name": "复审", "handler": "@deputy1", "kind": "sign", "limit_days": 1},
            ],
        },
    ]
    response = client.put(
        f"/api/v1/workflow/{old_id}/stages",
        json={"stages": stages},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["result"]["version"] == 2
    db.session.expire_all()
    old, new = versions_of("JS-01")
    assert structure(old) == old_structure
    assert [s.mode for s in new.stages] == ["single", "sequence"]


def test_a_used_version_cannot_be_deleted_on_the_page(app, client, auth, used_js01):
    old_id, _ = used_js01
    auth.login("admin")
    client.get("/lang/en")
    response = client.post(f"/workflowtemplateview/delete/{old_id}", follow_redirects=True)
    assert "is used by cases and cannot be deleted" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(WorkflowTemplate, old_id) is not None


def test_a_used_version_cannot_be_deleted_by_the_api(app, client, auth, used_js01):
    old_id, _ = used_js01
    token = auth.token("admin")
    response = client.delete(
        f"/api/v1/workflow/{old_id}", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 400
    assert "JS-01" in response.get_json()["message"]
    db.session.expire_all()
    assert db.session.get(WorkflowTemplate, old_id) is not None


def test_an_unused_template_without_matters_can_be_deleted(app, client, auth):
    token = auth.token("admin")
    headers = {"Authorization": f"Bearer {token}"}
    created = client.post(
        "/api/v1/workflow/", json={"code": "TMP-01", "name": "草稿"}, headers=headers
    )
    assert created.status_code == 201, created.get_json()
    response = client.delete(f"/api/v1/workflow/{created.get_json()['id']}", headers=headers)
    assert response.status_code == 200
    assert db.session.query(WorkflowTemplate).filter_by(code="TMP-01").count() == 0
