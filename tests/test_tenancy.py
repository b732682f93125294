"""Tenancy for rows: inside a regency's request a query that forgets its
regency filter still reads only that regency's rows (and the province's, for
the tables that have some); ``across_regencies()`` is the visible way out."""

import json

from flask import g
from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from phpnet.access import Access, require
from phpnet.auth.models import User
from phpnet.extensions import db
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps
from phpnet.tenancy import (
    RegencyOrProvince,
    RegencyScoped,
    across_regencies,
    current_scope,
    regency_scope,
)
from phpnet.testing import REGENCY_A, REGENCY_B


def _unfiltered_reads() -> dict[str, object]:
    """Queries written on purpose without any regency filter."""
    other = aliased(Kecamatan)
    with across_regencies():
        province_kecamatan = db.session.execute(select(func.count(Kecamatan.id))).scalar()
    return {
        "kecamatan_regencies": sorted(
            set(db.session.execute(select(Kecamatan.regency_id)).scalars())
        ),
        "aliased_regencies": sorted(set(db.session.execute(select(other.regency_id)).scalars())),
        "tps_count": db.session.execute(select(func.count()).select_from(Tps)).scalar(),
        "desa_of_joined_kecamatan": sorted(
            set(
                db.session.execute(
                    select(Desa.regency_id).join(Kecamatan, Kecamatan.id == Desa.kecamatan_id)
                ).scalars()
            )
        ),
        "users": sorted(db.session.execute(select(User.username)).scalars()),
        "province_kecamatan": province_kecamatan,
        "scope": current_scope(),
        "regency": g.regency.id,
    }


def _add_probe(app) -> None:
    @require(Access.READ)
    def probe() -> str:
        return json.dumps(_unfiltered_reads())

    app.add_url_rule("/r/<regency>/uji-tenancy", "tenancy_probe", probe)


def test_an_unfiltered_query_in_a_regency_request_reads_only_that_regency(app, login_as, regency):
    _add_probe(app)
    malang, surabaya = regency(REGENCY_A), regency(REGENCY_B)
    response = login_as("operator_a").get(f"/r/{REGENCY_A}/uji-tenancy")
    assert response.status_code == 200
    read = json.loads(response.get_data())
    assert read["scope"] == read["regency"] == malang.id
    assert read["kecamatan_regencies"] == [malang.id]
    assert read["aliased_regencies"] == [malang.id]
    assert read["desa_of_joined_kecamatan"] == [malang.id]
    malang_tps = db.session.execute(
        select(func.count(Tps.id)).where(Tps.regency_id == malang.id)
    ).scalar()
    assert read["tps_count"] == malang_tps > 0
    # Accounts: the regency's own and the province's, never another regency's.
    assert "operator_a" in read["users"] and "admin" in read["users"]
    assert not any(name.endswith("_b") for name in read["users"])
    # across_regencies() reads the whole province.
    assert read["province_kecamatan"] > len(
        db.session.execute(select(Kecamatan.id).where(Kecamatan.regency_id == surabaya.id)).all()
    )


def test_the_province_reading_a_regency_page_is_scoped_too(app, login_as, regency):
    _add_probe(app)
    read = json.loads(login_as("provinsi").get(f"/r/{REGENCY_B}/uji-tenancy").get_data())
    assert read["kecamatan_regencies"] == [regency(REGENCY_B).id]


def test_the_scope_ends_with_the_request(app, login_as):
    _add_probe(app)
    login_as("operator_a").get(f"/r/{REGENCY_A}/uji-tenancy")
    assert current_scope() is None
    regencies = set(db.session.execute(select(Kecamatan.regency_id)).scalars())
    assert len(regencies) == db.session.execute(select(func.count(Regency.id))).scalar()


def test_a_refused_request_is_never_scoped_to_the_regency_it_asked_for(app, login_as):
    _add_probe(app)
    assert login_as("operator_a").get(f"/r/{REGENCY_B}/uji-tenancy").status_code == 404
    assert current_scope() is None


def test_lazy_loads_of_rows_read_in_scope_stay_in_scope(app, regency):
    malang, surabaya = regency(REGENCY_A), regency(REGENCY_B)
    with regency_scope(malang.id):
        tps = db.session.execute(select(Tps).limit(1)).scalar_one()
        assert tps.regency_id == malang.id
        assert tps.desa.regency_id == malang.id
        assert db.session.get(Kecamatan, _any_kecamatan_id(surabaya.id)) is None
    assert db.session.get(Kecamatan, _any_kecamatan_id(surabaya.id)) is not None


def _any_kecamatan_id(regency_id: int) -> int:
    with across_regencies():
        return db.session.execute(
            select(Kecamatan.id).where(Kecamatan.regency_id == regency_id).limit(1)
        ).scalar_one()


def test_every_model_with_a_regency_column_is_regency_scoped(app):
    """A new table with a ``regency_id`` must say how it is scoped."""
    unscoped = [
        mapper.class_.__name__
        for mapper in db.Model.registry.mappers
        if "regency_id" in mapper.columns
        and not issubclass(mapper.class_, RegencyScoped | RegencyOrProvince)
    ]
    assert unscoped == []
