"""Who reaches the public portal: anonymous visitors through the Public role, every signed-in
role alike, and nothing else of the console without signing in."""

import pytest

from app.extensions import db
from app.security.permissions import Resource
from app.security.roles import ROLE_CATALOG
from tests.test_permission_matrix import USER_OF_ROLE

PORTAL_PAGES = [
    "/public/",
    "/public/guides",
    "/public/guides/GD-01",
    "/public/disclosure",
    "/public/results",
    "/public/progress",
]
# What an anonymous visitor may open: the portal, signing in, and static files.
PUBLIC_ENDPOINTS = {"AuthDBView.login", "AuthDBView.logout", "UtilView.back", "static"}
PUBLIC_BLUEPRINTS = {"PortalView", "ProgressView", "PublicProgressApi"}


def test_the_public_role_holds_only_the_portal():
    public = next(spec for spec in ROLE_CATALOG if spec.name == "Public")
    assert set(public.permissions) == {("can_read", Resource.PORTAL), ("can_act", Resource.PORTAL)}


def test_the_synced_public_role_matches_the_catalog(app):
    role = app.appbuilder.sm.find_role("Public")
    held = {(pv.permission.name, pv.view_menu.name) for pv in role.permissions}
    assert held == {("can_read", "Portal"), ("can_act", "Portal")}


@pytest.mark.parametrize("role", sorted(USER_OF_ROLE))
def test_every_role_reads_the_portal(client, auth, role):
    if USER_OF_ROLE[role]:
        auth.login(USER_OF_ROLE[role])
    for path in PORTAL_PAGES:
        assert client.get(path).status_code == 200, (role, path)
    api = client.get("/api/v1/public/progress?receipt_no=YZGT-2026-999999&code=ABCDEFGH")
    assert api.status_code == 404


def sample_url(app, rule):
    values = {
        name: 1 if type(converter).__name__ == "IntegerConverter" else "x"
        for name, converter in rule._converters.items()
    }
    return app.url_map.bind("localhost").build(rule.endpoint, values)


def test_anonymous_visitors_reach_nothing_but_the_portal(app, client):
    opened = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods:
            continue
        response = client.get(sample_url(app, rule))
        to_login = response.status_code == 302 and response.location.startswith("/login/")
        if response.status_code < 400 and not to_login:
            opened.append(rule.endpoint)
    allowed = {e for e in opened if e in PUBLIC_ENDPOINTS or e.split(".")[0] in PUBLIC_BLUEPRINTS}
    assert set(opened) == allowed
    assert {"PortalView.index", "PortalView.guides", "ProgressView.progress"} <= allowed


def test_the_admin_can_close_the_portal_through_the_public_role(app, client):
    sm = app.appbuilder.sm
    role = sm.find_role("Public")
    role.permissions = []
    db.session.commit()
    response = client.get("/public/guides")
    assert response.status_code == 302 and response.location.startswith("/login/")
    assert client.get("/api/v1/public/progress?receipt_no=A&code=B").status_code == 401


def test_the_language_switch_stays_on_the_portal(client):
    response = client.get("/public/language/en?next=/public/guides")
    assert response.location == "/public/guides"
    assert "Matter guides" in client.get("/public/guides").get_data(as_text=True)
    for target in ("https://evil.example/", "//evil.example/", "/admin", "/public\\@evil"):
        response = client.get("/public/language/zh", query_string={"next": target})
        assert response.location == "/public/"
    assert client.get("/public/language/xx").status_code == 404


def test_the_portal_sends_the_console_s_security_headers(client):
    response = client.get("/public/")
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
