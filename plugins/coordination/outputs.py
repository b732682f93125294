"""What a meeting produces on paper, for both sides: the invitation list, the
attendance list with a signature column, the minutes (notulen) as a print
view and as a DOCX an office files, and the action items as XLSX.

User text never becomes a spreadsheet formula: XLSX cells are written as
text (security.md D-export)."""

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any

import xlsxwriter
from docx import Document as DocxDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt
from flask import Blueprint, Response, make_response
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from phpnet.plugin_api import Regency, db, render, tanggal, today_wib, write_text
from plugins.coordination import meetings
from plugins.coordination.models import ActionItem, ActionStatus, Meeting
from plugins.coordination.sides import Side, bound, side_context, side_rule

MEETING = "{meeting_id}"
DAYS = ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu", "Minggu")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ACTION_COLUMNS = (
    "No", "Rapat", "Tanggal rapat", "Keputusan", "Tindak lanjut", "Penanggung jawab",
    "Batas waktu", "Status", "Terlambat", "Tanggal selesai", "Dokumen bukti", "Keterangan",
)  # fmt: skip


def day_and_date(day: date) -> str:
    return f"{DAYS[day.weekday()]}, {tanggal(day)}"


def time_range(meeting: Meeting) -> str:
    start = meeting.starts_at.replace(":", ".")
    end = meeting.ends_at.replace(":", ".") if meeting.ends_at else "selesai"
    return f"{start} s.d. {end} WIB"


def signing_town(side: Side) -> str:
    """Where a document of the meeting is signed: the regency's town, or Surabaya."""
    if side.regency is None:
        return "Surabaya"
    return side.regency.short_name


def _print_context(side: Side, meeting: Meeting) -> dict[str, Any]:
    return {
        **side_context(side),
        "office_regency": side.regency,  # None: the province's own letterhead
        "meeting": meeting,
        "day_and_date": day_and_date(meeting.held_on),
        "time_range": time_range(meeting),
        "town": signing_town(side),
    }


def invitation_list(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    context = _print_context(side, meeting)
    if side.regency is None:
        context["invitees"] = [r.name for r in meetings.invited_regencies(meeting)]
    else:
        context["invitees"] = [body.label for body in meetings.bodies_of(meeting, by_body=True)]
    return render("coordination/print_invitation.html", block=None, **context)


def attendance_list(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    people = meetings.attendees_of(meeting, all_sides=True)
    context = _print_context(side, meeting)
    return render("coordination/print_attendance.html", block=None, **context, people=people)


def minutes(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    context = _print_context(side, meeting)
    context["agenda"] = meetings.agenda_of(meeting)
    context["decisions"] = meetings.decisions_of(meeting)
    context["present"] = sum(1 for p in meetings.attendees_of(meeting, all_sides=True) if p.present)
    return render("coordination/print_minutes.html", block=None, **context)


# --- DOCX -------------------------------------------------------------------------------


def minutes_docx(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    document = build_minutes_docx(side, meeting)
    buffer = io.BytesIO()
    document.save(buffer)
    return attachment(buffer.getvalue(), DOCX_TYPE, f"notulen-rapat-{meeting.id}.docx")


def build_minutes_docx(side: Side, meeting: Meeting) -> Any:
    document = DocxDocument()
    style = document.styles["Normal"]
    style.font.name = "Arial"
    style.font.size = Pt(11)
    _centered(document, side.office, bold=True, size=14)
    _centered(document, "NOTULEN RAPAT KOORDINASI", bold=True, size=12)
    _centered(document, meeting.title, bold=True, size=12)
    people = meetings.attendees_of(meeting, all_sides=True)
    facts = [
        ("Hari, tanggal", day_and_date(meeting.held_on)),
        ("Waktu", time_range(meeting)),
        ("Tempat", meeting.venue),
        ("Nomor undangan", meeting.invitation_number or "-"),
        ("Peserta hadir", f"{sum(1 for p in people if p.present)} orang"),
    ]
    table = document.add_table(rows=0, cols=2)
    for label, value in facts:
        cells = table.add_row().cells
        cells[0].text, cells[1].text = label, value
    document.add_heading("Mata acara dan pembahasan", level=2)
    for item in meetings.agenda_of(meeting):
        document.add_paragraph(f"{item.position}. {item.title}", style="List Number").runs[
            0
        ].bold = True
        for line in (item.minutes or "Belum ada notulen.").splitlines():
            document.add_paragraph(line)
    decisions = meetings.decisions_of(meeting)
    if decisions:
        document.add_heading("Keputusan dan tindak lanjut", level=2)
        today = today_wib()
        for number, decision in enumerate(decisions, start=1):
            document.add_paragraph(f"{number}. {decision.text}")
            for text, owners, due in _grouped_actions(decision.actions, side):
                late = " (terlambat)" if due and any(a.is_overdue(today) for a in owners) else ""
                who = _owners_text(owners, side)
                line = f"Tindak lanjut: {text}; penanggung jawab: {who}; "
                document.add_paragraph(
                    f"{line}batas waktu {tanggal(due)}{late}", style="List Bullet"
                )
    document.add_paragraph("")
    signature = document.add_paragraph(
        f"{signing_town(side)}, {tanggal(meeting.held_on)}\nNotulis,\n\n\n\n({'.' * 38})"
    )
    signature.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    return document


def _grouped_actions(
    actions: Sequence[ActionItem], side: Side
) -> list[tuple[str, list[ActionItem], date]]:
    """Action items of one decision with the same text and due date together
    (the province gives one to each of 38 regencies)."""
    groups: dict[tuple[str, date], list[ActionItem]] = {}
    for action in actions:
        groups.setdefault((action.description, action.due_on), []).append(action)
    return [(text, owners, due) for (text, due), owners in groups.items()]


def _owners_text(owners: list[ActionItem], side: Side) -> str:
    if side.regency is None:
        return (
            "setiap KPU kabupaten/kota yang diundang" if len(owners) > 1 else owners[0].regency.name
        )
    names = [a.owner_member.name for a in owners if a.owner_member is not None]
    return ", ".join(names) or "-"


def _centered(document: Any, text: str, *, bold: bool, size: int) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = bold
    run.font.size = Pt(size)


# --- XLSX --------------------------------------------------------------------------------


def action_rows(
    items: Iterable[ActionItem], today: date, owner: Callable[[ActionItem], str]
) -> Iterable[list[str]]:
    for number, item in enumerate(items, start=1):
        yield [
            str(number), item.meeting.title, tanggal(item.meeting.held_on), item.decision.text,
            item.description, owner(item), tanggal(item.due_on), item.status.label,
            "Ya" if item.is_overdue(today) else "Tidak", tanggal(item.completed_on),
            item.evidence_document.original_name if item.evidence_document else "-",
            item.completion_note or "",
        ]  # fmt: skip


def xlsx_of(title: str, rows: Iterable[list[str]]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = workbook.add_worksheet("Tindak lanjut")
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format(
        {"bold": True, "bg_color": "#E6E6E6", "border": 1, "text_wrap": True}
    )
    text = workbook.add_format({"text_wrap": True, "valign": "top"})
    quoted = workbook.add_format({"text_wrap": True, "valign": "top", "quote_prefix": True})
    sheet.write_string(0, 0, title, bold)
    for column, name in enumerate(ACTION_COLUMNS):
        sheet.write_string(2, column, name, header)
    for row_number, row in enumerate(rows, start=3):
        for column, value in enumerate(row):
            write_text(sheet, row_number, column, value, text, quoted)
    sheet.set_column(1, 4, 40)
    sheet.set_column(5, 11, 18)
    sheet.freeze_panes(3, 0)
    workbook.close()
    return buffer.getvalue()


def attachment(body: bytes, media_type: str, name: str) -> Response:
    response = make_response(body)
    response.headers["Content-Type"] = media_type
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


def meeting_actions_xlsx(side: Side, meeting_id: int) -> Response:
    meeting = side.meeting(meeting_id)
    items = db.session.execute(
        select(ActionItem)
        .options(
            joinedload(ActionItem.meeting),
            joinedload(ActionItem.decision),
            joinedload(ActionItem.regency),
            joinedload(ActionItem.owner_member),
            joinedload(ActionItem.evidence_document),
        )
        .filter_by(meeting_id=meeting.id)
        .order_by(ActionItem.decision_id, ActionItem.regency_id, ActionItem.id)
    ).scalars()
    body = xlsx_of(f"Tindak lanjut: {meeting.title}", action_rows(items, today_wib(), owner_name))
    return attachment(body, XLSX_TYPE, f"tindak-lanjut-rapat-{meeting.id}.xlsx")


def regency_actions_xlsx(regency: Regency) -> bytes:
    """Every action item addressed to ``regency``, its own and the province's."""
    items = db.session.execute(
        select(ActionItem)
        .options(
            joinedload(ActionItem.meeting),
            joinedload(ActionItem.decision),
            joinedload(ActionItem.regency),
            joinedload(ActionItem.owner_member),
            joinedload(ActionItem.evidence_document),
        )
        .filter_by(regency_id=regency.id)
        .order_by(ActionItem.status == ActionStatus.DONE, ActionItem.due_on, ActionItem.id)
    ).scalars()
    return xlsx_of(
        f"Tindak lanjut rapat koordinasi {regency.name}",
        action_rows(items, today_wib(), owner_name),
    )


def owner_name(item: ActionItem) -> str:
    if item.meeting.regency_id is None:
        return item.regency.name
    return item.owner_member.name if item.owner_member else "-"


ROUTES = [
    (f"/{MEETING}/cetak/undangan", "print_invitation", invitation_list),
    (f"/{MEETING}/cetak/daftar-hadir", "print_attendance", attendance_list),
    (f"/{MEETING}/cetak/notulen", "print_minutes", minutes),
    (f"/{MEETING}/notulen.docx", "minutes_docx", minutes_docx),
    (f"/{MEETING}/tindak-lanjut.xlsx", "meeting_actions_xlsx", meeting_actions_xlsx),
]


def register(bp: Blueprint, side: Side, guard: Callable[[Any], Any]) -> None:
    for rule, endpoint, view in ROUTES:
        bp.add_url_rule(side_rule(side, rule), endpoint, guard(bound(side, view)), methods=["GET"])
