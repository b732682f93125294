"""How a DIM entry reads: its stored values in words, the changes between
two versions, who saved it last, its history, and the entries near it."""

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import joinedload

from phpnet.plugin_api import AuditEntry, Desa, Kecamatan, TeamMember, Tps, User, db, tanggal, waktu
from plugins.inventory.entries import EDITABLE, EVIDENCE_KEY, FIELD_LABELS, OBJECT_TYPE
from plugins.inventory.models import (
    Category,
    Entry,
    FollowUp,
    Level,
    Race,
    RecordForm,
    Stage,
    Status,
)

RELATED_LIMIT = 50
HISTORY_LIMIT = 200
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


# --- Who saved it, its history and its neighbours ------------------------------


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
