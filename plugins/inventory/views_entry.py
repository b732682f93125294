"""Inventory views of one entry: record, edit (never overwriting someone
else's save), detail with evidence, history and neighbours, soft delete and
restore; the cascading location options and the category list.

Every mutation is a plain form post (303 after success); htmx only loads the
location options and swaps the evidence list and category rows in place."""

from typing import Any

from flask import Response, abort, flash, g, make_response, render_template, request, url_for
from flask_login import current_user
from jinja2_fragments.flask import render_block
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from phpnet.access import scoped_or_404
from phpnet.auth.models import User
from phpnet.documents.models import Document
from phpnet.documents.service import DocumentError, allowed_hint, human_size, store_document
from phpnet.extensions import db
from phpnet.htmx import done, is_htmx, render, render_invalid
from phpnet.plugin_system.permissions import has_permission, requires
from phpnet.timeutil import utcnow
from plugins.inventory import entries, links
from plugins.inventory.blueprint import EDIT, MANAGE, VIEW, bp
from plugins.inventory.forms import MAX_INTEGER as MAX_ID
from plugins.inventory.forms import (
    CategoryForm,
    EditEntryForm,
    EntryForm,
    EvidenceForm,
    NewEntryForm,
    optional_id,
)
from plugins.inventory.models import Category, Entry, Evidence, EvidenceType, Stage

FORM_PAGE = "inventory/entry_form.html"
DETAIL_PAGE = "inventory/entry_detail.html"
DELETED_PAGE = "inventory/entry_deleted.html"
CATEGORIES_PAGE = "inventory/categories.html"
OPTIONS_FRAGMENT = "inventory/_location_options.html"
EVIDENCE_KINDS = frozenset({"pdf", "jpeg", "png"})
DELETED_PER_PAGE = 50
REFRESH_OPTIONS = "muat_pilihan"  # the no-JavaScript button that reloads the selects
# Ids in URLs beyond what the database can hold are unknown (404), never an error.
ENTRY = f"<int(max={MAX_ID}):entry_id>"
EVIDENCE = f"<int(max={MAX_ID}):evidence_id>"
CATEGORY = f"<int(max={MAX_ID}):category_id>"


def _user() -> User:
    return current_user._get_current_object()  # type: ignore[no-any-return]


def _may(permission: str) -> bool:
    return has_permission(current_user, g.regency, permission)


# --- Recording and editing ------------------------------------------------------


def _prepare(form: EntryForm, found: Entry | None = None) -> None:
    """Fill the choices and let htmx reload the desa and TPS options when
    the kecamatan or desa changes (without JavaScript: the refresh button)."""
    entries.fill_options(form, g.regency.id, found)
    form.kecamatan.render_kw = {
        "hx-get": url_for("inventory.desa_options"),
        "hx-target": "#desa",
        "hx-swap": "innerHTML",
    }
    form.desa.render_kw = {
        "hx-get": url_for("inventory.tps_options"),
        "hx-target": "#tps",
        "hx-swap": "innerHTML",
    }


def _form_page(form: EntryForm, found: Entry | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "entry": found,
        "evidence_hint": allowed_hint(EVIDENCE_KINDS),
        "has_team": bool(form.person_in_charge.choices and len(form.person_in_charge.choices) > 1),
        "refresh_name": REFRESH_OPTIONS,
        "draft": None,
        **extra,
    }


def _refreshing_options() -> bool:
    return request.method == "POST" and REFRESH_OPTIONS in request.form


def _invalid(form: EntryForm, found: Entry | None = None) -> Response:
    return render_invalid(FORM_PAGE, **_form_page(form, found))


@bp.route("/baru", methods=["GET", "POST"])
@requires(EDIT)
def new_entry() -> Response:
    """Record an entry; GET parameters of another plugin's problem draft
    (``links.problem_form``) prefill it, and after saving the drafting plugin
    learns which entry it became and the user goes back where it started."""
    draft = links.origin(request.values)
    form = NewEntryForm(data=links.prefill(request.args)) if draft else NewEntryForm()
    _prepare(form)
    if request.method == "GET" or _refreshing_options():
        return render(FORM_PAGE, **_form_page(form, draft=draft))
    valid = form.validate_on_submit()
    location = entries.resolve_location(form, g.regency)
    if not valid or location is None:
        if form.evidence_file.data and not form.evidence_file.errors:
            form.evidence_file.errors.append(
                "Pilih berkas lagi: berkas belum disimpan karena isian lain belum benar."
            )
        return render_invalid(FORM_PAGE, **_form_page(form, draft=draft))
    document = None
    if form.evidence_file.data:
        try:
            document = store_document(
                form.evidence_file.data, g.regency, _user(), kinds=EVIDENCE_KINDS
            )
        except DocumentError as error:
            form.evidence_file.errors.append(error.message)
            return render(FORM_PAGE, status=error.status, **_form_page(form, draft=draft))
    created = entries.create_entry(
        {**location.columns(), **form.column_values()}, g.regency, _user()
    )
    if document is not None:
        _attach(created, document, EvidenceType(form.evidence_type.data))
    if draft is not None:
        links.announce(g.regency, created, draft)
    db.session.commit()
    back = links.back_to(draft, created) if draft is not None else None
    if back is not None:
        return back
    flash(f"Entri DIM #{created.id} dicatat.", "success")
    return done("inventory.entry", entry_id=created.id)


def _initial(found: Entry) -> dict[str, Any]:
    """The edit form's values from the stored entry."""
    values = {key: entries.plain(getattr(found, key)) for key in entries.EDITABLE}
    return {
        **values,
        "kecamatan": found.kecamatan_id,
        "desa": found.desa_id,
        "tps": found.tps_id,
        "category": found.category_id,
        "person_in_charge": found.person_in_charge_id,
        "occurred_date": found.occurred_at.date(),
        "occurred_time": found.occurred_at.time(),
        "bawaslu_letter_date": found.bawaslu_letter_date,
        "follow_up_date": found.follow_up_date,
        "version": found.version,
        "loaded": entries.sign_snapshot(entries.snapshot(found)),
    }


@bp.route(f"/{ENTRY}/ubah", methods=["GET", "POST"])
@requires(EDIT)
def edit_entry(entry_id: int) -> Response:
    found = entries.entry_or_404(entry_id)
    form = EditEntryForm(data=_initial(found)) if request.method == "GET" else EditEntryForm()
    _prepare(form, found)
    if request.method == "GET" or _refreshing_options():
        return render(FORM_PAGE, **_form_page(form, found))
    valid = form.validate_on_submit()
    location = entries.resolve_location(form, g.regency)
    if not valid or location is None:
        return _invalid(form, found)
    loaded = entries.read_snapshot(form.loaded.data)
    stored = entries.snapshot(found)
    if found.version != form.version.data or (loaded is not None and loaded != stored):
        return _conflict(form, found, loaded)
    values = {**location.columns(), **form.column_values()}
    if all(entries.plain(value) == stored[key] for key, value in values.items()):
        flash("Tidak ada perubahan yang perlu disimpan.", "success")
        return done("inventory.entry", entry_id=found.id)
    if not entries.update_entry(found, form.version.data, values):
        db.session.refresh(found)  # saved by someone else in the meantime
        return _conflict(form, found, loaded)
    db.session.commit()
    flash(f"Perubahan entri DIM #{found.id} disimpan.", "success")
    return done("inventory.entry", entry_id=found.id)


def _conflict(form: EditEntryForm, found: Entry, loaded: dict[str, Any] | None) -> Response:
    """409: someone saved first. The user's input stays in the form, which
    now carries the current version: saving again is a deliberate choice."""
    stored = entries.snapshot(found)
    changes = entries.changes_between(loaded, stored) if loaded is not None else []
    form.version.raw_data = [str(found.version)]
    form.version.data = found.version
    form.loaded.data = entries.sign_snapshot(stored)
    conflict = {"by": entries.last_change(found).text, "changes": changes}
    return render(FORM_PAGE, status=409, **_form_page(form, found, conflict=conflict))


# --- Cascading location options ---------------------------------------------------


def _id_arg(name: str) -> int | None:
    try:
        return optional_id(request.args.get(name))
    except ValueError:
        return None


def _options(choices: Any, *, reset_tps: bool = False) -> Response:
    body = render_template(
        OPTIONS_FRAGMENT,
        choices=choices,
        reset_tps=reset_tps,
        tps_choices=entries.tps_choices(g.regency.id, None),
    )
    return make_response(body)


@bp.get("/pilihan/desa")
@requires(VIEW)
def desa_options() -> Response:
    """The desa of a kecamatan of this regency, as <option>s; htmx also gets
    the TPS select emptied (out of band), since its desa is no longer chosen."""
    choices = entries.desa_choices(g.regency.id, _id_arg("kecamatan"))
    return _options(choices, reset_tps=is_htmx())


@bp.get("/pilihan/tps")
@requires(VIEW)
def tps_options() -> Response:
    return _options(entries.tps_choices(g.regency.id, _id_arg("desa")))


# --- Detail and evidence ------------------------------------------------------------


def _detail(found: Entry, **extra: Any) -> dict[str, Any]:
    evidence = list(
        db.session.execute(
            select(Evidence)
            .options(joinedload(Evidence.document))
            .where(Evidence.entry_id == found.id, Evidence.regency_id == g.regency.id)
            .order_by(Evidence.id)
        ).scalars()
    )
    same_tps, same_desa = entries.related_entries(found)
    people = db.session.execute(
        select(User).where(User.id.in_({found.created_by_id, found.deleted_by_id} - {None}))
    ).scalars()
    can_edit = _may(EDIT) and found.deleted_at is None
    context = {
        "entry": found,
        "location": entries.location_label(found, g.regency),
        "local_moment": entries.local_moment,
        "people": {u.id: u.full_name for u in people},
        "evidence": evidence,
        "evidence_form": EvidenceForm(formdata=None) if can_edit else None,
        "evidence_hint": allowed_hint(EVIDENCE_KINDS),
        "human_size": human_size,
        "history": entries.history(found),
        "same_tps": same_tps,
        "same_desa": same_desa,
        "can_edit": can_edit,
        "can_manage": _may(MANAGE),
        "notice": None,
        "refusal": None,
    }
    return {**context, **extra}


@bp.get(f"/{ENTRY}")
@requires(VIEW)
def entry(entry_id: int) -> Response:
    found = entries.entry_or_404(entry_id, include_deleted=_may(MANAGE))
    return render(DETAIL_PAGE, **_detail(found))


def _attach(found: Entry, document: Document, evidence_type: EvidenceType) -> Evidence:
    evidence = Evidence(
        entry=found, regency_id=g.regency.id, document=document, evidence_type=evidence_type
    )
    db.session.add(evidence)
    db.session.flush()
    entries.record_evidence(found, evidence, added=True)
    return evidence


def _evidence_saved(found: Entry, message: str) -> Response:
    if is_htmx():
        fragment = render_block(DETAIL_PAGE, "evidence", **_detail(found, notice=message))
        return done("inventory.entry", fragment=fragment, entry_id=found.id)
    flash(message, "success")
    return done("inventory.entry", entry_id=found.id)


@bp.post(f"/{ENTRY}/bukti")
@requires(EDIT)
def add_evidence(entry_id: int) -> Response:
    found = entries.entry_or_404(entry_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        return render_invalid(DETAIL_PAGE, block="evidence", **_detail(found, evidence_form=form))
    try:
        document = store_document(form.evidence_file.data, g.regency, _user(), kinds=EVIDENCE_KINDS)
    except DocumentError as error:
        form.evidence_file.errors.append(error.message)
        context = _detail(found, evidence_form=form)
        return render(DETAIL_PAGE, block="evidence", status=error.status, **context)
    evidence = _attach(found, document, EvidenceType(form.evidence_type.data))
    db.session.commit()
    message = f"Bukti {evidence.evidence_type.label} “{document.original_name}” ditambahkan."
    return _evidence_saved(found, message)


@bp.post(f"/{ENTRY}/bukti/{EVIDENCE}/hapus")
@requires(EDIT)
def remove_evidence(entry_id: int, evidence_id: int) -> Response:
    """Unlink the evidence; its document (row and file) stays stored."""
    found = entries.entry_or_404(entry_id)
    evidence = db.session.execute(
        select(Evidence).filter_by(id=evidence_id, entry_id=found.id, regency_id=g.regency.id)
    ).scalar_one_or_none()
    if evidence is None:
        abort(404)
    entries.record_evidence(found, evidence, added=False)
    name = evidence.document.original_name
    db.session.delete(evidence)
    db.session.commit()
    return _evidence_saved(found, f"Bukti “{name}” dilepas dari entri ini.")


# --- Soft delete and restore ------------------------------------------------------------


def _refused(found: Entry, message: str) -> Response:
    return render(DETAIL_PAGE, status=409, **_detail(found, refusal=message))


@bp.post(f"/{ENTRY}/hapus")
@requires(MANAGE)
def delete_entry(entry_id: int) -> Response:
    found = entries.entry_or_404(entry_id, include_deleted=True)
    if found.deleted_at is not None:
        return _refused(found, "Entri ini sudah dihapus sebelumnya; tidak ada yang diubah.")
    found.deleted_at = utcnow()
    found.deleted_by_id = _user().id
    found.version += 1
    db.session.commit()
    flash(
        f"Entri DIM #{found.id} dihapus. Entri dapat dipulihkan dari halaman Entri terhapus.",
        "success",
    )
    return done("inventory.index")


@bp.post(f"/{ENTRY}/pulihkan")
@requires(MANAGE)
def restore_entry(entry_id: int) -> Response:
    found = entries.entry_or_404(entry_id, include_deleted=True)
    if found.deleted_at is None:
        return _refused(found, "Entri ini tidak sedang terhapus; tidak ada yang dipulihkan.")
    found.deleted_at = None
    found.deleted_by_id = None
    found.version += 1
    db.session.commit()
    message = f"Entri DIM #{found.id} dipulihkan."
    if is_htmx():
        fragment = render_block(DELETED_PAGE, "restored_row", entry=found, notice=message)
        return done("inventory.entry", fragment=fragment, entry_id=found.id)
    flash(message, "success")
    return done("inventory.entry", entry_id=found.id)


@bp.get("/terhapus")
@requires(MANAGE)
def deleted_entries() -> Response:
    statement = (
        select(Entry)
        .options(
            joinedload(Entry.category),
            joinedload(Entry.kecamatan),
            joinedload(Entry.desa),
            joinedload(Entry.tps),
        )
        .where(Entry.regency_id == g.regency.id, Entry.deleted_at.is_not(None))
        .order_by(Entry.deleted_at.desc(), Entry.id.desc())
    )
    page = db.paginate(
        statement,
        page=request.args.get("halaman", 1, type=int),
        per_page=DELETED_PER_PAGE,
        error_out=False,
    )
    rows = list(page.items)
    return render(
        DELETED_PAGE,
        page=page,
        rows=rows,
        deleted_by=entries.deleted_by_names(rows),
        location=lambda row: entries.location_label(row, g.regency),
        local_moment=entries.local_moment,
    )


# --- Categories ---------------------------------------------------------------------


def _categories_page(form: CategoryForm, **extra: Any) -> dict[str, Any]:
    visible = entries.visible_categories(g.regency.id)
    return {
        "form": form,
        "seeded": [c for c in visible if c.regency_id is None],
        "own": [c for c in visible if c.regency_id is not None],
        "can_manage": _may(MANAGE),
        "notice": None,
        **extra,
    }


def _name_taken(form: CategoryForm) -> bool:
    wanted = form.name.data.casefold()
    for category in entries.visible_categories(g.regency.id):
        if category.name.casefold() == wanted:
            inactive = " (nonaktif; aktifkan kembali di daftar)" if not category.is_active else ""
            form.name.errors.append(f"Kategori “{category.name}” sudah ada{inactive}.")
            return True
    return False


@bp.route("/kategori", methods=["GET", "POST"])
@requires(VIEW, POST=MANAGE)
def categories() -> Response:
    form = CategoryForm()
    if request.method == "GET":
        return render(CATEGORIES_PAGE, **_categories_page(form))
    if not _may(MANAGE):
        abort(403)
    if not form.validate_on_submit() or _name_taken(form):
        return render_invalid(CATEGORIES_PAGE, **_categories_page(form))
    added = Category(
        regency_id=g.regency.id,
        name=form.name.data,
        stage=Stage(form.stage.data) if form.stage.data else None,
        is_active=True,
    )
    db.session.add(added)
    db.session.commit()
    flash(f"Kategori “{added.name}” ditambahkan.", "success")
    return done("inventory.categories")


@bp.post(f"/kategori/{CATEGORY}/aktif")
@requires(MANAGE)
def set_category_active(category_id: int) -> Response:
    """Activate or deactivate one of the regency's own categories (the seeded
    ones have no regency, so they answer 404 here)."""
    category = scoped_or_404(Category, category_id)
    wanted = request.form.get("aktif")
    if wanted not in ("0", "1"):
        abort(400)
    category.is_active = wanted == "1"
    db.session.commit()
    state = "diaktifkan" if category.is_active else "dinonaktifkan"
    message = f"Kategori “{category.name}” {state}."
    if is_htmx():
        context = _categories_page(CategoryForm(formdata=None), notice=message)
        return done(
            "inventory.categories", fragment=render_block(CATEGORIES_PAGE, "own", **context)
        )
    flash(message, "success")
    return done("inventory.categories")
