"""Inventory views that record and edit one entry, never overwriting someone
else's save. The place selects refill each other through core's place
picker; without JavaScript a button reloads them.

Every save is a plain form post (303 after success)."""

from typing import Any

from flask import Response, g, request

from phpnet.plugin_api import (
    DocumentError,
    allowed_hint,
    db,
    read_snapshot,
    render,
    render_invalid,
    requires,
    saved,
    sign_snapshot,
    store_document,
)
from plugins.inventory import entries, entry_history, links
from plugins.inventory.blueprint import EDIT, ENTRY, account, bp
from plugins.inventory.forms import EditEntryForm, EntryForm, NewEntryForm
from plugins.inventory.models import Entry, EvidenceType

FORM_PAGE = "inventory/entry_form.html"
REFRESH_OPTIONS = "muat_pilihan"  # the no-JavaScript button that reloads the selects


def _form_page(form: EntryForm, found: Entry | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "form": form,
        "entry": found,
        "evidence_hint": allowed_hint(entries.EVIDENCE_KINDS),
        "has_team": bool(form.person_in_charge.choices and len(form.person_in_charge.choices) > 1),
        "refresh_name": REFRESH_OPTIONS,
        "draft": None,
        **extra,
    }


def _refreshing_options() -> bool:
    return request.method == "POST" and REFRESH_OPTIONS in request.form


@bp.route("/baru", methods=["GET", "POST"])
@requires(EDIT)
def new_entry() -> Response:
    """Record an entry; GET parameters of another plugin's problem draft
    (``links.problem_form``) prefill it, and after saving the drafting plugin
    learns which entry it became and the user goes back where it started."""
    draft = links.origin(request.values)
    form = NewEntryForm(data=links.prefill(request.args)) if draft else NewEntryForm()
    entries.fill_options(form, g.regency.id)
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
                form.evidence_file.data, g.regency, account(), kinds=entries.EVIDENCE_KINDS
            )
        except DocumentError as error:
            form.evidence_file.errors.append(error.message)
            return render(FORM_PAGE, status=error.status, **_form_page(form, draft=draft))
    created = entries.create_entry(
        {**location.columns(), **form.column_values()}, g.regency, account()
    )
    if document is not None:
        entries.attach_evidence(created, document, EvidenceType(form.evidence_type.data))
    if draft is not None:
        links.announce(g.regency, created, draft)
    db.session.commit()
    back = links.back_to(draft, created) if draft is not None else None
    if back is not None:
        return back
    return saved(f"Entri DIM #{created.id} dicatat.", "inventory.entry", entry_id=created.id)


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
        "loaded": sign_snapshot(entries.snapshot(found), entries.SNAPSHOT_SALT),
    }


@bp.route(f"/{ENTRY}/ubah", methods=["GET", "POST"])
@requires(EDIT)
def edit_entry(entry_id: int) -> Response:
    found = entries.entry_or_404(entry_id)
    form = EditEntryForm(data=_initial(found)) if request.method == "GET" else EditEntryForm()
    entries.fill_options(form, g.regency.id, found)
    if request.method == "GET" or _refreshing_options():
        return render(FORM_PAGE, **_form_page(form, found))
    valid = form.validate_on_submit()
    location = entries.resolve_location(form, g.regency)
    if not valid or location is None:
        return render_invalid(FORM_PAGE, **_form_page(form, found))
    loaded = read_snapshot(form.loaded.data, entries.SNAPSHOT_SALT)
    stored = entries.snapshot(found)
    if found.version != form.version.data or (loaded is not None and loaded != stored):
        return _conflict(form, found, loaded)
    values = {**location.columns(), **form.column_values()}
    if all(entries.plain(value) == stored[key] for key, value in values.items()):
        return saved(
            "Tidak ada perubahan yang perlu disimpan.", "inventory.entry", entry_id=found.id
        )
    if not entries.update_entry(found, form.version.data, values):
        db.session.refresh(found)  # saved by someone else in the meantime
        return _conflict(form, found, loaded)
    db.session.commit()
    return saved(f"Perubahan entri DIM #{found.id} disimpan.", "inventory.entry", entry_id=found.id)


def _conflict(form: EditEntryForm, found: Entry, loaded: dict[str, Any] | None) -> Response:
    """409: someone saved first. The user's input stays in the form, which
    now carries the current version: saving again is a deliberate choice."""
    stored = entries.snapshot(found)
    changes = entry_history.changes_between(loaded, stored) if loaded is not None else []
    form.version.raw_data = [str(found.version)]
    form.version.data = found.version
    form.loaded.data = sign_snapshot(stored, entries.SNAPSHOT_SALT)
    conflict = {"by": entry_history.last_change(found).text, "changes": changes}
    return render(FORM_PAGE, status=409, **_form_page(form, found, conflict=conflict))
