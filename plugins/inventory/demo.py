"""Demo entries for ``phpnet demo``: a small DIM in a regency's first
kecamatan, from the regency down to one TPS, in every status, so that a new
office sees the list, its filters and the province's figures at work."""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from phpnet.plugin_api import Desa, Kecamatan, Regency, Role, TeamMember, Tps, User, db
from plugins.inventory.entries import visible_categories
from plugins.inventory.models import Entry, FollowUp, Level, Race, RecordForm, Stage, Status

# (level, stage, days after voting day, description, status, follow-up)
DEMO_ENTRIES: tuple[tuple[Level, Stage, int, str, Status, FollowUp], ...] = (
    (Level.TPS, Stage.PEMUNGUTAN, 0,
     "Surat suara DPRD Kabupaten/Kota kurang 12 lembar; KPPS meminta tambahan dari TPS terdekat.",
     Status.RESOLVED, FollowUp.OTHER),
    (Level.TPS, Stage.PENGHITUNGAN, 0,
     "Saksi partai menolak menandatangani C.Hasil karena selisih suara sah di TPS.",
     Status.DISPUTE_LIKELY, FollowUp.NONE),
    (Level.DESA, Stage.PENGHITUNGAN, 1,
     "Kotak suara dari dua TPS tiba di PPS tanpa segel lengkap.",
     Status.OPEN, FollowUp.NONE),
    (Level.KECAMATAN, Stage.REKAP_KECAMATAN, 4,
     "Selisih jumlah pengguna hak pilih antara D.Hasil dan C.Hasil; dibetulkan dalam pleno PPK.",
     Status.RESOLVED, FollowUp.PLENARY_CORRECTION),
    (Level.KECAMATAN, Stage.REKAP_KECAMATAN, 5,
     "Bawaslu merekomendasikan penghitungan suara ulang untuk satu TPS.",
     Status.OPEN, FollowUp.RECOUNT),
    (Level.KABKOTA, Stage.REKAP_KABKOTA, 9,
     "Keberatan saksi calon atas rekapitulasi DPRD Kabupaten/Kota dapil 3.",
     Status.DISPUTE_LIKELY, FollowUp.NONE),
)  # fmt: skip
VOTING_DAY_AFTERNOON = datetime(2024, 2, 14, 14, 0)  # WIB, as entries are kept


def add_demo_entries(regency: Regency) -> str:
    place = _first_tps(regency)
    operator = db.session.execute(
        select(User.id).where(User.regency_id == regency.id, User.role == Role.OPERATOR).limit(1)
    ).scalar_one_or_none()
    person = db.session.execute(
        select(TeamMember.id).where(TeamMember.regency_id == regency.id).limit(1)
    ).scalar_one_or_none()
    categories = visible_categories(regency.id)
    for level, stage, days, description, status, follow_up in DEMO_ENTRIES:
        category = next((c for c in categories if c.stage is stage), categories[0])
        db.session.add(
            Entry(
                regency_id=regency.id,
                created_by_id=operator,
                person_in_charge_id=person,
                race=Race.DPRD_KABKOTA,
                stage=stage,
                category_id=category.id,
                occurred_at=VOTING_DAY_AFTERNOON + timedelta(days=days),
                description=description,
                record_form=RecordForm.C_KEJADIAN_KHUSUS if level is Level.TPS else RecordForm.NONE,
                status=status,
                follow_up=follow_up,
                follow_up_detail="Diselesaikan di tempat." if follow_up is FollowUp.OTHER else None,
                **_location(level, place),
            )
        )
    return f"{len(DEMO_ENTRIES)} entri DIM"


def _first_tps(regency: Regency) -> Tps:
    return db.session.execute(
        select(Tps)
        .join(Desa, Tps.desa_id == Desa.id)
        .join(Kecamatan, Desa.kecamatan_id == Kecamatan.id)
        .where(Tps.regency_id == regency.id)
        .order_by(Kecamatan.code, Desa.code, Tps.number)
        .limit(1)
    ).scalar_one()


def _location(level: Level, tps: Tps) -> dict[str, Any]:
    return {
        "level": level,
        "kecamatan_id": None if level is Level.KABKOTA else tps.kecamatan_id,
        "desa_id": tps.desa_id if level in (Level.DESA, Level.TPS) else None,
        "tps_id": tps.id if level is Level.TPS else None,
    }
