"""A start that cannot serve stops with one line saying what to do: an unmigrated
database, a short production SECRET_KEY, a PostgreSQL URL without a database, a SQLite
path under a file. ``flask db upgrade`` still loads the app on an empty database."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app import StartupError, create_app
from config import DevelopmentConfig, ProductionConfig

ROOT = Path(__file__).resolve().parent.parent
SHORT_KEY = "x" * 31
LONG_KEY = "k" * 32


def start(*args, env=None):
    """Run a command of the console in a fresh process; (exit code, stderr lines)."""
    result = subprocess.run(
        [sys.executable, *args],
        env={**os.environ, **(env or {})},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    return result.returncode, result.stderr.strip().splitlines()


def test_an_unmigrated_database_refuses_to_serve(tmp_path):
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(StartupError, match=r"not migrated .*run `flask --app run db upgrade`"):
        create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url)


def test_serving_an_unmigrated_database_prints_one_line(tmp_path):
    env = {"APP_CONFIG": "production", "SECRET_KEY": LONG_KEY}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'empty.db'}"
    code, lines = start("-c", "import run", env=env)
    assert code == 1
    assert len(lines) == 1 and "flask --app run db upgrade" in lines[0], lines


def test_db_upgrade_still_loads_the_app_on_an_empty_database(tmp_path):
    env = {"APP_CONFIG": "development", "DATABASE_URL": f"sqlite:///{tmp_path / 'new.db'}"}
    flask = str(Path(sys.executable).with_name("flask"))
    result = subprocess.run(
        [flask, "--app", "run", "db", "current"],
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "not migrated" not in result.stderr


def test_a_migrated_database_serves(make_app):
    app = make_app()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    served = create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url)
    assert served.config["CHECK_MIGRATED_ON_START"] is True


@pytest.mark.parametrize("key", [SHORT_KEY, "短" * 10])  # 31 bytes; 30 bytes in UTF-8
def test_a_short_secret_key_is_refused_in_production(monkeypatch, key):
    monkeypatch.setattr(ProductionConfig, "SECRET_KEY", key)
    with pytest.raises(StartupError, match="at least 32"):
        create_app(ProductionConfig, SQLALCHEMY_DATABASE_URI="sqlite://")


@pytest.mark.parametrize(
    "url",
    ["postgresql://postgres@127.0.0.1:5432", "postgresql://postgres@127.0.0.1:5432/"],
)
def test_a_postgresql_url_without_a_database_is_refused(url):
    with pytest.raises(StartupError, match="names no database"):
        create_app(DevelopmentConfig, SQLALCHEMY_DATABASE_URI=url)


def test_a_sqlite_path_under_a_file_is_one_line(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    env = {
        "APP_CONFIG": "production",
        "SECRET_KEY": LONG_KEY,
        "DATABASE_URL": f"sqlite:///{blocker / 'sunshine.db'}",
    }
    code, lines = start("-c", "import run", env=env)
    assert code == 1
    assert len(lines) == 1 and "cannot be a folder" in lines[0], lines
