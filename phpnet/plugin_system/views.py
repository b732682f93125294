"""The regency shell: the dashboard cards, search across enabled plugins,
readiness checks, exports, the regency switcher and plugins' static files."""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    g,
    redirect,
    request,
    send_from_directory,
    stream_with_context,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import select

from phpnet.access import Access, require
from phpnet.extensions import db
from phpnet.htmx import render
from phpnet.plugin_system.calling import registry
from phpnet.plugin_system.contributions import call_for_regency
from phpnet.plugin_system.readiness import judge
from phpnet.regions.models import Regency, dotted_code
from phpnet.spreadsheet import csv_text
from phpnet.teams.models import current_team

bp = Blueprint("dashboard", __name__)

SEARCH_LIMIT = 20


@bp.get("/r/<regency>/kartu/tim")
@require(Access.READ)
def card_team() -> Any:
    return render("dashboard/card_team.html", team=current_team(g.regency.id))


@bp.get("/r/<regency>/cari")
@require(Access.READ)
def search() -> Any:
    query = request.args.get("q", "").strip()[:100]
    groups: dict[str, list[Any]] = {}
    if query:
        found = call_for_regency(
            "phpnet_search",
            g.regency,
            skip_errors=True,
            user=current_user,
            query=query,
            limit=SEARCH_LIMIT,
        )
        labels = {name: info.label for name, info in registry().infos.items()}
        for plugin, result in found:
            groups.setdefault(labels.get(plugin, "Umum"), []).append(result)
    return render("dashboard/search.html", block="results", query=query, groups=groups)


@bp.get("/r/<regency>/kesiapan")
@require(Access.READ)
def readiness() -> Any:
    results = [
        (judged.check, judged.results[g.regency.id])
        for judged in judge([g.regency])
        if g.regency.id in judged.results
    ]
    return render("dashboard/readiness.html", results=results)


def _exports() -> list[tuple[str, Any]]:
    return call_for_regency("phpnet_exports", g.regency, user=current_user)


@bp.get("/r/<regency>/ekspor/")
@require(Access.READ)
def exports() -> Any:
    return render("dashboard/exports.html", exports=_exports())


def neutralise(value: object) -> object:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    return csv_text(value) if isinstance(value, str) else value


def _csv_lines(columns: Sequence[str], rows: Iterable[Sequence[object]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(columns)
    yield "\ufeff" + buffer.getvalue()  # BOM: Excel then reads UTF-8 correctly
    for row in rows:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([neutralise(cell) for cell in row])
        yield buffer.getvalue()


@bp.get("/r/<regency>/ekspor/<plugin>/<key>")
@require(Access.READ)
def export(plugin: str, key: str) -> Response:
    matches = [spec for name, spec in _exports() if name == plugin and spec.key == key]
    if not matches:
        abort(404)
    spec = matches[0]
    filename = f"{g.regency.slug}-{plugin.replace('.', '-')}-{spec.key}.csv"
    response = Response(
        stream_with_context(_csv_lines(spec.columns, spec.rows(g.regency))),
        mimetype="text/csv",
    )
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/pindah")
@login_required
def switch_regency() -> Any:
    """The province's regency switcher (a plain GET form, works without JS)."""
    code = request.args.get("kode", "")
    regency = None
    if code.isdigit() and len(code) == 4:
        regency = db.session.execute(
            select(Regency).filter_by(code=dotted_code(code), is_active=True)
        ).scalar_one_or_none()
    if regency is None:
        abort(404)
    return redirect(url_for("regions.regency", regency=regency.slug))


@bp.get("/static/plugins/<plugin>/<path:filename>")
def plugin_static(plugin: str, filename: str) -> Response:
    """A plugin's own static files, from its ``static/`` folder."""
    if plugin not in registry().infos:
        abort(404)
    module = registry().pm.get_plugin(plugin)
    folder = Path(module.__file__).parent / "static"
    return send_from_directory(folder, filename, max_age=current_app.get_send_file_max_age(None))
