"""FAB's user and role screens show the bureau's organisation and the catalog's role
descriptions in the reader's language; `flask roles sync` restores the catalog."""

import pytest
from flask_babel import force_locale
from markupsafe import escape

from app.security.role_views import role_description
from app.security.roles import ROLE_CATALOG


def page(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("en", "Service window clerk: receipts, supplements, refusals, release"),
        ("zh", "窗口受理员：收件受理、补正告知、不予受理、出件"),
    ],
)
def test_role_list_shows_the_catalog_description_in_the_readers_language(
    client, auth, locale, expected
):
    auth.login("admin")
    assert expected in page(client, f"/roles/list/?_l_={locale}")


def test_role_list_describes_every_catalog_role(client, auth):
    auth.login("admin")
    html = page(client, "/roles/list/?_l_=en&psize_SunshineRoleModelView=100")
    with force_locale("en"):
        for spec in ROLE_CATALOG:
            assert escape(str(spec.description)) in html, spec.name


def test_role_page_shows_its_description(client, auth, app):
    auth.login("admin")
    role = app.appbuilder.sm.find_role("Supervisor")
    html = page(client, f"/roles/show/{role.id}?_l_=zh")
    assert "督办岗：跟踪全部办件和信访件，发出督办通知" in html


def test_a_hand_made_role_is_listed_with_an_empty_description(client, auth, app):
    app.appbuilder.sm.add_role("Auditors 2027")
    auth.login("admin")
    assert "Auditors 2027" in page(client, "/roles/list/?_l_=en&psize_SunshineRoleModelView=100")
    assert role_description("Auditors 2027") == ""


def test_user_list_shows_the_division(client, auth):
    auth.login("admin")
    html = page(client, "/users/list/?_l_=zh&_flt_0_username=landuse_head")
    assert "土地利用处" in html
    assert "处室" in html


def test_user_page_shows_division_and_overseen_divisions(client, auth, app):
    auth.login("admin")
    deputy1 = app.appbuilder.sm.find_user("deputy1")
    html = page(client, f"/users/show/{deputy1.id}?_l_=zh")
    assert "分管处室" in html
    assert "地籍处" in html and "土地利用处" in html


def test_roles_sync_restores_a_role_the_admin_changed(app, runner):
    sm = app.appbuilder.sm
    window = sm.find_role("Window")
    window.permissions = []
    sm.session.commit()
    result = runner.invoke(args=["roles", "sync"])
    assert result.exit_code == 0
    assert sm.find_role("Window").permissions


def test_a_user_is_created_with_unticked_boxes(app, client, auth):
    sm = app.appbuilder.sm
    auth.login("admin")
    form = {
        "username": "clerk9",
        "first_name": "九",
        "last_name": "窗",
        "email": "clerk9@yzgt.example.cn",
        "division": str(sm.find_user("window1").division_id),
        "active": "y",
        "roles": [str(sm.find_role("Window").id)],
        "password": "Window@Clerk2026",
        "conf_password": "Window@Clerk2026",
    }
    assert client.post("/users/add", data=form).status_code == 302
    user = sm.find_user("clerk9")
    assert user.oversees_all is False  # unticked: not the director
    assert (user.notify_email, user.notify_sms) == (True, True)  # defaults; edited later


def test_a_division_can_be_made_inactive(app, client, auth):
    from app.extensions import db
    from app.models.org import Division

    unit = db.session.query(Division).filter_by(code="cityplan").one()
    auth.login("admin")
    form = {"code": unit.code, "name": unit.name, "kind": unit.kind}
    assert client.post(f"/divisionmodelview/edit/{unit.id}", data=form).status_code == 302
    assert db.session.get(Division, unit.id).active is False
