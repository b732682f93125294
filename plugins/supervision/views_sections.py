"""The activity's page and its sections: bodies added or removed, findings
(linked to another plugin's record at the same place), follow-ups (closed
with a date and an evidence document) and documents; and its printed report.

Every mutation is a plain form post (303 after success); under htmx the
section it changed is swapped in place, and a refused input comes back as
that section with the reason next to the field (422)."""

from typing import TypeVar

from flask import Response, abort, g, request
from sqlalchemy.orm.exc import StaleDataError

from phpnet.plugin_api import (
    DocumentError,
    RecordLink,
    current_account,
    db,
    render,
    requires,
    scoped_or_404,
    store_document,
)
from plugins.supervision import bodies, linking, report
from plugins.supervision.activity_page import (
    DETAIL_PAGE,
    DOCUMENT_KINDS,
    activity_or_404,
    detail,
    finding_choices,
    follow_up_owners,
    section_invalid,
    section_saved,
)
from plugins.supervision.blueprint import EDIT, VIEW, bp
from plugins.supervision.forms import (
    CompleteFollowUpForm,
    DocumentForm,
    FindingForm,
    FollowUpForm,
    LinkForm,
)
from plugins.supervision.models import (
    Activity,
    ActivityDocument,
    Body,
    DocumentKind,
    Finding,
    FollowUp,
    FollowUpStatus,
    Severity,
)

STALE = (
    "Tindak lanjut ini sudah diubah atau sudah diselesaikan orang lain; tidak ada yang disimpan."
)


Part = TypeVar("Part", Body, Finding, FollowUp, ActivityDocument)


def _part_of(activity: Activity, model: type[Part], object_id: int) -> Part:
    """A row of this activity (so of this regency), or 404."""
    row = scoped_or_404(model, object_id)
    if row.activity_id != activity.id:
        abort(404)
    return row


@bp.get("/<int:activity_id>")
@requires(VIEW)
def activity(activity_id: int) -> Response:
    return render(DETAIL_PAGE, **detail(activity_or_404(activity_id)))


@bp.get("/<int:activity_id>/cetak")
@requires(VIEW)
def activity_print(activity_id: int) -> Response:
    """The activity as a report an office files (laporan kegiatan)."""
    return report.report_page([activity_or_404(activity_id)], single=True)


# --- Bodies -------------------------------------------------------------------------------


@bp.post("/<int:activity_id>/lembaga")
@requires(EDIT)
def add_bodies(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    choice = bodies.read_choice(request.form)
    if bodies.REFRESH in request.form:  # without JavaScript: reload the choices
        choice.errors.clear()
        return render(DETAIL_PAGE, block="bodies", **detail(activity, choice=choice))
    places = bodies.resolve(choice, g.regency.id)
    if not places:
        return section_invalid(activity, "bodies", choice=choice)
    added = bodies.add_bodies(activity, places)
    db.session.commit()
    skipped = len(places) - added
    message = f"{added} lembaga ditambahkan." + (
        f" {skipped} lembaga sudah tercatat sebelumnya." if skipped else ""
    )
    return section_saved(activity.id, "bodies", message)


@bp.post("/<int:activity_id>/lembaga/<int:body_id>/hapus")
@requires(EDIT)
def remove_body(activity_id: int, body_id: int) -> Response:
    activity = activity_or_404(activity_id)
    body = _part_of(activity, Body, body_id)
    if len(activity.bodies) == 1:
        return section_invalid(
            activity, "bodies", status=409,
            body_refusal="Kegiatan harus punya sedikitnya satu lembaga; tambahkan yang lain dulu.",
        )  # fmt: skip
    label = body.label
    db.session.delete(body)
    db.session.commit()
    return section_saved(activity.id, "bodies", f"{label} dilepas dari kegiatan ini.")


# --- Findings -----------------------------------------------------------------------------


@bp.post("/<int:activity_id>/temuan")
@requires(EDIT)
def add_finding(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    form = FindingForm()
    form.set_bodies([(b.id, b.label) for b in activity.bodies])
    if not form.validate_on_submit():
        return section_invalid(activity, "findings", finding_form=form)
    finding = Finding(
        regency_id=g.regency.id,
        description=form.description.data,
        severity=Severity(form.severity.data),
        body_id=form.body.data,
    )
    activity.findings.append(finding)
    db.session.commit()
    return section_saved(activity.id, "findings", "Temuan dicatat.")


@bp.post("/<int:activity_id>/temuan/<int:finding_id>/hapus")
@requires(EDIT)
def remove_finding(activity_id: int, finding_id: int) -> Response:
    activity = activity_or_404(activity_id)
    db.session.delete(_part_of(activity, Finding, finding_id))
    db.session.commit()
    return section_saved(activity.id, "findings", "Temuan dihapus.")


@bp.post("/<int:activity_id>/temuan/<int:finding_id>/tautan")
@requires(EDIT)
def link_finding(activity_id: int, finding_id: int) -> Response:
    """Link the finding to a record another plugin offers at its place; only
    a record still offered there is accepted."""
    activity = activity_or_404(activity_id)
    finding = _part_of(activity, Finding, finding_id)
    form = LinkForm()
    offered = {
        (r.plugin, r.record_id): r
        for r in linking.records_at(g.regency, linking.place_of(finding.body))
    }
    record: RecordLink | None = None
    if form.validate_on_submit():
        record = offered.get((form.plugin.data, form.record_id.data))
    if record is None:
        refusal = {
            finding.id: "Catatan itu tidak (lagi) ada di tempat temuan ini. Pilih dari daftar."
        }
        return section_invalid(activity, "findings", link_refusal=refusal)
    linking.link(finding, record)
    db.session.commit()
    return section_saved(activity.id, "findings", f"Temuan ditautkan ke {record.label}.")


@bp.post("/<int:activity_id>/temuan/<int:finding_id>/lepas-tautan")
@requires(EDIT)
def unlink_finding(activity_id: int, finding_id: int) -> Response:
    activity = activity_or_404(activity_id)
    finding = _part_of(activity, Finding, finding_id)
    finding.link_plugin = finding.link_record_id = finding.link_label = None
    db.session.commit()
    return section_saved(activity.id, "findings", "Tautan temuan dilepas.")


# --- Follow-ups ---------------------------------------------------------------------------


@bp.post("/<int:activity_id>/tindak-lanjut")
@requires(EDIT)
def add_follow_up(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    form = FollowUpForm()
    form.set_options(finding_choices(activity), follow_up_owners(activity))
    if not form.validate_on_submit():
        return section_invalid(activity, "follow_ups", follow_up_form=form)
    activity.follow_ups.append(
        FollowUp(
            regency_id=g.regency.id,
            action=form.action.data,
            finding_id=form.finding.data,
            owner_id=form.owner.data,
            due_on=form.due_on.data,
        )
    )
    db.session.commit()
    return section_saved(activity.id, "follow_ups", "Tindak lanjut dicatat.")


@bp.post("/<int:activity_id>/tindak-lanjut/<int:follow_up_id>/selesai")
@requires(EDIT)
def complete_follow_up(activity_id: int, follow_up_id: int) -> Response:
    """Close a follow-up with its completion date and evidence; someone who
    closed it first wins (409, nothing stored)."""
    activity = activity_or_404(activity_id)
    follow_up = _part_of(activity, FollowUp, follow_up_id)
    form = CompleteFollowUpForm()
    forms = {follow_up.id: form}
    if follow_up.status is FollowUpStatus.DONE or (
        form.version.data is not None and form.version.data != follow_up.version
    ):
        return section_invalid(activity, "follow_ups", status=409, follow_up_refusal=STALE)
    if not form.validate_on_submit():
        return section_invalid(activity, "follow_ups", complete_forms=forms)
    if form.done_on.data < activity.started_on:
        form.done_on.errors.append("Tanggal selesai tidak boleh sebelum kegiatan dimulai.")
        return section_invalid(activity, "follow_ups", complete_forms=forms)
    try:
        document = store_document(
            form.evidence_file.data, g.regency, current_account(), kinds=DOCUMENT_KINDS
        )
    except DocumentError as error:
        form.evidence_file.errors.append(error.message)
        return section_invalid(activity, "follow_ups", status=error.status, complete_forms=forms)
    follow_up.status = FollowUpStatus.DONE
    follow_up.done_on = form.done_on.data
    follow_up.done_note = form.done_note.data or None
    follow_up.evidence_document = document
    try:
        db.session.commit()
    except StaleDataError:  # closed by someone else in the meantime
        db.session.rollback()
        return section_invalid(
            activity_or_404(activity_id), "follow_ups", status=409, follow_up_refusal=STALE
        )
    return section_saved(activity.id, "follow_ups", "Tindak lanjut diselesaikan.")


# --- Documents ----------------------------------------------------------------------------


@bp.post("/<int:activity_id>/dokumen")
@requires(EDIT)
def add_document(activity_id: int) -> Response:
    activity = activity_or_404(activity_id)
    form = DocumentForm()
    if not form.validate_on_submit():
        return section_invalid(activity, "documents", document_form=form)
    try:
        document = store_document(
            form.document_file.data, g.regency, current_account(), kinds=DOCUMENT_KINDS
        )
    except DocumentError as error:
        form.document_file.errors.append(error.message)
        return section_invalid(activity, "documents", status=error.status, document_form=form)
    kind = DocumentKind(form.kind.data)
    activity.documents.append(
        ActivityDocument(regency_id=g.regency.id, document=document, kind=kind)
    )
    db.session.commit()
    return section_saved(
        activity.id, "documents", f"{kind.label} “{document.original_name}” ditambahkan."
    )


@bp.post("/<int:activity_id>/dokumen/<int:attachment_id>/hapus")
@requires(EDIT)
def remove_document(activity_id: int, attachment_id: int) -> Response:
    """Unlink the document; its file stays stored."""
    activity = activity_or_404(activity_id)
    attachment = _part_of(activity, ActivityDocument, attachment_id)
    name = attachment.document.original_name
    db.session.delete(attachment)  # explicitly: the audit log sees explicit deletes
    db.session.commit()
    return section_saved(activity.id, "documents", f"Dokumen “{name}” dilepas dari kegiatan ini.")
