"""Security headers with a nonce-based CSP, no open redirect, and malformed input that answers
400/404 with a message instead of a 500, on FAB's views as on ours."""

import re
from urllib.parse import quote, urlsplit

import pytest

from app.extensions import db
from app.models.org import Division

NONCE = re.compile(r"'nonce-([^']+)'")
SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.S)


def csp(response):
    return dict(
        part.strip().split(" ", 1)
        for part in response.headers["Content-Security-Policy"].split(";")
    )


@pytest.mark.parametrize("path", ["/login/", "/", "/divisionmodelview/list/", "/users/list/"])
def test_every_script_carries_the_nonce_of_the_policy(client, auth, path):
    if path != "/login/":
        auth.login("admin")
    response = client.get(path)
    policy = csp(response)
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    nonce = NONCE.search(policy["script-src"]).group(1)
    scripts = SCRIPT_TAG.findall(response.get_data(as_text=True))
    assert scripts
    for tag in scripts:
        assert f'nonce="{nonce}"' in tag, tag


def test_each_response_gets_a_new_nonce(client):
    first = csp(client.get("/login/"))["script-src"]
    second = csp(client.get("/login/"))["script-src"]
    assert first != second


@pytest.mark.parametrize(
    ("header", "value"),
    [
        ("X-Content-Type-Options", "nosniff"),
        ("X-Frame-Options", "DENY"),
        ("Referrer-Policy", "same-origin"),
    ],
)
def test_security_headers(client, header, value):
    assert client.get("/login/").headers[header] == value


def test_policy_forbids_framing_plugins_and_foreign_forms(client):
    policy = csp(client.get("/login/"))
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert policy["form-action"] == "'self'"


def test_hsts_only_where_cookies_are_secure(make_app):
    app = make_app(SESSION_COOKIE_SECURE=True)
    assert "Strict-Transport-Security" in app.test_client().get("/login/").headers
    plain = make_app()
    assert "Strict-Transport-Security" not in plain.test_client().get("/login/").headers


EVIL = [
    "//evil.com",
    "https://evil.com",
    "/\\evil.com",
    "\\\\evil.com",
    "///evil.com",
    "javascript:alert(1)",
    "https:evil.com",
    " //evil.com",
    "/%09/evil.com",
]


def stays_on_site(location):
    parts = urlsplit(location)
    return (
        location.startswith("/")
        and not location.startswith("//")
        and "\\" not in location
        and not parts.scheme
        and not parts.netloc
    )


def query(next_url):
    return "next=" + quote(next_url, safe="")


@pytest.mark.parametrize("next_url", EVIL)
def test_login_form_never_redirects_off_site(client, next_url):
    response = client.post(
        "/login/",
        query_string=query(next_url),
        data={"username": "window1", "password": "Demo@2026"},
    )
    assert response.status_code == 302
    assert stays_on_site(response.headers["Location"]), response.headers["Location"]


@pytest.mark.parametrize("next_url", EVIL)
def test_login_page_of_a_signed_in_user_never_redirects_off_site(client, auth, next_url):
    auth.login("window1")
    response = client.get("/login/", query_string=query(next_url))
    assert stays_on_site(response.headers["Location"]), response.headers["Location"]


def test_double_encoded_next_is_not_decoded_into_a_host(client):
    response = client.post(
        "/login/",
        query_string="next=%252F%252Fevil.com",
        data={"username": "window1", "password": "Demo@2026"},
    )
    assert stays_on_site(response.headers["Location"])


@pytest.mark.parametrize("next_url", EVIL)
def test_language_switch_never_redirects_off_site(client, auth, next_url):
    auth.login("window1")
    response = client.get("/lang/en", query_string=query(next_url))
    assert response.status_code == 302
    assert stays_on_site(response.headers["Location"]), response.headers["Location"]


def test_language_switch_with_a_forged_referer_stays_on_site(client, auth):
    auth.login("window1")
    response = client.get("/lang/en", headers={"Referer": "https://evil.com/"})
    assert stays_on_site(response.headers["Location"])


def test_a_safe_next_is_still_followed(client):
    response = client.post(
        "/login/",
        query_string="next=/directory/list/",
        data={"username": "window1", "password": "Demo@2026"},
    )
    assert response.headers["Location"] == "/directory/list/"


@pytest.fixture
def admin_api(client, auth):
    token = auth.token("admin")

    def call(method, path, **kwargs):
        return client.open(
            path, method=method, headers={"Authorization": f"Bearer {token}"}, **kwargs
        )

    return call


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/api/v1/division/?q=(", 400),
        ("GET", "/api/v1/division/?q=!(", 400),
        ("GET", "/api/v1/division/_info?q=(", 400),
        ("GET", "/api/v1/division/1?q=(", 400),
        ("GET", "/api/v1/division/99999999999999999999", 404),
        ("GET", "/api/v1/division/2147483648", 404),
        ("GET", "/api/v1/division/abc", 404),
        ("GET", "/api/v1/division/-1", 404),
        ("PUT", "/api/v1/division/99999999999999999999", 404),
        ("PUT", "/api/v1/division/abc", 404),
        ("DELETE", "/api/v1/division/99999999999999999999", 404),
        ("DELETE", "/api/v1/division/abc", 404),
        ("GET", "/api/v1/division/?q=(page_size:1000)", 400),
        ("GET", "/api/v1/division/?q=(page_size:0)", 400),
        ("GET", "/api/v1/division/?q=(page_size:-5)", 400),
        ("GET", "/api/v1/division/?q=(page:-1)", 400),
        ("GET", "/api/v1/division/?q=(page:99999999999999999999,page_size:10)", 400),
        ("GET", "/api/v1/division/?q=(page:abc)", 400),
        ("GET", "/api/v1/division/?q=(order_column:nope,order_direction:asc)", 400),
        ("GET", "/api/v1/division/?q=(filters:!((col:nope,opr:eq,value:1)))", 400),
        ("GET", "/api/v1/no-such-api/", 404),
    ],
)
def test_malformed_api_input_answers_json_never_500(admin_api, method, path, status):
    kwargs = {"json": {"name": "x"}} if method == "PUT" else {}
    response = admin_api(method, path, **kwargs)
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.get_json()["message"]


def test_a_body_that_is_not_json_answers_400(admin_api):
    response = admin_api("POST", "/api/v1/division/", data="{", content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["message"]


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/divisionmodelview/show/99999999999999999999", 404),
        ("/divisionmodelview/show/abc", 404),
        ("/divisionmodelview/edit/abc", 404),
        ("/users/show/99999999999999999999", 404),
        ("/roles/edit/1e9", 404),
        ("/divisionmodelview/list/?page_DivisionModelView=abc", 400),
        ("/divisionmodelview/list/?page_DivisionModelView=-1", 400),
        ("/divisionmodelview/list/?psize_DivisionModelView=100000", 400),
        ("/divisionmodelview/list/?psize_DivisionModelView=0", 400),
        ("/users/list/?page_SunshineUserDBModelView=1e3", 400),
    ],
)
def test_malformed_page_input_answers_4xx_never_500(client, auth, path, status):
    auth.login("admin")
    assert client.get(path).status_code == status


def test_action_post_with_a_malformed_row_id_is_404(client, auth):
    auth.login("admin")
    response = client.post(
        "/divisionmodelview/action_post", data={"action": "muldelete", "rowid": ["1", "abc"]}
    )
    assert response.status_code == 404


def test_nested_related_object_is_refused_and_creates_nothing(admin_api):
    before = db.session.query(Division).count()
    response = admin_api(
        "POST",
        "/api/v1/division/",
        json={
            "code": "nested_child",
            "name": "child",
            "kind": "division",
            "parent": {"code": "nested_parent", "name": "parent", "kind": "division"},
        },
    )
    assert response.status_code == 400
    assert "parent" in response.get_json()["message"]
    assert db.session.query(Division).count() == before


def test_unknown_related_id_is_refused_and_creates_nothing(admin_api):
    before = db.session.query(Division).count()
    response = admin_api(
        "POST",
        "/api/v1/division/",
        json={"code": "orphan", "name": "orphan", "kind": "division", "parent": 987654},
    )
    assert response.status_code == 400
    assert db.session.query(Division).count() == before


def test_nested_related_object_in_a_put_is_refused(admin_api):
    landuse = db.session.query(Division).filter_by(code="landuse").one()
    response = admin_api(
        "PUT",
        f"/api/v1/division/{landuse.id}",
        json={"parent": {"code": "sneaky", "name": "sneaky", "kind": "division"}},
    )
    assert response.status_code == 400
    db.session.expire_all()
    assert db.session.query(Division).filter_by(code="sneaky").count() == 0


def test_a_related_id_of_an_existing_row_is_accepted(admin_api):
    office = db.session.query(Division).filter_by(code="office").one()
    response = admin_api(
        "POST",
        "/api/v1/division/",
        json={"code": "subunit", "name": "sub", "kind": "division", "parent": office.id},
    )
    assert response.status_code == 201
    assert db.session.get(Division, response.get_json()["id"]).parent_id == office.id


@pytest.mark.parametrize("username", ["landuse_staff", "window1", "ownership_staff"])
def test_info_needs_read_permission(client, auth, username):
    token = auth.token(username)
    response = client.get("/api/v1/division/_info", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 403


def test_info_for_a_reader(admin_api):
    assert admin_api("GET", "/api/v1/division/_info").status_code == 200


def test_a_duplicate_code_answers_422_without_sql(admin_api):
    response = admin_api(
        "POST",
        "/api/v1/division/?_l_=en",
        json={"code": "landuse", "name": "dup", "kind": "division"},
    )
    assert response.status_code == 422
    message = response.get_json()["message"]
    assert "unique" in message
    assert "INSERT" not in message and "division.code" not in message


def test_an_update_refused_by_the_database_answers_422_without_sql(admin_api):
    landuse = db.session.query(Division).filter_by(code="landuse").one()
    response = admin_api("PUT", f"/api/v1/division/{landuse.id}", json={"code": "office"})
    assert response.status_code == 422
    assert "UPDATE" not in response.get_json()["message"]
