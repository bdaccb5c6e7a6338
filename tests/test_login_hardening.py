"""Login: rate limited (form and API, Redis-backed when configured), one answer for every
failure, cookies flagged, and sessions/JWTs that end at logout, password change, deactivation."""

import re
import time
import uuid
from datetime import timedelta

import pytest
import redis
from flask_jwt_extended import create_access_token

from app.extensions import db
from app.security.sessions import SIGNED_IN_AT_KEY
from config import DevelopmentConfig, ProductionConfig, TestingConfig
from tests.conftest import DEMO_PASSWORD

REDIS_URL = "redis://127.0.0.1:6379/0"
NEW_PASSWORD = "Land-Bureau-2026"


def api_login(client, username, password=DEMO_PASSWORD):
    return client.post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db"},
    )


def form_login(client, username, password=DEMO_PASSWORD):
    return client.post("/login/", data={"username": username, "password": password})


def limited_app(make_app, **overrides):
    return make_app(
        AUTH_RATE_LIMITED=True, RATELIMIT_ENABLED=True, AUTH_RATE_LIMIT="3 per minute", **overrides
    )


@pytest.mark.parametrize("login", [form_login, api_login], ids=["form", "api"])
def test_login_is_rate_limited(make_app, login):
    client = limited_app(make_app).test_client()
    answers = [login(client, "window1", "wrong password").status_code for _ in range(4)]
    assert 429 not in answers[:3]
    assert answers[3] == 429
    assert login(client, "window1").status_code == 429  # even the right password, for now


def test_api_rate_limit_answers_json(make_app):
    client = limited_app(make_app).test_client()
    for _ in range(3):
        api_login(client, "window1", "wrong")
    response = api_login(client, "window1", "wrong")
    assert response.status_code == 429
    assert "message" in response.get_json()


@pytest.fixture
def redis_prefix():
    try:
        connection = redis.Redis.from_url(REDIS_URL)
        connection.ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"no Redis at {REDIS_URL}")
    prefix = f"sunshine-test-{uuid.uuid4().hex}"
    yield connection, prefix
    for key in connection.scan_iter(f"*{prefix}*"):
        connection.delete(key)


def test_rate_limit_is_shared_through_redis(make_app, redis_prefix):
    connection, prefix = redis_prefix
    settings = {"RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix}
    first = limited_app(make_app, **settings).test_client()
    second = limited_app(make_app, **settings).test_client()  # another process, same Redis
    for _ in range(3):
        api_login(first, "window1", "wrong")
    assert api_login(second, "window1", "wrong").status_code == 429
    assert any(connection.scan_iter(f"*{prefix}*"))


FLASHED = re.compile(r'<div class="alert[^"]*">.*?</button>\s*(.*?)\s*</div>', re.S)


def failure_answers(client, login, username, password):
    response = login(client, username, password)
    flashed = None
    if response.status_code == 302:
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        flashed = FLASHED.findall(page)
    location = response.headers.get("Location")
    return response.status_code, location, response.get_json(silent=True), flashed


@pytest.mark.parametrize("login", [form_login, api_login], ids=["form", "api"])
def test_unknown_user_wrong_password_and_inactive_user_get_one_answer(served, login):
    change(served, "window2", active=False)
    answers = [
        failure_answers(served.test_client(), login, username, password)
        for username, password in [
            ("nobody-here", DEMO_PASSWORD),
            ("window1", "wrong password"),
            ("window2", DEMO_PASSWORD),
        ]
    ]
    assert answers[0] == answers[1] == answers[2]
    assert answers[0][0] in (302, 401)
    assert answers[0][2] or answers[0][3]  # a JSON message or a flashed one


def test_unknown_user_costs_a_password_hash_like_a_known_one(app, monkeypatch):
    from flask_appbuilder.security import manager

    calls = []
    real = manager.check_password_hash
    monkeypatch.setattr(
        manager, "check_password_hash", lambda *args: calls.append(args) or real(*args)
    )
    sm = app.appbuilder.sm
    assert sm.auth_user_db("nobody-here", DEMO_PASSWORD) is None
    assert sm.auth_user_db("window1", "wrong password") is None
    assert len(calls) == 2
    dummy_hash, real_hash = calls[0][0], calls[1][0]
    assert dummy_hash.split("$")[0] == real_hash.split("$")[0]  # same algorithm and cost


def test_session_cookie_is_httponly_lax_and_expires(client, auth):
    response = auth.login("window1")
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Expires=" in cookie


def test_production_cookies_are_secure_and_short_lived():
    config = ProductionConfig
    assert config.SESSION_COOKIE_SECURE is True
    assert config.REMEMBER_COOKIE_SECURE is True
    assert config.SESSION_COOKIE_HTTPONLY is True
    assert config.SESSION_COOKIE_SAMESITE == "Lax"
    assert timedelta(0) < config.PERMANENT_SESSION_LIFETIME <= timedelta(hours=12)


@pytest.mark.parametrize("config", [DevelopmentConfig, TestingConfig])
def test_plain_http_environments_do_not_require_secure_cookies(config):
    assert config.SESSION_COOKIE_SECURE is False


@pytest.fixture
def served(make_app):
    """An app without a pushed app context: each request gets its own ``g``, as in production
    (the ``app`` fixture's context would let Flask-Login reuse the user loaded earlier)."""
    return make_app()


def change(app, username, **attributes):
    with app.app_context():
        user = app.appbuilder.sm.find_user(username)
        for name, value in attributes.items():
            setattr(user, name, value)
        db.session.commit()


def reset_password(app, username, password):
    with app.app_context():
        sm = app.appbuilder.sm
        sm.reset_password(sm.find_user(username).id, password)


def login(app, username="window1", password=DEMO_PASSWORD):
    client = app.test_client()
    assert form_login(client, username, password).status_code == 302
    return client


def copy_of_session(app, client):
    other = app.test_client()
    other.set_cookie("session", client.get_cookie("session").value)
    return other


def signed_in(client, headers=None):
    return client.get("/api/v1/menu/", headers=headers).status_code == 200


def test_a_copied_session_cookie_works_while_signed_in(served):
    client = login(served)
    assert signed_in(copy_of_session(served, client))


def test_a_logged_out_session_cookie_no_longer_works(served):
    client = login(served)
    stolen = copy_of_session(served, client)
    client.post("/logout/")
    assert not signed_in(stolen)


def test_a_password_change_ends_other_sessions(served):
    stolen = copy_of_session(served, login(served))
    reset_password(served, "window1", NEW_PASSWORD)
    assert not signed_in(stolen)


def test_changing_my_password_keeps_my_session_and_ends_the_others(served):
    client = login(served)
    other_session = copy_of_session(served, client)
    response = client.post(
        "/resetmypassword/form", data={"password": NEW_PASSWORD, "conf_password": NEW_PASSWORD}
    )
    assert response.status_code == 302
    assert signed_in(client)
    assert not signed_in(other_session)


def test_deactivation_ends_sessions_even_after_reactivation(served):
    stolen = copy_of_session(served, login(served))
    change(served, "window1", active=False)
    change(served, "window1", active=True)
    assert not signed_in(stolen)


def test_a_session_ends_twelve_hours_after_login_however_active(served):
    client = login(served)
    assert signed_in(client)
    with client.session_transaction() as session:
        session[SIGNED_IN_AT_KEY] = int(time.time()) - 12 * 3600 - 1
    assert not signed_in(client)


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


def jwt(app, username="window1", password=DEMO_PASSWORD, **extra):
    response = app.test_client().post(
        "/api/v1/security/login",
        json={"username": username, "password": password, "provider": "db", **extra},
    )
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_a_jwt_works_until_the_user_logs_out(served):
    token = jwt(served)["access_token"]
    assert signed_in(served.test_client(), bearer(token))
    login(served).post("/logout/")
    assert not signed_in(served.test_client(), bearer(token))


def test_a_jwt_issued_before_a_password_change_is_refused(served):
    token = jwt(served)["access_token"]
    reset_password(served, "window1", NEW_PASSWORD)
    assert not signed_in(served.test_client(), bearer(token))
    fresh = jwt(served, password=NEW_PASSWORD)["access_token"]
    assert signed_in(served.test_client(), bearer(fresh))


def test_a_refresh_token_issued_before_deactivation_is_refused(served):
    refresh = jwt(served, refresh=True)["refresh_token"]
    client = served.test_client()
    assert client.post("/api/v1/security/refresh", headers=bearer(refresh)).status_code == 200
    change(served, "window1", active=False)
    change(served, "window1", active=True)
    assert client.post("/api/v1/security/refresh", headers=bearer(refresh)).status_code == 401


def test_an_expired_jwt_is_refused(app, client):
    user = app.appbuilder.sm.find_user("window1")
    with app.test_request_context():
        token = create_access_token(identity=str(user.id), expires_delta=timedelta(seconds=-1))
    response = client.get("/api/v1/menu/", headers=bearer(token))
    assert response.status_code == 401


def test_a_jwt_without_the_stamp_is_refused(app, client):
    user = app.appbuilder.sm.find_user("window1")
    with app.test_request_context():
        token = create_access_token(identity=str(user.id), additional_claims={"stamp": "forged"})
    assert client.get("/api/v1/menu/", headers=bearer(token)).status_code == 401


def test_jwt_lifetime_is_configured(app):
    assert timedelta(0) < app.config["JWT_ACCESS_TOKEN_EXPIRES"] <= timedelta(hours=12)


@pytest.mark.parametrize(
    "token",
    ["not-a-jwt", "a.b.c", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.forged-signature"],
    ids=["garbage", "three-parts", "bad-signature"],
)
def test_a_malformed_jwt_answers_401_with_a_message(client, token):
    response = client.get("/api/v1/case/", headers=bearer(token))
    assert response.status_code == 401
    body = response.get_json()
    assert set(body) == {"message"} and body["message"]


def test_a_jwt_for_an_unknown_user_answers_401_with_a_message(app, client):
    with app.test_request_context():
        token = create_access_token(identity="999999")
    response = client.get("/api/v1/case/", headers=bearer(token))
    assert response.status_code == 401
    assert set(response.get_json()) == {"message"}


def from_address(address):
    return {"environ_base": {"REMOTE_ADDR": "10.0.0.1"}, "headers": {"X-Forwarded-For": address}}


def login_from(client, address, username="window1", password=DEMO_PASSWORD):
    return client.post(
        "/login/", data={"username": username, "password": password}, **from_address(address)
    )


@pytest.mark.parametrize("setting", ["TRUSTED_PROXIES", "AUDIT_TRUSTED_PROXIES"])
def test_behind_a_proxy_the_login_limit_keys_on_the_client(make_app, setting):
    client = limited_app(make_app, **{setting: 1}).test_client()
    for number in range(1, 5):  # more bad logins than the limit, each from its own client
        assert login_from(client, f"203.0.113.{number}", password="wrong").status_code != 429
    assert login_from(client, "198.51.100.7").status_code == 302  # signed in
    answers = [login_from(client, "203.0.113.9", password="wrong").status_code for _ in range(4)]
    assert answers[-1] == 429  # one client past the limit is still stopped


def test_without_trusted_proxies_forwarded_addresses_are_ignored(make_app):
    client = limited_app(make_app).test_client()
    answers = [
        login_from(client, f"203.0.113.{number}", password="wrong").status_code
        for number in range(1, 5)
    ]
    assert answers[-1] == 429


def account_limited_app(make_app):
    return make_app(
        AUTH_RATE_LIMITED=True,
        RATELIMIT_ENABLED=True,
        AUTH_RATE_LIMIT="100 per minute",
        AUTH_ACCOUNT_RATE_LIMIT="3 per minute",
        TRUSTED_PROXIES=1,
    )


@pytest.mark.parametrize("login", [form_login, api_login], ids=["form", "api"])
def test_failed_logins_for_one_account_lock_that_account_only(make_app, login):
    from app.audit import actions
    from tests.audit_helpers import events_since, head_seq

    app = account_limited_app(make_app)
    client = app.test_client()
    for number in range(3):  # a guesser spreading over addresses
        client.environ_base["HTTP_X_FORWARDED_FOR"] = f"203.0.113.{number}"
        assert login(client, "Window1 ", "wrong").status_code != 429
    client.environ_base["HTTP_X_FORWARDED_FOR"] = "198.51.100.7"
    with app.app_context():
        mark = head_seq()
        assert login(client, "window1").status_code == 429  # the right password too, for now
        [event] = events_since(mark)
    assert event.action == actions.DENIED
    assert event.details["reason"] == "account_rate_limited"
    assert (event.details["username"], event.details["status"]) == ("window1", 429)
    assert event.ip == "198.51.100.7"
    assert login(client, "window2").status_code in (200, 302)  # another account signs in


def test_successful_logins_do_not_count_against_the_account(make_app):
    client = account_limited_app(make_app).test_client()
    assert [form_login(client, "window1").status_code for _ in range(5)] == [302] * 5


def test_an_api_login_without_a_provider_answers_400(client):
    response = client.post("/api/v1/security/login", json={"username": "window1", "password": "x"})
    assert response.status_code == 400
    assert response.get_json()["message"]
