"""Choosing a place of a regency: kecamatan, then desa/kelurahan, then TPS.

Every module that records something at a place (a DIM entry, a visit, a
bimtek target, an invited body) uses these choices and the one pair of
htmx endpoints that refill the select below the one that changed."""

from collections.abc import Sequence
from typing import Any

from flask import Blueprint, Response, g, make_response, render_template, request, url_for
from sqlalchemy import select
from wtforms import Form

from phpnet.access import Access, require
from phpnet.extensions import db
from phpnet.htmx import is_htmx
from phpnet.kit.fields import parse_id
from phpnet.regions.models import Desa, Kecamatan, Tps

Choices = Sequence[tuple[Any, str]]
CHOOSE = {
    "kecamatan": "— pilih kecamatan —",
    "desa": "— pilih desa/kelurahan —",
    "tps": "— pilih TPS —",
}
ANY = {
    "kecamatan": "— semua kecamatan —",
    "desa": "— semua desa/kelurahan —",
    "tps": "— semua TPS —",
}
OPTIONS = "regions/_place_options.html"

bp = Blueprint("places", __name__)


def kecamatan_choices(regency_id: int, placeholder: str = CHOOSE["kecamatan"]) -> Choices:
    """The regency's kecamatan by name, after ``placeholder``."""
    rows = db.session.execute(
        select(Kecamatan.id, Kecamatan.name)
        .where(Kecamatan.regency_id == regency_id)
        .order_by(Kecamatan.name)
    ).tuples()
    return [("", placeholder), *_plain(rows)]


def desa_choices(
    regency_id: int, kecamatan_id: int | None, placeholder: str = CHOOSE["desa"]
) -> Choices:
    """The desa/kelurahan of one kecamatan of the regency (none without one)."""
    rows: list[tuple[int, str]] = []
    if kecamatan_id is not None:
        rows = _plain(
            db.session.execute(
                select(Desa.id, Desa.name)
                .where(Desa.regency_id == regency_id, Desa.kecamatan_id == kecamatan_id)
                .order_by(Desa.name)
            ).tuples()
        )
    return [("", placeholder), *rows]


def tps_choices(regency_id: int, desa_id: int | None, placeholder: str = CHOOSE["tps"]) -> Choices:
    """The TPS of one desa of the regency by number (none without a desa)."""
    rows: list[tuple[int, str]] = []
    if desa_id is not None:
        found = db.session.execute(
            select(Tps.id, Tps.number)
            .where(Tps.regency_id == regency_id, Tps.desa_id == desa_id)
            .order_by(Tps.number)
        ).tuples()
        rows = [(tps_id, f"TPS {number:03d}") for tps_id, number in found]
    return [("", placeholder), *rows]


def _plain(rows: Any) -> list[tuple[int, str]]:
    """Rows as plain tuples: WTForms takes no SQLAlchemy Row for a choice."""
    return [(row_id, name) for row_id, name in rows]


def fill_place_fields(form: Form, regency_id: int, *, any_place: bool = False) -> None:
    """Fill a form's ``kecamatan``, ``desa`` and ``tps`` selects for the
    values submitted, and make each refill the one below it under htmx.
    ``any_place``: the placeholders read "semua" (a place may stay open)."""
    words = ANY if any_place else CHOOSE
    form.kecamatan.choices = kecamatan_choices(regency_id, words["kecamatan"])
    form.desa.choices = desa_choices(regency_id, form.kecamatan.data, words["desa"])
    form.tps.choices = tps_choices(regency_id, form.desa.data, words["tps"])
    wording = {"semua": "1"} if any_place else {}
    form.kecamatan.render_kw = _refills("desa", wording)
    form.desa.render_kw = _refills("tps", wording)


def _refills(level: str, wording: dict[str, str]) -> dict[str, str]:
    return {
        "hx-get": url_for(f"places.{level}_options", **wording),
        "hx-target": f"#{level}",
        "hx-swap": "innerHTML",
    }


@bp.get("/r/<regency>/wilayah/pilihan/desa")
@require(Access.READ)
def desa_options() -> Response:
    """``<option>``s of the desa of ``?kecamatan=``; htmx also gets the TPS
    select emptied out of band, since its desa is no longer chosen."""
    words = _words()
    choices = desa_choices(g.regency.id, _parent("kecamatan"), words["desa"])
    reset = [("", words["tps"])] if is_htmx() else None
    return make_response(render_template(OPTIONS, choices=choices, reset=reset))


@bp.get("/r/<regency>/wilayah/pilihan/tps")
@require(Access.READ)
def tps_options() -> Response:
    """``<option>``s of the TPS of ``?desa=``."""
    choices = tps_choices(g.regency.id, _parent("desa"), _words()["tps"])
    return make_response(render_template(OPTIONS, choices=choices, reset=None))


def _words() -> dict[str, str]:
    return ANY if request.args.get("semua") else CHOOSE


def _parent(name: str) -> int | None:
    try:
        return parse_id(request.args.get(name))
    except ValueError:
        return None
