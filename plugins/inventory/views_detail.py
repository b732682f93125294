"""Inventory views of one recorded entry: its detail page with evidence,
history and neighbours, adding and removing evidence, soft delete and
restore, and the list of deleted entries.

Every change is a plain form post (303 after success); htmx swaps the
evidence list and a restored row in place."""

from typing import Any

from flask import Response, abort, g
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from phpnet.plugin_api import (
    DocumentError,
    ListFilters,
    User,
    allowed_hint,
    db,
    human_size,
    paginate,
    render,
    render_invalid,
    requires,
    saved,
    store_document,
    utcnow,
)
from plugins.inventory import entries, entry_history
from plugins.inventory.blueprint import EDIT, ENTRY, EVIDENCE, MANAGE, VIEW, account, bp, may
from plugins.inventory.forms import EvidenceForm
from plugins.inventory.models import Entry, Evidence, EvidenceType

DETAIL_PAGE = "inventory/entry_detail.html"
DELETED_PAGE = "inventory/entry_deleted.html"
DELETED_PER_PAGE = 50


def _detail(found: Entry, **extra: Any) -> dict[str, Any]:
    evidence = list(
        db.session.execute(
            select(Evidence)
            .options(joinedload(Evidence.document))
            .where(Evidence.entry_id == found.id, Evidence.regency_id == g.regency.id)
            .order_by(Evidence.id)
        ).scalars()
    )
    same_tps, same_desa = entry_history.related_entries(found)
    people = db.session.execute(
        select(User).where(User.id.in_({found.created_by_id, found.deleted_by_id} - {None}))
    ).scalars()
    can_edit = may(EDIT) and found.deleted_at is None
    context = {
        "entry": found,
        "location": entries.location_label(found, g.regency),
        "local_moment": entry_history.local_moment,
        "people": {u.id: u.full_name for u in people},
        "evidence": evidence,
        "evidence_form": EvidenceForm(formdata=None) if can_edit else None,
        "evidence_hint": allowed_hint(entries.EVIDENCE_KINDS),
        "human_size": human_size,
        "history": entry_history.history(found),
        "same_tps": same_tps,
        "same_desa": same_desa,
        "can_edit": can_edit,
        "can_manage": may(MANAGE),
        "refusal": None,
    }
    return {**context, **extra}


@bp.get(f"/{ENTRY}")
@requires(VIEW)
def entry(entry_id: int) -> Response:
    found = entries.entry_or_404(entry_id, include_deleted=may(MANAGE))
    return render(DETAIL_PAGE, **_detail(found))


def _evidence_saved(found: Entry, message: str) -> Response:
    return saved(
        message,
        "inventory.entry",
        template=DETAIL_PAGE,
        block="evidence",
        context=lambda: _detail(found),
        entry_id=found.id,
    )


@bp.post(f"/{ENTRY}/bukti")
@requires(EDIT)
def add_evidence(entry_id: int) -> Response:
    found = entries.entry_or_404(entry_id)
    form = EvidenceForm()
    if not form.validate_on_submit():
        return render_invalid(DETAIL_PAGE, block="evidence", **_detail(found, evidence_form=form))
    try:
        document = store_document(
            form.evidence_file.data, g.regency, account(), kinds=entries.EVIDENCE_KINDS
        )
    except DocumentError as error:
        form.evidence_file.errors.append(error.message)
        context = _detail(found, evidence_form=form)
        return render(DETAIL_PAGE, block="evidence", status=error.status, **context)
    evidence = entries.attach_evidence(found, document, EvidenceType(form.evidence_type.data))
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
    found.deleted_by_id = account().id
    found.version += 1
    db.session.commit()
    return saved(
        f"Entri DIM #{found.id} dihapus. Entri dapat dipulihkan dari halaman Entri terhapus.",
        "inventory.index",
    )


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
    return saved(
        f"Entri DIM #{found.id} dipulihkan.",
        "inventory.entry",
        template=DELETED_PAGE,
        block="restored_row",
        context=lambda: {"entry": found},
        entry_id=found.id,
    )


class DeletedPage(ListFilters):
    """The deleted entries have no filters: only their page."""


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
    filters = DeletedPage.from_url()
    page = paginate(statement, filters.page, DELETED_PER_PAGE)
    return render(
        DELETED_PAGE,
        block="deleted_list",
        page=page,
        filters=filters,
        deleted_by=entry_history.deleted_by_names(page.items),
        location=lambda row: entries.location_label(row, g.regency),
        local_moment=entry_history.local_moment,
    )
