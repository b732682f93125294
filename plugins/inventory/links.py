"""The DIM's side of the records plugins share (docs/plugins.md): the entries
at a place, offered to other plugins as links; the new-entry form prefilled
from another plugin's problem draft (e.g. a supervision finding); and, once
that entry is saved, telling the drafting plugin which entry it became.

Nothing here imports another plugin: the draft arrives as GET parameters of
the form, its ``source`` token and return URL travel in hidden fields, and
the news goes out through ``phpnet_record_created``."""

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from flask import Response, flash, make_response, redirect, url_for
from flask_login import current_user
from sqlalchemy import select

from phpnet.plugin_api import (
    Place,
    ProblemDraft,
    RecordLink,
    Regency,
    call_for_regency,
    db,
    has_permission,
    is_htmx,
    parse_id,
    safe_next,
    today_wib,
)
from plugins.inventory.blueprint import EDIT, NAME
from plugins.inventory.columns import LONG_TEXT_MAX
from plugins.inventory.models import Entry, Level

RECORDS_AT_LIMIT = 20
SOURCE_MAX = 100
SOURCE_PATTERN = re.compile(r"[a-z][a-z0-9_]*(:[a-z0-9_]+)+")  # e.g. supervision:finding:12
LABEL_TEXT = 60


def level_of(place: Place) -> Level:
    if place.tps_id is not None:
        return Level.TPS
    if place.desa_id is not None:
        return Level.DESA
    if place.kecamatan_id is not None:
        return Level.KECAMATAN
    return Level.KABKOTA


def record_of(entry: Entry, regency: Regency) -> RecordLink:
    text = (
        entry.description
        if len(entry.description) <= LABEL_TEXT
        else (entry.description[: LABEL_TEXT - 1] + "…")
    )
    return RecordLink(
        NAME,
        entry.id,
        f"Entri DIM #{entry.id}: {text}",
        url_for("inventory.entry", regency=regency.slug, entry_id=entry.id),
    )


def records_at(regency: Regency, place: Place) -> list[RecordLink]:
    """Live entries recorded at exactly ``place`` (same level, same ids),
    newest first."""
    entries = db.session.execute(
        select(Entry)
        .where(
            Entry.regency_id == regency.id,
            Entry.deleted_at.is_(None),
            Entry.level == level_of(place),
            _same(Entry.kecamatan_id, place.kecamatan_id),
            _same(Entry.desa_id, place.desa_id),
            _same(Entry.tps_id, place.tps_id),
        )
        .order_by(Entry.occurred_at.desc(), Entry.id.desc())
        .limit(RECORDS_AT_LIMIT)
    ).scalars()
    return [record_of(entry, regency) for entry in entries]


def _same(column: Any, value: int | None) -> Any:
    return column.is_(None) if value is None else column == value


def problem_form(regency: Regency, draft: ProblemDraft) -> str | None:
    """The new-entry form prefilled with ``draft``; None for a user who may
    not record DIM entries here."""
    if not has_permission(current_user, regency, EDIT):
        return None
    place = draft.place
    values = {
        "level": level_of(place).value,
        "kecamatan": place.kecamatan_id,
        "desa": place.desa_id,
        "tps": place.tps_id,
        "description": draft.description[:LONG_TEXT_MAX],
        "date": draft.occurred_on.isoformat() if draft.occurred_on else None,
        "source": draft.source,
        "next": draft.return_url,
    }
    return url_for(
        "inventory.new_entry",
        regency=regency.slug,
        **{key: value for key, value in values.items() if value is not None},
    )


# --- The new-entry form, prefilled from a draft -----------------------------------------


@dataclass(frozen=True)
class DraftOrigin:
    """Where a new entry's draft came from: the drafting plugin's token and
    the local URL to go back to after saving."""

    source: str
    next_url: str | None


def origin(values: Any) -> DraftOrigin | None:
    """The draft's token and return URL from the form's GET parameters or
    hidden fields; None without a well-formed token. A return URL that is
    not a local path is dropped (no open redirect)."""
    source = str(values.get("source", ""))
    if len(source) > SOURCE_MAX or not SOURCE_PATTERN.fullmatch(source):
        return None
    return DraftOrigin(source, safe_next(str(values.get("next", ""))))


def prefill(values: Any) -> dict[str, Any]:
    """Initial values of the new-entry form from a draft's GET parameters;
    anything malformed is left out (the user fills it in)."""
    initial: dict[str, Any] = {}
    level = str(values.get("level", ""))
    if level in {member.value for member in Level}:
        initial["level"] = level
    for name in ("kecamatan", "desa", "tps"):
        try:
            initial[name] = parse_id(values.get(name))
        except ValueError:
            continue
    description = str(values.get("description", "")).strip()
    if description:
        initial["description"] = description[:LONG_TEXT_MAX]
    try:
        day = date.fromisoformat(str(values.get("date", "")))
    except ValueError:
        day = None
    if day is not None and day <= today_wib():
        initial["occurred_date"] = day
    return initial


def announce(regency: Regency, entry: Entry, draft: DraftOrigin) -> None:
    """Tell the enabled plugins which entry the draft became, in the same
    transaction as the entry (the drafting plugin links itself to it)."""
    db.session.flush()
    call_for_regency(
        "phpnet_record_created", regency, source=draft.source, record=record_of(entry, regency)
    )


def back_to(draft: DraftOrigin, entry: Entry) -> Response | None:
    """After saving: back to where the draft came from, if it named a place."""
    if draft.next_url is None:
        return None
    flash(f"Entri DIM #{entry.id} dicatat dan ditautkan.", "success")
    if is_htmx():
        response = make_response("", 200)
        response.headers["HX-Redirect"] = draft.next_url
        return response
    return redirect(draft.next_url, 303)
