"""The app factory: independent apps, configuration checked at start."""

import pytest

from app import StartupError, create_app
from config import ProductionConfig, TestingConfig


def test_two_apps_in_one_process_each_have_every_route(make_app):
    first, second = make_app(), make_app()
    first_rules = {rule.rule for rule in first.url_map.iter_rules()}
    second_rules = {rule.rule for rule in second.url_map.iter_rules()}
    assert "/divisionmodelview/list/" in first_rules
    assert first_rules == second_rules
    assert first.appbuilder is not second.appbuilder


def test_apps_do_not_share_configuration(make_app):
    first = make_app(APP_NAME="first")
    second = make_app()
    assert first.config["APP_NAME"] == "first"
    assert second.config["APP_NAME"] != "first"


def test_production_without_secret_key_stops_with_one_clear_line(monkeypatch):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", None)
    with pytest.raises(StartupError, match="SECRET_KEY is not set"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


@pytest.mark.parametrize("url", ["not a url", "postgresql://user@host:notaport/db", "://x"])
def test_malformed_database_url_is_explained(url):
    with pytest.raises(StartupError, match="DATABASE_URL is malformed"):
        create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)


def test_unsupported_database_is_explained():
    with pytest.raises(StartupError, match="unsupported database"):
        create_app(TestingConfig, SQLALCHEMY_DATABASE_URI="oracle://scott@db/orcl")


def test_unreachable_database_is_explained_without_password():
    url = "postgresql://sunshine:s3cret@127.0.0.1:1/sunshine"
    with pytest.raises(StartupError) as info:
        create_app(TestingConfig, SQLALCHEMY_DATABASE_URI=url)
    message = str(info.value)
    assert message.startswith("cannot reach the database at postgresql://sunshine:***@127.0.0.1:1")
    assert "s3cret" not in message


def test_run_module_prints_one_line_and_exits_on_bad_config(tmp_path):
    import os
    import subprocess
    import sys

    env = {**os.environ, "APP_CONFIG": "production", "SECRET_KEY": ""}
    result = subprocess.run(
        [sys.executable, "-c", "import run"],
        env=env,
        capture_output=True,
        text=True,
        cwd=os.path.dirname(os.path.dirname(__file__)),
        timeout=60,
    )
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "sunshine: SECRET_KEY is not set: export SECRET_KEY=<a long random string> "
        "(only the development and testing configurations may run without it)."
    ]


def test_unknown_app_config_is_explained(monkeypatch):
    monkeypatch.setenv("APP_CONFIG", "staging")
    with pytest.raises(StartupError, match="APP_CONFIG='staging' is unknown"):
        create_app()
