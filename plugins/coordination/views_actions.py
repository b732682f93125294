"""A regency's action items (/r/<code>/coordination/tindak-lanjut): its own
and the province's addressed to it, filtered in the URL, as XLSX, and each
one's progress, closed with a date and an evidence document."""

from typing import Any

from flask import Response, g, request

from phpnet.plugin_api import (
    DocumentError,
    current_account,
    db,
    paginate,
    render,
    render_invalid,
    requires,
    saved,
    store_document,
    today_wib,
)
from plugins.coordination import lists, meetings, outputs, summary
from plugins.coordination.blueprint import DOCUMENT_KINDS, EDIT, VIEW, bp, document_hint
from plugins.coordination.forms import ActionUpdateForm
from plugins.coordination.models import ActionItem, ActionStatus
from plugins.coordination.sides import REGENCY, part

ACTIONS_PAGE = "coordination/actions.html"
ACTION_PAGE = "coordination/action.html"
ACTION = part("action_id")


@bp.get("/tindak-lanjut")
@requires(VIEW)
def actions() -> Response:
    filters = lists.ActionFilters.from_url().for_regency(g.regency.name)
    today = today_wib()
    page = paginate(lists.action_items(g.regency.id, filters, today), filters.page)
    return render(ACTIONS_PAGE, block="results", page=page, filters=filters, today=today)


@bp.get("/tindak-lanjut.xlsx")
@requires(VIEW)
def actions_xlsx() -> Response:
    body = outputs.regency_actions_xlsx(g.regency)
    return outputs.attachment(body, outputs.XLSX_TYPE, f"tindak-lanjut-rakor-{g.regency.slug}.xlsx")


def _context(item: ActionItem, form: ActionUpdateForm | None = None) -> dict[str, Any]:
    if form is None:
        form = ActionUpdateForm(
            formdata=None, status=item.status.value, completed_on=item.completed_on,
            completion_note=item.completion_note, version=item.version,
        )  # fmt: skip
    return {
        "item": item, "form": form, "today": today_wib(), "can_edit": REGENCY.may_edit(),
        "document_hint": document_hint(), "meeting_url": summary.meeting_url(item.meeting),
        "conflict": None,
    }  # fmt: skip


@bp.route(f"/tindak-lanjut/{ACTION}", methods=["GET", "POST"])
@requires(VIEW, POST=EDIT)
def action(action_id: int) -> Response:
    item = meetings.action_or_404(g.regency, action_id)
    if request.method == "GET":
        return render(ACTION_PAGE, **_context(item))
    form = ActionUpdateForm()
    form.has_evidence = item.evidence_document_id is not None
    if not form.validate_on_submit():
        return render_invalid(ACTION_PAGE, **_context(item, form))
    if form.version.data != item.version:
        context = _context(item, form)
        form.version.data = item.version
        context["conflict"] = (
            f"Tindak lanjut ini sudah diubah orang lain: statusnya kini “{item.status.label}”."
        )
        return render(ACTION_PAGE, status=409, **context)
    if form.evidence_file.data:
        try:
            document = store_document(
                form.evidence_file.data, g.regency, current_account(), kinds=DOCUMENT_KINDS
            )
        except DocumentError as error:
            form.evidence_file.errors.append(error.message)
            return render(ACTION_PAGE, status=error.status, **_context(item, form))
        item.evidence_document = document
    status = ActionStatus(form.status.data)
    item.status = status
    item.completed_on = form.completed_on.data if status is ActionStatus.DONE else None
    item.completion_note = form.completion_note.data or None
    db.session.commit()
    return saved(
        f"Tindak lanjut “{item.description}”: {status.label}.",
        "coordination.action",
        action_id=item.id,
    )
