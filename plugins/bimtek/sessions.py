"""Sessions and their figures: creating and editing a session without
overwriting someone else's save, its targets, and the attendance and test
figures of one session or of a page of sessions (one grouped query)."""

import enum
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import case, func, select

from phpnet.plugin_api import Regency, User, db
from plugins.bimtek.bodies import Place, place_of
from plugins.bimtek.models import Participant, Session, Target

SNAPSHOT_SALT = "bimtek-session-snapshot"
FIELD_LABELS = {
    "title": "Judul kegiatan",
    "topic": "Topik",
    "held_on": "Tanggal",
    "starts_at": "Jam mulai",
    "ends_at": "Jam selesai",
    "mode": "Bentuk kegiatan",
    "venue": "Tempat",
    "online_link": "Tautan daring",
    "expected_participants": "Perkiraan jumlah peserta",
    "invitation_number": "Nomor surat undangan",
    "invitation_date": "Tanggal surat undangan",
    "notes": "Catatan",
    "status": "Status",
}


def create_session(values: Mapping[str, Any], regency: Regency, by: User) -> Session:
    session = Session(regency_id=regency.id, created_by_id=by.id, **values)
    db.session.add(session)
    db.session.flush()
    return session


# --- Conflict-safe edits --------------------------------------------------------------


def _plain(value: Any) -> Any:
    """A value as the conflict message shows it (and JSON can sign it)."""
    if isinstance(value, enum.Enum):
        return value.label if hasattr(value, "label") else value.value
    if isinstance(value, datetime):
        return value.strftime("%H.%M")  # start and end times; the date is its own field
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return value


def snapshot(session: Session) -> dict[str, Any]:
    return {name: _plain(getattr(session, name)) for name in FIELD_LABELS}


@dataclass(frozen=True)
class Change:
    label: str
    old: str
    new: str


def _shown(value: Any) -> str:
    return "-" if value in (None, "") else str(value)


def changes_since(loaded: Mapping[str, Any] | None, session: Session) -> list[Change]:
    """What someone else changed since the form was loaded (old -> now)."""
    if loaded is None:
        return []
    now = snapshot(session)
    return [
        Change(label, _shown(loaded.get(name)), _shown(now[name]))
        for name, label in FIELD_LABELS.items()
        if loaded.get(name) != now[name]
    ]


def update_session(session: Session, values: Mapping[str, Any]) -> None:
    for name, value in values.items():
        setattr(session, name, value)
    session.version += 1


# --- Targets -------------------------------------------------------------------------------


def add_target(session: Session, place: Place) -> str | None:
    """Add ``place`` to the session's targets; narrower targets it now covers
    are dropped. Returns a refusal when an existing target already covers it."""
    for existing in session.targets:
        if place_of(existing).covers(place):
            return "Badan ini sudah termasuk sasaran bimtek ini."
    for existing in list(session.targets):
        if place.covers(place_of(existing)):
            session.targets.remove(existing)
            db.session.delete(existing)  # explicit, so the audit log sees it
    session.targets.append(
        Target(
            regency_id=session.regency_id,
            level=place.level,
            kecamatan_id=place.kecamatan_id,
            desa_id=place.desa_id,
            tps_id=place.tps_id,
        )
    )
    return None


def is_targeted(session: Session, place: Place) -> bool:
    """A body may join a session that has no targets, or one whose targets cover it."""
    return not session.targets or any(place_of(t).covers(place) for t in session.targets)


# --- Figures ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Figures:
    """Attendance and test scores of one session (or of several)."""

    invited: int = 0
    attended: int = 0
    pre_average: float | None = None
    post_average: float | None = None
    gain_average: float | None = None
    scored: int = 0  # participants with both scores

    @property
    def rate(self) -> float | None:
        """Attendance rate in %, or None when nobody was invited."""
        return 100 * self.attended / self.invited if self.invited else None


def figure_columns() -> list[Any]:
    both = Participant.pre_score.is_not(None) & Participant.post_score.is_not(None)
    return [
        func.count(Participant.id),
        func.coalesce(func.sum(case((Participant.attended, 1), else_=0)), 0),
        func.avg(Participant.pre_score),
        func.avg(Participant.post_score),
        func.avg(case((both, Participant.post_score - Participant.pre_score))),
        func.count(case((both, 1))),
    ]


def figures_from_row(row: Sequence[Any]) -> Figures:
    invited, attended, pre, post, gain, scored = row
    return Figures(
        int(invited),
        int(attended),
        None if pre is None else float(pre),
        None if post is None else float(post),
        None if gain is None else float(gain),
        int(scored),
    )


def session_figures(session_ids: Iterable[int], regency_id: int) -> dict[int, Figures]:
    """Figures of each session, in one grouped query."""
    ids = list(session_ids)
    if not ids:
        return {}
    rows = db.session.execute(
        select(Participant.session_id, *figure_columns())
        .where(Participant.regency_id == regency_id, Participant.session_id.in_(ids))
        .group_by(Participant.session_id)
    )
    return {row[0]: figures_from_row(row[1:]) for row in rows}


def figures_of(session: Session) -> Figures:
    return session_figures([session.id], session.regency_id).get(session.id, Figures())
