"""Entries of the DIM: their location, options, saving without lost updates,
how their values read, their history and their neighbours.

Every function works inside one regency (``regency_id``); ids of another
regency are treated exactly like ids that do not exist."""

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from flask import abort, current_app
from itsdangerous import BadSignature, URLSafeSerializer
from sqlalchemy import or_, select, update
from sqlalchemy.orm import joinedload

from phpnet.access import scoped_or_404
from phpnet.audit.models import AuditEntry
from phpnet.audit.service import record
from phpnet.auth.models import User
from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps
from phpnet.teams.models import TeamMember, current_team
from phpnet.templating import tanggal, waktu
from phpnet.timeutil import utcnow
from plugins.inventory.forms import Choices, EntryForm
from plugins.inventory.models import (
    Category,
    Entry,
    Evidence,
    FollowUp,
    Level,
    Race,
    RecordForm,
    Stage,
    Status,
)

OBJECT_TYPE = Entry.__tablename__  # what the audit log calls an entry
RELATED_LIMIT = 50
HISTORY_LIMIT = 200
ALL_STAGES = "Semua tahapan"
SNAPSHOT_SALT = "inventory-entry-loaded"

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
EVIDENCE_KEY = "bukti"  # the pseudo-column of history rows about evidence
ENUMS: dict[str, type[enum.Enum]] = {
    "level": Level,
    "race": Race,
    "stage": Stage,
    "record_form": RecordForm,
    "follow_up": FollowUp,
    "status": Status,
}
DATES = frozenset({"bawaslu_letter_date", "follow_up_date"})
NAMED_IDS: dict[str, Any] = {
    "kecamatan_id": Kecamatan,
    "desa_id": Desa,
    "tps_id": Tps,
    "category_id": Category,
    "person_in_charge_id": TeamMember,
}


# --- Looking entries up ------------------------------------------------------


def entry_or_404(entry_id: int, *, include_deleted: bool = False) -> Entry:
    """The entry of this regency; a deleted one only when asked for."""
    found = scoped_or_404(Entry, entry_id)
    if found.deleted_at is not None and not include_deleted:
        abort(404)
    return found


# --- Options of the form -------------------------------------------------------


def kecamatan_choices(regency_id: int) -> Choices:
    rows = db.session.execute(
        select(Kecamatan.id, Kecamatan.name)
        .where(Kecamatan.regency_id == regency_id)
        .order_by(Kecamatan.name)
    )
    return [("", "— pilih kecamatan —"), *((i, name) for i, name in rows)]


def desa_choices(regency_id: int, kecamatan_id: int | None) -> Choices:
    rows: list[tuple[int, str]] = []
    if kecamatan_id is not None:
        found = db.session.execute(
            select(Desa.id, Desa.name)
            .where(Desa.regency_id == regency_id, Desa.kecamatan_id == kecamatan_id)
            .order_by(Desa.name)
        )
        rows = [(i, name) for i, name in found]  # plain tuples: WTForms wants no Row
    return [("", "— pilih desa/kelurahan —"), *rows]


def tps_choices(regency_id: int, desa_id: int | None) -> Choices:
    rows: list[tuple[int, str]] = []
    if desa_id is not None:
        found = db.session.execute(
            select(Tps.id, Tps.number)
            .where(Tps.regency_id == regency_id, Tps.desa_id == desa_id)
            .order_by(Tps.number)
        ).tuples()
        rows = [(tps_id, f"TPS {number:03d}") for tps_id, number in found]
    return [("", "— pilih TPS —"), *rows]


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
    """Every choice of the entry form, following what is selected now."""
    form.kecamatan.choices = kecamatan_choices(regency_id)
    form.desa.choices = desa_choices(regency_id, form.kecamatan.data)
    form.tps.choices = tps_choices(regency_id, form.desa.data)
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


# --- Values as stored, compared and shown ------------------------------------


def plain(value: Any) -> Any:
    """A column value as JSON (as the audit log stores it)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot(entry: Entry) -> dict[str, Any]:
    return {key: plain(getattr(entry, key)) for key in EDITABLE}


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SNAPSHOT_SALT)


def sign_snapshot(values: Mapping[str, Any]) -> str:
    """The values a user loaded into the edit form, signed so that the
    conflict message can trust them."""
    return _serializer().dumps(dict(values))


def read_snapshot(token: str | None) -> dict[str, Any] | None:
    try:
        values = _serializer().loads(token or "")
    except BadSignature:
        return None
    return values if isinstance(values, dict) else None


class Names:
    """Names of the ids that appear in a set of values, fetched with one
    query per kind of id (never one per value)."""

    def __init__(self, pairs: Iterable[tuple[str, Any]]) -> None:
        wanted: dict[str, set[int]] = {key: set() for key in NAMED_IDS}
        for key, value in pairs:
            if key in wanted and isinstance(value, int):
                wanted[key].add(value)
        self.names: dict[tuple[str, int], str] = {}
        for key, ids in wanted.items():
            if ids:
                model = NAMED_IDS[key]
                for row in db.session.execute(select(model).where(model.id.in_(ids))).scalars():
                    self.names[(key, row.id)] = _name_of(row)

    def shown(self, key: str, value: Any) -> str:
        """How a plain stored value reads on a page."""
        if value is None or value == "":
            return "-"
        if key in ENUMS:
            try:
                return ENUMS[key](value).label  # type: ignore[attr-defined]
            except ValueError:
                return str(value)
        if key in NAMED_IDS:
            return self.names.get((key, value), f"#{value} (tidak ditemukan)")
        if key == "occurred_at":
            return local_moment(datetime.fromisoformat(value))
        if key in DATES:
            return tanggal(date.fromisoformat(value))
        if key == "vote_difference":
            return f"{value:,}".replace(",", ".")
        return str(value)


def _name_of(row: Any) -> str:
    if isinstance(row, Tps):
        return row.label
    return row.name


def local_moment(moment: datetime | None) -> str:
    """An entry's own time, already WIB: 14 Februari 2024 13.05 WIB."""
    if moment is None:
        return "-"
    return f"{tanggal(moment)} {moment:%H.%M} WIB"


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def changes_between(before: Mapping[str, Any], after: Mapping[str, Any]) -> list[Change]:
    """The edited fields whose value differs, in the order of the form."""
    keys = [k for k in EDITABLE if k in after or k in before]
    differing = [k for k in keys if before.get(k) != after.get(k)]
    names = Names([(k, before.get(k)) for k in differing] + [(k, after.get(k)) for k in differing])
    return [
        Change(
            FIELD_LABELS[key],
            names.shown(key, before.get(key)),
            names.shown(key, after.get(key)),
        )
        for key in differing
    ]


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
    record(
        "update",
        OBJECT_TYPE,
        object_id=entry.id,
        regency_id=entry.regency_id,
        before={**{k: before[k] for k in changed}, "version": expected_version},
        after={**{k: plain(v) for k, v in changed.items()}, "version": expected_version + 1},
    )
    db.session.expire(entry)
    return True


def record_evidence(entry: Entry, evidence: Evidence, *, added: bool) -> None:
    """The entry's own history names its evidence too (the evidence row has
    an audit trail of its own, under its own id)."""
    described = (
        f"{evidence.evidence_type.label}: {evidence.document.original_name} "
        f"(dokumen #{evidence.document_id})"
    )
    record(
        "update",
        OBJECT_TYPE,
        object_id=entry.id,
        regency_id=entry.regency_id,
        before={EVIDENCE_KEY: None if added else described},
        after={EVIDENCE_KEY: described if added else None},
    )


@dataclass(frozen=True)
class LastChange:
    who: str
    at: datetime | None

    @property
    def text(self) -> str:
        return f"{self.who} pada {waktu(self.at)}" if self.at else self.who


def last_change(entry: Entry) -> LastChange:
    """Who saved the entry's current version, and when."""
    rows = db.session.execute(
        select(AuditEntry)
        .where(AuditEntry.object_type == OBJECT_TYPE, AuditEntry.object_id == str(entry.id))
        .order_by(AuditEntry.id.desc())
        .limit(HISTORY_LIMIT)
    ).scalars()
    latest = next((r for r in rows if r.after and "version" in r.after), None)
    if latest is None:
        return LastChange("pengguna lain", entry.updated_at)
    account = db.session.get(User, latest.user_id) if latest.user_id else None
    return LastChange(account.full_name if account else latest.actor, latest.at)


# --- History and neighbours ----------------------------------------------------


@dataclass(frozen=True)
class HistoryRow:
    at: datetime
    who: str
    what: str
    changes: list[Change]


def history(entry: Entry) -> list[HistoryRow]:
    """The entry's audit rows, newest first, in words."""
    rows = list(
        db.session.execute(
            select(AuditEntry)
            .where(AuditEntry.object_type == OBJECT_TYPE, AuditEntry.object_id == str(entry.id))
            .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
            .limit(HISTORY_LIMIT)
        ).scalars()
    )
    return [HistoryRow(row.at, row.actor, _what(row), _row_changes(row)) for row in rows]


def _what(row: AuditEntry) -> str:
    after = row.after or {}
    if row.action == "create":
        return "Entri dicatat"
    if "deleted_at" in after:
        return "Entri dihapus" if after["deleted_at"] else "Entri dipulihkan"
    if EVIDENCE_KEY in after:
        if after[EVIDENCE_KEY]:
            return f"Bukti ditambahkan: {after[EVIDENCE_KEY]}"
        return f"Bukti dilepas: {(row.before or {}).get(EVIDENCE_KEY)}"
    return "Entri diubah"


def _row_changes(row: AuditEntry) -> list[Change]:
    """The edited fields an update changed (a deletion or restore is told
    by its title alone)."""
    if row.action != "update" or "deleted_at" in (row.after or {}):
        return []
    return changes_between(row.before or {}, row.after or {})


def _related(entry: Entry, *conditions: Any) -> list[Entry]:
    return list(
        db.session.execute(
            select(Entry)
            .options(joinedload(Entry.category), joinedload(Entry.tps))
            .where(
                Entry.regency_id == entry.regency_id,
                Entry.deleted_at.is_(None),
                Entry.id != entry.id,
                *conditions,
            )
            .order_by(Entry.occurred_at.desc(), Entry.id.desc())
            .limit(RELATED_LIMIT)
        ).scalars()
    )


def related_entries(entry: Entry) -> tuple[list[Entry], list[Entry]]:
    """Other live entries at the same TPS, and at the same desa (those at the
    same TPS are listed once, in the first list)."""
    same_tps = _related(entry, Entry.tps_id == entry.tps_id) if entry.tps_id else []
    same_desa: list[Entry] = []
    if entry.desa_id:
        elsewhere_in_desa = (
            or_(Entry.tps_id.is_(None), Entry.tps_id != entry.tps_id) if entry.tps_id else True
        )
        same_desa = _related(entry, Entry.desa_id == entry.desa_id, elsewhere_in_desa)
    return same_tps, same_desa


def deleted_by_names(entries: Iterable[Entry]) -> dict[int, str]:
    ids = {e.deleted_by_id for e in entries if e.deleted_by_id is not None}
    if not ids:
        return {}
    users = db.session.execute(select(User).where(User.id.in_(ids))).scalars()
    return {u.id: u.full_name for u in users}
