"""The two sides that hold meetings: a regency (its own rakor with PPK, PPS
and KPPS, under /r/<code>/coordination/) and the province (rakor with the 38
KPU kabupaten/kota, under /provinsi/rakor/). The views that edit a meeting's
agenda, minutes, decisions, attendees and outputs are the same for both; a
side says which meetings it holds, who may edit them, and who can own an
action item."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, g, url_for
from flask_login import current_user

from phpnet.plugin_api import MAX_INTEGER, PROVINCE_NAME, Regency, has_permission
from plugins.coordination import meetings
from plugins.coordination.blueprint import EDIT, NAME
from plugins.coordination.forms import Choices
from plugins.coordination.models import Meeting


@dataclass(frozen=True)
class Side:
    endpoint: str  # the blueprint name
    page: str  # the template of a meeting's page
    # The URL part of each id: the views take meeting_id, item_id, decision_id
    # and attendee_id; each side names them in its URLs (a province meeting's
    # ids are never mistaken for a regency meeting's).
    names: dict[str, str]

    def args(self, **ids: Any) -> dict[str, Any]:
        """URL values for the views' ids: ``side.args(meeting_id=3)``."""
        return {self.names.get(key, key): value for key, value in ids.items()}

    def url(self, view: str, **ids: Any) -> str:
        """``side.url("add_agenda", meeting_id=3)``: a URL of this side's view."""
        return url_for(f"{self.endpoint}.{view}", **self.args(**ids))

    @property
    def regency(self) -> Regency | None:
        return None

    def meeting(self, meeting_id: int) -> Meeting:
        raise NotImplementedError

    def may_edit(self) -> bool:
        return True

    def owners(self, meeting: Meeting) -> tuple[Choices, str]:
        """Who may own an action item, and the owner select's placeholder."""
        raise NotImplementedError

    def action_owners(self, meeting: Meeting, owner: int | None) -> list[tuple[int, int | None]]:
        """(regency, team member) of each action item made for the ``owner`` chosen."""
        raise NotImplementedError

    @property
    def office(self) -> str:
        """The office that holds the meeting, as on its letterhead."""
        raise NotImplementedError

    def invitation_url(self, meeting: Meeting) -> str | None:
        raise NotImplementedError


class RegencySide(Side):
    @property
    def regency(self) -> Regency:
        return g.regency  # type: ignore[no-any-return]

    def meeting(self, meeting_id: int) -> Meeting:
        return meetings.own_meeting_or_404(self.regency, meeting_id)

    def may_edit(self) -> bool:
        return has_permission(current_user, self.regency, EDIT)

    def owners(self, meeting: Meeting) -> tuple[Choices, str]:
        return meetings.member_choices(self.regency.id), "— anggota tim —"

    def action_owners(self, meeting: Meeting, owner: int | None) -> list[tuple[int, int | None]]:
        return [(self.regency.id, owner)]

    @property
    def office(self) -> str:
        return f"KOMISI PEMILIHAN UMUM {self.regency.name.upper()}"

    def invitation_url(self, meeting: Meeting) -> str | None:
        if meeting.invitation_document_id is None:
            return None
        return url_for("documents.download", document_id=meeting.invitation_document_id)


class ProvinceSide(Side):
    def meeting(self, meeting_id: int) -> Meeting:
        return meetings.province_meeting_or_404(meeting_id)

    def owners(self, meeting: Meeting) -> tuple[Choices, str]:
        regencies = [(r.id, r.name) for r in meetings.invited_regencies(meeting)]
        return regencies, "Semua KPU kabupaten/kota yang diundang"

    def action_owners(self, meeting: Meeting, owner: int | None) -> list[tuple[int, int | None]]:
        """The regency chosen, or without one every regency invited."""
        if owner is not None:
            return [(owner, None)]
        return [(r.id, None) for r in meetings.invited_regencies(meeting)]

    @property
    def office(self) -> str:
        return f"KOMISI PEMILIHAN UMUM PROVINSI {PROVINCE_NAME.upper()}"

    def invitation_url(self, meeting: Meeting) -> str | None:
        if meeting.invitation_document_id is None:
            return None
        return self.url("invitation_letter", meeting_id=meeting.id)


REGENCY = RegencySide(
    NAME,
    "coordination/meeting.html",
    {"meeting_id": "meeting_id", "item_id": "agenda_id", "decision_id": "decision_id",
     "attendee_id": "attendee_id"},
)  # fmt: skip
PROVINCE = ProvinceSide(
    f"{NAME}_provinsi",
    "coordination/province_meeting.html",
    {"meeting_id": "rakor_id", "item_id": "rakor_agenda_id", "decision_id": "rakor_decision_id",
     "attendee_id": "rakor_attendee_id"},
)  # fmt: skip


def side_context(side: Side) -> dict[str, Any]:
    return {"side": side}


# --- URLs of the views both sides share ----------------------------------------------------


def part(name: str) -> str:
    """A URL part for an id; ids beyond what the database holds are unknown (404)."""
    return f"<int(max={MAX_INTEGER}):{name}>"


def side_rule(side: Side, rule: str) -> str:
    """``/{meeting_id}/agenda`` with the side's names for the ids."""
    return rule.format(**{key: part(name) for key, name in side.names.items()})


def bound(side: Side, view: Callable[..., Response]) -> Callable[..., Response]:
    """``view`` for ``side``, called with the ids under the views' own names."""
    inverse = {name: key for key, name in side.names.items()}

    @wraps(view)
    def call(**values: Any) -> Response:
        return view(side, **{inverse.get(key, key): value for key, value in values.items()})

    return call
