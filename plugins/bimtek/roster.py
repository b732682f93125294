"""The invitation list in bulk: every row checked before anything is saved
(against the regency's regions, the session's targets and the people already
invited), problems reported by row and column in Indonesian; rows pasted from
a spreadsheet are read here, XLSX uploads in :mod:`plugins.bimtek.workbooks`.

Pasted text and uploads share one row checker, so both accept the same
columns (Nama, Tingkat, Kecamatan, Desa/Kelurahan, TPS, Jabatan, Telepon) and
say the same things about them."""

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from phpnet.plugin_api import Desa, Kecamatan, Regency, Tps, db
from plugins.bimtek.bodies import Place, place_names, place_of
from plugins.bimtek.models import NAME_MAX, PHONE_MAX, Level, Participant, Position, Session

COLUMNS = ("Nama", "Tingkat", "Kecamatan", "Desa/Kelurahan", "TPS", "Jabatan", "Telepon")
MAX_ROWS = 1_000
MAX_PROBLEMS_SHOWN = 100
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{5,19}")
_PREFIXES = ("kecamatan ", "kec. ", "kec ", "kelurahan ", "kel. ", "kel ", "desa ", "ds. ")


@dataclass(frozen=True)
class Problem:
    row: int | None
    column: str | None
    message: str


@dataclass
class RosterReport:
    """What a paste or an upload would add: rows to insert, or problems."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    checked: int = 0

    def refuse(self, message: str, row: int | None = None, column: str | None = None) -> None:
        self.problems.append(Problem(row, column, message))

    @property
    def problems_shown(self) -> list[Problem]:
        return self.problems[:MAX_PROBLEMS_SHOWN]

    @property
    def rows_with_problems(self) -> int:
        return len({p.row for p in self.problems if p.row is not None})


def plain_text(value: object) -> str:
    """A cell as trimmed text; whole numbers from a spreadsheet lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\x00", "")
    return " ".join(text.split())


def _key(name: str) -> str:
    """A region name as typed by anyone: case, spaces and a Kec./Desa prefix ignored."""
    text = plain_text(name).lower()
    for prefix in _PREFIXES:
        if text.startswith(prefix):
            return text[len(prefix) :].strip()
    return text


_LEVELS = {level.value: level for level in Level}
_POSITIONS = {
    **{p.value: p for p in Position},
    **{p.label.lower(): p for p in Position},
    "staf": Position.STAF,
    "staf sekretariat": Position.STAF,
    "sekretariat": Position.STAF,
}


class RowChecker:
    """Checks rows of one session's invitation list against the regency's
    regions, the session's targets and the people already on the list. The
    regions are loaded once (a regency has at most a few hundred kecamatan and
    desa; its TPS only when a KPPS row appears)."""

    def __init__(self, regency: Regency, session: Session, report: RosterReport) -> None:
        self.regency = regency
        self.report = report
        self.targets = [place_of(t) for t in session.targets]
        kecamatan = db.session.execute(
            select(Kecamatan.id, Kecamatan.code, Kecamatan.name).where(
                Kecamatan.regency_id == regency.id
            )
        ).all()
        self.kecamatan = {_key(name): k_id for k_id, _code, name in kecamatan}
        self.kecamatan.update({code: k_id for k_id, code, _name in kecamatan})
        self.kecamatan.update({code.replace(".", ""): k_id for k_id, code, _name in kecamatan})
        self.kecamatan_names = {k_id: name for k_id, _code, name in kecamatan}
        desa = db.session.execute(
            select(Desa.id, Desa.kecamatan_id, Desa.code, Desa.name).where(
                Desa.regency_id == regency.id
            )
        ).all()
        self.desa = {(k_id, _key(name)): d_id for d_id, k_id, _code, name in desa}
        self.desa.update({(k_id, code): d_id for d_id, k_id, code, _name in desa})
        self.desa.update({(k_id, code.replace(".", "")): d_id for d_id, k_id, code, _name in desa})
        self._tps: dict[tuple[int, int], int] | None = None
        existing = session.participants
        self.seen: dict[tuple[str, Place], int | None] = {
            (p.name.lower(), place_of(p)): None for p in existing
        }
        self.row = 0
        self.row_failed = False

    def tps(self) -> dict[tuple[int, int], int]:
        if self._tps is None:
            rows = db.session.execute(
                select(Tps.id, Tps.desa_id, Tps.number).where(Tps.regency_id == self.regency.id)
            )
            self._tps = {(desa_id, number): t_id for t_id, desa_id, number in rows}
        return self._tps

    def refuse(self, column: str, message: str) -> None:
        self.report.refuse(message, self.row, column)
        self.row_failed = True

    def check(self, row: int, cells: dict[str, str]) -> None:
        """Check one row (cells by column name); keep it when it is clean."""
        self.row, self.row_failed = row, False
        self.report.checked += 1
        name = self._name(cells.get("Nama", ""))
        level = self._level(cells.get("Tingkat", ""))
        place = self._place(level, cells)
        position = self._position(cells.get("Jabatan", ""))
        phone = self._phone(cells.get("Telepon", ""))
        if self.row_failed or name is None or place is None:
            return
        if self.targets and not any(t.covers(place) for t in self.targets):
            label = place_names([place]).label(place)
            self.refuse("Tingkat", f"{label} bukan sasaran bimtek ini.")
            return
        duplicate = (name.lower(), place)
        if duplicate in self.seen:
            earlier = self.seen[duplicate]
            where = f"sudah ada di baris {earlier}" if earlier else "sudah terdaftar di bimtek ini"
            self.refuse("Nama", f"Peserta “{name}” dari badan yang sama {where}.")
            return
        self.seen[duplicate] = row
        self.report.rows.append(
            {
                "name": name,
                "level": place.level,
                "kecamatan_id": place.kecamatan_id,
                "desa_id": place.desa_id,
                "tps_id": place.tps_id,
                "position": position or Position.ANGGOTA,
                "phone": phone,
            }
        )

    def _name(self, text: str) -> str | None:
        if not text:
            self.refuse("Nama", "Nama wajib diisi.")
            return None
        if len(text) > NAME_MAX:
            self.refuse("Nama", f"Nama paling panjang {NAME_MAX} karakter.")
            return None
        return text

    def _level(self, text: str) -> Level | None:
        level = _LEVELS.get(text.lower())
        if level is None:
            shown = f"“{text}” tidak dikenal" if text else "wajib diisi"
            self.refuse("Tingkat", f"Tingkat {shown}; isi PPK, PPS atau KPPS.")
        return level

    def _place(self, level: Level | None, cells: dict[str, str]) -> Place | None:
        """The body's place; the kecamatan is checked even when the level is
        wrong, so that every problem of the row is reported at once."""
        kecamatan_text = cells.get("Kecamatan", "")
        if not kecamatan_text:
            self.refuse("Kecamatan", "Kecamatan wajib diisi.")
            return None
        kecamatan_id = self.kecamatan.get(_key(kecamatan_text))
        if kecamatan_id is None:
            self.refuse(
                "Kecamatan", f"Kecamatan “{kecamatan_text}” tidak ada di {self.regency.name}."
            )
            return None
        if level is None:
            return None
        if level is Level.PPK:
            return Place(level, kecamatan_id)
        desa_id = self._desa(kecamatan_id, cells.get("Desa/Kelurahan", ""))
        if desa_id is None:
            return None
        if level is Level.PPS:
            return Place(level, kecamatan_id, desa_id)
        tps_id = self._tps_of(desa_id, cells.get("TPS", ""), cells.get("Desa/Kelurahan", ""))
        return None if tps_id is None else Place(level, kecamatan_id, desa_id, tps_id)

    def _desa(self, kecamatan_id: int, text: str) -> int | None:
        if not text:
            self.refuse("Desa/Kelurahan", "Desa/kelurahan wajib diisi untuk PPS dan KPPS.")
            return None
        desa_id = self.desa.get((kecamatan_id, _key(text)))
        if desa_id is None:
            kecamatan = self.kecamatan_names[kecamatan_id]
            self.refuse("Desa/Kelurahan", f"Desa/kelurahan “{text}” tidak ada di Kec. {kecamatan}.")
        return desa_id

    def _tps_of(self, desa_id: int, text: str, desa_text: str) -> int | None:
        if not text:
            self.refuse("TPS", "Nomor TPS wajib diisi untuk KPPS.")
            return None
        digits = text.lower().removeprefix("tps").strip()
        if not (digits.isascii() and digits.isdigit()) or not 0 < int(digits) < 10_000:
            self.refuse("TPS", f"Nomor TPS “{text}” tidak sah; isi angka, misalnya 3.")
            return None
        tps_id = self.tps().get((desa_id, int(digits)))
        if tps_id is None:
            self.refuse("TPS", f"TPS {int(digits):03d} tidak ada di {desa_text}.")
        return tps_id

    def _position(self, text: str) -> Position | None:
        if not text:
            return None
        position = _POSITIONS.get(text.lower())
        if position is None:
            names = ", ".join(p.label for p in Position)
            self.refuse("Jabatan", f"Jabatan “{text}” tidak dikenal; isi salah satu: {names}.")
        return position

    def _phone(self, text: str) -> str | None:
        if not text:
            return None
        if text.isdigit() and text.startswith("8"):  # a spreadsheet dropped the leading 0
            text = "0" + text
        if len(text) > PHONE_MAX or not _PHONE.fullmatch(text):
            self.refuse(
                "Telepon", f"Nomor telepon “{text}” tidak sah; isi angka (boleh diawali +)."
            )
            return None
        return text


def check_rows(
    rows: Iterable[tuple[int, dict[str, str]]], checker: RowChecker, report: RosterReport
) -> None:
    for number, cells in rows:
        if report.checked == MAX_ROWS:
            report.refuse(f"Terlalu banyak baris: paling banyak {MAX_ROWS:,} peserta sekali kirim.")
            break
        checker.check(number, cells)
    if not report.checked and not report.problems:
        report.refuse("Tidak ada baris peserta.")
    if report.problems:
        report.rows.clear()


def read_paste(text: str, regency: Regency, session: Session) -> RosterReport:
    """Tab-separated lines copied from a spreadsheet, in the template's column
    order; a first line starting with "Nama" is the header and is skipped."""
    report = RosterReport()
    checker = RowChecker(regency, session, report)

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, line in enumerate(text.splitlines(), start=1):
            cells = [plain_text(c) for c in line.split("\t")]
            if not any(cells) or (number == 1 and cells[0].lower() == "nama"):
                continue
            yield number, dict(zip(COLUMNS, cells, strict=False))

    check_rows(rows(), checker, report)
    return report


def add_rows(report: RosterReport, session: Session) -> list[Participant]:
    """Add the clean rows of ``report`` to the session (the caller commits)."""
    if report.problems:
        raise ValueError("a report with problems is never saved")
    added = [
        Participant(regency_id=session.regency_id, session=session, **row) for row in report.rows
    ]
    db.session.add_all(added)
    return added
