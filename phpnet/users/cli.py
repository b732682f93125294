"""``phpnet users ...``."""

import click


@click.group("users", help="Akun pengguna.")
def users_group() -> None:
    pass
