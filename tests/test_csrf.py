"""CSRF: with protection on, a POST without the form's token is refused; GET never mutates."""

import re

import pytest

from app.extensions import db
from app.models.org import Division
from tests.conftest import DEMO_PASSWORD

TOKEN = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')


@pytest.fixture
def csrf_app(make_app):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app


def form_token(client, path):
    match = TOKEN.search(client.get(path).get_data(as_text=True))
    assert match, f"no csrf_token field on {path}"
    return match.group(1)


def login_with_token(client, username="admin"):
    token = form_token(client, "/login/")
    response = client.post(
        "/login/", data={"username": username, "password": DEMO_PASSWORD, "csrf_token": token}
    )
    assert response.status_code == 302 and response.headers["Location"] == "/"


def division_count():
    return db.session.query(Division).count()


def test_login_without_token_is_refused(csrf_app):
    client = csrf_app.test_client()
    response = client.post("/login/", data={"username": "admin", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert client.get("/api/v1/menu/").status_code == 401


def test_login_with_the_forms_token_works(csrf_app):
    client = csrf_app.test_client()
    login_with_token(client)
    assert client.get("/api/v1/menu/").status_code == 200


def test_add_without_token_is_refused_and_creates_nothing(csrf_app):
    client = csrf_app.test_client()
    login_with_token(client)
    before = division_count()
    response = client.post(
        "/divisionmodelview/add",
        data={"code": "csrf_probe", "name": "x", "kind": "division", "active": "y"},
    )
    assert response.status_code == 400
    assert division_count() == before


def test_add_with_token_works(csrf_app):
    client = csrf_app.test_client()
    login_with_token(client)
    token = form_token(client, "/divisionmodelview/add")
    response = client.post(
        "/divisionmodelview/add",
        data={
            "code": "csrf_ok",
            "name": "x",
            "kind": "division",
            "active": "y",
            "csrf_token": token,
        },
    )
    assert response.status_code == 302
    assert db.session.query(Division).filter_by(code="csrf_ok").count() == 1


def test_api_write_with_the_session_cookie_needs_the_token(csrf_app):
    client = csrf_app.test_client()
    login_with_token(client)
    payload = {"code": "cookie_api", "name": "x", "kind": "division"}
    assert client.post("/api/v1/division/", json=payload).status_code == 400
    token = form_token(client, "/divisionmodelview/add")
    response = client.post("/api/v1/division/", json=payload, headers={"X-CSRFToken": token})
    assert response.status_code == 201


def test_api_write_with_a_jwt_needs_no_token(csrf_app):
    client = csrf_app.test_client()
    login = client.post(
        "/api/v1/security/login",
        json={"username": "admin", "password": DEMO_PASSWORD, "provider": "db"},
    )
    token = login.get_json()["access_token"]
    response = client.post(
        "/api/v1/division/",
        json={"code": "jwt_api", "name": "x", "kind": "division"},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert response.status_code == 201


def test_unsafe_get_mutations_are_not_allowed(app):
    assert not app.config.get("FAB_ALLOW_GET_UNSAFE_MUTATIONS", False)
    assert "csrf" in app.extensions


def model_views_with_delete(app):
    for view in app.appbuilder.baseviews:
        blueprint = getattr(view, "blueprint", None)
        if blueprint is not None and f"{blueprint.name}.delete" in app.view_functions:
            yield view


@pytest.mark.parametrize("csrf_enabled", [True, False], ids=["csrf-on", "csrf-off"])
def test_get_on_delete_never_deletes(make_app, csrf_enabled):
    app = make_app(WTF_CSRF_ENABLED=csrf_enabled)
    with app.app_context():
        client = app.test_client()
        if csrf_enabled:
            login_with_token(client)
        else:
            client.post("/login/", data={"username": "admin", "password": DEMO_PASSWORD})
        checked = 0
        for view in model_views_with_delete(app):
            count, rows = view.datamodel.query(page=0, page_size=1)
            if not rows:
                continue
            pk = view.datamodel.get_pk_value(rows[0])
            client.get(f"{view.blueprint.url_prefix or ''}/delete/{pk}".replace("//", "/"))
            db.session.expire_all()
            assert view.datamodel.get(pk) is not None, f"GET deleted a row of {view}"
            checked += 1
        assert checked >= 5  # divisions, users, roles, permissions, ...


@pytest.mark.parametrize(
    "authorization", ["Basic YWRtaW46eA==", "Bearer not-a-token", "anything"], ids=str
)
def test_a_session_with_any_authorization_header_still_needs_the_token(csrf_app, authorization):
    client = csrf_app.test_client()
    login_with_token(client)
    before = division_count()
    response = client.post(
        "/api/v1/division/",
        json={"code": "csrf_header_probe", "name": "x", "kind": "division"},
        headers={"Authorization": authorization},
    )
    assert response.status_code == 400
    assert division_count() == before


def test_a_session_with_a_valid_jwt_still_needs_the_token(csrf_app):
    client = csrf_app.test_client()
    login_with_token(client)
    jwt = csrf_app.test_client().post(
        "/api/v1/security/login",
        json={"username": "admin", "password": DEMO_PASSWORD, "provider": "db"},
    )
    headers = {"Authorization": f"Bearer {jwt.get_json()['access_token']}"}
    payload = {"code": "csrf_jwt_probe", "name": "x", "kind": "division"}
    assert client.post("/api/v1/division/", json=payload, headers=headers).status_code == 400
    assert db.session.query(Division).filter_by(code="csrf_jwt_probe").count() == 0


def signed_in(client):
    return client.get("/api/v1/menu/").status_code == 200


def test_get_logout_signs_nobody_out_and_offers_the_form(csrf_app):
    client = csrf_app.test_client()
    login_with_token(client)
    response = client.get("/logout/")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert 'action="/logout/"' in page and TOKEN.search(page)
    assert signed_in(client)


def test_logout_post_needs_the_token(csrf_app):
    client = csrf_app.test_client()
    login_with_token(client)
    assert client.post("/logout/").status_code == 400
    assert signed_in(client)
    token = form_token(client, "/logout/")
    response = client.post("/logout/", data={"csrf_token": token})
    assert response.status_code == 302
    assert not signed_in(client)


def test_the_user_menu_signs_out_with_a_form(csrf_app):
    client = csrf_app.test_client()
    login_with_token(client)
    page = client.get("/divisionmodelview/list/").get_data(as_text=True)
    menu_form = re.search(r'<form method="post" action="/logout/"[^>]*>(.*?)</form>', page, re.S)
    assert menu_form and re.search(r'name="csrf_token"[^>]* value="[^"]+"', menu_form.group(1))
    assert 'href="/logout/"' not in page


def test_get_logout_when_signed_out_goes_home(csrf_app):
    response = csrf_app.test_client().get("/logout/")
    assert response.status_code == 302
