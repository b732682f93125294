"""Inventarisasi Masalah (DIM): the problem inventory of voting, counting and
tabulation, down to the TPS. A phpnet plugin; see docs/plugins.md."""

from flask import Blueprint

from phpnet.contrib import Permission, PluginInfo
from phpnet.hookspecs import hookimpl
from plugins.inventory import (  # noqa: F401 - tables and routes
    models,
    views_dashboard,
    views_entry,
    views_list,
    views_province,
    views_transfer,
)
from plugins.inventory.blueprint import EDIT, EDITORS, MANAGE, MANAGERS, NAME, READERS, VIEW, bp

INFO = PluginInfo(
    name=NAME,
    label="Inventarisasi Masalah",
    version="0.1.0",
    description="Daftar inventarisasi masalah (DIM) pemungutan, penghitungan dan rekapitulasi.",
    default_enabled=True,
    order=10,
)


@hookimpl
def phpnet_plugin_info() -> PluginInfo:
    return INFO


@hookimpl
def phpnet_blueprints() -> list[Blueprint]:
    return [bp]


@hookimpl
def phpnet_permissions() -> list[Permission]:
    return [
        Permission(VIEW, "Melihat DIM", READERS),
        Permission(EDIT, "Mencatat dan mengubah entri DIM", EDITORS),
        Permission(MANAGE, "Menghapus, memulihkan entri dan mengelola kategori DIM", MANAGERS),
    ]
