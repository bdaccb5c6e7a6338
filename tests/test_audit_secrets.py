"""No password hash, password or other secret is ever written to the trail."""

import json

import pytest
from sqlalchemy import select

from app.audit.values import REDACTED, is_secret, scrub
from app.extensions import db
from app.models.audit import AuditEvent
from tests.audit_helpers import events_since, head_seq

PASSWORD = "Secret@Pass2026"


def every_event_as_json():
    db.session.expire_all()
    rows = db.session.execute(select(AuditEvent.before, AuditEvent.after, AuditEvent.details))
    return [json.dumps(list(row), ensure_ascii=False) for row in rows]


def assert_no_secret(*secrets):
    for text in every_event_as_json():
        for secret in secrets:
            assert secret not in text


def test_user_created_with_sm_add_user_leaves_no_secret(app):
    sm = app.appbuilder.sm
    mark = head_seq()
    user = sm.add_user(
        "clerk9", "九", "窗", "clerk9@yzgt.example.cn", sm.find_role("Window"), password=PASSWORD
    )
    assert user
    assert_no_secret(PASSWORD, user.password, "pbkdf2:", "scrypt:")
    (event,) = events_since(mark)
    assert event.after["password"] == REDACTED


def test_user_created_with_the_add_form_leaves_no_secret(app, client, auth):
    sm = app.appbuilder.sm
    auth.login("admin")
    mark = head_seq()
    form = {
        "username": "clerk8",
        "first_name": "八",
        "last_name": "窗",
        "email": "clerk8@yzgt.example.cn",
        "division": str(sm.find_user("window1").division_id),
        "notify_email": "y",
        "notify_sms": "y",
        "oversees_all": "y",
        "active": "y",
        "roles": [str(sm.find_role("Window").id)],
        "password": PASSWORD,
        "conf_password": PASSWORD,
    }
    assert client.post("/users/add", data=form).status_code == 302
    user = sm.find_user("clerk8")
    assert user is not None
    assert_no_secret(PASSWORD, user.password, "pbkdf2:", "scrypt:")
    assert [e.action for e in events_since(mark)] == ["create"]


def test_password_reset_is_recorded_without_the_password(app, client, auth):
    sm = app.appbuilder.sm
    user = sm.find_user("window2")
    auth.login("admin")
    mark = head_seq()
    response = client.post(
        f"/resetpassword/form?pk={user.id}",
        data={"password": PASSWORD, "conf_password": PASSWORD},
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert_no_secret(PASSWORD, sm.find_user("window2").password, "pbkdf2:", "scrypt:")
    (event,) = events_since(mark)
    assert event.before["password"] == event.after["password"] == REDACTED
    # the session stamp rotates with the password (ending other sessions): withheld too
    assert set(event.after) <= {"password", "session_stamp"}
    assert all(value == REDACTED for value in event.after.values())


def test_a_failed_login_does_not_record_the_password_tried(client, auth):
    auth.login("window1", "Wrong@Guess2026")
    assert_no_secret("Wrong@Guess2026")


@pytest.mark.parametrize(
    "name",
    [
        "password",
        "conf_password",
        "key_hash",
        "lookup_hash",
        "registration_hash",
        "client_secret",
        "refresh_token",
        "token",
        "PASSWORD",
    ],
)
def test_secret_column_names_are_withheld(app, name):
    assert is_secret(name)
    assert scrub({name: "s3cr3t"}) == {name: REDACTED}


@pytest.mark.parametrize("name", ["name", "email", "hash", "content_hash", "username"])
def test_ordinary_column_names_are_kept(app, name):
    assert not is_secret(name)


def test_configured_secret_columns_are_withheld_too(make_app):
    application = make_app(AUDIT_SECRET_COLUMNS=frozenset({"id_number"}))
    with application.app_context():
        assert scrub({"id_number": "320102199001011234"}) == {"id_number": REDACTED}
