"""Every page of the app, opened in Chromium as the admin (who sees every form
and button), passes axe with no serious or critical violation and raises no
script error or CSP violation. A new GET route fails this test until it is
listed here, so no page ships unchecked."""

from datetime import date, datetime

from playwright.sync_api import Page
from sqlalchemy import select

from phpnet.auth.models import User
from phpnet.documents.models import Document
from phpnet.extensions import db
from phpnet.plugin_system.enablement import set_plugin_enabled
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps
from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember
from phpnet.testing import REGENCY_A

# GET routes that are not pages a person reads: files, fragments, redirects.
NOT_PAGES = {
    "static": "a file",
    "dashboard.plugin_static": "a file",
    "health.healthz": "JSON",
    "documents.download": "an attachment",
    "dashboard.export": "a CSV attachment",
    "dashboard.switch_regency": "a redirect",
    "dashboard.card_team": "a card fragment, checked inside the regency page",
    "hello.card": "a card fragment, checked inside the regency page",
    "teams.member_row": "a table row fragment",
    "auth.login": "checked by every log_in",
    "inventory.card": "a card fragment, checked inside the regency page",
    "inventory.desa_options": "an <option> fragment",
    "inventory.tps_options": "an <option> fragment",
    "inventory.export_xlsx": "an XLSX attachment",
    "inventory.export_csv": "a CSV attachment",
}


def _world(live_server) -> dict[str, object]:
    """A team with a member and a scanned decree in Kab. Malang, the test
    plugin enabled there; returns the values the URLs need."""
    with live_server.app.app_context():
        malang = db.session.execute(select(Regency).filter_by(code="35.07")).scalar_one()
        admin = db.session.execute(select(User).filter_by(username="admin")).scalar_one()
        set_plugin_enabled(malang, "hello", True, admin)
        document = Document(
            regency_id=malang.id, original_name="sk.pdf", media_type="application/pdf",
            size_bytes=1, sha256="0" * 64, storage_name="f" * 32,
        )  # fmt: skip
        team = Team(
            regency_id=malang.id, sk_number="12/PY.02-Kpt/3507/2024", sk_date=date(2024, 3, 4),
            signed_by="Ketua KPU Kabupaten Malang", document=document,
        )  # fmt: skip
        member = TeamMember(
            regency_id=malang.id, team=team, name="Siti Rahmawati",
            position=Position.KETUA, unit=OfficeUnit.DIVISI_HUKUM,
        )  # fmt: skip
        db.session.add_all([document, team, member])
        db.session.flush()
        entry_id = _inventory_entry(malang.id, document.id)
        db.session.commit()
        tps = db.session.execute(select(Tps).filter_by(regency_id=malang.id).limit(1)).scalar_one()
        desa = db.session.get(Desa, tps.desa_id)
        kecamatan = db.session.get(Kecamatan, desa.kecamatan_id)
        return {
            "regency": REGENCY_A, "team_id": team.id, "member_id": member.id,
            "user_id": admin.id, "desa": desa.slug, "kecamatan": kecamatan.slug,
            "entry_id": entry_id,
        }  # fmt: skip


def _inventory_entry(regency_id: int, document_id: int) -> int:
    """A DIM entry with evidence, so the detail and edit pages show everything."""
    from plugins.inventory.models import Category, Entry, Evidence, EvidenceType, Level, Race, Stage

    tps = db.session.execute(select(Tps).filter_by(regency_id=regency_id).limit(1)).scalar_one()
    category = db.session.execute(select(Category).limit(1)).scalar_one()
    entry = Entry(
        regency_id=regency_id, level=Level.TPS, kecamatan_id=tps.kecamatan_id, desa_id=tps.desa_id,
        tps_id=tps.id, race=Race.DPR, stage=Stage.PENGHITUNGAN, category=category,
        occurred_at=datetime(2024, 2, 14, 13, 30),
        description="Saksi menolak menandatangani C.Hasil",
    )  # fmt: skip
    entry.evidence.append(
        Evidence(regency_id=regency_id, document_id=document_id, evidence_type=EvidenceType.C_HASIL)
    )
    db.session.add(entry)
    db.session.flush()
    return entry.id


def _pages(live_server, values: dict[str, object]) -> list[str]:
    from flask import url_for

    app = live_server.app
    urls = ["/r/3507/halaman-yang-tidak-ada", "/wilayah?q=malang", "/r/3507/cari?q=kepanjen"]
    with app.test_request_context():
        for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
            if "GET" not in rule.methods or rule.endpoint in NOT_PAGES:
                continue
            args = {name: values[name] for name in rule.arguments if name != "kode"}
            if "kode" in rule.arguments:
                args["kode"] = values["desa" if rule.endpoint == "regions.desa" else "kecamatan"]
            missing = rule.arguments - args.keys()
            assert not missing, f"{rule.endpoint}: give the sweep a value for {missing}"
            urls.append(url_for(rule.endpoint, **args))
    return urls


def test_every_page_passes_axe(page: Page, live_server, log_in, axe_check):
    values = _world(live_server)
    log_in(page, "admin")
    checked = []
    for url in _pages(live_server, values):
        page.goto(url)
        page.wait_for_load_state("networkidle")  # lazy cards and other htmx loads
        axe_check(page)
        checked.append(url)
    assert len(checked) >= 25
