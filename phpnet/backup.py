"""``phpnet backup DIR``: a consistent online copy of the database and documents."""

import click


@click.command("backup")
@click.argument("directory", type=click.Path(file_okay=False))
def backup_command(directory: str) -> None:
    """Cadangkan basis data dan dokumen ke DIREKTORI saat aplikasi berjalan."""
    raise click.ClickException("Belum tersedia.")
