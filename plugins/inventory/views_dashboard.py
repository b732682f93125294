"""The inventory's card on the regency dashboard."""

from typing import Any

from flask import g
from sqlalchemy import select

from phpnet.plugin_api import db, render, requires
from plugins.inventory.blueprint import VIEW, bp
from plugins.inventory.models import Entry, Status
from plugins.inventory.summary import counts

DISPUTED_ON_CARD = 5


@bp.get("/kartu")
@requires(VIEW)
def card() -> Any:
    disputed = db.session.execute(
        select(Entry)
        .where(
            Entry.regency_id == g.regency.id,
            Entry.deleted_at.is_(None),
            Entry.status == Status.DISPUTE_LIKELY,
        )
        .order_by(Entry.occurred_at.desc())
        .limit(DISPUTED_ON_CARD)
    ).scalars()
    return render("inventory/card.html", counts=counts(g.regency.id), disputed=list(disputed))
