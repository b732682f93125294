"""The province's view of the DIM: every regency's entries by stage and by
status on one page (one grouped query), each regency and each figure a link
into that regency's list, filtered the same way.

It is a province page of the plugin (``/provinsi/inventory/``), which core
answers only to admin and provinsi users."""

from dataclasses import dataclass

from flask import Blueprint, Response

from phpnet.hookspecs import hookimpl
from phpnet.plugin_api import NavItem, Regency, regencies_enabled, render
from plugins.inventory.blueprint import NAME
from plugins.inventory.models import Stage, Status
from plugins.inventory.queries import StageStatusCounts, active_regencies, province_counts

province_bp = Blueprint(f"{NAME}_provinsi", __name__, template_folder="templates")


@dataclass(frozen=True)
class RegencyLine:
    regency: Regency
    enabled: bool  # the module is on for the regency (its list can be opened)
    counts: StageStatusCounts


@province_bp.get("/")
def index() -> Response:
    regencies = active_regencies()
    enabled = {r.id for r in regencies_enabled(NAME, regencies)}
    counts = province_counts()
    lines = [
        RegencyLine(r, r.id in enabled, counts.get(r.id, StageStatusCounts({}))) for r in regencies
    ]
    province = StageStatusCounts(
        {
            (stage, status): sum(line.counts.cells.get((stage, status), 0) for line in lines)
            for stage in Stage
            for status in Status
        }
    )
    return render(
        "inventory/province.html",
        lines=lines,
        province=province,
        stages=list(Stage),
        statuses=list(Status),
    )


@hookimpl
def phpnet_province_blueprints() -> list[Blueprint]:
    return [province_bp]


@hookimpl
def phpnet_province_nav_items() -> list[NavItem]:
    return [NavItem("DIM provinsi", f"{NAME}_provinsi.index", order=10)]
