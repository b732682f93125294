"""Alembic sees core's revisions and those of every loaded plugin.

A plugin keeps its revisions in ``<plugin>/migrations/versions`` on a branch of
its own (``branch_labels=("<name>",)``, ``depends_on`` the core revision it
needs), so ``phpnet db upgrade`` upgrades every branch ("heads")."""

import os
from pathlib import Path

import flask_migrate.cli
from alembic.config import Config
from flask import current_app

from phpnet.extensions import migrate

CORE_VERSIONS = Path(__file__).resolve().parent.parent / "migrations" / "versions"

# With a branch per plugin there are several heads; upgrading to one "head"
# would fail as soon as a plugin has tables, so the command upgrades them all.
for _param in flask_migrate.cli.upgrade.params:
    if _param.name == "revision":
        _param.default = "heads"


def plugin_version_folders() -> list[Path]:
    registry = current_app.extensions["phpnet"]
    folders = []
    for name in registry.infos:
        module = registry.pm.get_plugin(name)
        folder = Path(module.__file__).parent / "migrations" / "versions"
        if folder.is_dir():
            folders.append(folder)
    return folders


@migrate.configure
def _add_plugin_versions(config: Config) -> Config:
    locations = [CORE_VERSIONS, *plugin_version_folders()]
    config.set_main_option("path_separator", "os")
    config.set_main_option("version_locations", os.pathsep.join(str(p) for p in locations))
    return config
