"""Jinja filters and globals for Indonesian dates, numbers and access checks."""

from datetime import date, datetime

from flask import Flask
from wtforms import Field

from phpnet.access import Access, current_access
from phpnet.extensions import db
from phpnet.kit.clock import today_wib
from phpnet.plugin_system.contributions import nav_items, province_nav_items, slot
from phpnet.plugin_system.permissions import may
from phpnet.regions.models import Regency
from phpnet.timeutil import as_wib

MONTHS = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip


def tanggal(value: date | None) -> str:
    """14 Februari 2024."""
    if value is None:
        return "-"
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def waktu(value: datetime | None) -> str:
    """A stored UTC moment in WIB: 14 Februari 2024 13.05 WIB."""
    local = as_wib(value)
    if local is None:
        return "-"
    return f"{tanggal(local)} {local:%H.%M} WIB"


def angka(value: int | None) -> str:
    """120.666 (Indonesian thousands separator)."""
    if value is None:
        return "-"
    return f"{value:,}".replace(",", ".")


def field_attrs(field: Field, hint: str | None = None) -> dict[str, str]:
    """ARIA attributes that tie a form field to its hint and its errors."""
    described_by = []
    if hint:
        described_by.append(f"{field.id}-hint")
    if field.errors:
        described_by.append(f"{field.id}-error")
    attrs = {"aria-describedby": " ".join(described_by)} if described_by else {}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return attrs


def regency_choices() -> list[Regency]:
    """The 38 regencies, for the province's regency switcher."""
    return list(db.session.execute(db.select(Regency).order_by(Regency.code)).scalars())


def install(app: Flask) -> None:
    app.add_template_filter(tanggal)
    app.add_template_filter(waktu)
    app.add_template_filter(angka)
    app.add_template_global(Access)
    app.add_template_global(current_access)
    app.add_template_global(field_attrs)
    app.add_template_global(nav_items)
    app.add_template_global(province_nav_items)
    app.add_template_global(slot)
    app.add_template_global(regency_choices)
    app.add_template_global(may)
    app.add_template_global(today_wib)
    _share_macros(app)


def _share_macros(app: Flask) -> None:
    """Make the macros of ``_macros.html`` globals: htmx fragments are single
    blocks rendered on their own (jinja2-fragments), and a block does not see
    the ``{% from ... import %}`` at the top of its template."""
    macros = app.jinja_env.get_template("_macros.html").module
    for name in dir(macros):
        if not name.startswith("_"):
            app.jinja_env.globals[name] = getattr(macros, name)
