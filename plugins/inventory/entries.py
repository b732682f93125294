"""Entries of the DIM: looking one up, the options of its form, its
location, and saving it without lost updates (how its values read, its
history and its neighbours are in entry_history).

Every function works inside one regency (``regency_id``); ids of another
regency are treated exactly like ids that do not exist."""

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import abort
from sqlalchemy import or_, select, update

from phpnet.plugin_api import (
    Desa,
    Document,
    Kecamatan,
    Regency,
    TeamMember,
    Tps,
    User,
    current_team,
    db,
    fill_place_fields,
    record_action,
    scoped_or_404,
    utcnow,
)
from plugins.inventory.forms import Choices, EntryForm
from plugins.inventory.models import Category, Entry, Evidence, EvidenceType, Level, Stage

OBJECT_TYPE = Entry.__tablename__  # what the audit log calls an entry
ALL_STAGES = "Semua tahapan"
SNAPSHOT_SALT = "inventory-entry-loaded"
EVIDENCE_KEY = "bukti"  # the pseudo-column of history rows about evidence
EVIDENCE_KINDS = frozenset({"pdf", "jpeg", "png"})

# The columns a user edits, in the order of the form, with their labels.
FIELD_LABELS: dict[str, str] = {
    "level": "Tingkat lokasi",
    "kecamatan_id": "Kecamatan",
    "desa_id": "Desa/Kelurahan",
    "tps_id": "TPS",
    "race": "Jenis pemilihan",
    "dapil": "Dapil",
    "stage": "Tahapan",
    "category_id": "Kategori masalah",
    "occurred_at": "Waktu kejadian",
    "description": "Uraian kejadian",
    "objector": "Pihak yang keberatan",
    "record_form": "Formulir",
    "record_form_number": "Nomor formulir",
    "bawaslu_letter_number": "Nomor rekomendasi Bawaslu/Panwaslu",
    "bawaslu_letter_date": "Tanggal rekomendasi",
    "bawaslu_content": "Isi rekomendasi",
    "follow_up": "Tindak lanjut",
    "follow_up_detail": "Keterangan tindak lanjut",
    "follow_up_date": "Tanggal tindak lanjut",
    "status": "Status",
    "vote_difference": "Selisih suara",
    "person_in_charge_id": "Penanggung jawab",
    "notes": "Catatan",
}
EDITABLE = tuple(FIELD_LABELS)


# --- Looking entries up ------------------------------------------------------


def entry_or_404(entry_id: int, *, include_deleted: bool = False) -> Entry:
    """The entry of this regency; a deleted one only when asked for."""
    found = scoped_or_404(Entry, entry_id)
    if found.deleted_at is not None and not include_deleted:
        abort(404)
    return found


# --- Options of the form -------------------------------------------------------


def visible_categories(regency_id: int) -> list[Category]:
    """The seeded categories every regency sees, then the regency's own."""
    return list(
        db.session.execute(
            select(Category)
            .where(or_(Category.regency_id.is_(None), Category.regency_id == regency_id))
            .order_by(Category.regency_id.is_not(None), Category.id)
        ).scalars()
    )


def category_choices(regency_id: int, keep_id: int | None = None) -> dict[str, Choices]:
    """Active categories grouped by stage; an inactive one stays offered on
    the entry that already has it."""
    groups: dict[str, list[tuple[int, str]]] = {stage.label: [] for stage in Stage}
    groups[ALL_STAGES] = []
    for category in visible_categories(regency_id):
        if category.is_active or category.id == keep_id:
            label = category.name if category.is_active else f"{category.name} (nonaktif)"
            groups[category.stage.label if category.stage else ALL_STAGES].append(
                (category.id, label)
            )
    return {stage: choices for stage, choices in groups.items() if choices}


def member_choices(regency_id: int, keep_id: int | None = None) -> Choices:
    """Members of the team in force; the entry's own person in charge stays
    offered when a newer decree left them out."""
    team = current_team(regency_id)
    members = sorted(team.members, key=lambda m: m.name) if team else []
    choices: list[tuple[int, str]] = [(m.id, f"{m.name} ({m.position.label})") for m in members]
    if keep_id is not None and all(m.id != keep_id for m in members):
        kept = db.session.get(TeamMember, keep_id)
        if kept is not None and kept.regency_id == regency_id:
            choices.append((kept.id, f"{kept.name} (tim terdahulu)"))
    return choices


def fill_options(form: EntryForm, regency_id: int, entry: Entry | None = None) -> None:
    """Every choice of the entry form, following what is selected now; the
    place selects refill each other under htmx (core's place picker)."""
    fill_place_fields(form, regency_id)
    form.set_options(
        category_choices(regency_id, entry.category_id if entry else None),
        member_choices(regency_id, entry.person_in_charge_id if entry else None),
    )


# --- The location ---------------------------------------------------------------


@dataclass(frozen=True)
class Location:
    level: Level
    kecamatan_id: int | None = None
    desa_id: int | None = None
    tps_id: int | None = None

    def columns(self) -> dict[str, Any]:
        return {
            "level": self.level,
            "kecamatan_id": self.kecamatan_id,
            "desa_id": self.desa_id,
            "tps_id": self.tps_id,
        }


def resolve_location(form: EntryForm, regency: Regency) -> Location | None:
    """The location the form names, or None with the reason next to the
    field: each level needs its parts, each part must be of this regency and
    lie inside the part above it. Parts below the level are not kept."""
    if form.level.data not in {level.value for level in Level}:
        return None
    level = Level(form.level.data)
    depth = list(Level).index(level)  # 0 kab/kota ... 3 TPS
    required = f"Wajib diisi untuk tingkat {level.label}."
    elsewhere = f"tidak ada di {regency.name}."
    kecamatan = desa = tps = None
    if depth >= 1:
        kecamatan = _part(
            form.kecamatan, Kecamatan, regency, required, f"Kecamatan ini {elsewhere}"
        )
    if depth >= 2:
        desa = _part(form.desa, Desa, regency, required, f"Desa/kelurahan ini {elsewhere}")
        if desa is not None and kecamatan is not None and desa.kecamatan_id != kecamatan.id:
            form.desa.errors.append(
                f"{desa.kind.capitalize()} {desa.name} tidak berada di Kecamatan {kecamatan.name}."
            )
            desa = None
    if depth >= 3:
        tps = _part(form.tps, Tps, regency, required, f"TPS ini {elsewhere}")
        if tps is not None and desa is not None and tps.desa_id != desa.id:
            form.tps.errors.append(f"{tps.label} tidak berada di {desa.kind} {desa.name}.")
            tps = None
    parts = (kecamatan, desa, tps)[:depth]
    if any(part is None for part in parts):
        return None
    return Location(level, *(part.id for part in parts))  # type: ignore[union-attr]


def _part(field: Any, model: Any, regency: Regency, required: str, elsewhere: str) -> Any:
    if field.errors:  # not an id at all
        return None
    if field.data is None:
        field.errors.append(required)
        return None
    found = db.session.get(model, field.data)
    if found is None or found.regency_id != regency.id:
        field.errors.append(elsewhere)
        return None
    return found


def location_label(entry: Entry, regency: Regency) -> str:
    """Kec. Kepanjen › Desa Ardirejo › TPS 001, or the regency itself."""
    parts = []
    if entry.kecamatan is not None:
        parts.append(f"Kec. {entry.kecamatan.name}")
    if entry.desa is not None:
        parts.append(f"{entry.desa.kind.capitalize()} {entry.desa.name}")
    if entry.tps is not None:
        parts.append(entry.tps.label)
    return " › ".join(parts) or regency.name


# --- Values as stored and compared -----------------------------------------


def plain(value: Any) -> Any:
    """A column value as JSON (as the audit log stores it)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(entry: Entry) -> dict[str, Any]:
    return {key: plain(getattr(entry, key)) for key in EDITABLE}


# --- Saving -------------------------------------------------------------------


def create_entry(values: Mapping[str, Any], regency: Regency, user: User) -> Entry:
    created = Entry(regency_id=regency.id, created_by_id=user.id, **values)
    db.session.add(created)
    return created


def update_entry(entry: Entry, expected_version: int, values: Mapping[str, Any]) -> bool:
    """Save ``values`` only if the entry is still at ``expected_version``
    (one conditional UPDATE: whoever saves second learns it); False if
    someone else saved first. The audit row names the changed fields."""
    before = snapshot(entry)
    changed = {k: v for k, v in values.items() if plain(v) != before[k]}
    result = db.session.execute(
        update(Entry)
        .where(
            Entry.id == entry.id,
            Entry.regency_id == entry.regency_id,
            Entry.version == expected_version,
            Entry.deleted_at.is_(None),
        )
        .values(**changed, version=Entry.version + 1, updated_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return False
    record_action(
        "update",
        OBJECT_TYPE,
        object_id=entry.id,
        regency_id=entry.regency_id,
        before={**{k: before[k] for k in changed}, "version": expected_version},
        after={**{k: plain(v) for k, v in changed.items()}, "version": expected_version + 1},
    )
    db.session.expire(entry)
    return True


def attach_evidence(entry: Entry, document: Document, evidence_type: EvidenceType) -> Evidence:
    """Link a stored document to the entry as evidence of ``evidence_type``."""
    evidence = Evidence(
        entry=entry, regency_id=entry.regency_id, document=document, evidence_type=evidence_type
    )
    db.session.add(evidence)
    db.session.flush()
    record_evidence(entry, evidence, added=True)
    return evidence


def record_evidence(entry: Entry, evidence: Evidence, *, added: bool) -> None:
    """The entry's own history names its evidence too (the evidence row has
    an audit trail of its own, under its own id)."""
    described = (
        f"{evidence.evidence_type.label}: {evidence.document.original_name} "
        f"(dokumen #{evidence.document_id})"
    )
    record_action(
        "update",
        OBJECT_TYPE,
        object_id=entry.id,
        regency_id=entry.regency_id,
        before={EVIDENCE_KEY: None if added else described},
        after={EVIDENCE_KEY: described if added else None},
    )
