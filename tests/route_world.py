"""The world of the authorization matrix, shared by every test that needs a
valid request for each route of the app: the policy of each endpoint (core's
here, each plugin's from ``plugins/<name>/tests/matrix.py``), the objects every
route reaches in regencies A and B (core's and each plugin's ``build()``), and
the URL values, query and form payload of a valid request (each plugin's
``query()`` and ``payload()``). A plugin route's policy is read from what it
declares: the permission its view ``@requires``, or the province's own pages.
Core tests use it without naming a plugin."""

import importlib
import io
import os
import re
import shutil
import sys
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from flask import Flask, g
from flask.testing import FlaskClient
from sqlalchemy import func, select

from phpnet import create_app
from phpnet.access import Access, access_to
from phpnet.audit.models import AuditEntry
from phpnet.auth.models import Role, User
from phpnet.contrib import Permission
from phpnet.extensions import db
from phpnet.plugin_system.enablement import set_plugin_enabled
from phpnet.plugin_system.permissions import MARK
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps, dotted_code
from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember
from phpnet.testing import PASSWORD, REGENCY_A, REGENCY_B, IsolatedClient, TestDatabase, login
from tests.plugin_fixtures import HELLO_SITE

PUBLIC = "public"  # anyone, logged in or not
ANY_USER = "any user"  # any active, logged-in user
ADMIN = "admin"
PROVINCE = "province"  # admin and provinsi
AUDIT = "regency audit"  # admin, provinsi and the regency's operator
REGENCY_ADMIN = "regency, admin only"

POLICY: dict[str, Any] = {
    "static": PUBLIC,
    "health.healthz": PUBLIC,
    "auth.login": PUBLIC,
    "auth.logout": PUBLIC,
    "dashboard.plugin_static": PUBLIC,
    "auth.change_password": ANY_USER,
    "regions.home": ANY_USER,
    "regions.search": ANY_USER,
    "dashboard.switch_regency": ANY_USER,
    "users.index": ADMIN,
    "users.create": ADMIN,
    "users.edit": ADMIN,
    "users.enable": ADMIN,
    "users.disable": ADMIN,
    "users.reset_password": ADMIN,
    "plugin_admin.index": ADMIN,
    "plugin_admin.toggle": ADMIN,
    "plugin_admin.toggle_all": ADMIN,
    "audit.province_log": PROVINCE,
    "audit.regency_log": AUDIT,
    "regions.regency": Access.READ,
    "regions.kecamatan": Access.READ,
    "regions.desa": Access.READ,
    "regions.tps_import": Access.MANAGE,
    "places.desa_options": Access.READ,
    "places.tps_options": Access.READ,
    "regions.edit_name": REGENCY_ADMIN,
    "dashboard.card_team": Access.READ,
    "dashboard.search": Access.READ,
    "dashboard.readiness": Access.READ,
    "dashboard.exports": Access.READ,
    "dashboard.export": Access.READ,
    "documents.download": Access.READ,
    "teams.index": Access.READ,
    "teams.show": Access.READ,
    "teams.member_row": Access.READ,
    "teams.new_decree": Access.MANAGE,
    "teams.add_member": Access.MANAGE,
    "teams.upload_scan": Access.MANAGE,
    "teams.edit_member": Access.MANAGE,
    "teams.delete_member": Access.MANAGE,
    "province.dashboard": PROVINCE,
    "province.readiness_matrix": PROVINCE,
    "province.report_xlsx": PROVINCE,
    "province.report_print": PROVINCE,
    "province.regency_summary": PROVINCE,
    "province.changes": PROVINCE,
    "province.calendar": PROVINCE,
    "province.create_event": PROVINCE,
    "province.update_event": PROVINCE,
    "province.delete_event": PROVINCE,
    "province.create_leave_day": PROVINCE,
    "province.delete_leave_day": PROVINCE,
}


def plugin_matrices() -> list[Any]:
    """Each plugin's own part of the matrix: ``plugins/<name>/tests/matrix.py``."""
    folder = Path(__file__).resolve().parents[1] / "plugins"
    return [
        importlib.import_module(f"plugins.{path.parent.parent.name}.tests.matrix")
        for path in sorted(folder.glob("*/tests/matrix.py"))
    ]


PLUGIN_MATRICES = plugin_matrices()

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@dataclass(frozen=True)
class Needs:
    """A plugin route's policy: the permission its view declares."""

    permission: Permission


def _every_plugin_app() -> Flask:
    config = {
        "TESTING": True,
        "SECRET_KEY": "x" * 32,
        "SQLALCHEMY_DATABASE_URI": "sqlite://",
        "PHPNET_LOAD_ENTRYPOINTS": True,
    }
    sys.path.insert(0, str(HELLO_SITE))
    try:
        return create_app(config)
    finally:
        sys.path.remove(str(HELLO_SITE))


def plugin_policies(app: Flask) -> dict[str, Any]:
    """Each plugin route's policy, from its declarations."""
    registry = app.extensions["phpnet"]
    policies: dict[str, Any] = {}
    for rule in app.url_map.iter_rules():
        blueprint = rule.endpoint.rpartition(".")[0]
        declared = getattr(app.view_functions[rule.endpoint], MARK, None)
        if blueprint in registry.province_blueprints:
            policies[rule.endpoint] = PROVINCE
        elif declared is not None:
            policies[rule.endpoint] = {
                method: Needs(registry.permissions[_name(declared.for_method(method))][1])
                for method in rule.methods
            }
    return policies


def _name(permission: Permission | str) -> str:
    return permission.name if isinstance(permission, Permission) else permission


_APP = _every_plugin_app()
PLUGIN_POLICY = plugin_policies(_APP)
POLICY.update(PLUGIN_POLICY)
ROUTES = sorted(
    (rule.endpoint, rule.rule, method)
    for rule in _APP.url_map.iter_rules()
    for method in rule.methods - {"HEAD", "OPTIONS"}
)


@dataclass
class World:
    """One app for the whole module. Its objects are built once; after a
    request changed data, the database and the documents go back to how they
    were just after that (with no ``database``, the world is built on the
    database as it is and never reset)."""

    app: Flask
    documents: Path
    database: TestDatabase | None = None
    ids: dict[str, dict[str, Any]] = field(default_factory=dict)
    dirty: bool = True
    _kept: ExitStack = field(default_factory=ExitStack)

    def fresh(self) -> None:
        if not self.dirty:
            return
        db.session.remove()
        db.engine.dispose()
        if self.database is None:
            self._build()
        elif not self.ids:
            self.database.reset()
            self._build()
            self._kept.enter_context(self.database.keeping_current_state())
            shutil.copytree(self.documents, self._kept_documents)
        else:
            self.database.reset()
            shutil.rmtree(self.documents)
            shutil.copytree(self._kept_documents, self.documents)
        # What the module's app context remembered (enabled plugins, the
        # data stamp) was about the database just replaced.
        for name in list(g):
            g.pop(name)
        self.dirty = False

    @property
    def _kept_documents(self) -> Path:
        return self.documents.with_name(f"{self.documents.name}-kept")

    def close(self) -> None:
        self._kept.close()

    def _build(self) -> None:
        admin = db.session.execute(select(User).filter_by(username="admin")).scalar_one()
        for code in (REGENCY_A, REGENCY_B):
            regency = db.session.execute(
                select(Regency).filter_by(code=dotted_code(code))
            ).scalar_one()
            set_plugin_enabled(regency, "hello", True, admin)
            self.ids[code] = self._objects(regency)
        db.session.commit()

    def _objects(self, regency: Regency) -> dict[str, Any]:
        from phpnet.documents.models import Document

        storage = f"{regency.slug}matrix".ljust(32, "0")
        path = self.documents / storage[:2] / storage[2:4] / storage
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(PDF)
        document = Document(
            regency_id=regency.id, original_name="sk.pdf", media_type="application/pdf",
            size_bytes=len(PDF), sha256="0" * 64, storage_name=storage,
        )  # fmt: skip
        team = Team(
            regency_id=regency.id, sk_number=f"1/{regency.slug}", sk_date=date(2024, 3, 1),
            signed_by="Ketua KPU", document=document,
        )  # fmt: skip
        member = TeamMember(
            regency_id=regency.id, team=team, name="Anggota Matriks",
            position=Position.ANGGOTA, unit=OfficeUnit.DIVISI_HUKUM,
        )  # fmt: skip
        db.session.add_all([document, team, member])
        db.session.flush()
        tps = db.session.execute(
            select(Tps).filter_by(regency_id=regency.id).order_by(Tps.id).limit(1)
        ).scalar_one()
        desa = db.session.get(Desa, tps.desa_id)
        kecamatan = db.session.get(Kecamatan, desa.kecamatan_id)
        watched = db.session.execute(
            select(User).filter_by(username=f"pemantau_{'a' if regency.slug == REGENCY_A else 'b'}")
        ).scalar_one()
        ids = {
            "regency": regency.slug, "team_id": team.id, "member_id": member.id,
            "document_id": document.id, "desa": desa.slug, "kecamatan": kecamatan.slug,
            "user_id": watched.id, "code": regency.slug, "tps_id": tps.id, "desa_id": desa.id,
            "kecamatan_id": kecamatan.id,
        }  # fmt: skip
        for matrix in PLUGIN_MATRICES:
            ids.update(matrix.build(regency, ids))
        return ids

    def snapshot(self) -> tuple[Any, ...]:
        """Enough to see any change: every ORM change and import writes the audit log."""
        counts = [
            select(func.count()).select_from(model).scalar_subquery()
            for model in (Team, TeamMember, Tps, User, Regency)
        ]
        last_audit = select(func.max(AuditEntry.id)).scalar_subquery()
        found = db.session.execute(select(*counts, last_audit)).one()
        files = sum(len(names) for _, _, names in os.walk(self.documents))
        return (*found, files)


@contextmanager
def open_world(test_database: TestDatabase, documents: Path) -> Iterator[World]:
    """The app with every plugin (the outside test plugin too), CSRF off."""
    sys.path.insert(0, str(HELLO_SITE))
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "matrix-secret-key-0123456789abcdef",
            "SQLALCHEMY_DATABASE_URI": test_database.uri,
            "WTF_CSRF_ENABLED": False,
            "PHPNET_LOAD_ENTRYPOINTS": True,
            "DOCUMENTS_PATH": str(documents),
        }
    )
    app.test_client_class = IsolatedClient
    try:
        with app.app_context():
            world = World(app, documents, test_database)
            try:
                yield world
            finally:
                db.session.remove()
                db.engine.dispose()
                world.close()
    finally:
        sys.path.remove(str(HELLO_SITE))


def url_values(endpoint: str, rule: str, ids: dict[str, Any]) -> dict[str, Any]:
    # Every URL part named like an id of the world (core's or a plugin's build()).
    values: dict[str, Any] = {
        name: ids[name] for name in re.findall(r"<(?:[^:>]+:)?(\w+)>", rule) if name in ids
    }
    if "<kode>" in rule:
        values["kode"] = ids["desa"] if endpoint == "regions.desa" else ids["kecamatan"]
    if endpoint == "dashboard.export":
        values.update(plugin="phpnet.core", key="tps")
    if endpoint == "dashboard.plugin_static":
        values.update(plugin="hello", filename="hello.css")
    if endpoint == "static":
        values["filename"] = "css/phpnet.css"
    if endpoint.startswith("plugin_admin.toggle"):
        values["name"] = "hello"
    return values


def valid_payload(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    member = {"name": "Anggota Baru", "position": "anggota", "unit": "divisi_hukum", "user_id": "0"}
    payloads: dict[str, dict[str, Any]] = {
        "auth.login": {"username": "pemantau_b", "password": PASSWORD},
        "auth.change_password": {
            "current_password": PASSWORD,
            "new_password": "kalimat-sandi-baru-yang-panjang",
            "confirm_password": "kalimat-sandi-baru-yang-panjang",
        },
        "users.create": {
            "username": "akun_baru",
            "full_name": "Akun Baru",
            "role": "pemantau",
            "regency": ids["regency"],
        },
        "users.edit": {"full_name": "Nama Diubah", "role": "pemantau", "regency": ids["regency"]},
        "plugin_admin.toggle": {"enabled": "0"},
        "plugin_admin.toggle_all": {"enabled": "0"},
        "regions.edit_name": {"name": "Kecamatan Berganti Nama"},
        "regions.tps_import": {
            "file": (io.BytesIO(f"kode_desa,nomor_tps\n{ids['desa']},99\n".encode()), "tps.csv")
        },
        "teams.new_decree": {
            "sk_number": "2/PP.04-Kpt/2024",
            "sk_date": "2024-04-01",
            "signed_by": "Ketua",
        },
        "teams.add_member": member,
        "teams.edit_member": {f"member-{ids['member_id']}-{k}": v for k, v in member.items()},
        "teams.upload_scan": {"scan": (io.BytesIO(PDF), "sk.pdf")},
    }
    for matrix in PLUGIN_MATRICES:
        found = matrix.payload(endpoint, ids)
        if found:
            return found
    return payloads.get(endpoint, {})


def valid_query(
    endpoint: str, method: str, owner: str, ids: dict[str, Any]
) -> dict[str, Any] | None:
    if method != "GET":
        return None
    return matrix_query(endpoint, ids) or {"q": "ma", "kode": owner}


def matrix_query(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    """The query string a plugin's matrix gives a valid GET of ``endpoint``."""
    for matrix in PLUGIN_MATRICES:
        found = matrix.query(endpoint, ids)
        if found:
            return found
    return {}


def expected_outcome(policy: Any, who: str, user: User | None, regency: Regency) -> str:
    if user is None:
        return "allow" if policy == PUBLIC else "login"
    if policy in (PUBLIC, ANY_USER):
        return "allow"
    if policy == ADMIN:
        return "allow" if user.role is Role.ADMIN else "forbidden"
    if policy == PROVINCE:
        return "allow" if user.role in (Role.ADMIN, Role.PROVINSI) else "forbidden"
    access = access_to(user, regency)
    if access is Access.NONE:
        return "not found"
    if policy == AUDIT:
        granted = user.role in (Role.ADMIN, Role.PROVINSI, Role.OPERATOR)
    elif policy == REGENCY_ADMIN:
        granted = user.role is Role.ADMIN
    elif isinstance(policy, Needs):
        granted = user.role in policy.permission.roles
    else:
        granted = access >= policy
    return "allow" if granted else "forbidden"


def client_as(world: World, who: str) -> FlaskClient:
    client = world.app.test_client()
    return client if who == "anon" else login(client, who)
