"""``phpnet demo``: demo data for a new database.

It fills an empty phpnet with what a demonstration needs: the regions, the
province's TPS (generated: there is no public list), one account of each
role for Kab. Malang and Kota Surabaya plus the province's, and a Tim
Penyelesaian PHP for Kab. Malang. The demo passwords are written here and
nowhere else; a database that already has users is refused, so they can
never end up in a real office's data."""

from dataclasses import dataclass
from datetime import date

import click
from flask.cli import with_appcontext
from sqlalchemy import func, select

from phpnet.auth.models import Role, User
from phpnet.auth.passwords import hash_password, password_problem
from phpnet.extensions import db
from phpnet.plugin_system.contributions import call_for_regency
from phpnet.regions.loader import load_regions
from phpnet.regions.models import Regency, dotted_code
from phpnet.regions.tps_generate import generate_tps
from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember

MALANG = "3507"
SURABAYA = "3578"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: Role
    regency: str | None  # URL code
    password: str


DEMO_ACCOUNTS = (
    DemoAccount("admin_jatim", "Admin Sistem (demo)", Role.ADMIN, None, "demo-jatim-admin"),
    DemoAccount(
        "provinsi_jatim", "Staf KPU Provinsi (demo)", Role.PROVINSI, None, "demo-jatim-provinsi"
    ),
    DemoAccount(
        "operator_malang", "Operator Kab. Malang (demo)", Role.OPERATOR, MALANG,
        "demo-malang-operator",
    ),
    DemoAccount(
        "anggota_malang", "Anggota Tim Kab. Malang (demo)", Role.ANGGOTA, MALANG,
        "demo-malang-anggota",
    ),
    DemoAccount(
        "pemantau_malang", "Pemantau Kab. Malang (demo)", Role.PEMANTAU, MALANG,
        "demo-malang-pemantau",
    ),
    DemoAccount(
        "operator_surabaya", "Operator Kota Surabaya (demo)", Role.OPERATOR, SURABAYA,
        "demo-surabaya-operator",
    ),
    DemoAccount(
        "anggota_surabaya", "Anggota Tim Kota Surabaya (demo)", Role.ANGGOTA, SURABAYA,
        "demo-surabaya-anggota",
    ),
    DemoAccount(
        "pemantau_surabaya", "Pemantau Kota Surabaya (demo)", Role.PEMANTAU, SURABAYA,
        "demo-surabaya-pemantau",
    ),
)  # fmt: skip

# Decree (SK) numbers of KPU Kabupaten/Kota follow <no>/<klasifikasi>-Kpt/<kode wilayah>/<tahun>.
DEMO_TEAM_DECREE = "45/HK.03.1-Kpt/3507/2024"
DEMO_TEAM_MEMBERS = (
    ("Dra. Sri Wahyuni, M.Si.", Position.KETUA, OfficeUnit.DIVISI_HUKUM, None),
    ("Agus Santoso, S.H.", Position.SEKRETARIS, OfficeUnit.SUBBAG_HUKUM_SDM, None),
    ("Rina Kurniawati, S.Sos.", Position.ANGGOTA, OfficeUnit.DIVISI_TEKNIS, "anggota_malang"),
)


@click.command("demo")
@click.option(
    "--if-empty",
    is_flag=True,
    help="Jika sudah ada pengguna, lewati tanpa galat (untuk `make run`).",
)
@with_appcontext
def demo_command(if_empty: bool) -> None:
    """Isi data demo (hanya untuk basis data baru, tanpa pengguna)."""
    users = db.session.execute(select(func.count()).select_from(User)).scalar_one()
    if users:
        message = (
            f"Basis data sudah berisi {users} pengguna: data demo hanya untuk basis data baru "
            "dan tidak dibuat."
        )
        if not if_empty:
            raise click.ClickException(message)
        click.echo(message)
        if _demo_accounts_exist():
            click.echo(logins_table("Akun demo (jika kata sandinya belum diganti):"))
        return
    summary = create_demo_data()
    db.session.commit()
    click.echo(summary)
    click.echo(logins_table("Akun demo (kata sandi hanya untuk demo):"))


def create_demo_data() -> str:
    """Add the demo data to the session (the caller commits); a summary."""
    regions = load_regions()
    tps_added = generate_tps()
    regencies = {
        code: db.session.execute(select(Regency).filter_by(code=dotted_code(code))).scalar_one()
        for code in (MALANG, SURABAYA)
    }
    accounts = {account.username: _create_account(account, regencies) for account in DEMO_ACCOUNTS}
    db.session.flush()
    _create_team(regencies[MALANG], accounts)
    modules = demo_records(list(regencies.values()))
    loaded = (
        f"wilayah dimuat ({regions.regencies} kab/kota, {regions.kecamatan} kecamatan, "
        f"{regions.desa} desa/kelurahan)"
        if regions.desa
        else "wilayah sudah ada"
    )
    return (
        f"Data demo dibuat: {loaded}, {tps_added} TPS, {len(accounts)} akun, "
        f"1 SK Tim Penyelesaian PHP {regencies[MALANG].name}"
        + "".join(f", {module}" for module in modules)
        + "."
    )


def demo_records(regencies: list[Regency]) -> list[str]:
    """Each enabled plugin's demo records in ``regencies``, as their summary."""
    return [
        f"{item} di {regency.name}"
        for regency in regencies
        for _plugin, item in call_for_regency("phpnet_demo_data", regency)
    ]


def _create_account(account: DemoAccount, regencies: dict[str, Regency]) -> User:
    problem = password_problem(account.password, account.username)
    if problem:  # a stricter policy set in instance/config.py
        raise click.ClickException(f"Kata sandi demo {account.username} ditolak: {problem}")
    user = User(
        username=account.username,
        full_name=account.full_name,
        role=account.role,
        regency_id=regencies[account.regency].id if account.regency else None,
        password_hash=hash_password(account.password),
        must_change_password=False,  # a demo should open straight away
    )
    db.session.add(user)
    return user


def _create_team(regency: Regency, accounts: dict[str, User]) -> None:
    team = Team(
        regency_id=regency.id,
        sk_number=DEMO_TEAM_DECREE,
        sk_date=date(2024, 2, 20),
        signed_by=f"Ketua KPU {regency.name}",
    )
    for name, position, unit, username in DEMO_TEAM_MEMBERS:
        team.members.append(
            TeamMember(
                regency_id=regency.id,
                name=name,
                position=position,
                unit=unit,
                user_id=accounts[username].id if username else None,
            )
        )
    db.session.add(team)


def _demo_accounts_exist() -> bool:
    usernames = [account.username for account in DEMO_ACCOUNTS]
    found = db.session.execute(select(User.id).where(User.username.in_(usernames)).limit(1))
    return found.first() is not None


def logins_table(title: str) -> str:
    """The demo logins as a plain-text table."""
    header = ("Peran", "Kab/Kota", "Nama pengguna", "Kata sandi")
    rows = [
        (
            account.role.label,
            _regency_label(account.regency),
            account.username,
            account.password,
        )
        for account in DEMO_ACCOUNTS
    ]
    widths = [max(len(row[i]) for row in (header, *rows)) for i in range(len(header))]
    lines = [title, ""]
    for row in (header, tuple("-" * w for w in widths), *rows):
        lines.append("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)))
    return "\n".join(line.rstrip() for line in lines)


def _regency_label(code: str | None) -> str:
    return {MALANG: "Kab. Malang", SURABAYA: "Kota Surabaya"}.get(code or "", "-")
