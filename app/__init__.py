"""Sunshine Console application factory."""

import logging
import os

from flask import Flask
from flask_appbuilder import AppBuilder

from app import audit
from app.extensions import csrf, db, mail, migrate
from app.petitions.deadlines import check_config as check_petition_limits
from app.security.passwords import check_password_policy
from app.security.proxies import install_proxy_fix
from app.startup import (
    StartupError,
    check_database_migrated,
    check_database_reachable,
    check_database_url,
    check_secret_key,
    ensure_sqlite_folder,
    loaded_by_a_command,
)
from app.workflow.readers import register_case_readers
from app.workflow.signed import register_signed_record_guard
from config import BASE_DIR, CONFIGS, INSTANCE_DIR, DevelopmentConfig

__all__ = ["create_app", "StartupError"]

log = logging.getLogger(__name__)
MIGRATIONS = str(BASE_DIR / "migrations")


def _config_class(config):
    if config is not None:
        return config
    name = os.environ.get("APP_CONFIG", "production")
    if name not in CONFIGS:
        raise StartupError(
            f"APP_CONFIG={name!r} is unknown; use one of {', '.join(sorted(CONFIGS))}"
        )
    return CONFIGS[name]


def create_app(config=None, **overrides):
    """Build a fully wired console. ``overrides`` win over the config class."""
    app = Flask(
        __name__,
        instance_path=str(INSTANCE_DIR),
        instance_relative_config=True,
    )
    app.config.from_object(_config_class(config))
    app.config.update(overrides)
    # A request body beyond the upload limit (plus form overhead) is refused unread (413).
    if app.config.get("MAX_CONTENT_LENGTH") is None:
        app.config["MAX_CONTENT_LENGTH"] = app.config["UPLOAD_MAX_BYTES"] + 1024 * 1024
    app.config.setdefault("FAB_PASSWORD_COMPLEXITY_VALIDATOR", check_password_policy)
    if not app.config.get("SECRET_KEY") and issubclass(_config_class(config), DevelopmentConfig):
        app.config["SECRET_KEY"] = DevelopmentConfig.development_secret_key()
    check_secret_key(app)
    check_database_url(app)
    check_petition_limits(app.config)
    ensure_sqlite_folder(app)
    install_proxy_fix(app)

    db.init_app(app)
    audit.init_app(app)
    register_signed_record_guard()
    register_case_readers()
    migrate.init_app(app, db, directory=MIGRATIONS)
    csrf.init_app(app)
    mail.init_app(app)

    with app.app_context():
        _build_appbuilder(app)

    from app.cli import register_cli
    from app.notify import policy
    from app.petitions.deadlines import connect_signals as connect_petition_signals
    from app.web import register_web_hooks
    from app.workflow.recompute import connect_signals

    register_cli(app)
    register_web_hooks(app)
    connect_signals()
    policy.connect_signals()
    connect_petition_signals()

    if app.config.get("CHECK_DATABASE_ON_START"):
        with app.app_context():
            check_database_reachable(app, db)
            if app.config.get("CHECK_MIGRATED_ON_START") and not loaded_by_a_command():
                check_database_migrated(app, db, MIGRATIONS)
    return app


def _build_appbuilder(app):
    from app.security.manager import SunshineSecurityManager
    from app.views import register_views
    from app.views.home import HomeView

    appbuilder = AppBuilder(
        indexview=HomeView,
        base_template="sunshine/base.html",
        security_manager_class=SunshineSecurityManager,
        update_perms=False,
    )
    appbuilder.init_app(app, db.session)
    register_views(appbuilder)
    return appbuilder
