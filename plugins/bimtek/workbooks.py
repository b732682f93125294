"""The invitation list as XLSX: an upload read into rows for the row checker
of :mod:`plugins.bimtek.roster` (guarded against files that are too big, or
not XLSX at all), the template to fill in, and the export. The export has the
template's columns first, so an exported list can be imported into another
session."""

import io
import re
import zipfile
from collections.abc import Iterator, Sequence

import xlsxwriter
from openpyxl import load_workbook
from sqlalchemy import select

from phpnet.plugin_api import Desa, Kecamatan, Regency, db, write_text
from plugins.bimtek.bodies import place_names, place_of
from plugins.bimtek.models import Level, Participant, Position, Session
from plugins.bimtek.roster import (
    COLUMNS,
    MAX_ROWS,
    RosterReport,
    RowChecker,
    check_rows,
    plain_text,
)

REQUIRED_COLUMNS = ("Nama", "Tingkat", "Kecamatan")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
HEADER_SEARCH_ROWS = 10
_XLSX_MAGIC = b"PK\x03\x04"
_OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")


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
            values = {name: plain_text(cells[i]) if i < len(cells) else "" for name, i in positions}
            if any(values.values()):
                yield number, values

    check_rows(rows(), checker, report)
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
        names = [plain_text(cell).lower() for cell in cells]
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
