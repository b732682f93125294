"""The invitation list in bulk: rows pasted from a spreadsheet or read from an
XLSX upload, every row checked before anything is saved, problems reported by
row and column in Indonesian; the XLSX template to fill in and the export.

Pasted text and uploads share one row checker, so both accept the same
columns (Nama, Tingkat, Kecamatan, Desa/Kelurahan, TPS, Jabatan, Telepon) and
say the same things about them. The export has the same columns first, so an
exported list can be imported into another session."""

import io
import re
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import xlsxwriter
from openpyxl import load_workbook
from sqlalchemy import select

from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps
from phpnet.spreadsheet import write_text
from plugins.bimtek.bodies import Place, place_names, place_of
from plugins.bimtek.models import NAME_MAX, PHONE_MAX, Level, Participant, Position, Session

COLUMNS = ("Nama", "Tingkat", "Kecamatan", "Desa/Kelurahan", "TPS", "Jabatan", "Telepon")
REQUIRED_COLUMNS = ("Nama", "Tingkat", "Kecamatan")
MAX_ROWS = 1_000
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
MAX_PROBLEMS_SHOWN = 100
_XLSX_MAGIC = b"PK\x03\x04"
_PHONE = re.compile(r"\+?[0-9][0-9 ()\-]{5,19}")
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
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


def _plain(value: object) -> str:
    """A cell as trimmed text; whole numbers from a spreadsheet lose their ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).replace("\x00", "")
    return " ".join(text.split())


def _key(name: str) -> str:
    """A region name as typed by anyone: case, spaces and a Kec./Desa prefix ignored."""
    text = _plain(name).lower()
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


def _check_all(
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
            cells = [_plain(c) for c in line.split("\t")]
            if not any(cells) or (number == 1 and cells[0].lower() == "nama"):
                continue
            yield number, dict(zip(COLUMNS, cells, strict=False))

    _check_all(rows(), checker, report)
    return report


def read_xlsx(data: bytes, regency: Regency, session: Session) -> RosterReport:
    """The first sheet of an XLSX file: a header row (found in the first ten
    rows, columns in any order), then one participant per row."""
    report = RosterReport()
    sheet_rows = _xlsx_rows(data, report)
    if sheet_rows is None:
        return report
    checker = RowChecker(regency, session, report)
    positions = _header(sheet_rows, report)
    if positions is None:
        return report

    def rows() -> Iterator[tuple[int, dict[str, str]]]:
        for number, cells in sheet_rows:
            values = {name: _plain(cells[i]) if i < len(cells) else "" for name, i in positions}
            if any(values.values()):
                yield number, values

    _check_all(rows(), checker, report)
    return report


def _xlsx_rows(data: bytes, report: RosterReport) -> Iterator[tuple[int, list[object]]] | None:
    not_xlsx = (
        "Berkas bukan XLSX yang sah. Simpan ulang dari Excel sebagai “Buku Kerja Excel (.xlsx)”."
    )
    if len(data) > MAX_UPLOAD_BYTES:
        report.refuse(f"Berkas terlalu besar (paling besar {MAX_UPLOAD_BYTES // 2**20} MB).")
        return None
    if not data.startswith(_XLSX_MAGIC):
        report.refuse(not_xlsx)
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(item.file_size for item in archive.infolist()) > MAX_UNPACKED_BYTES:
                report.refuse("Isi berkas XLSX terlalu besar setelah dibuka.")
                return None
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds on a broken or foreign zip
        report.refuse(not_xlsx)
        return None
    if not workbook.worksheets:
        report.refuse("Berkas XLSX tidak berisi lembar kerja.")
        return None
    sheet = workbook.worksheets[0]

    def rows() -> Iterator[tuple[int, list[object]]]:
        try:
            for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
                yield number, [_unescape(cell) for cell in cells]
        finally:
            workbook.close()

    return rows()


def _unescape(cell: object) -> object:
    """XLSX keeps characters XML cannot hold as ``_x000D_``; openpyxl reads them undecoded."""
    if isinstance(cell, str) and "_x" in cell:
        return _OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), cell)
    return cell


def _header(
    rows: Iterator[tuple[int, list[object]]], report: RosterReport
) -> list[tuple[str, int]] | None:
    wanted = {name.lower(): name for name in COLUMNS}
    for number, cells in rows:
        names = [_plain(cell).lower() for cell in cells]
        if "nama" in names and "tingkat" in names:
            positions = [(wanted[n], i) for i, n in enumerate(names) if n in wanted]
            missing = [c for c in REQUIRED_COLUMNS if c.lower() not in names]
            if missing:
                report.refuse(f"Kolom {', '.join(missing)} tidak ada.", number)
                return None
            return positions
        if number >= HEADER_SEARCH_ROWS:
            break
    listed = ", ".join(COLUMNS)
    report.refuse(f"Baris judul kolom tidak ditemukan; gunakan templat dengan kolom {listed}.")
    return None


def add_rows(report: RosterReport, session: Session) -> list[Participant]:
    """Add the clean rows of ``report`` to the session (the caller commits)."""
    if report.problems:
        raise ValueError("a report with problems is never saved")
    added = [
        Participant(regency_id=session.regency_id, session=session, **row) for row in report.rows
    ]
    db.session.add_all(added)
    return added


# --- XLSX: the template and the export ----------------------------------------------------


def template_xlsx(regency: Regency) -> bytes:
    """An empty participant sheet with the columns and dropdowns, instructions,
    and the regency's kecamatan and desa names to copy from."""
    kecamatan = db.session.execute(
        select(Kecamatan.id, Kecamatan.name)
        .where(Kecamatan.regency_id == regency.id)
        .order_by(Kecamatan.name)
    ).all()
    desa = db.session.execute(
        select(Desa.kecamatan_id, Desa.kind, Desa.name)
        .where(Desa.regency_id == regency.id)
        .order_by(Desa.kecamatan_id, Desa.name)
    ).all()
    kecamatan_names = dict(kecamatan)
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True})
    bold = book.add_format({"bold": True, "bg_color": "#E6E6E6", "border": 1})
    text = book.add_format({"num_format": "@"})
    sheet = book.add_worksheet("Peserta")
    for column, name in enumerate(COLUMNS):
        sheet.write_string(0, column, name, bold)
    sheet.set_column(0, 0, 32, text)
    sheet.set_column(1, 1, 10, text)
    sheet.set_column(2, 3, 24, text)
    sheet.set_column(4, 4, 8, text)
    sheet.set_column(5, 5, 18, text)
    sheet.set_column(6, 6, 18, text)
    sheet.freeze_panes(1, 0)
    sheet.data_validation(
        1, 1, MAX_ROWS, 1, {"validate": "list", "source": [level.label for level in Level]}
    )
    sheet.data_validation(
        1, 5, MAX_ROWS, 5, {"validate": "list", "source": [p.label for p in Position]}
    )
    guide = book.add_worksheet("Petunjuk")
    for row, line in enumerate(_GUIDE):
        guide.write_string(row, 0, line)
    guide.set_column(0, 0, 110)
    places = book.add_worksheet("Wilayah")
    for column, name in enumerate(("Kecamatan", "Desa/Kelurahan")):
        places.write_string(0, column, name, bold)
    for row, (kecamatan_id, kind, name) in enumerate(desa, start=1):
        places.write_string(row, 0, kecamatan_names.get(kecamatan_id, ""))
        places.write_string(row, 1, f"{kind.capitalize()} {name}")
    places.set_column(0, 1, 30)
    book.close()
    return output.getvalue()


_GUIDE = (
    "Isi lembar Peserta: satu baris untuk satu peserta, mulai baris 2. Jangan ubah judul kolom.",
    "Nama: wajib. Tingkat: PPK, PPS atau KPPS (wajib).",
    "Kecamatan: wajib, nama seperti di lembar Wilayah (boleh juga kode Kemendagri).",
    "Desa/Kelurahan: wajib untuk PPS dan KPPS. TPS: nomor TPS, wajib untuk KPPS.",
    "Jabatan: Ketua, Anggota, Sekretaris, Staf Sekretariat atau Lainnya (kosong = Anggota).",
    "Telepon: boleh dikosongkan; angka, boleh diawali +.",
    "Semua baris diperiksa dahulu. Bila satu baris saja salah, tidak ada yang diimpor;",
    "masalahnya ditunjukkan per baris dan kolom. Perbaiki, lalu unggah kembali.",
)


EXPORT_COLUMNS = (*COLUMNS, "Hadir", "Pre-test", "Post-test", "Selisih")


def participant_cells(participants: Sequence[Participant]) -> Iterator[list[object]]:
    """The export's rows: the template's columns, then attendance and scores."""
    names = place_names(place_of(p) for p in participants)
    for person in participants:
        desa = names.desa.get(person.desa_id, "") if person.desa_id else ""
        tps = names.tps.get(person.tps_id, "").removeprefix("TPS ") if person.tps_id else ""
        gain = (
            person.post_score - person.pre_score
            if person.pre_score is not None and person.post_score is not None
            else None
        )
        yield [
            person.name, person.level.label, names.kecamatan.get(person.kecamatan_id, ""), desa,
            tps, person.position.label, person.phone or "",
            "Ya" if person.attended else "Tidak", person.pre_score, person.post_score, gain,
        ]  # fmt: skip


def export_xlsx(regency: Regency, session: Session, participants: Sequence[Participant]) -> bytes:
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, {"in_memory": True, "constant_memory": True})
    title = book.add_format({"bold": True, "font_size": 13})
    bold = book.add_format({"bold": True, "bg_color": "#E6E6E6", "border": 1})
    quoted = book.add_format({"quote_prefix": True})
    sheet = book.add_worksheet("Peserta")
    sheet.write_string(0, 0, f"Peserta bimtek: {session.title}", title)
    sheet.write_string(1, 0, f"{regency.name} · {session.held_on:%d-%m-%Y}")
    for column, name in enumerate(EXPORT_COLUMNS):
        sheet.write_string(3, column, name, bold)
    for row, cells in enumerate(participant_cells(participants), start=4):
        for column, value in enumerate(cells):
            if isinstance(value, int):
                sheet.write_number(row, column, value)
            elif value not in (None, ""):
                write_text(sheet, row, column, str(value), None, quoted)
    sheet.set_column(0, 0, 32)
    sheet.set_column(2, 3, 24)
    sheet.set_column(5, 6, 18)
    book.close()
    return output.getvalue()
