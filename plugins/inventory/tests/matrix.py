"""The inventory's part of the authorization matrix (tests/test_authorization.py):
the objects its routes reach in each regency, and a valid request for each
route (how each route is guarded, the matrix reads from its ``@requires``)."""

import io
from datetime import datetime
from typing import Any

from sqlalchemy import select

from phpnet.plugin_api import Regency, db
from plugins.inventory.models import (
    Category,
    Entry,
    Evidence,
    EvidenceType,
    Level,
    Race,
    Stage,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def build(regency: Regency, core: dict[str, Any]) -> dict[str, Any]:
    """An entry at a TPS with one piece of evidence, and a category of the regency's own."""
    seeded = db.session.execute(
        select(Category).where(Category.regency_id.is_(None)).order_by(Category.id).limit(1)
    ).scalar_one()
    own = Category(regency_id=regency.id, name=f"Kategori matriks {regency.slug}")
    entry = Entry(
        regency_id=regency.id, level=Level.TPS, kecamatan_id=core["kecamatan_id"],
        desa_id=core["desa_id"], tps_id=core["tps_id"], race=Race.DPR, stage=Stage.PENGHITUNGAN,
        category=seeded, occurred_at=datetime(2024, 2, 14, 13, 30),
        description=f"Entri matriks {regency.slug}",
    )  # fmt: skip
    evidence = Evidence(
        regency_id=regency.id, entry=entry, document_id=core["document_id"],
        evidence_type=EvidenceType.C_KEJADIAN_KHUSUS,
    )  # fmt: skip
    db.session.add_all([own, entry, evidence])
    db.session.flush()
    return {
        "entry_id": entry.id, "evidence_id": evidence.id, "category_id": own.id,
        "seeded_category_id": seeded.id,
    }  # fmt: skip


def query(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    return {}


def payload(endpoint: str, ids: dict[str, Any]) -> dict[str, Any]:
    entry = {
        "level": "tps", "kecamatan": ids["kecamatan_id"], "desa": ids["desa_id"],
        "tps": ids["tps_id"], "race": "dpr", "stage": "penghitungan",
        "category": ids["seeded_category_id"], "occurred_date": "2024-02-14",
        "occurred_time": "14:00", "description": "Saksi keberatan atas penghitungan",
        "record_form": "tidak_ada", "follow_up": "tidak_ada", "status": "belum",
    }  # fmt: skip
    payloads: dict[str, dict[str, Any]] = {
        "inventory.new_entry": entry,
        "inventory.edit_entry": {**entry, "version": "1"},
        "inventory.set_status": {"status": "selesai", "version": "1"},
        "inventory.bulk_status": {"entry_ids": [str(ids["entry_id"])], "status": "selesai"},
        "inventory.add_evidence": {
            "evidence_file": (io.BytesIO(PDF), "c-kejadian-khusus.pdf"),
            "evidence_type": "c_kejadian_khusus",
        },
        "inventory.categories": {"name": "Kategori baru matriks", "stage": ""},
        "inventory.set_category_active": {"aktif": "0"},
        "inventory.import_entries": {"file": (io.BytesIO(b"No;Kecamatan\n"), "dim.csv")},
    }
    return payloads.get(endpoint, {})
