"""The hardening suite: attacks, bad input and faults (security.md sections 2 and 3).

The quick modules run in every ``make test``. The slow ones (hypothesis fuzzing,
gunicorn kill -9, the 8-thread write storm, the populated migration) run under
``make hardening``, which sets PHPNET_HARDENING=1; without it pytest does not
collect them at all, so the default run stays fast and needs no extra package."""

import io
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from flask import Flask, current_app, url_for
from sqlalchemy import func
from werkzeug.datastructures import FileStorage

from phpnet import create_app
from phpnet.audit.models import AuditEntry
from phpnet.auth.models import User
from phpnet.documents.service import store_document
from phpnet.extensions import db
from phpnet.plugin_system.calling import registry
from phpnet.plugin_system.enablement import set_plugin_enabled
from phpnet.plugin_system.registry import CORE_PLUGIN
from phpnet.regions.models import Desa, Regency, dotted_code
from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember
from phpnet.testing import REGENCY_A, IsolatedClient
from tests.plugin_fixtures import HELLO_SITE

SLOW_MODULES = [
    "test_injection_corpus.py",
    "test_fuzz_lists.py",
    "test_fault_gunicorn_kill.py",
    "test_fault_concurrent_writes.py",
    "test_fault_migration_populated.py",
]

collect_ignore = [] if os.environ.get("PHPNET_HARDENING") == "1" else SLOW_MODULES

CSRF_INPUT = re.compile(
    r'name="csrf_token"[^>]*value="([^"]+)"|value="([^"]+)"[^>]*name="csrf_token"'
)
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')


def csrf_token_from(html: str) -> str:
    """The CSRF token a page carries (hidden input or the htmx header of <main>)."""
    for pattern in (CSRF_INPUT, CSRF_HEADER):
        found = pattern.search(html)
        if found:
            return next(group for group in found.groups() if group)
    raise AssertionError("no CSRF token on the page")


def all_plugin_app(config: dict[str, Any]) -> Flask:
    """The app with every plugin: the in-repo ones and the outside test plugin."""
    sys.path.insert(0, str(HELLO_SITE))
    try:
        return create_app({**config, "PHPNET_LOAD_ENTRYPOINTS": True})
    finally:
        sys.path.remove(str(HELLO_SITE))


@dataclass(frozen=True)
class Route:
    endpoint: str
    rule: str
    methods: frozenset[str]
    arguments: frozenset[str]


@cache
def every_route() -> tuple[Route, ...]:
    """Every rule of the app with all plugins loaded, read at collection time
    (once per process: several modules ask, and each app costs its build)."""
    app = all_plugin_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    routes = (
        Route(
            rule.endpoint,
            rule.rule,
            frozenset(rule.methods - {"HEAD", "OPTIONS"}),
            frozenset(rule.arguments),
        )
        for rule in app.url_map.iter_rules()
    )
    return tuple(sorted(routes, key=lambda r: (r.rule, r.endpoint)))


def regency_id_of(code: str) -> int:
    found = db.session.execute(db.select(Regency.id).filter_by(code=dotted_code(code))).scalar_one()
    db.session.commit()
    return found


@dataclass(frozen=True)
class TeamIds:
    team_id: int
    member_id: int


def make_team(code: str, member_name: str = "Budi Santoso") -> TeamIds:
    """A current decree of regency ``code`` with one member."""
    regency_id = regency_id_of(code)
    team = Team(
        regency_id=regency_id, sk_number=f"1/HK/{code}/2024", sk_date=date(2024, 3, 1),
        signed_by="Ketua KPU",
    )  # fmt: skip
    member = TeamMember(
        regency_id=regency_id, team=team, name=member_name, position=Position.ANGGOTA,
        unit=OfficeUnit.DIVISI_HUKUM,
    )  # fmt: skip
    db.session.add_all([team, member])
    db.session.flush()
    ids = TeamIds(team.id, member.id)
    db.session.commit()
    return ids


def member_form(member_id: int, **changes: str) -> dict[str, str]:
    values = {"name": "Budi Santoso", "position": "anggota", "unit": "divisi_hukum",
              "user_id": "0", **changes}  # fmt: skip
    return {f"member-{member_id}-{key}": value for key, value in values.items()}


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def every_plugin_app(test_database, app_config: dict[str, Any]) -> Iterator[Flask]:
    """The app as an office runs it: CSRF on and every plugin loaded."""
    test_database.reset()
    application = all_plugin_app({**app_config, "WTF_CSRF_ENABLED": True})
    application.test_client_class = IsolatedClient
    with application.app_context():
        yield application
        db.session.remove()
        db.engine.dispose()


def build_sample() -> dict[str, Any]:
    """One object of each core type in regency A, every plugin enabled there,
    and the URL values that reach them."""
    regency = db.session.execute(
        db.select(Regency).filter_by(code=dotted_code(REGENCY_A))
    ).scalar_one()
    admin = db.session.execute(db.select(User).filter_by(username="admin")).scalar_one()
    for name in registry().infos:
        if name != CORE_PLUGIN:
            set_plugin_enabled(regency, name, True, admin)
    ids = make_team(REGENCY_A)
    team = db.session.get(Team, ids.team_id)
    assert team is not None
    team.document = store_document(
        FileStorage(io.BytesIO(PDF), "sk.pdf"), regency, admin, kinds={"pdf"}
    )
    db.session.flush()
    desa = (
        db.session.execute(db.select(Desa).filter_by(regency_id=regency.id).order_by(Desa.code))
        .scalars()
        .first()
    )
    assert desa is not None and team.document is not None
    watched = db.session.execute(db.select(User).filter_by(username="pemantau_a")).scalar_one()
    values = {
        "regency": REGENCY_A, "team_id": ids.team_id, "member_id": ids.member_id,
        "document_id": team.document.id, "user_id": watched.id, "code": REGENCY_A,
        "desa": desa.slug, "kecamatan": desa.kecamatan.slug,
    }  # fmt: skip
    db.session.commit()
    return values


def url_for_route(route: Route, sample: dict[str, Any]) -> str:
    """A URL of ``route`` that reaches the sample objects where it can."""
    values: dict[str, Any] = {}
    for argument in route.arguments:
        if argument in sample:
            values[argument] = sample[argument]
        elif argument == "kode":
            kind = route.endpoint.rsplit(".", 1)[-1]
            values[argument] = sample.get(kind, REGENCY_A)
        elif argument == "plugin":
            values[argument] = "phpnet.core" if route.endpoint == "dashboard.export" else "hello"
        elif argument == "key":
            values[argument] = "tps"
        elif argument == "filename":
            values[argument] = "css/phpnet.css" if route.endpoint == "static" else "hello.css"
        elif argument == "name":
            values[argument] = "hello"
        else:  # a plugin's own object id or key: an unknown one is still a URL
            values[argument] = 1
    with current_app.test_request_context():
        return url_for(route.endpoint, **values)


def database_snapshot(documents: Path) -> tuple[Any, ...]:
    """Row counts of every table, the last audit entry and the stored files:
    every ORM change writes the audit log, so this sees updates too."""
    counts = tuple(
        db.session.execute(db.select(func.count()).select_from(table)).scalar_one()
        for table in db.metadata.sorted_tables
    )
    last_audit = db.session.execute(db.select(func.max(AuditEntry.id))).scalar_one()
    files = sorted(str(p.relative_to(documents)) for p in documents.rglob("*") if p.is_file())
    db.session.commit()
    return (*counts, last_audit, *files)
