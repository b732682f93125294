"""Inventory views: the DIM sheet in and out. Export (XLSX, CSV) and the print
view show the current filtered list of the list page (same URL arguments);
the import takes a sheet with the export's columns, all rows or none."""

import io
from dataclasses import dataclass
from time import perf_counter
from typing import Any

from flask import Response, g, request, send_file, stream_with_context
from flask_login import current_user
from flask_wtf.file import FileAllowed, FileField, FileRequired

from phpnet.plugin_api import (
    Form,
    Position,
    angka,
    current_team,
    db,
    render,
    render_invalid,
    requires,
    saved,
    today_wib,
)
from plugins.inventory.blueprint import EDIT, VIEW, bp
from plugins.inventory.columns import COLUMNS
from plugins.inventory.exporter import (
    csv_lines,
    export_filename,
    exported_entries,
    exported_line,
    sheet_title,
    write_xlsx,
)
from plugins.inventory.filters import read_filters
from plugins.inventory.importer import (
    ACCEPTED_EXTENSIONS,
    MAX_IMPORT_BYTES,
    MAX_IMPORT_ROWS,
    apply_import,
    read_upload,
)
from plugins.inventory.models import Category, FollowUp, Level, Race, RecordForm, Stage, Status

IMPORT_TEMPLATE = "inventory/import.html"
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NO_STORE = "private, no-store"  # the DIM is not for shared caches or the browser's disk


class ImportForm(Form):
    file = FileField(
        "Berkas DIM (XLSX atau CSV)",
        [
            FileRequired("Pilih berkas XLSX atau CSV."),
            FileAllowed(ACCEPTED_EXTENSIONS, "Berkas harus XLSX (.xlsx) atau CSV (.csv)."),
        ],
    )


@dataclass(frozen=True)
class ImportResult:
    checked: int
    imported: int
    seconds: float

    @property
    def message(self) -> str:
        return (
            f"Impor DIM selesai: {angka(self.checked)} baris diperiksa, "
            f"{angka(self.imported)} entri ditambahkan dalam {self.duration} detik."
        )

    @property
    def duration(self) -> str:
        """2,4 (Indonesian decimal comma)."""
        return f"{self.seconds:.1f}".replace(".", ",")


# --- export --------------------------------------------------------------------


def _attachment(response: Response, filename: str) -> Response:
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = NO_STORE
    return response


@bp.get("/ekspor.xlsx")
@requires(VIEW)
def export_xlsx() -> Response:
    buffer = io.BytesIO()
    write_xlsx(g.regency, read_filters(), current_user.full_name, buffer)
    buffer.seek(0)
    response = send_file(buffer, mimetype=XLSX_MIMETYPE, max_age=0)
    return _attachment(response, export_filename(g.regency, "xlsx"))


@bp.get("/ekspor.csv")
@requires(VIEW)
def export_csv() -> Response:
    lines = stream_with_context(csv_lines(g.regency, read_filters()))
    response = Response(lines, mimetype="text/csv")
    response.charset = "utf-8"
    return _attachment(response, export_filename(g.regency, "csv"))


@bp.get("/cetak")
@requires(VIEW)
def print_view() -> str:
    """The filtered list as the office's document, signed by the chair of
    the regency's dispute team."""
    filters = read_filters()  # bad values are dropped, as on the list
    # A document is always a whole page, under htmx too.
    return render(
        "inventory/print.html",
        block=None,
        landscape=True,
        regency=g.regency,
        title=sheet_title(g.regency),
        filter_line=exported_line(g.regency, filters, current_user.full_name, "Dicetak"),
        entries=list(exported_entries(g.regency, filters)),
        list_args=filters.query_args(),
        place=g.regency.short_name,
        today=today_wib(),
        chair=_team_chair(),
    )


def _team_chair() -> str | None:
    """The name of the ketua of the regency's team in force, if it has one."""
    team = current_team(g.regency.id)
    chairs = [m.name for m in team.members if m.position is Position.KETUA] if team else []
    return chairs[0] if chairs else None


# --- import --------------------------------------------------------------------


def _format_help() -> dict[str, Any]:
    """What the import page explains: the columns and the accepted values."""
    categories = db.session.execute(
        db.select(Category.name)
        .where((Category.regency_id == g.regency.id) | Category.regency_id.is_(None))
        .order_by(Category.name)
    ).scalars()
    team = current_team(g.regency.id)
    members = [] if team is None else [m.name for m in team.members]
    return {
        "columns": COLUMNS,
        "choices": [
            ("Tingkat", list(Level)),
            ("Jenis pemilihan", list(Race)),
            ("Tahapan", list(Stage)),
            ("Formulir", list(RecordForm)),
            ("Tindak lanjut", list(FollowUp)),
            ("Status", list(Status)),
        ],
        "defaults": {
            "record_form": RecordForm.NONE.label,
            "follow_up": FollowUp.NONE.label,
            "status": Status.OPEN.label,
        },
        "categories": list(dict.fromkeys(categories)),
        "members": members,
        "max_megabytes": MAX_IMPORT_BYTES // 2**20,
        "max_rows": MAX_IMPORT_ROWS,
    }


@bp.route("/impor", methods=["GET", "POST"])
@requires(EDIT)
def import_entries() -> Response:
    form = ImportForm()
    context = {"form": form, "regency": g.regency, **_format_help()}
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render(IMPORT_TEMPLATE, block="importer", status=status, **context)
    upload = form.file.data
    started = perf_counter()
    report = read_upload(upload.filename or "", upload.stream.read(MAX_IMPORT_BYTES + 1), g.regency)
    if report.problems:
        db.session.rollback()
        return render_invalid(IMPORT_TEMPLATE, block="importer", report=report, **context)
    imported = apply_import(report, g.regency, current_user.id, upload.filename or "")
    db.session.commit()
    result = ImportResult(report.checked, imported, perf_counter() - started)
    return saved(
        result.message,
        "inventory.import_entries",
        template=IMPORT_TEMPLATE,
        block="importer",
        context=lambda: {**context, "form": ImportForm(formdata=None), "result": result},
    )
