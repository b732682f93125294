"""Alembic environment for phpnet: the only way a database is created or upgraded.

On SQLite, foreign keys are switched off while migrating (batch migrations copy
and drop tables, and with foreign keys on the drop would cascade into child
rows), then checked once the migration is done."""

import logging
from logging.config import fileConfig

from alembic import context
from flask import current_app
from sqlalchemy import text

log = logging.getLogger("alembic.env")
config = context.config
if config.config_file_name:
    fileConfig(config.config_file_name, disable_existing_loggers=False)
db = current_app.extensions["migrate"].db


def _skip_empty_autogenerate(_context: object, _revision: object, directives: list) -> None:
    if getattr(config.cmd_opts, "autogenerate", False) and directives[0].upgrade_ops.is_empty():
        directives[:] = []
        log.info("Tidak ada perubahan skema.")


def run_migrations_online() -> None:
    options = dict(current_app.extensions["migrate"].configure_args)
    options.setdefault("process_revision_directives", _skip_empty_autogenerate)
    engine = db.engine
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")
        context.configure(connection=connection, target_metadata=db.metadata, **options)
        with context.begin_transaction():
            context.run_migrations()
        if sqlite:
            broken = connection.execute(text("PRAGMA foreign_key_check")).fetchall()
            connection.commit()
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")
            if broken:
                raise RuntimeError(f"Migrasi merusak kunci asing: {broken[:5]}")


if context.is_offline_mode():
    raise SystemExit("phpnet tidak memakai migrasi offline; jalankan `phpnet db upgrade`.")
run_migrations_online()
