"""The hardening suite: attacks, bad input and faults (security.md sections 2 and 3).

The quick modules run in every ``make test``. The slow ones (hypothesis fuzzing,
gunicorn kill -9, the 8-thread write storm, the populated migration) run under
``make hardening``, which sets PHPNET_HARDENING=1; without it pytest does not
collect them at all, so the default run stays fast and needs no extra package."""

import os
import re
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Flask
from flask.testing import FlaskClient

from phpnet import create_app
from phpnet.extensions import db
from phpnet.regions.models import Regency, dotted_code
from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember
from tests.plugin_fixtures import HELLO_SITE

SLOW_MODULES = [
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


def every_route() -> list[Route]:
    """Every rule of the app with all plugins loaded, read at collection time."""
    app = all_plugin_app(
        {"TESTING": True, "SECRET_KEY": "x" * 32, "SQLALCHEMY_DATABASE_URI": "sqlite://"}
    )
    return sorted(
        (
            Route(
                rule.endpoint,
                rule.rule,
                frozenset(rule.methods - {"HEAD", "OPTIONS"}),
                frozenset(rule.arguments),
            )
            for rule in app.url_map.iter_rules()
        ),
        key=lambda r: (r.rule, r.endpoint),
    )


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


def open_all(client: FlaskClient, urls: list[str], **kwargs: Any) -> Iterator[tuple[str, Any]]:
    for url in urls:
        yield url, client.get(url, **kwargs)
