"""The ``phpnet`` command: Flask's CLI with phpnet's commands.

Each feature adds its command group to ``app.cli`` in ``create_app``; the
database is created and upgraded only by ``phpnet db upgrade`` (Alembic)."""

import click
from flask.cli import FlaskGroup

from phpnet import create_app


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False)
def main() -> None:
    """phpnet: intranet PHP/PHPU KPU Provinsi Jawa Timur."""
