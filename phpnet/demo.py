"""``phpnet demo``: demo data for a new database."""

import click


@click.command("demo")
def demo_command() -> None:
    """Isi data demo (hanya untuk basis data baru)."""
    raise click.ClickException("Belum tersedia.")
