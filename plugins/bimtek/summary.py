"""Figures across sessions: attendance over held sessions and the threshold
each regency set, the readiness checks the province watches, the province's
coverage figure, weekly activity, search and the core CSV exports. Like the
coverage (:mod:`plugins.bimtek.coverage`), every function answers with a fixed
number of grouped queries, whatever the number of regencies."""

from collections.abc import Iterator, Sequence
from datetime import date, datetime, time, timedelta

from flask import url_for
from sqlalchemy import and_, distinct, func, or_, select

from phpnet.plugin_api import (
    CheckResult,
    Desa,
    Figure,
    Kecamatan,
    Regency,
    SearchResult,
    Series,
    Tps,
    WeeklyActivity,
    db,
    settings_of,
    tanggal,
)
from plugins.bimtek.blueprint import NAME
from plugins.bimtek.coverage import attended_in_live_session, coverage_by_regency, grouped_count
from plugins.bimtek.forms import DEFAULT_THRESHOLD
from plugins.bimtek.models import Level, Participant, Session, SessionStatus
from plugins.bimtek.sessions import Figures, figure_columns, figures_from_row, session_figures

THRESHOLD_KEY = "attendance_threshold"


# --- Attendance across held sessions ----------------------------------------------------------


def held_figures(regency_ids: Sequence[int]) -> dict[int, Figures]:
    """Attendance and scores over every held session, per regency (one query)."""
    rows = db.session.execute(
        select(Participant.regency_id, *figure_columns())
        .join(Session, Session.id == Participant.session_id)
        .where(Participant.regency_id.in_(regency_ids), Session.status == SessionStatus.HELD)
        .group_by(Participant.regency_id)
    )
    return {row[0]: figures_from_row(row[1:]) for row in rows}


def thresholds(regency_ids: Sequence[int]) -> dict[int, int]:
    """The attendance threshold each regency's operator set (one query)."""
    stored = settings_of(NAME, regency_ids)
    return {regency_id: threshold_in(stored.get(regency_id, {})) for regency_id in regency_ids}


def threshold_in(settings: dict[str, object]) -> int:
    """The threshold kept in a regency's settings of the plugin, or the default."""
    value = settings.get(THRESHOLD_KEY)
    return value if isinstance(value, int) else DEFAULT_THRESHOLD


def next_session(regency_id: int, today: date) -> Session | None:
    return db.session.execute(
        select(Session)
        .where(
            Session.regency_id == regency_id,
            Session.status == SessionStatus.PLANNED,
            Session.starts_at >= datetime.combine(today, time()),
        )
        .order_by(Session.starts_at)
        .limit(1)
    ).scalar_one_or_none()


# --- Readiness checks (many regencies at once) -------------------------------------------------


def check_every_ppk(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    """A bimtek reached the PPK of every kecamatan: two grouped queries."""
    ids = [r.id for r in regencies]
    kecamatan = grouped_count(Kecamatan.regency_id, Kecamatan.regency_id.in_(ids))
    reached = dict(
        db.session.execute(
            select(Participant.regency_id, func.count(distinct(Participant.kecamatan_id)))
            .where(
                Participant.regency_id.in_(ids),
                Participant.level == Level.PPK,
                *attended_in_live_session(),
            )
            .group_by(Participant.regency_id)
        ).all()
    )
    return {r.id: _every_ppk(reached.get(r.id, 0), kecamatan.get(r.id, 0)) for r in regencies}


def _every_ppk(reached: int, total: int) -> CheckResult:
    if total and reached >= total:
        return CheckResult("ok", f"PPK di semua {total} kecamatan sudah mengikuti bimtek.")
    if reached == 0:
        return CheckResult("fail", "Belum ada PPK yang mengikuti bimtek.", "bimtek.coverage")
    return CheckResult(
        "warn",
        f"PPK di {reached} dari {total} kecamatan sudah mengikuti bimtek.",
        "bimtek.coverage",
    )


def check_attendance(regencies: Sequence[Regency]) -> dict[int, CheckResult]:
    """Attendance over held sessions at or above the regency's threshold: two queries."""
    ids = [r.id for r in regencies]
    figures = held_figures(ids)
    limits = thresholds(ids)
    return {r.id: _attendance(figures.get(r.id), limits[r.id]) for r in regencies}


def _attendance(figures: Figures | None, threshold: int) -> CheckResult:
    rate = figures.rate if figures else None
    if rate is None:
        return CheckResult(
            "warn", "Belum ada bimtek terlaksana dengan daftar peserta.", "bimtek.index"
        )
    shown = f"{rate:.1f}".replace(".", ",")
    if rate >= threshold:
        return CheckResult("ok", f"Kehadiran {shown}% (ambang {threshold}%).")
    return CheckResult("fail", f"Kehadiran {shown}%, di bawah ambang {threshold}%.", "bimtek.index")


# --- Province figures and weekly activity ------------------------------------------------------


def province_figures(regencies: Sequence[Regency]) -> list[Figure]:
    reach = coverage_by_regency(regencies)
    names = [r.name for r in regencies]
    series = [
        Series(level.label, [round(reach[r.id].share(level) or 0.0, 1) for r in regencies])
        for level in Level
    ]
    return [Figure("bimtek_cakupan", "Cakupan bimtek PPK, PPS dan KPPS", names, series, unit="%")]


def weekly_held(
    regencies: Sequence[Regency], start: date, end: date
) -> dict[tuple[int, date], int]:
    """Sessions held per regency and week (Monday), from one query."""
    rows = db.session.execute(
        select(Session.regency_id, Session.starts_at).where(
            Session.regency_id.in_([r.id for r in regencies]),
            Session.status == SessionStatus.HELD,
            Session.starts_at >= datetime.combine(start, time()),
            Session.starts_at < datetime.combine(end + timedelta(days=7), time()),
        )
    )
    counts: dict[tuple[int, date], int] = {}
    for regency_id, starts_at in rows:
        held_on = starts_at.date()
        monday = held_on - timedelta(days=held_on.weekday())
        if monday <= end:
            counts[(regency_id, monday)] = counts.get((regency_id, monday), 0) + 1
    return counts


def weekly_activity(regencies: Sequence[Regency], start: date, end: date) -> WeeklyActivity:
    return WeeklyActivity("Bimtek terlaksana", weekly_held(regencies, start, end))


# --- Search and exports ------------------------------------------------------------------------


def search(regency_id: int, query: str, limit: int) -> list[SearchResult]:
    sessions = db.session.execute(
        select(Session)
        .where(
            Session.regency_id == regency_id,
            or_(
                Session.title.icontains(query, autoescape=True),
                Session.topic.icontains(query, autoescape=True),
                Session.venue.icontains(query, autoescape=True),
            ),
        )
        .order_by(Session.starts_at.desc())
        .limit(limit)
    ).scalars()
    results = [
        SearchResult(
            s.title,
            url_for("bimtek.session", session_id=s.id),
            f"{tanggal(s.held_on)} · {s.status.label}",
            "Sesi bimtek",
        )
        for s in sessions
    ]
    people = db.session.execute(
        select(Participant.session_id, Participant.name, Session.title)
        .join(Session, and_(Session.id == Participant.session_id))
        .where(
            Participant.regency_id == regency_id,
            Participant.name.icontains(query, autoescape=True),
        )
        .order_by(Participant.name)
        .limit(max(limit - len(results), 0))
    )
    results += [
        SearchResult(
            name,
            url_for("bimtek.participants", session_id=session_id, q=name),
            title,
            "Peserta bimtek",
        )
        for session_id, name, title in people
    ]
    return results


SESSION_COLUMNS = (
    "Tanggal", "Judul", "Topik", "Bentuk", "Tempat", "Status", "Diundang", "Hadir",
    "Kehadiran (%)", "Rata-rata pre-test", "Rata-rata post-test", "Rata-rata kenaikan",
)  # fmt: skip


def _number(value: float | None) -> str:
    return "" if value is None else f"{value:.1f}"


def session_rows(regency: Regency) -> Iterator[Sequence[object]]:
    sessions = (
        db.session.execute(
            select(Session).where(Session.regency_id == regency.id).order_by(Session.starts_at)
        )
        .scalars()
        .all()
    )

    figures = session_figures([s.id for s in sessions], regency.id)
    for s in sessions:
        f = figures.get(s.id, Figures())
        yield (
            s.held_on.isoformat(), s.title, s.topic, s.mode.label,
            s.venue or s.online_link or "", s.status.label, f.invited, f.attended,
            _number(f.rate), _number(f.pre_average), _number(f.post_average),
            _number(f.gain_average),
        )  # fmt: skip


PARTICIPANT_COLUMNS = (
    "Tanggal sesi", "Judul sesi", "Nama", "Tingkat", "Kecamatan", "Desa/Kelurahan", "TPS",
    "Jabatan", "Telepon", "Hadir", "Pre-test", "Post-test",
)  # fmt: skip


def participant_rows(regency: Regency) -> Iterator[Sequence[object]]:
    rows = db.session.execute(
        select(Session.starts_at, Session.title, Participant, Kecamatan.name, Desa.name, Tps.number)
        .join(Session, Session.id == Participant.session_id)
        .join(Kecamatan, Kecamatan.id == Participant.kecamatan_id)
        .outerjoin(Desa, Desa.id == Participant.desa_id)
        .outerjoin(Tps, Tps.id == Participant.tps_id)
        .where(Participant.regency_id == regency.id)
        .order_by(Session.starts_at, Participant.session_id, Participant.id)
        .execution_options(yield_per=500)
    )
    for starts_at, title, person, kecamatan, desa, tps in rows:
        yield (
            starts_at.date().isoformat(), title, person.name, person.level.label, kecamatan,
            desa or "", "" if tps is None else tps, person.position.label, person.phone or "",
            "Ya" if person.attended else "Tidak", person.pre_score, person.post_score,
        )  # fmt: skip
