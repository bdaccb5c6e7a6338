"""Separation of duties: an account holding Admin acts in no case whatever other roles it
holds, and the user screens refuse to give Admin a case role."""

import io

import pytest

from app.extensions import db
from app.models.attachment import Attachment
from app.models.cases import Case, Extension, Opinion, Suspension
from app.models.supervision import ExtensionRequest, SupervisionNotice
from tests.case_helpers import Api
from tests.factories import gd01

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def api(app):
    return Api(app.test_client(use_cookies=False))


@pytest.fixture
def admin_with_case_roles(app):
    """The admin gave itself Window and Leader (as director) in the database directly."""
    sm = app.appbuilder.sm
    admin = sm.find_user("admin")
    admin.roles.extend([sm.find_role("Window"), sm.find_role("Leader")])
    admin.oversees_all = True
    db.session.commit()
    return admin


def counts():
    return tuple(
        db.session.query(model).count()
        for model in (Case, Opinion, Suspension, Extension, Attachment)
    )


def test_admin_with_case_roles_is_refused_every_case_action(api, admin_with_case_roles):
    matter = gd01()
    registered = api.receive(matter, decision="register").get_json()["id"]
    accepted = api.receive(matter).get_json()["id"]
    [task] = api.open_tasks("landuse_staff", accepted)
    before = counts()
    docs = [d.id for d in matter.required_documents]
    calls = [
        ("/api/v1/case/", {"matter": matter.code, "applicant_name": "张三", "materials": docs}),
        (f"/api/v1/case/{registered}/decide", {"decision": "accept"}),
        (f"/api/v1/case/{accepted}/suspend", {"kind": "hearing", "reason": "听证"}),
        (f"/api/v1/case/{accepted}/extend", {"days": 2, "reason": "复杂"}),
        (f"/api/v1/task/{task['id']}/complete", {"decision": "approve", "opinion": "同意"}),
    ]
    for path, body in calls:
        response = api.post("admin", path, body)
        assert response.status_code in (403, 404), (path, response.get_json())
        assert response.get_json()["message"]
    upload = api.post(
        "admin",
        f"/api/v1/case/{accepted}/attachments",
        data={"file": (io.BytesIO(PDF), "scan.pdf")},
        content_type="multipart/form-data",
    )
    assert upload.status_code in (403, 404)
    assert counts() == before


def admin_form(user, roles):
    return {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "division": str(user.division_id),
        "position": user.position or "",
        "active": "y",
        "roles": [str(role.id) for role in roles],
    }


@pytest.mark.parametrize("case_role", ["Window", "Leader", "Staff", "Intermediary", "Supervisor"])
def test_the_user_screen_refuses_admin_with_a_case_role(app, client, auth, case_role):
    sm = app.appbuilder.sm
    admin = sm.find_user("admin")
    auth.login("admin")
    roles = [sm.find_role("Admin"), sm.find_role(case_role)]
    response = client.post(f"/users/edit/{admin.id}", data=admin_form(admin, roles))
    assert response.status_code == 200  # the form again, with its error
    assert "separation of duties" in response.get_data(as_text=True) or "职责分离" in (
        response.get_data(as_text=True)
    )
    db.session.expire_all()
    assert [role.name for role in sm.find_user("admin").roles] == ["Admin"]


def test_the_user_screen_still_gives_admin_a_non_case_role(app, client, auth):
    sm = app.appbuilder.sm
    admin = sm.find_user("admin")
    auth.login("admin")
    roles = [sm.find_role("Admin"), sm.find_role("Inspector")]
    response = client.post(f"/users/edit/{admin.id}", data=admin_form(admin, roles))
    assert response.status_code == 302
    db.session.expire_all()
    assert sorted(role.name for role in sm.find_user("admin").roles) == ["Admin", "Inspector"]


def test_admin_with_case_roles_decides_no_extension_request(
    app, api, client, auth, admin_with_case_roles
):
    case_id = api.receive(gd01()).get_json()["id"]
    auth.login("landuse_staff")
    client.post(f"/supervision/extensions/case/{case_id}", data={"days": "5", "reason": "测绘"})
    auth.logout()
    request = db.session.query(ExtensionRequest).one()
    auth.login("admin")
    for decision, note in (("refuse", "不同意"), ("approve", "")):
        client.post(
            f"/supervision/extensions/{request.id}/decide",
            data={"decision": decision, "note": note},
        )
    db.session.expire_all()
    assert db.session.query(ExtensionRequest).one().status == "pending"


def test_admin_with_the_supervisor_role_issues_no_notice(app, api):
    sm = app.appbuilder.sm
    admin = sm.find_user("admin")
    admin.roles.append(sm.find_role("Supervisor"))
    db.session.commit()
    case_id = api.receive(gd01()).get_json()["id"]
    response = api.post("admin", f"/api/v1/case/{case_id}/supervise", {"message": "请加快办理"})
    assert response.status_code in (403, 404)
    assert db.session.query(SupervisionNotice).count() == 0
