"""Realistic TPS for demos and benchmarks: there is no public TPS list, so
every desa without TPS gets its share of the province's 120,666 (about 14 a
desa), with addresses and voter counts that read like an office's sheet.
Deterministic for a seed, written with the import's bulk insert."""

from collections.abc import Sequence
from random import Random
from typing import Any, NamedTuple

from sqlalchemy import select

from phpnet.audit.service import record
from phpnet.extensions import db
from phpnet.regions.models import Desa, Regency, Tps
from phpnet.regions.tps import insert_tps

PROVINCE_TPS_TOTAL = 120_666  # Pemilu 2024, Jawa Timur
DEFAULT_SEED = 2024

_STREETS = (
    "Merdeka", "Diponegoro", "Pahlawan", "Sudirman", "Ahmad Yani", "Kartini", "Gajah Mada",
    "Hayam Wuruk", "Veteran", "Masjid", "Mawar", "Melati", "Kenanga", "Anggrek", "Flamboyan",
    "Sawo", "Kauman", "Pasar", "Sekolahan", "Makam", "Brawijaya", "Imam Bonjol", "Wahid Hasyim",
)  # fmt: skip
_PLACES = ("Musala Al-Ikhlas", "Masjid Baiturrahman", "Pos Kamling", "Gedung PKK", "MI Nurul Huda")


class _DesaForGeneration(NamedTuple):
    id: int
    code: str
    name: str
    kind: str
    kecamatan_id: int
    regency_id: int


def tps_plan(desa_codes: Sequence[str], seed: int = DEFAULT_SEED) -> dict[str, int]:
    """How many TPS each desa gets so that the province has exactly
    PROVINCE_TPS_TOTAL: the same base number each, and one more for a
    seeded random choice of desa that takes up the remainder."""
    if not desa_codes:
        return {}
    base, remainder = divmod(PROVINCE_TPS_TOTAL, len(desa_codes))
    with_one_more = set(Random(seed).sample(sorted(desa_codes), remainder))  # noqa: S311
    return {code: base + (code in with_one_more) for code in desa_codes}


def _address(rng: Random, desa: _DesaForGeneration, number: int) -> str:
    if number == 1:
        return f"Balai {desa.kind.capitalize()} {desa.name}"
    roll = rng.random()
    if roll < 0.15:
        return f"SDN {desa.name} {rng.randint(1, 4)}"
    if roll < 0.25:
        return f"{rng.choice(_PLACES)} {desa.name}"
    street = rng.choice(_STREETS)
    return f"Jl. {street} RT {rng.randint(1, 9):03d}/RW {(number + 1) // 2:03d}"


def _voters(rng: Random) -> int:
    """Left-skewed between 150 and 300 (the 2024 cap per TPS), mean about 260."""
    return 300 - int(150 * rng.betavariate(2.0, 5.5))


def _generated_rows(desa: _DesaForGeneration, count: int, seed: int) -> list[tuple[Any, ...]]:
    """The TPS of ``desa``, in _TPS_COLUMNS order."""
    # One generator per desa: a regency's TPS are the same whether it is
    # generated alone or with the whole province.
    rng = Random(f"{seed}:{desa.code}")  # noqa: S311 - demo data must be reproducible
    return [
        (
            desa.id,
            desa.kecamatan_id,
            desa.regency_id,
            number,
            _address(rng, desa, number),
            _voters(rng),
        )
        for number in range(1, count + 1)
    ]


def generate_tps(regency: Regency | None = None, seed: int = DEFAULT_SEED) -> int:
    """Give every desa without TPS its share of the province's 120,666 TPS
    (only those of ``regency`` when given); return how many were added.
    Deterministic for a seed, idempotent; the caller commits."""
    all_desa = [
        _DesaForGeneration(*row)
        for row in db.session.execute(
            select(
                Desa.id, Desa.code, Desa.name, Desa.kind, Desa.kecamatan_id, Desa.regency_id
            ).order_by(Desa.code)
        ).tuples()
    ]
    plan = tps_plan([desa.code for desa in all_desa], seed)
    with_tps = set(db.session.execute(select(Tps.desa_id).distinct()).scalars())
    rows: list[tuple[Any, ...]] = []
    for desa in all_desa:
        if desa.id in with_tps or (regency is not None and desa.regency_id != regency.id):
            continue
        rows.extend(_generated_rows(desa, plan[desa.code], seed))
    insert_tps(rows)
    if rows:
        record(
            "tps_generate",
            "tps",
            regency_id=regency.id if regency else None,
            after={"tps": len(rows), "desa": len({row[0] for row in rows}), "seed": seed},
        )
    return len(rows)
