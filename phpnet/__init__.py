"""phpnet: the intranet of KPU Provinsi Jawa Timur and its 38 KPU Kabupaten/Kota
for disputes over election results (PHP/PHPU) at the Constitutional Court."""

import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask
from werkzeug.routing import IntegerConverter, Map

from phpnet import errors, guard, security
from phpnet.config import DEFAULTS, ENVIRONMENT_KEYS
from phpnet.database import configure_engine, engine_options
from phpnet.extensions import csrf, db, login_manager, migrate
from phpnet.template_cache import COMPILED_TEMPLATES

PROJECT_ROOT = Path(__file__).resolve().parent.parent
MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def create_app(test_config: Mapping[str, Any] | None = None) -> Flask:
    """The application factory (Flask tutorial style)."""
    instance_path = os.environ.get("PHPNET_INSTANCE_PATH", str(PROJECT_ROOT / "instance"))
    app = Flask(
        __name__,
        instance_path=str(Path(instance_path).resolve()),
        instance_relative_config=True,
        template_folder=str(PROJECT_ROOT / "templates"),
    )
    # Before anything touches app.jinja_env: the options apply when it is made.
    app.jinja_options = {**app.jinja_options, "bytecode_cache": COMPILED_TEMPLATES}
    app.url_map.converters["int"] = DatabaseIdConverter
    _configure(app, test_config)
    _init_extensions(app)
    _register_core(app)
    return app


class DatabaseIdConverter(IntegerConverter):
    """``<int:...>`` in every route: only numbers a database id can be, so a
    huge number is a 404 like any other missing object, never an overflow."""

    def __init__(self, url_map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", 2**31 - 1)  # PostgreSQL's INTEGER
        super().__init__(url_map, *args, **kwargs)


def _configure(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    app.config.from_mapping(DEFAULTS)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    for env_name, key in ENVIRONMENT_KEYS.items():
        if os.environ.get(env_name):
            app.config[key] = os.environ[env_name]
    if os.environ.get("PHPNET_SECURE_COOKIES") == "1":
        app.config["SESSION_COOKIE_SECURE"] = True
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        database = Path(app.instance_path) / "phpnet.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{database}"
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"]
    )
    app.config.setdefault("DOCUMENTS_PATH", str(Path(app.instance_path) / "documents"))
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(Path(app.instance_path))


def _instance_secret(instance_path: Path) -> str:
    """A random secret kept in the instance folder, made on first start, so
    that no key ever sits in git and sessions survive a restart."""
    key_file = instance_path / "secret_key"
    try:  # O_EXCL: when two workers start at once, only one key is ever written
        descriptor = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass
    else:
        with os.fdopen(descriptor, "w") as handle:
            handle.write(secrets.token_hex(32))
    return key_file.read_text().strip()


def _init_extensions(app: Flask) -> None:
    from phpnet import models  # noqa: F401 - every core table is known before the first query
    from phpnet.audit import service as audit_service
    from phpnet.auth.sessions import load_user
    from phpnet.documents import service as documents_service

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine)
    migrate.init_app(app, db, directory=str(MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.session_protection = None  # sessions are revocable server-side instead
    audit_service.install()
    documents_service.install()


def _register_core(app: Flask) -> None:
    from phpnet.audit.views import bp as audit_bp
    from phpnet.auth.views import bp as auth_bp
    from phpnet.auth.views import enforce_password_change
    from phpnet.documents.views import bp as documents_bp
    from phpnet.health import bp as health_bp
    from phpnet.plugin_system import migrations  # noqa: F401 - plugins' Alembic branches
    from phpnet.plugin_system.admin import bp as plugin_admin_bp
    from phpnet.plugin_system.permissions import collect_declared
    from phpnet.plugin_system.registry import build_registry, mount_blueprints
    from phpnet.plugin_system.views import bp as dashboard_bp
    from phpnet.province import views, views_calendar  # noqa: F401 - their routes
    from phpnet.province.blueprint import bp as province_bp
    from phpnet.regions.places import bp as places_bp
    from phpnet.regions.views import bp as regions_bp
    from phpnet.teams.views import bp as teams_bp
    from phpnet.users.views import bp as users_bp

    registry = build_registry(app)
    app.extensions["phpnet"] = registry
    guard.install(app)
    app.before_request(enforce_password_change)
    core_blueprints = (
        auth_bp, dashboard_bp, regions_bp, teams_bp, documents_bp, audit_bp, users_bp,
        plugin_admin_bp, health_bp, province_bp, places_bp,
    )  # fmt: skip
    for blueprint in core_blueprints:
        app.register_blueprint(blueprint)
    mount_blueprints(app, registry)
    collect_declared(app, registry)
    errors.install(app)
    app.after_request(security.add_security_headers)
    _register_template_helpers(app)
    _register_commands(app)


def _register_commands(app: Flask) -> None:
    from phpnet.backup import backup_command
    from phpnet.demo import demo_command
    from phpnet.plugin_system.cli import plugins_group
    from phpnet.regions.cli import regions_group, tps_group
    from phpnet.users.cli import users_group

    commands = (regions_group, tps_group, users_group, plugins_group, demo_command, backup_command)
    for command in commands:
        app.cli.add_command(command)
    app.extensions["phpnet"].pm.hook.phpnet_cli(group=app.cli)


def _register_template_helpers(app: Flask) -> None:
    from phpnet import templating

    templating.install(app)
