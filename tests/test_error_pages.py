"""Error pages: in the console's layout and the reader's language for pages, JSON for the API,
no traceback, no staff menu for anonymous visitors."""

import pytest
from flask import abort

from app.extensions import db
from app.views import errors
from tests.conftest import DEMO_PASSWORD, build_app

CODES = (400, 403, 404, 405, 413, 429, 500)
TITLES = {
    400: ("无法处理该请求", "The request could not be understood"),
    403: ("拒绝访问", "Access denied"),
    404: ("页面不存在", "Page not found"),
    405: ("该地址不接受此类请求", "This address does not take that request"),
    413: ("文件过大", "The file is too large"),
    429: ("尝试次数过多", "Too many attempts"),
    500: ("系统出错了", "Something went wrong"),
}
SECRET = "postgresql://bureau:s3cret@db.internal/sunshine"


def fail(code):
    if code == 500:
        raise RuntimeError(f"could not connect to {SECRET}")
    abort(code)


@pytest.fixture(scope="module")
def error_app(databases):
    """An app with routes that fail with each status, handled as in production."""
    url = databases.fresh_url()
    app = build_app(url, PROPAGATE_EXCEPTIONS=False)
    app.add_url_rule("/test-errors/<int:code>", "test_errors", fail)
    app.add_url_rule("/api/v1/test-errors/<int:code>", "api_test_errors", fail)
    yield app
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    databases.drop(url)


@pytest.fixture(scope="module")
def signed_in(error_app):
    client = error_app.test_client()
    response = client.post("/login/", data={"username": "window1", "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize("code", CODES)
@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_page_error_is_shown_in_the_layout_and_language(signed_in, code, language):
    response = signed_in.get(f"/test-errors/{code}?_l_={language}")
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert TITLES[code][language == "en"] in html
    assert TITLES[code][language == "zh"] not in html
    assert 'class="navbar' in html and "sunshine-error" in html


@pytest.mark.parametrize("code", CODES)
def test_the_api_keeps_answering_json(signed_in, code):
    response = signed_in.get(f"/api/v1/test-errors/{code}")
    assert response.status_code == code
    assert set(response.get_json()) == {"message"}


def test_a_500_page_shows_no_traceback(signed_in):
    html = signed_in.get("/test-errors/500").get_data(as_text=True)
    for leak in ("Traceback", "RuntimeError", SECRET, "could not connect"):
        assert leak not in html


def test_a_500_answer_of_the_api_shows_no_traceback(signed_in):
    body = signed_in.get("/api/v1/test-errors/500").get_data(as_text=True)
    assert SECRET not in body and "Traceback" not in body


def test_anonymous_visitors_get_a_plain_page_without_staff_menus(error_app):
    html = error_app.test_client().get("/no-such-page").get_data(as_text=True)
    assert "页面不存在" in html and "/login/" in html
    for menu in ("事项目录", "系统设置", "组织机构", "工作台</a>"):
        assert menu not in html


def test_the_layout_failing_still_gives_a_plain_error_page(signed_in, monkeypatch):
    drawn = errors.render_template

    def layout_fails(template, **context):
        if template == "sunshine/error.html":
            raise RuntimeError("the database is down")
        return drawn(template, **context)

    monkeypatch.setattr(errors, "render_template", layout_fails)
    response = signed_in.get("/test-errors/500")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "系统出错了" in html and "navbar" not in html


# -- the real causes, on the shared app


def test_a_page_the_role_does_not_grant_answers_403(client, auth):
    auth.login("landuse_staff")
    response = client.get("/users/list/")
    assert response.status_code == 403
    assert "拒绝访问" in response.get_data(as_text=True)


def test_an_unknown_record_answers_404_in_the_layout(client, auth):
    auth.login("landuse_staff")
    response = client.get("/cases/show/999999")
    assert response.status_code == 404
    assert "页面不存在" in response.get_data(as_text=True)


def test_a_wrong_method_answers_405_with_allow(client, auth):
    auth.login("landuse_staff")
    response = client.put("/")
    assert response.status_code == 405
    assert "GET" in response.headers["Allow"]
    assert "该地址不接受此类请求" in response.get_data(as_text=True)


def test_a_bad_page_argument_shows_its_message(client, auth):
    auth.login("landuse_staff")
    response = client.get("/directory/list/?page_DirectoryView=abc")
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "无法处理该请求" in html and "page_DirectoryView" in html


def test_a_body_beyond_the_limit_answers_413(app, client, auth, monkeypatch):
    auth.login("landuse_staff")
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 1024)
    response = client.post("/resetmypassword/form", data={"password": "x" * 4096})
    assert response.status_code == 413
    assert "文件过大" in response.get_data(as_text=True)


def test_an_expired_form_says_so(make_app):
    client = make_app(WTF_CSRF_ENABLED=True).test_client()
    response = client.post("/login/", data={"username": "window1", "password": DEMO_PASSWORD})
    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "表单已过期或重复提交" in html and "CSRF" not in html


def test_too_many_sign_ins_answer_429_in_the_layout(make_app):
    app = make_app(AUTH_RATE_LIMITED=True, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="2 per minute")
    client = app.test_client()
    for _ in range(2):
        client.post("/login/", data={"username": "window1", "password": "wrong"})
    response = client.post("/login/", data={"username": "window1", "password": "wrong"})
    assert response.status_code == 429
    assert "尝试次数过多" in response.get_data(as_text=True)
