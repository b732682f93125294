"""The region tree of one regency, for inviting its ad hoc bodies: PPK per
kecamatan, PPS per desa/kelurahan, KPPS per TPS. Every id a form sends is
checked to belong to the regency (and to its parent place)."""

from dataclasses import dataclass

from sqlalchemy import select

from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Tps
from plugins.coordination.forms import Choices, InvitedBodyForm


def kecamatan(regency_id: int) -> Choices:
    rows = db.session.execute(
        select(Kecamatan.id, Kecamatan.name)
        .filter_by(regency_id=regency_id)
        .order_by(Kecamatan.name)
    ).tuples()
    return [(row_id, name) for row_id, name in rows]


def desa(regency_id: int, kecamatan_id: int | None) -> Choices:
    if kecamatan_id is None:
        return []
    rows = db.session.execute(
        select(Desa.id, Desa.name)
        .filter_by(regency_id=regency_id, kecamatan_id=kecamatan_id)
        .order_by(Desa.name)
    ).tuples()
    return [(row_id, name) for row_id, name in rows]


def tps(regency_id: int, desa_id: int | None) -> Choices:
    if desa_id is None:
        return []
    rows = db.session.execute(
        select(Tps.id, Tps.number)
        .filter_by(regency_id=regency_id, desa_id=desa_id)
        .order_by(Tps.number)
    ).tuples()
    return [(tps_id, f"TPS {number:03d}") for tps_id, number in rows]


def fill(form: InvitedBodyForm, regency_id: int) -> None:
    form.kecamatan.choices = [("", "— semua kecamatan —"), *kecamatan(regency_id)]
    form.desa.choices = [("", "— semua desa/kelurahan —"), *desa(regency_id, form.kecamatan.data)]
    form.tps.choices = [("", "— semua TPS —"), *tps(regency_id, form.desa.data)]


@dataclass(frozen=True)
class Place:
    kecamatan_id: int | None
    desa_id: int | None
    tps_id: int | None


def resolve(form: InvitedBodyForm, regency_id: int) -> Place | None:
    """The place the form names, or None (with the error next to its field)
    when a part is not of this regency or not inside the part above it."""
    kecamatan_id, desa_id, tps_id = form.kecamatan.data, form.desa.data, form.tps.data
    if kecamatan_id is not None and kecamatan_id not in dict(kecamatan(regency_id)):
        form.kecamatan.errors.append("Pilih kecamatan di kabupaten/kota ini.")
        return None
    if desa_id is not None and desa_id not in dict(desa(regency_id, kecamatan_id)):
        form.desa.errors.append("Pilih desa/kelurahan di kecamatan yang dipilih.")
        return None
    if tps_id is not None and tps_id not in dict(tps(regency_id, desa_id)):
        form.tps.errors.append("Pilih TPS di desa/kelurahan yang dipilih.")
        return None
    return Place(kecamatan_id, desa_id, tps_id)
