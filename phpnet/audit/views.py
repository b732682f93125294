"""Audit log pages: one regency's log, and the province's log of everything.

Both pages are a filter form over a paginated table, newest first. The
filters come from the query string, so a filtered page is a link; htmx
swaps only the results block and pushes the URL. A filter value that is
not valid is ignored and named above the table, never an error."""

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from flask import Blueprint, abort, g, request
from flask_login import current_user
from sqlalchemy import Select, func
from werkzeug.datastructures import MultiDict
from wtforms import DateField, SelectField, StringField
from wtforms.validators import Length, Optional

from phpnet.access import Access, current_access, roles_required
from phpnet.audit.labels import action_label, object_label
from phpnet.audit.models import AuditEntry
from phpnet.auth.models import Role
from phpnet.extensions import db
from phpnet.forms import Form, strip_text
from phpnet.htmx import render
from phpnet.kit.pages import Page, paginate
from phpnet.regions.models import Regency, dotted_code
from phpnet.templating import waktu
from phpnet.timeutil import WIB

PAGE_SIZE = 50
PROVINCE_LEVEL = "provinsi"  # the regency filter's value for entries of no regency
VALUE_PREVIEW_CHARS = 300  # a 100 kB value must not make the page 100 kB
# How the audit listener stores a datetime column (naive UTC, isoformat).
STORED_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?")

bp = Blueprint("audit", __name__)


class AuditFilterForm(Form):
    """The filters, read from the query string (a GET form: no CSRF token)."""

    class Meta:
        csrf = False

    kabkota = SelectField("Kabupaten/kota", validate_choice=False, default="")
    aksi = SelectField("Aksi", validate_choice=False, default="")
    objek = SelectField("Jenis objek", validate_choice=False, default="")
    pelaku = StringField("Pelaku", [Optional(), Length(max=64)], filters=[strip_text])
    dari = DateField("Dari tanggal", [Optional()])
    sampai = DateField("Sampai tanggal", [Optional()])


@dataclass(frozen=True)
class Change:
    """One changed column of an audited object, ready to display."""

    key: str
    old: str | None  # None: the object did not exist before (create)
    new: str | None  # None: the object is gone (delete)


@dataclass
class AuditRow:
    entry: AuditEntry
    regency_name: str | None
    changes: list[Change] = field(default_factory=list)

    @property
    def action_label(self) -> str:
        return action_label(self.entry.action)

    @property
    def object_label(self) -> str:
        return object_label(self.entry.object_type)


@bp.get("/audit")
@roles_required(Role.ADMIN, Role.PROVINSI)
def province_log() -> Any:
    regencies = db.session.execute(db.select(Regency).order_by(Regency.code)).scalars().all()
    form = _filter_form(
        regency_choices=[
            ("", "Semua"),
            (PROVINCE_LEVEL, "Tingkat provinsi (tanpa kab/kota)"),
            *((r.slug, r.name) for r in regencies),
        ]
    )
    query = _apply_regency_filter(db.select(AuditEntry), form)
    return _log_page("audit/province.html", form, query)


@bp.get("/r/<regency>/audit")
def regency_log() -> Any:
    # The regency's operator and admins manage it; provinsi staff read every
    # log. Anggota and pemantau work in the regency but may not see who did what.
    if current_access() < Access.MANAGE and current_user.role is not Role.PROVINSI:
        abort(403)
    form = _filter_form()
    query = db.select(AuditEntry).where(AuditEntry.regency_id == g.regency.id)
    return _log_page("audit/regency.html", form, query)


def _filter_form(regency_choices: list[tuple[str, str]] | None = None) -> AuditFilterForm:
    """The filters of this request; without ``regency_choices`` (a regency's
    own log) there is no regency filter."""
    form = AuditFilterForm(formdata=_single_values(request.args))
    if regency_choices is None:
        del form.kabkota
    else:
        form.kabkota.choices = regency_choices
    form.validate()
    return form


def _single_values(args: Mapping[str, str]) -> MultiDict[str, str]:
    """The first value of each parameter: ``?aksi=a&aksi=b`` is ``aksi=a``."""
    return MultiDict({key: args[key] for key in args})


def _apply_regency_filter(query: Select, form: AuditFilterForm) -> Select:
    wanted = form.kabkota.data or ""
    if wanted == PROVINCE_LEVEL:
        return query.where(AuditEntry.regency_id.is_(None))
    if len(wanted) == 4 and wanted.isdigit():
        regency_id = db.session.execute(
            db.select(Regency.id).filter_by(code=dotted_code(wanted))
        ).scalar_one_or_none()
        if regency_id is not None:
            return query.where(AuditEntry.regency_id == regency_id)
    if wanted:
        form.kabkota.errors = ["Kabupaten/kota tidak dikenal."]
    return query


def _log_page(template: str, form: AuditFilterForm, scoped: Select) -> Any:
    """Render the log page ``template`` for the entries of ``scoped`` that
    pass the filters of ``form``; htmx gets only the results block."""
    _fill_choices(form, scoped)
    query = _apply_filters(scoped, form)
    page = _page(query)
    return render(
        template,
        block="results",
        form=form,
        page=page,
        filters=_active_filters(form),
        ignored=[f.label.text for f in form if f.errors],
    )


def _fill_choices(form: AuditFilterForm, scoped: Select) -> None:
    """Offer the actions and object types that occur in this log."""
    entries = scoped.subquery()
    actions = db.session.execute(
        db.select(entries.c.action).distinct().order_by(entries.c.action)
    ).scalars()
    object_types = db.session.execute(
        db.select(entries.c.object_type).distinct().order_by(entries.c.object_type)
    ).scalars()
    form.aksi.choices = [("", "Semua"), *((a, action_label(a)) for a in actions)]
    form.objek.choices = [("", "Semua"), *((o, object_label(o)) for o in object_types)]
    for select in (form.aksi, form.objek):
        if select.data and select.data not in dict(select.choices):
            select.errors = ["Pilihan tidak dikenal."]


def _apply_filters(query: Select, form: AuditFilterForm) -> Select:
    if form.aksi.data and not form.aksi.errors:
        query = query.where(AuditEntry.action == form.aksi.data)
    if form.objek.data and not form.objek.errors:
        query = query.where(AuditEntry.object_type == form.objek.data)
    if form.pelaku.data and not form.pelaku.errors:
        pattern = "%" + _escape_like(form.pelaku.data.lower()) + "%"
        query = query.where(func.lower(AuditEntry.actor).like(pattern, escape="\\"))
    start, end = _dates(form)
    if start is not None:
        query = query.where(AuditEntry.at >= _wib_midnight_in_utc(start))
    if end is not None:
        query = query.where(AuditEntry.at < _wib_midnight_in_utc(end + timedelta(days=1)))
    return query


def _dates(form: AuditFilterForm) -> tuple[date | None, date | None]:
    start, end = form.dari.data, form.sampai.data
    if start and end and end < start:
        form.sampai.errors = ["Tanggal akhir lebih awal dari tanggal mulai."]
        return start, None
    return start, end


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _wib_midnight_in_utc(day: date) -> datetime:
    """The stored (naive UTC) moment at which ``day`` begins in WIB."""
    return datetime.combine(day, time(), tzinfo=WIB).astimezone(UTC).replace(tzinfo=None)


def _page(query: Select) -> Page:
    """One page of the entries, newest first, each with its regency's name."""
    found = paginate(
        query.add_columns(Regency.name)
        .outerjoin(Regency, Regency.id == AuditEntry.regency_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()),
        request.args.get("halaman", 1, type=_page_number),
        PAGE_SIZE,
    )
    rows = [AuditRow(entry, name, _changes(entry)) for entry, name in found.items]
    return replace(found, items=rows)


def _page_number(text: str) -> int:
    """A page number from the query string; anything else means page 1."""
    return int(text) if text.isdigit() and len(text) < 10 else 1


def _active_filters(form: AuditFilterForm) -> dict[str, str]:
    """The valid filters, for the page links (so paging keeps them)."""
    return {
        f.name: f.data.isoformat() if isinstance(f.data, date) else str(f.data)
        for f in form
        if f.data and not f.errors
    }


def _changes(entry: AuditEntry) -> list[Change]:
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    keys = list(dict.fromkeys([*before, *after]))
    return [
        Change(
            key=str(key),
            old=_shown(before.get(key)) if entry.before is not None else None,
            new=_shown(after.get(key)) if entry.after is not None else None,
        )
        for key in keys
    ]


def _shown(value: Any) -> str:
    """A stored JSON value as text (escaped later by the template)."""
    if value is None:
        return "(kosong)"
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    text = str(value)
    if isinstance(value, str) and STORED_MOMENT.fullmatch(value):
        return waktu(datetime.fromisoformat(value))  # stored in UTC, read in WIB
    if len(text) > VALUE_PREVIEW_CHARS:
        return text[:VALUE_PREVIEW_CHARS] + "…"
    return text
