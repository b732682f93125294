"""XLSX sheets of the filtered lists of activities and of follow-ups, formatted
as the activity report (laporan kegiatan) an office files.

User text never becomes a formula: cells are written as strings with
formulas, links and numbers off, and text that looks like a formula gets the
quote prefix Excel shows for it (security.md D-export)."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO

import xlsxwriter
from xlsxwriter.format import Format
from xlsxwriter.worksheet import Worksheet

from phpnet.plugin_api import Regency, now_wib, write_text
from plugins.supervision.models import Activity, FollowUp

A4_PAPER = 9
HEADER_ROW = 4  # title, filter line, a blank row, then the header
WORKBOOK_OPTIONS = {
    "constant_memory": True,
    "strings_to_formulas": False,
    "strings_to_urls": False,
    "strings_to_numbers": False,
}


@dataclass(frozen=True)
class Column:
    header: str
    width: int
    wrap: bool = False


ACTIVITY_COLUMNS = (
    Column("No", 5), Column("Jenis kegiatan", 14), Column("Tanggal mulai", 12),
    Column("Tanggal selesai", 12), Column("Lembaga yang dijangkau", 40, True),
    Column("Tim yang bertugas", 28, True), Column("Maksud dan tujuan", 40, True),
    Column("Temuan (keparahan)", 50, True), Column("Rekomendasi", 40, True),
    Column("Tindak lanjut", 50, True), Column("Dokumen", 30, True),
)  # fmt: skip
FOLLOW_UP_COLUMNS = (
    Column("No", 5), Column("Kegiatan", 28, True), Column("Tanggal kegiatan", 12),
    Column("Tindak lanjut", 45, True), Column("Atas temuan", 40, True),
    Column("Penanggung jawab", 24), Column("Tenggat", 12), Column("Status", 12),
    Column("Tanggal selesai", 12), Column("Keterangan dan bukti", 40, True),
)  # fmt: skip


def now_line(done: str, user_name: str) -> str:
    return f"{done} {now_wib():%d/%m/%Y %H.%M} WIB oleh {user_name}"


def activity_cells(number: int, activity: Activity, today: date) -> list[object]:
    findings = "\n".join(
        f"{n}. {f.description} ({f.severity.label})" for n, f in enumerate(activity.findings, 1)
    )
    follow_ups = "\n".join(
        f"{n}. {f.action} — {f.owner.name if f.owner else '-'}, tenggat "
        f"{f.due_on:%d/%m/%Y}, {f.state_on(today).label}"
        for n, f in enumerate(activity.follow_ups, 1)
    )
    return [
        number, activity.kind.label, activity.started_on, activity.ended_on,
        "\n".join(b.label for b in activity.bodies),
        "\n".join(m.team_member.name for m in activity.members), activity.purpose,
        findings, activity.recommendations or "", follow_ups,
        "\n".join(f"{d.kind.label}: {d.document.original_name}" for d in activity.documents),
    ]  # fmt: skip


def follow_up_cells(number: int, follow_up: FollowUp, today: date) -> list[object]:
    activity = follow_up.activity
    evidence = follow_up.evidence_document.original_name if follow_up.evidence_document else ""
    note = "; ".join(part for part in (follow_up.done_note or "", evidence) if part)
    return [
        number, f"{activity.kind.label} #{activity.id}", activity.started_on, follow_up.action,
        follow_up.finding.description if follow_up.finding else "",
        follow_up.owner.name if follow_up.owner else "", follow_up.due_on,
        follow_up.state_on(today).label, follow_up.done_on, note,
    ]  # fmt: skip


@dataclass(frozen=True)
class _Formats:
    title: Format
    header: Format
    plain: Format
    wrap: Format
    quoted: Format
    date: Format


def _formats(workbook: xlsxwriter.Workbook) -> _Formats:
    top = {"valign": "top"}
    return _Formats(
        title=workbook.add_format({"bold": True, "font_size": 14}),
        header=workbook.add_format(
            {"bold": True, "text_wrap": True, "valign": "top", "bg_color": "#E8EDF2", "border": 1}
        ),
        plain=workbook.add_format(top),
        wrap=workbook.add_format({**top, "text_wrap": True}),
        quoted=workbook.add_format({**top, "text_wrap": True, "quote_prefix": True}),
        date=workbook.add_format({**top, "num_format": "DD/MM/YYYY"}),
    )


def _write(sheet: Worksheet, row: int, col: int, value: object, wrap: bool, f: _Formats) -> None:
    if value is None or value == "":
        return
    if isinstance(value, str):
        write_text(sheet, row, col, value, f.wrap if wrap else f.plain, f.quoted)
    elif isinstance(value, bool | int | float):
        sheet.write_number(row, col, value, f.plain)
    elif isinstance(value, date | datetime):
        sheet.write_datetime(row, col, value, f.date)
    else:
        sheet.write_string(row, col, str(value), f.plain)


def write_xlsx(
    target: IO[bytes],
    title: str,
    filter_line: str,
    columns: Sequence[Column],
    rows: Iterable[Sequence[object]],
) -> int:
    """Write one sheet to ``target``, a row at a time; the number of rows."""
    workbook = xlsxwriter.Workbook(target, WORKBOOK_OPTIONS)
    formats = _formats(workbook)
    sheet = workbook.add_worksheet("Laporan")
    sheet.set_landscape()
    sheet.set_paper(A4_PAPER)
    for index, column in enumerate(columns):
        sheet.set_column(index, index, column.width)
    sheet.write_string(0, 0, title, formats.title)
    sheet.write_string(1, 0, filter_line, formats.plain)
    header = HEADER_ROW - 1
    sheet.write_row(header, 0, [c.header for c in columns], formats.header)
    sheet.freeze_panes(HEADER_ROW, 0)
    row = header
    for values in rows:
        row += 1
        for col, (value, column) in enumerate(zip(values, columns, strict=True)):
            _write(sheet, row, col, value, column.wrap, formats)
    sheet.autofilter(header, 0, row, len(columns) - 1)
    workbook.close()
    return row - header


def filename(regency: Regency, what: str) -> str:
    return f"{what}-{regency.slug}-{now_wib():%Y%m%d}.xlsx"
