"""Configuration classes, read from the environment.

Pick one with ``APP_CONFIG`` (``production`` by default, ``development`` for
``make run``, ``testing`` for the test suite).
"""

import os
import secrets
from datetime import timedelta
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent
INSTANCE_DIR = Path(os.environ.get("INSTANCE_PATH", BASE_DIR / "instance"))


def _env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _env_int(name, default):
    value = os.environ.get(name)
    return int(value) if value not in (None, "") else default


class Config:
    """Settings shared by every environment."""

    ENV_NAME = "production"
    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get(
        "DATABASE_URL", f"sqlite:///{INSTANCE_DIR / 'sunshine.db'}"
    )
    SQLALCHEMY_TRACK_MODIFICATIONS = False
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}

    # Flask-AppBuilder
    APP_NAME = "阳光政务 Sunshine Console"
    APP_THEME = ""
    APP_ICON = "/static/img/logo.svg"
    FAB_API_SWAGGER_UI = True
    FAB_ADD_OPENAPI_VIEWS = False  # app/views/openapi.py registers its own, per reader
    FAB_CREATE_DB = False  # the schema belongs to migrations
    FAB_UPDATE_PERMS = False  # permissions are synced by `flask roles sync`
    FAB_SECURITY_MANAGER_CLASS = "app.security.manager.SunshineSecurityManager"
    FAB_ADD_SECURITY_API = False
    FAB_API_MAX_PAGE_SIZE = 100
    AUTH_TYPE = 1  # AUTH_DB
    AUTH_ROLE_ADMIN = "Admin"
    AUTH_ROLE_PUBLIC = "Public"
    AUTH_USER_REGISTRATION = False
    FAB_PASSWORD_COMPLEXITY_ENABLED = True
    AUTH_RATE_LIMITED = True
    AUTH_RATE_LIMIT = os.environ.get("AUTH_RATE_LIMIT", "10 per 60 second")
    # Failed logins allowed per account name, from any address (then 429 for that name only).
    AUTH_ACCOUNT_RATE_LIMIT = os.environ.get("AUTH_ACCOUNT_RATE_LIMIT", "10 per 15 minute")
    RATELIMIT_ENABLED = True
    # Login limits (form and API) per client address; set RATELIMIT_STORAGE_URI to
    # redis://host:6379/n when several processes or machines serve the console.
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    RATELIMIT_KEY_PREFIX = os.environ.get("RATELIMIT_KEY_PREFIX", "sunshine")
    RATELIMIT_HEADERS_ENABLED = True

    # Sessions and cookies
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SECURE = True
    JWT_ACCESS_TOKEN_EXPIRES = timedelta(hours=1)
    WTF_CSRF_ENABLED = True
    WTF_CSRF_TIME_LIMIT = 12 * 3600

    # Languages: Simplified Chinese by default, English complete.
    BABEL_DEFAULT_LOCALE = "zh"
    BABEL_DEFAULT_TIMEZONE = "Asia/Shanghai"
    BABEL_TRANSLATION_DIRECTORIES = str(BASE_DIR / "translations")
    LANGUAGES = {
        "zh": {"flag": "cn", "name": "简体中文"},
        "en": {"flag": "gb", "name": "English"},
    }
    TIMEZONE = "Asia/Shanghai"

    # Mail and SMS (see README for every variable)
    MAIL_SERVER = os.environ.get("MAIL_SERVER", "127.0.0.1")
    MAIL_PORT = _env_int("MAIL_PORT", 25)
    MAIL_USE_TLS = _env_bool("MAIL_USE_TLS")
    MAIL_USE_SSL = _env_bool("MAIL_USE_SSL")
    MAIL_USERNAME = os.environ.get("MAIL_USERNAME")
    MAIL_PASSWORD = os.environ.get("MAIL_PASSWORD")
    MAIL_DEFAULT_SENDER = os.environ.get("MAIL_DEFAULT_SENDER", "sunshine@bureau.example")
    SMS_BACKEND = os.environ.get("SMS_BACKEND", "log")
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL")
    SMS_GATEWAY_TOKEN = os.environ.get("SMS_GATEWAY_TOKEN")
    SMS_QUIET_HOURS = os.environ.get("SMS_QUIET_HOURS", "22:00-07:00")
    SMS_GATEWAY_TIMEOUT = _env_int("SMS_GATEWAY_TIMEOUT", 10)  # seconds
    # SMS_BACKEND=aliyun (optional extra: pip install alibabacloud-dysmsapi20170525)
    SMS_ALIYUN_ACCESS_KEY_ID = os.environ.get("SMS_ALIYUN_ACCESS_KEY_ID")
    SMS_ALIYUN_ACCESS_KEY_SECRET = os.environ.get("SMS_ALIYUN_ACCESS_KEY_SECRET")
    SMS_ALIYUN_SIGN_NAME = os.environ.get("SMS_ALIYUN_SIGN_NAME")
    SMS_ALIYUN_TEMPLATE_CODE = os.environ.get("SMS_ALIYUN_TEMPLATE_CODE")

    # Delivery of the outbox (app/notify/deliver.py)
    NOTIFY_BATCH_SIZE = _env_int("NOTIFY_BATCH_SIZE", 100)
    NOTIFY_LEASE_SECONDS = _env_int("NOTIFY_LEASE_SECONDS", 300)
    NOTIFY_MAX_ATTEMPTS = _env_int("NOTIFY_MAX_ATTEMPTS", 6)
    NOTIFY_RETRY_BASE_SECONDS = _env_int("NOTIFY_RETRY_BASE_SECONDS", 60)
    NOTIFY_RETRY_MAX_SECONDS = _env_int("NOTIFY_RETRY_MAX_SECONDS", 3600)
    # Reminder policy (app/notify/policy.py): {reason: channels}, overriding its defaults
    NOTIFY_CHANNELS = {}
    ESCALATION_WORKING_DAYS = _env_int("ESCALATION_WORKING_DAYS", 3)
    RED_CARD_AFTER_YELLOW = _env_int("RED_CARD_AFTER_YELLOW", 3)  # per division and month

    # Celery (app/celery_app.py): where several machines deliver
    CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
    CELERY_RESULT_BACKEND = os.environ.get("CELERY_RESULT_BACKEND")
    CELERY_QUEUE = os.environ.get("CELERY_QUEUE", "sunshine")
    SCAN_EVERY_SECONDS = _env_int("SCAN_EVERY_SECONDS", 900)
    DELIVER_EVERY_SECONDS = _env_int("DELIVER_EVERY_SECONDS", 60)

    RECEIPT_PREFIX = os.environ.get("RECEIPT_PREFIX", "YZGT")
    # The public portal and the printed notices: the bureau's name in each language, and
    # how many progress lookups (and ratings) one client address may make.
    BUREAU_NAME = os.environ.get("BUREAU_NAME", "扬州市国土资源局")
    BUREAU_NAME_EN = os.environ.get(
        "BUREAU_NAME_EN", "Yangzhou Municipal Bureau of Land and Resources"
    )
    PORTAL_LOOKUP_RATE_LIMIT = os.environ.get(
        "PORTAL_LOOKUP_RATE_LIMIT", "20 per minute;200 per day"
    )
    WARNING_WORKING_DAYS = _env_int("WARNING_WORKING_DAYS", 1)
    # Petitions (信访工作条例 2022): limits in days, each counted as "calendar" days (the
    # regulation's 日; a last day on a weekend or holiday moves to the next working day,
    # Civil Code art. 203) or as "working" days.
    PETITION_PREFIX = os.environ.get("PETITION_PREFIX", "YZXF")
    PETITION_OFFICE_UNIT = os.environ.get("PETITION_OFFICE_UNIT", "petition")
    PETITION_ACCEPT_DAYS = _env_int("PETITION_ACCEPT_DAYS", 15)
    PETITION_ACCEPT_COUNTING = os.environ.get("PETITION_ACCEPT_COUNTING", "calendar")
    PETITION_HANDLE_DAYS = _env_int("PETITION_HANDLE_DAYS", 60)
    PETITION_HANDLE_COUNTING = os.environ.get("PETITION_HANDLE_COUNTING", "calendar")
    PETITION_EXTENSION_MAX_DAYS = _env_int("PETITION_EXTENSION_MAX_DAYS", 30)
    PETITION_FOLLOW_UP_DAYS = _env_int("PETITION_FOLLOW_UP_DAYS", 10)
    PETITION_FOLLOW_UP_COUNTING = os.environ.get("PETITION_FOLLOW_UP_COUNTING", "working")
    # Statistics (app/stats/): the longest date range one request may count, in days, and
    # how many overdue petitions the overdue list shows.
    STATS_MAX_RANGE_DAYS = _env_int("STATS_MAX_RANGE_DAYS", 731)
    STATS_OVERDUE_LIST_LIMIT = _env_int("STATS_OVERDUE_LIST_LIMIT", 100)
    UPLOAD_MAX_BYTES = _env_int("UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
    UPLOAD_ALLOWED_TYPES = ("pdf", "jpeg", "png", "ofd")
    UPLOAD_FOLDER = os.environ.get("UPLOAD_FOLDER", str(INSTANCE_DIR / "uploads"))
    STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "local")
    # STORAGE_BACKEND=s3: an S3-compatible bucket shared by every machine (needs boto3).
    S3_BUCKET = os.environ.get("S3_BUCKET")
    S3_PREFIX = os.environ.get("S3_PREFIX", "attachments/")
    S3_ENDPOINT_URL = os.environ.get("S3_ENDPOINT_URL")  # MinIO, Ceph...; unset for AWS
    S3_REGION = os.environ.get("S3_REGION")
    # How many proxies we run in front of the app (0: ignore X-Forwarded-For). werkzeug's
    # ProxyFix then gives the client's address to the audit trail and the login limits alike.
    # AUDIT_TRUSTED_PROXIES is the former name, still read.
    TRUSTED_PROXIES = _env_int("TRUSTED_PROXIES", _env_int("AUDIT_TRUSTED_PROXIES", 0))
    # Anchor the chain's head every N events as well as once a day (0: daily only): a
    # deleted tail is detected only back to the last anchor.
    AUDIT_ANCHOR_EVERY = _env_int("AUDIT_ANCHOR_EVERY", 1000)
    # Column names withheld from the audit trail besides the built-in secrets.
    AUDIT_SECRET_COLUMNS = frozenset()

    DEMO_PASSWORD = os.environ.get("DEMO_PASSWORD", "Demo@2026")  # the seed bypasses the policy
    # Password policy (app/security/passwords.py), FAB's FAB_PASSWORD_COMPLEXITY_VALIDATOR
    PASSWORD_MIN_LENGTH = _env_int("PASSWORD_MIN_LENGTH", 12)
    PASSWORD_MIN_CHARACTER_CLASSES = _env_int("PASSWORD_MIN_CHARACTER_CLASSES", 3)
    CHECK_DATABASE_ON_START = True
    # Serving (gunicorn, `flask run`) refuses a database behind the migrations; `flask db
    # upgrade` and the other commands load the app regardless (app/startup.py).
    CHECK_MIGRATED_ON_START = True


class DevelopmentConfig(Config):
    ENV_NAME = "development"
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False

    @staticmethod
    def development_secret_key():
        """A key kept in ``instance/`` so sessions survive a restart of `make run`."""
        path = INSTANCE_DIR / "dev-secret-key"
        if not path.exists():
            INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
            path.write_text(secrets.token_hex(32))
        return path.read_text().strip()


class TestingConfig(Config):
    ENV_NAME = "testing"
    TESTING = True
    SECRET_KEY = "testing-secret-key-not-for-production"  # noqa: S105
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    SESSION_COOKIE_SECURE = False
    REMEMBER_COOKIE_SECURE = False
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    AUTH_RATE_LIMITED = False
    RATELIMIT_STORAGE_URI = "memory://"
    CHECK_MIGRATED_ON_START = False  # the fixtures build the app, then migrate
    AUDIT_ANCHOR_EVERY = 0  # tests that count anchors set it themselves


class ProductionConfig(Config):
    ENV_NAME = "production"


CONFIGS = {
    "development": DevelopmentConfig,
    "testing": TestingConfig,
    "production": ProductionConfig,
}
