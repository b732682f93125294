"""Region pages: the province's 38 regencies, a regency, drill-down to its
kecamatan and desa, search, renaming (admin) and the TPS import."""

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from jinja2_fragments.flask import render_block

from phpnet.access import Access, require
from phpnet.auth.models import Role
from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render, render_invalid
from phpnet.plugin_system.contributions import call_for_regency
from phpnet.regions.forms import RegionNameForm, TpsImportForm
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps, dotted_code
from phpnet.regions.queries import (
    counts_by_desa,
    counts_by_kecamatan,
    counts_by_regency,
    search_regions,
    total,
)
from phpnet.regions.tps import (
    HEADER_EXAMPLE,
    MAX_IMPORT_BYTES,
    apply_tps_import,
    read_tps_csv,
)

bp = Blueprint("regions", __name__)

Region = Regency | Kecamatan | Desa
SEARCH_QUERY_MAX_LENGTH = 100


@dataclass(frozen=True)
class Crumb:
    label: str
    href: str | None = None


@dataclass(frozen=True)
class Heading:
    """A region's title, with what click-to-edit needs."""

    title: str
    code: str
    page_url: str
    edit_url: str


def _title(region: Region) -> str:
    if isinstance(region, Regency):
        return region.name
    if isinstance(region, Kecamatan):
        return f"Kecamatan {region.name}"
    return f"{region.kind.capitalize()} {region.name}"


def _page(region: Region) -> tuple[str, dict[str, str]]:
    """The endpoint and URL values of a region's page."""
    if isinstance(region, Regency):
        return "regions.regency", {"regency": region.slug}
    endpoint = "regions.kecamatan" if isinstance(region, Kecamatan) else "regions.desa"
    return endpoint, {"regency": g.regency.slug, "kode": region.slug}


def _page_url(region: Region) -> str:
    endpoint, values = _page(region)
    return url_for(endpoint, **values)


def _heading(region: Region) -> Heading:
    return Heading(
        title=_title(region),
        code=region.code,
        page_url=_page_url(region),
        edit_url=url_for("regions.edit_name", regency=g.regency.slug, kode=region.slug),
    )


def _trail(*regions: Region, then: str | None = None) -> list[Crumb]:
    """Beranda > Kab/Kota > Kecamatan > Desa (> ``then``); the crumb of the
    page itself is not a link."""
    crumbs = [Crumb("Beranda", url_for("regions.home"))]
    crumbs += [Crumb(_title(region), _page_url(region)) for region in regions]
    if then is None:
        crumbs[-1] = Crumb(crumbs[-1].label)
    else:
        crumbs.append(Crumb(then))
    return crumbs


def _in_regency(model: type[Kecamatan] | type[Desa], kode: str, digits: int) -> Any:
    """The kecamatan or desa with URL code ``kode`` in this regency, or 404."""
    if len(kode) != digits or not kode.isdigit() or not kode.startswith(g.regency.slug):
        abort(404)
    return db.one_or_404(
        db.select(model).filter_by(code=dotted_code(kode), regency_id=g.regency.id)
    )


@bp.get("/")
@login_required
def home() -> Any:
    if current_user.role.is_regional:
        return redirect(url_for("regions.regency", regency=current_user.regency.slug))
    regencies = db.session.execute(
        db.select(Regency).where(Regency.is_active).order_by(Regency.code)
    ).scalars()
    counts = counts_by_regency()
    rows = [(regency, counts[regency.id]) for regency in regencies]
    return render("regions/province.html", rows=rows, totals=total({r.id: c for r, c in rows}))


@bp.get("/wilayah")
@login_required
def search() -> Any:
    query = request.args.get("q", "").strip()[:SEARCH_QUERY_MAX_LENGTH]
    scope = current_user.regency_id if current_user.role.is_regional else None
    results = search_regions(query, scope) if query else None
    return render("regions/search.html", block="results", query=query, results=results)


@bp.get("/r/<regency>/")
@require(Access.READ)
def regency() -> Any:
    """The regency's own page: its figures, the dashboard cards of core and
    of the enabled plugins (loaded lazily), and its kecamatan."""
    kecamatan = db.session.execute(
        db.select(Kecamatan).filter_by(regency_id=g.regency.id).order_by(Kecamatan.code)
    ).scalars()
    counts = counts_by_kecamatan(g.regency)
    rows = [(k, counts[k.id]) for k in kecamatan]
    totals = total({k.id: c for k, c in rows})
    totals.kecamatan = len(rows)
    cards = call_for_regency("phpnet_dashboard_cards", g.regency, user=current_user)
    return render(
        "regions/regency.html",
        heading=_heading(g.regency),
        trail=_trail(g.regency),
        rows=rows,
        totals=totals,
        cards=[card for _, card in cards],
    )


@bp.get("/r/<regency>/kecamatan/<kode>")
@require(Access.READ)
def kecamatan(kode: str) -> Any:
    found: Kecamatan = _in_regency(Kecamatan, kode, 6)
    desa = db.session.execute(
        db.select(Desa).filter_by(kecamatan_id=found.id).order_by(Desa.code)
    ).scalars()
    counts = counts_by_desa(found)
    rows = [(d, counts[d.id]) for d in desa]
    return render(
        "regions/kecamatan.html",
        kecamatan=found,
        heading=_heading(found),
        trail=_trail(g.regency, found),
        rows=rows,
        totals=total({d.id: c for d, c in rows}),
    )


@bp.get("/r/<regency>/desa/<kode>")
@require(Access.READ)
def desa(kode: str) -> Any:
    found: Desa = _in_regency(Desa, kode, 10)
    tps = list(
        db.session.execute(db.select(Tps).filter_by(desa_id=found.id).order_by(Tps.number))
        .scalars()
        .all()
    )
    return render(
        "regions/desa.html",
        desa=found,
        heading=_heading(found),
        trail=_trail(g.regency, found.kecamatan, found),
        tps=tps,
        voters=sum(t.voter_count or 0 for t in tps),
    )


def _region_for_edit(kode: str) -> Region:
    if kode == g.regency.slug:
        return g.regency
    if len(kode) == 6:
        return _in_regency(Kecamatan, kode, 6)
    return _in_regency(Desa, kode, 10)


def _lineage(region: Region) -> tuple[Region, ...]:
    """The region with the regions above it, from the regency down."""
    if isinstance(region, Regency):
        return (region,)
    if isinstance(region, Kecamatan):
        return (g.regency, region)
    return (g.regency, region.kecamatan, region)


@bp.route("/r/<regency>/wilayah/<kode>/ubah", methods=["GET", "POST"])
@require(Access.READ)
def edit_name(kode: str) -> Any:
    """Click-to-edit of a region's name (codes never change). Admin only."""
    if current_user.role is not Role.ADMIN:
        abort(403)
    region = _region_for_edit(kode)
    form = RegionNameForm(obj=region)
    heading = _heading(region)
    context = {
        "form": form,
        "heading": heading,
        "trail": _trail(*_lineage(region), then="Ubah nama"),
    }
    if not form.validate_on_submit():
        if request.method == "POST":
            return render_invalid("regions/name_edit.html", block="name_form", **context)
        return render("regions/name_edit.html", block="name_form", **context)
    if region.name != form.name.data:
        region.name = form.name.data
        db.session.commit()
    if not is_htmx():
        flash(f"Nama disimpan: {_title(region)}.", "success")
    endpoint, values = _page(region)
    fragment = render_template("regions/_name.html", heading=_heading(region))
    return done(endpoint, fragment, **values)


@bp.route("/r/<regency>/tps/impor", methods=["GET", "POST"])
@require(Access.MANAGE)
def tps_import() -> Any:
    form = TpsImportForm()
    example_desa = db.session.execute(
        db.select(Desa).filter_by(regency_id=g.regency.id).order_by(Desa.code).limit(1)
    ).scalar_one()
    context = {
        "form": form,
        "trail": _trail(g.regency, then="Impor TPS"),
        "header_example": HEADER_EXAMPLE,
        "example_desa": example_desa,
    }
    if not form.validate_on_submit():
        status = 422 if request.method == "POST" else 200
        return render("regions/tps_import.html", block="importer", status=status, **context)
    upload = form.file.data
    report = read_tps_csv(upload.stream.read(MAX_IMPORT_BYTES + 1), g.regency)
    if report.problems:
        return render_invalid("regions/tps_import.html", block="importer", report=report, **context)
    summary = apply_tps_import(report, g.regency, source=upload.filename)
    db.session.commit()
    if not is_htmx():
        flash(summary.message, "success")
    fragment = render_block(
        "regions/tps_import.html",
        "importer",
        **{**context, "form": TpsImportForm(formdata=None)},
        summary=summary,
    )
    return done("regions.tps_import", fragment)
