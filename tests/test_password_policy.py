"""The password policy holds on every path that sets a password, except the demo seed."""

import pytest
from flask_appbuilder.cli import fab

from app.security.passwords import WeakPasswordError, check_password_policy
from tests.conftest import DEMO_PASSWORD

STRONG = "Land-Bureau-2026"
WEAK = [
    "Short@1a",  # too short
    "alllowercaseletters",  # one class
    "lowercase-and-symbols",  # two classes
    "UPPER123456789",  # two classes
    DEMO_PASSWORD,  # the demo password itself: 9 characters
]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused(app, password):
    with pytest.raises(WeakPasswordError, match="12"):
        check_password_policy(password)


@pytest.mark.parametrize("password", [STRONG, "correct horse Battery staple", "长密码Abc12345678"])
def test_long_passwords_of_three_classes_pass(app, password):
    check_password_policy(password)


def test_policy_is_fabs_complexity_validator(app):
    assert app.config["FAB_PASSWORD_COMPLEXITY_ENABLED"] is True
    assert app.config["FAB_PASSWORD_COMPLEXITY_VALIDATOR"] is check_password_policy


def test_add_user_refuses_a_weak_password(app):
    sm = app.appbuilder.sm
    with pytest.raises(WeakPasswordError):
        sm.add_user("weakling", "W", "L", "weak@example.org", sm.find_role("Staff"), "password1")
    assert sm.find_user("weakling") is None


def test_add_user_accepts_a_strong_password(app):
    sm = app.appbuilder.sm
    assert sm.add_user("strong", "S", "T", "strong@example.org", sm.find_role("Staff"), STRONG)
    assert sm.auth_user_db("strong", STRONG) is not None


def test_reset_password_refuses_a_weak_password(app):
    sm = app.appbuilder.sm
    user = sm.find_user("window1")
    with pytest.raises(WeakPasswordError):
        sm.reset_password(user.id, "weak")
    assert sm.auth_user_db("window1", DEMO_PASSWORD) is not None


def invoke_fab(app, *args):
    return app.test_cli_runner().invoke(fab, list(args))


@pytest.mark.parametrize("command", ["create-admin", "create-user"])
def test_fab_cli_refuses_a_weak_password(app, command):
    role = ["--role", "Staff"] if command == "create-user" else []
    result = invoke_fab(
        app,
        command,
        *role,
        "--username=clinew",
        "--firstname=C",
        "--lastname=N",
        "--email=clinew@example.org",
        "--password=Demo@2026",
    )
    assert result.exit_code == 1
    assert "12" in result.output and "Traceback" not in result.output
    assert app.appbuilder.sm.find_user("clinew") is None


def test_fab_cli_creates_a_user_with_a_strong_password(app):
    result = invoke_fab(
        app,
        "create-user",
        "--role=Staff",
        "--username=clinew",
        "--firstname=C",
        "--lastname=N",
        "--email=clinew@example.org",
        f"--password={STRONG}",
    )
    assert result.exit_code == 0, result.output
    assert app.appbuilder.sm.find_user("clinew") is not None


def test_fab_cli_reset_password_refuses_a_weak_password(app):
    result = invoke_fab(app, "reset-password", "--username=window1", "--password=weak")
    assert result.exit_code == 1
    assert "12" in result.output and "Traceback" not in result.output
    assert app.appbuilder.sm.auth_user_db("window1", DEMO_PASSWORD) is not None


def test_user_screen_refuses_a_weak_password(client, auth, app):
    auth.login("admin")
    response = client.post(
        "/users/add",
        data={
            "username": "screenweak",
            "first_name": "S",
            "last_name": "W",
            "email": "screenweak@example.org",
            "active": "y",
            "roles": [str(app.appbuilder.sm.find_role("Staff").id)],
            "password": "weakpass1",
            "conf_password": "weakpass1",
        },
    )
    assert response.status_code == 200
    assert "12" in response.get_data(as_text=True)
    assert app.appbuilder.sm.find_user("screenweak") is None


def test_reset_my_password_screen_refuses_a_weak_password(client, auth, app):
    auth.login("window1")
    response = client.post(
        "/resetmypassword/form", data={"password": "weak", "conf_password": "weak"}
    )
    assert response.status_code == 200
    assert app.appbuilder.sm.auth_user_db("window1", DEMO_PASSWORD) is not None


def test_reset_password_of_an_unknown_user_is_404(client, auth):
    auth.login("admin")
    response = client.post(
        "/resetpassword/form?pk=987654", data={"password": STRONG, "conf_password": STRONG}
    )
    assert response.status_code == 404


def test_demo_users_keep_the_contractual_demo_password(app):
    assert app.appbuilder.sm.auth_user_db("landuse_staff", DEMO_PASSWORD) is not None


@pytest.mark.parametrize("path", ["/resetmypassword/form", "/users/add"])
def test_password_forms_describe_the_policy(client, auth, path):
    auth.login("admin")
    html = client.get(f"{path}?_l_=en").get_data(as_text=True)
    assert "Use at least 12 characters with at least 3 of" in html
    assert "does not check this for you" not in html
