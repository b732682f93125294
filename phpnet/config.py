"""Default settings. An office overrides them in ``instance/config.py`` or with
``PHPNET_*`` environment variables (the environment wins)."""

from datetime import timedelta

DEFAULTS: dict[str, object] = {
    "SQLALCHEMY_DATABASE_URI": None,  # filled in by create_app: SQLite under instance/
    "SQLALCHEMY_ENGINE_OPTIONS": {},
    "MAX_CONTENT_LENGTH": 25 * 1024 * 1024,  # one scanned decree or photo
    "DOCUMENT_MAX_BYTES": 20 * 1024 * 1024,
    "WTF_CSRF_TIME_LIMIT": None,  # long-open pages must not break after an hour
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "SESSION_COOKIE_SECURE": False,  # set PHPNET_SECURE_COOKIES=1 behind TLS
    "SESSION_COOKIE_NAME": "phpnet_session",
    "PERMANENT_SESSION_LIFETIME": timedelta(hours=12),
    "SESSION_IDLE_TIMEOUT": timedelta(minutes=60),
    "SESSION_ABSOLUTE_TIMEOUT": timedelta(hours=12),
    "LOGIN_MAX_FAILURES_PER_ACCOUNT": 10,  # within LOGIN_THROTTLE_WINDOW
    "LOGIN_MAX_FAILURES_PER_IP": 100,  # generous: an office sits behind one NAT
    "LOGIN_THROTTLE_WINDOW": timedelta(minutes=10),
    "PASSWORD_MIN_LENGTH": 12,
    "PHPNET_BLOCKED_PLUGINS": [],
    "PHPNET_LOAD_ENTRYPOINTS": True,
}

ENVIRONMENT_KEYS = {
    "PHPNET_DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "PHPNET_SECRET_KEY": "SECRET_KEY",
}
