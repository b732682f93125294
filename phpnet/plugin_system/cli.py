"""``phpnet plugins list | enable | disable | new``."""

from pathlib import Path

import click
from flask import current_app
from sqlalchemy import select

from phpnet.extensions import db
from phpnet.plugin_system.calling import registry
from phpnet.plugin_system.enablement import enablement_matrix, set_plugin_enabled
from phpnet.regions.models import Regency, dotted_code
from phpnet.scaffold import ScaffoldError, write_module

PLUGINS_FOLDER = Path(__file__).resolve().parents[2] / "plugins"


@click.group("plugins", help="Modul (plugin) per kab/kota.")
def plugins_group() -> None:
    pass


@plugins_group.command("list")
def list_command() -> None:
    """Daftar modul dan jumlah kab/kota yang mengaktifkannya."""
    regencies = list(db.session.execute(select(Regency)).scalars())
    matrix = enablement_matrix(regencies)
    for info in registry().ordered():
        count = sum(info.name in enabled for enabled in matrix.values())
        click.echo(f"{info.name:<20} {info.version:<10} {count:>2}/{len(regencies)}  {info.label}")
    for name, error in registry().failed.items():
        click.echo(f"{name:<20} GAGAL DIMUAT: {error}")


def _targets(regency_code: str | None, every: bool) -> list[Regency]:
    if every == bool(regency_code):
        raise click.UsageError("Pilih salah satu: --regency KODE atau --all.")
    query = select(Regency).order_by(Regency.code)
    if regency_code:
        query = query.filter_by(code=dotted_code(regency_code.replace(".", "")))
    regencies = list(db.session.execute(query).scalars())
    if not regencies:
        raise click.BadParameter(f"kab/kota {regency_code} tidak ada", param_hint="--regency")
    return regencies


def _switch(name: str, regency_code: str | None, every: bool, state: bool) -> None:
    if name not in registry().infos:
        raise click.BadParameter(f"modul {name} tidak dikenal", param_hint="NAME")
    changed_total = 0
    for regency in _targets(regency_code, every):
        changed = set_plugin_enabled(regency, name, state, None)
        changed_total += len(changed)
        if changed:
            click.echo(f"{regency.name}: {', '.join(sorted(changed))}")
    db.session.commit()
    click.echo(f"{changed_total} perubahan disimpan.")


@plugins_group.command("enable")
@click.argument("name")
@click.option("--regency", "regency_code", help="Kode kab/kota, mis. 3507.")
@click.option("--all", "every", is_flag=True, help="Semua kab/kota.")
def enable_command(name: str, regency_code: str | None, every: bool) -> None:
    """Aktifkan modul NAME (beserta modul yang dibutuhkannya)."""
    _switch(name, regency_code, every, True)


@plugins_group.command("disable")
@click.argument("name")
@click.option("--regency", "regency_code", help="Kode kab/kota, mis. 3507.")
@click.option("--all", "every", is_flag=True, help="Semua kab/kota.")
def disable_command(name: str, regency_code: str | None, every: bool) -> None:
    """Nonaktifkan modul NAME (beserta modul yang membutuhkannya)."""
    _switch(name, regency_code, every, False)


@plugins_group.command("new")
@click.argument("name")
@click.option("--label", help='Nama modul bagi pengguna, mis. "Catatan Rapat".')
@click.option(
    "--folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=PLUGINS_FOLDER,
    show_default=True,
    help="Folder modul.",
)
def new_command(name: str, label: str | None, folder: Path) -> None:
    """Buat modul baru NAME: model, migrasi, daftar, formulir, cetak, XLSX dan ujinya."""
    taken = set(registry().infos) | {bp.split(".")[0] for bp in current_app.blueprints}
    try:
        written = write_module(name, label or name.replace("_", " ").title(), folder, taken)
    except ScaffoldError as error:
        raise click.UsageError(str(error)) from None
    for path in written:
        click.echo(f"  {path}")
    click.echo(f"Modul {name} dibuat ({len(written)} berkas).")
    click.echo("Lanjutkan: phpnet db upgrade (tabelnya), lalu make test (ujinya).")
