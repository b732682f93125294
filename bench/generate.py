"""Generate the benchmark's dataset: Jawa Timur at full scale, reproducibly.

    bench/.venv/bin/python bench/generate.py --entries 50000

builds ``bench/out/instance-50000/phpnet.sqlite3``: every migration, the 38
kab/kota with their 666 kecamatan and 8,494 desa, the province's 120,666 TPS,
about 400 users over the roles (one password hash, reused), a Tim
Penyelesaian PHP per regency, every plugin enabled everywhere, and N DIM
entries spread over the regencies in proportion to their TPS, with their
audit trail and a few evidence documents. A fixed seed makes it identical on
every machine. Everything but the entries is built once into
``bench/out/base`` and copied, so each size only adds its entries; a size
that already exists is reused.

Rows are written with bulk Core inserts, the way phpnet's own bulk paths
write, so 500,000 entries take minutes."""

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta
from pathlib import Path
from random import Random
from typing import Any

BENCH = Path(__file__).resolve().parent
OUT = BENCH / "out"
DATABASE_NAME = "phpnet.sqlite3"
SEED = 2024
# Bump when the generated data changes, so cached datasets are rebuilt.
DATASET_VERSION = 1
CHUNK = 10_000

PASSWORD = "bench-Jatim-2024-sandi"  # the benchmark's own throwaway accounts
OPERATOR = "operator_3507_1"  # Kab. Malang: the regency the benchmark reads
PROVINCE_USER = "provinsi_1"
BENCH_REGENCY = "3507"

FIRST_NAMES = (
    "Agus", "Budi", "Siti", "Dewi", "Rina", "Eko", "Sri", "Wahyu", "Nur", "Ahmad", "Heru",
    "Yuli", "Dian", "Bambang", "Endang", "Joko", "Lilik", "Mochammad", "Fitri", "Hadi",
    "Indah", "Sugeng", "Tri", "Anik", "Rudi", "Sutrisno", "Ika", "Arif", "Lestari", "Imam",
)  # fmt: skip
LAST_NAMES = (
    "Santoso", "Wahyuni", "Prasetyo", "Kurniawati", "Hidayat", "Susanto", "Rahayu",
    "Setiawan", "Purnomo", "Handayani", "Syafi'i", "Hartono", "Wulandari", "Maulana",
    "Suryadi", "Fauzi", "Anggraini", "Mubarok", "Utomo", "Ningsih",
)  # fmt: skip
PARTIES = (
    "PKB", "Gerindra", "PDI Perjuangan", "Golkar", "NasDem", "Partai Buruh", "Gelora", "PKS",
    "PKN", "Hanura", "Garuda", "PAN", "PBB", "Demokrat", "PSI", "Perindo", "PPP", "Partai Ummat",
)  # fmt: skip
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI")

# (value, weight) of each enum, as the inventory stores them.
STAGES = (("pemungutan", 30), ("penghitungan", 35), ("rekap_kecamatan", 25), ("rekap_kabkota", 10))
RACES = (
    ("ppwp", 20), ("dpr", 15), ("dpd", 8), ("dprd_provinsi", 15), ("dprd_kabkota", 22),
    ("gubernur", 8), ("local_head", 12),
)  # fmt: skip
STATUSES = (("belum", 45), ("selesai", 43), ("berpotensi_sengketa", 12))
EVIDENCE_TYPES = (
    "c_hasil", "c_hasil_salinan", "c_kejadian_khusus", "d_hasil", "d_kejadian_khusus",
    "berita_acara", "foto", "lainnya",
)  # fmt: skip

OPENINGS = (
    "Saksi {party} menyampaikan keberatan karena {problem}.",
    "Pengawas TPS mencatat bahwa {problem}.",
    "Berdasarkan laporan PPS {desa}, {problem}.",
    "Dalam rapat pleno terbuka diketahui bahwa {problem}.",
    "KPPS {tps} melaporkan bahwa {problem}.",
)
PROBLEMS = (
    "terdapat pemilih yang tidak terdaftar dalam DPT, DPTb maupun DPK diizinkan memilih",
    "jumlah surat suara yang digunakan tidak sesuai dengan jumlah pemilih yang hadir",
    "perolehan suara pada C.Hasil plano berbeda dengan salinan yang diterima saksi",
    "terjadi selisih antara D.Hasil kecamatan dan penjumlahan C.Hasil TPS",
    "kotak suara dibuka tanpa dihadiri saksi dan pengawas",
    "pembacaan Sirekap tidak sesuai dengan angka pada formulir",
    "penghitungan suara melewati batas waktu perpanjangan 12 jam",
    "suara calon berpindah ke calon lain dalam satu partai",
    "seorang pemilih menggunakan undangan (C.Pemberitahuan) milik orang lain",
    "surat suara DPRD tertukar antar-daerah pemilihan",
)
DETAILS = (
    "Keberatan dicatat dalam formulir Kejadian Khusus dan ditandatangani ketua KPPS.",
    "Panwaslu Kelurahan/Desa meminta agar dilakukan pencocokan ulang dengan salinan C.Hasil.",
    "Saksi pasangan calon lain tidak mengajukan keberatan atas kejadian tersebut.",
    "Jumlah pemilih dalam DPT {voters} orang, pengguna hak pilih {used} orang.",
    "PPK telah melakukan pembetulan dan hasilnya dibacakan dalam rapat pleno.",
    "Dokumen pendukung berupa foto plano dan berita acara diserahkan kepada PPK.",
    "Kejadian terjadi sekitar pukul {hour}.{minute:02d} WIB saat {moment}.",
    "Rekomendasi pengawas diterima setelah rapat pleno dilanjutkan keesokan harinya.",
)
MOMENTS = ("pembukaan kotak suara", "pencoblosan", "penghitungan suara", "penulisan C.Hasil")
FOLLOW_UP_TEXT = (
    "Dilakukan pembetulan dalam rapat pleno PPK dan dicatat dalam berita acara.",
    "Penghitungan suara ulang di TPS disaksikan saksi dan pengawas.",
    "Disampaikan klarifikasi tertulis kepada Bawaslu Kabupaten/Kota.",
    "Pencocokan C.Hasil salinan dengan plano; angka dinyatakan sesuai.",
)


def pick(rng: Random, weighted: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


# --- building the base (everything but the DIM entries) -----------------------


def make_app(instance: Path) -> Any:
    os.environ["PHPNET_INSTANCE_PATH"] = str(instance)
    from phpnet import create_app

    return create_app()


def upgrade_schema(instance: Path) -> Path:
    """A cached dataset made before the newest migrations gets their tables,
    its data kept, as an office's database does on upgrade."""
    app = make_app(instance)
    from flask_migrate import upgrade

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory, revision="heads")
    return instance


def copy_database(source: Path, target: Path) -> None:
    """A consistent copy of a WAL database (the backup API, not a file copy)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    with sqlite3.connect(target) as dst:
        dst.execute("PRAGMA journal_mode=WAL")


def build_base() -> Path:
    """bench/out/base: migrated, regions, TPS, users, teams, plugins; and
    bench/out/regions-only.sqlite3 (no TPS yet) for the TPS import benchmark."""
    base = OUT / "base"
    marker = base / "generated.json"
    if marker.exists() and json.loads(marker.read_text())["version"] == DATASET_VERSION:
        return upgrade_schema(base)
    shutil.rmtree(base, ignore_errors=True)
    started = time.perf_counter()
    app = make_app(base)
    from flask_migrate import upgrade

    from phpnet.extensions import db
    from phpnet.regions.loader import load_regions
    from phpnet.regions.tps_generate import generate_tps

    with app.app_context():
        upgrade(directory=app.extensions["migrate"].directory, revision="heads")
        require_inventory(app)
        load_regions()
        db.session.commit()
        copy_database(base / DATABASE_NAME, OUT / "regions-only.sqlite3")
        tps = generate_tps(seed=SEED)
        users = add_users()
        add_teams()
        enable_every_plugin()
        db.session.commit()
        db.engine.dispose()
    checkpoint(base / DATABASE_NAME)
    marker.write_text(json.dumps({"version": DATASET_VERSION, "tps": tps, "users": users}))
    print(f"base: {tps} TPS, {users} users in {time.perf_counter() - started:.0f} s")
    return base


def checkpoint(database: Path) -> None:
    """Fold the WAL into the database file, so that a copy or a peer reading
    the file sees everything."""
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def require_inventory(app: Any) -> None:
    registry = app.extensions["phpnet"]
    if "inventory" not in registry.infos:
        failure = registry.failed.get("inventory", "not found")
        raise SystemExit(f"generate: the inventory plugin did not load ({failure})")


def add_users() -> int:
    """About 400 accounts over the roles; hashing is slow, so one hash for all."""
    from phpnet.auth.models import Role, User
    from phpnet.auth.passwords import hash_password
    from phpnet.extensions import db
    from phpnet.regions.models import Regency

    rng = Random(f"{SEED}:users")
    password_hash = hash_password(PASSWORD)
    moment = datetime(2024, 1, 8, 2, 0)
    rows = []

    def account(username: str, role: Role, regency_id: int | None) -> None:
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        rows.append(
            {
                "username": username, "full_name": name, "role": role, "regency_id": regency_id,
                "is_active": True, "password_hash": password_hash, "must_change_password": False,
                "created_at": moment, "password_changed_at": moment,
            }
        )  # fmt: skip

    for number in range(1, 3):
        account(f"admin_{number}", Role.ADMIN, None)
    for number in range(1, 9):
        account(f"provinsi_{number}", Role.PROVINSI, None)
    regencies = db.session.execute(db.select(Regency.id, Regency.code).order_by(Regency.code))
    for regency_id, code in regencies:
        slug = code.replace(".", "")
        for role, count in ((Role.OPERATOR, 2), (Role.ANGGOTA, 4), (Role.PEMANTAU, 4)):
            for number in range(1, count + 1):
                account(f"{role.value}_{slug}_{number}", role, regency_id)
    db.session.execute(db.insert(User), rows)
    return len(rows)


def add_teams() -> None:
    """A Tim Penyelesaian PHP per regency: the people an entry is assigned to."""
    from phpnet.extensions import db
    from phpnet.regions.models import Regency
    from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember

    rng = Random(f"{SEED}:teams")
    regencies = db.session.execute(db.select(Regency.id, Regency.code, Regency.name)).all()
    db.session.execute(
        db.insert(Team),
        [
            {
                "regency_id": regency_id,
                "sk_number": f"{rng.randint(10, 99)}/HK.03.1-Kpt/{code.replace('.', '')}/2024",
                "sk_date": date(2024, 2, rng.randint(1, 20)),
                "signed_by": f"Ketua KPU {name}",
                "created_at": datetime(2024, 2, 21, 3, 0),
            }
            for regency_id, code, name in regencies
        ],
    )
    positions = (
        (Position.KETUA, OfficeUnit.DIVISI_HUKUM),
        (Position.SEKRETARIS, OfficeUnit.SUBBAG_HUKUM_SDM),
        (Position.ANGGOTA, OfficeUnit.DIVISI_TEKNIS),
        (Position.ANGGOTA, OfficeUnit.DIVISI_HUKUM),
        (Position.ANGGOTA, OfficeUnit.SUBBAG_TEKNIS_PARMAS),
        (Position.STAF_PENDUKUNG, OfficeUnit.SUBBAG_HUKUM_SDM),
        (Position.STAF_PENDUKUNG, OfficeUnit.SUBBAG_TEKNIS_PARMAS),
    )
    members = [
        {
            "regency_id": regency_id,
            "team_id": team_id,
            "name": f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}, S.H.",
            "position": position,
            "unit": unit,
            "phone": f"08{rng.randint(10**9, 10**10 - 1)}",
        }
        for team_id, regency_id in db.session.execute(db.select(Team.id, Team.regency_id))
        for position, unit in positions
    ]
    db.session.execute(db.insert(TeamMember), members)


def enable_every_plugin() -> None:
    from phpnet.extensions import db
    from phpnet.plugin_system.enablement import registry, set_plugin_enabled
    from phpnet.regions.models import Regency

    for regency in db.session.execute(db.select(Regency)).scalars():
        for name in registry().infos:
            set_plugin_enabled(regency, name, True, by=None)


# --- the DIM entries -----------------------------------------------------------


class World:
    """What entries point at, loaded once: regencies, their TPS, categories,
    team members and users."""

    def __init__(self, db: Any) -> None:
        from phpnet.auth.models import User
        from phpnet.regions.models import Desa, Kecamatan, Regency, Tps
        from phpnet.teams.models import TeamMember
        from plugins.inventory.models import Category

        self.regencies = db.session.execute(
            db.select(Regency.id, Regency.code, Regency.name, Regency.kind).order_by(Regency.code)
        ).all()
        self.tps_by_regency: dict[int, list[tuple[int, int, int, int]]] = {}
        for row in db.session.execute(
            db.select(Tps.id, Tps.desa_id, Tps.kecamatan_id, Tps.regency_id, Tps.number).order_by(
                Tps.id
            )
        ):
            self.tps_by_regency.setdefault(row.regency_id, []).append(
                (row.id, row.desa_id, row.kecamatan_id, row.number)
            )
        self.kecamatan_by_regency: dict[int, list[int]] = {}
        for kecamatan_id, regency_id in db.session.execute(
            db.select(Kecamatan.id, Kecamatan.regency_id).order_by(Kecamatan.id)
        ):
            self.kecamatan_by_regency.setdefault(regency_id, []).append(kecamatan_id)
        self.desa_names = dict(db.session.execute(db.select(Desa.id, Desa.name)).all())
        self.categories_by_stage: dict[str | None, list[int]] = {}
        for category_id, stage in db.session.execute(
            db.select(Category.id, Category.stage).where(Category.regency_id.is_(None))
        ):
            key = stage.value if stage else None
            self.categories_by_stage.setdefault(key, []).append(category_id)
        self.members_by_regency: dict[int, list[int]] = {}
        for member_id, regency_id in db.session.execute(
            db.select(TeamMember.id, TeamMember.regency_id).order_by(TeamMember.id)
        ):
            self.members_by_regency.setdefault(regency_id, []).append(member_id)
        self.editors_by_regency: dict[int, list[tuple[int, str]]] = {}
        for user_id, username, regency_id in db.session.execute(
            db.select(User.id, User.username, User.regency_id)
            .where(User.role.in_(("operator", "anggota")))
            .order_by(User.id)
        ):
            self.editors_by_regency.setdefault(regency_id, []).append((user_id, username))

    def regency_plan(self, entries: int) -> list[int]:
        """The regency of each entry, in proportion to the regency's TPS."""
        total = sum(len(t) for t in self.tps_by_regency.values())
        plan: list[int] = []
        for regency in self.regencies:
            share = len(self.tps_by_regency[regency.id]) * entries // total
            plan += [regency.id] * share
        plan += [self.regencies[i % len(self.regencies)].id for i in range(entries - len(plan))]
        Random(f"{SEED}:plan").shuffle(plan)
        return plan


def election_moment(rng: Random, race: str, stage: str) -> datetime:
    """Local time (WIB) of the problem: 14 February 2024 for the Pemilu,
    27 November 2024 for the Pilkada, then the recapitulation weeks."""
    pilkada = race in ("gubernur", "bupati", "walikota")
    day = datetime(2024, 11, 27) if pilkada else datetime(2024, 2, 14)
    if stage == "pemungutan":
        offset = timedelta(hours=7, minutes=rng.randint(0, 6 * 60))
    elif stage == "penghitungan":
        offset = timedelta(hours=13, minutes=rng.randint(0, 17 * 60))
    elif stage == "rekap_kecamatan":
        offset = timedelta(days=rng.randint(1, 6 if pilkada else 16), hours=rng.randint(8, 23))
    else:
        offset = timedelta(days=rng.randint(7, 10 if pilkada else 22), hours=rng.randint(8, 22))
    return day + offset + timedelta(minutes=rng.randint(0, 59))


def description(rng: Random, desa: str, tps_number: int | None) -> str:
    tps = f"TPS {tps_number:03d}" if tps_number else "setempat"
    parts = [
        rng.choice(OPENINGS).format(
            party=rng.choice(PARTIES), problem=rng.choice(PROBLEMS), desa=desa, tps=tps
        )
    ]
    for _ in range(rng.choices((0, 1, 2, 3, 5), (15, 35, 25, 15, 10))[0]):
        parts.append(
            rng.choice(DETAILS).format(
                voters=(voters := rng.randint(180, 300)),
                used=rng.randint(voters // 2, voters),
                hour=rng.randint(7, 23),
                minute=rng.randint(0, 59),
                moment=rng.choice(MOMENTS),
            )
        )
    return " ".join(parts)


def entry_rows(world: World, plan: list[int]) -> Iterator[tuple[list, list, list, list]]:
    """Chunks of (entries, audit rows, documents, evidence), one entry per
    regency id in ``plan``, ids fixed so that the rows point at each other
    without a round trip."""
    regency_of = {r.id: r for r in world.regencies}
    rng = Random(f"{SEED}:entries")
    entry_chunk: list[dict] = []
    audit_chunk: list[dict] = []
    document_chunk: list[dict] = []
    evidence_chunk: list[dict] = []
    document_id = 0
    for entry_id, regency_id in enumerate(plan, start=1):
        regency = regency_of[regency_id]
        row = make_entry(world, rng, entry_id, regency)
        entry_chunk.append(row)
        audit_chunk += audit_trail(row, world, rng)
        if rng.random() < 0.15:  # a few entries carry their forms
            for _ in range(rng.choice((1, 1, 2, 3))):
                document_id += 1
                document, evidence = make_evidence(rng, document_id, row)
                document_chunk.append(document)
                evidence_chunk.append(evidence)
        if len(entry_chunk) == CHUNK:
            yield entry_chunk, audit_chunk, document_chunk, evidence_chunk
            entry_chunk, audit_chunk, document_chunk, evidence_chunk = [], [], [], []
    if entry_chunk:
        yield entry_chunk, audit_chunk, document_chunk, evidence_chunk


def make_entry(world: World, rng: Random, entry_id: int, regency: Any) -> dict[str, Any]:
    stage = pick(rng, STAGES)
    race = pick(rng, RACES)
    if race == "local_head":
        race = "walikota" if regency.kind == "kota" else "bupati"
    tps_id = desa_id = kecamatan_id = tps_number = None
    roll = rng.random()
    if stage in ("pemungutan", "penghitungan") or (stage == "rekap_kecamatan" and roll < 0.5):
        tps_id, desa_id, kecamatan_id, tps_number = rng.choice(world.tps_by_regency[regency.id])
        if stage != "rekap_kecamatan" and roll < 0.15:
            level, tps_id, tps_number = "desa", None, None
        else:
            level = "tps"
    elif stage == "rekap_kecamatan" or roll < 0.3:
        level = "kecamatan"
        kecamatan_id = rng.choice(world.kecamatan_by_regency[regency.id])
    else:
        level = "kabkota"
    occurred = election_moment(rng, race, stage)
    categories = world.categories_by_stage[stage] if rng.random() < 0.92 else None
    category_id = rng.choice(categories or world.categories_by_stage[None])
    status = pick(rng, STATUSES)
    desa = world.desa_names.get(desa_id, "")
    editor_id, _ = rng.choice(world.editors_by_regency[regency.id])
    created = occurred - timedelta(hours=7) + timedelta(minutes=rng.randint(20, 3000))
    follow_up, follow_up_date, follow_up_detail = "tidak_ada", None, None
    if status != "belum" or rng.random() < 0.1:
        follow_up = rng.choice(("koreksi_pleno", "koreksi_pleno", "penghitungan_ulang", "psu",
                                "lainnya"))  # fmt: skip
        follow_up_date = (occurred + timedelta(days=rng.randint(0, 5))).date()
        follow_up_detail = rng.choice(FOLLOW_UP_TEXT)
    letter = rng.random() < 0.25
    record_form, form_number = "tidak_ada", None
    if level in ("tps", "desa") and rng.random() < 0.7:
        record_form = "c_kejadian_khusus"
        form_number = f"C.KK-{tps_number or 0:03d}/{rng.randint(1, 9)}"
    elif level == "kecamatan" and rng.random() < 0.7:
        record_form = "d_kejadian_khusus"
        form_number = f"D.KK/PPK-{rng.randint(1, 40):02d}"
    return {
        "id": entry_id,
        "regency_id": regency.id,
        "level": level,
        "kecamatan_id": kecamatan_id,
        "desa_id": desa_id,
        "tps_id": tps_id,
        "race": race,
        "dapil": dapil(rng, race, regency.name),
        "stage": stage,
        "category_id": category_id,
        "occurred_at": occurred,
        "description": description(rng, desa, tps_number),
        "objector": objector(rng) if rng.random() < 0.6 else None,
        "record_form": record_form,
        "record_form_number": form_number,
        "bawaslu_letter_number": (
            f"{rng.randint(1, 400)}/PM.00.02/K.JI-{rng.randint(1, 38):02d}/{occurred:%m}/2024"
            if letter
            else None
        ),
        "bawaslu_letter_date": (occurred + timedelta(days=1)).date() if letter else None,
        "bawaslu_content": (
            "Merekomendasikan kepada KPU untuk " + rng.choice(FOLLOW_UP_TEXT).lower()
            if letter
            else None
        ),
        "follow_up": follow_up,
        "follow_up_detail": follow_up_detail,
        "follow_up_date": follow_up_date,
        "status": status,
        "vote_difference": int(rng.lognormvariate(3.5, 1.4)) if rng.random() < 0.4 else None,
        "person_in_charge_id": (
            rng.choice(world.members_by_regency[regency.id]) if rng.random() < 0.7 else None
        ),
        "notes": rng.choice(DETAILS[:3]) if rng.random() < 0.2 else None,
        "version": 1 if status == "belum" else 2,
        "created_at": created,
        "created_by_id": editor_id,
        "updated_at": created + timedelta(hours=rng.randint(0, 200)),
        "deleted_at": None,
        "deleted_by_id": None,
    }


def dapil(rng: Random, race: str, regency_name: str) -> str | None:
    if race == "dpr":
        return f"Jawa Timur {rng.choice(ROMAN)}"
    if race == "dprd_provinsi":
        return f"Jawa Timur {rng.randint(1, 14)}"
    if race == "dprd_kabkota":
        return f"{regency_name.split(' ', 1)[-1]} {rng.randint(1, 7)}"
    return None


def objector(rng: Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return f"Saksi {rng.choice(PARTIES)}"
    if roll < 0.85:
        return f"Saksi pasangan calon nomor urut {rng.randint(1, 3):02d}"
    return f"Saksi calon anggota DPD nomor urut {rng.randint(1, 30)}"


def plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def audit_trail(row: dict[str, Any], world: World, rng: Random) -> list[dict[str, Any]]:
    """What phpnet's audit listener writes: a create with the snapshot, and
    the status change of entries that were followed up."""
    user_id = row["created_by_id"]
    actor = next(
        name for uid, name in world.editors_by_regency[row["regency_id"]] if uid == user_id
    )
    snapshot = {key: plain(value) for key, value in row.items()}
    snapshot.update(status="belum", version=1, updated_at=plain(row["created_at"]))
    base = {
        "user_id": user_id, "actor": actor, "regency_id": row["regency_id"],
        "object_type": "inventory_entry", "object_id": str(row["id"]), "ip_address": "10.35.7.21",
    }  # fmt: skip
    trail = [{**base, "at": row["created_at"], "action": "create", "before": None,
              "after": snapshot}]  # fmt: skip
    if row["status"] != "belum":
        trail.append(
            {**base, "at": row["updated_at"], "action": "update",
             "before": {"status": "belum", "version": 1},
             "after": {"status": row["status"], "version": 2}}
        )  # fmt: skip
    return trail


def make_evidence(rng: Random, document_id: int, row: dict[str, Any]) -> tuple[dict, dict]:
    kind = rng.choice(EVIDENCE_TYPES)
    is_photo = kind == "foto"
    document = {
        "id": document_id,
        "regency_id": row["regency_id"],
        "original_name": f"{kind.replace('_', '-')}-{row['id']}.{'jpg' if is_photo else 'pdf'}",
        "media_type": "image/jpeg" if is_photo else "application/pdf",
        "size_bytes": rng.randint(80_000, 4_000_000),
        "sha256": f"{rng.getrandbits(256):064x}",
        "storage_name": f"{rng.getrandbits(128):032x}",
        "uploaded_by_id": row["created_by_id"],
        "uploaded_at": row["created_at"] + timedelta(minutes=5),
    }
    evidence = {
        "id": document_id,
        "regency_id": row["regency_id"],
        "entry_id": row["id"],
        "document_id": document_id,
        "evidence_type": kind,
        "created_at": document["uploaded_at"],
    }
    return document, evidence


def add_entries(entries: int, only_regency: str | None = None) -> dict[str, int]:
    from phpnet.audit.models import AuditEntry
    from phpnet.documents.models import Document
    from phpnet.extensions import db
    from plugins.inventory.models import Entry, Evidence

    world = World(db)
    if only_regency is None:
        plan = world.regency_plan(entries)
    else:
        dotted = f"{only_regency[:2]}.{only_regency[2:]}"
        plan = [next(r.id for r in world.regencies if r.code == dotted)] * entries
    counts = {"entries": 0, "audit": 0, "documents": 0}
    for entry_rows_, audit_rows, documents, evidence in entry_rows(world, plan):
        # Core inserts by table: the ORM's enum types accept the stored values.
        db.session.execute(db.insert(Entry.__table__), entry_rows_)
        db.session.execute(db.insert(AuditEntry.__table__), audit_rows)
        if documents:
            db.session.execute(db.insert(Document.__table__), documents)
            db.session.execute(db.insert(Evidence.__table__), evidence)
        counts["entries"] += len(entry_rows_)
        counts["audit"] += len(audit_rows)
        counts["documents"] += len(documents)
    db.session.commit()
    return counts


def generate(entries: int, only_regency: str | None = None) -> Path:
    """The instance folder of a dataset with ``entries`` DIM entries, spread
    over the province or all in ``only_regency`` (for the export job)."""
    instance = (
        OUT / f"instance-{entries}"
        if only_regency is None
        else (OUT / f"instance-{only_regency}-{entries}")
    )
    marker = instance / "generated.json"
    if marker.exists() and json.loads(marker.read_text())["version"] == DATASET_VERSION:
        return upgrade_schema(instance)
    base = build_base()
    shutil.rmtree(instance, ignore_errors=True)
    instance.mkdir(parents=True)
    copy_database(base / DATABASE_NAME, instance / DATABASE_NAME)
    shutil.copy(base / "secret_key", instance / "secret_key")
    started = time.perf_counter()
    app = make_app(instance)
    from phpnet.extensions import db

    with app.app_context():
        require_inventory(app)
        counts = add_entries(
            entries, only_regency
        )  # no ANALYZE: an office's database has none either
        db.engine.dispose()
    checkpoint(instance / DATABASE_NAME)
    seconds = time.perf_counter() - started
    marker.write_text(json.dumps({"version": DATASET_VERSION, "seed": SEED, **counts}))
    print(f"{instance.name}: {counts} in {seconds:.0f} s", file=sys.stderr)
    return instance


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=50_000)
    args = parser.parse_args()
    sys.path.insert(0, str(BENCH.parent))
    print(generate(args.entries))


if __name__ == "__main__":
    main()
