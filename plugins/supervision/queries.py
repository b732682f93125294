"""The lists of activities and of follow-ups: filters read from the URL (so a
filtered view is bookmarkable), the queries they make, and pages of rows.

A page costs a fixed number of queries whatever the number of activities:
the count, the page of activities, and one query per relationship shown
(bodies, their places, members, findings, follow-ups) for the whole page."""

import enum
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import selectinload

from phpnet.extensions import db
from phpnet.regions.models import Kecamatan
from phpnet.teams.models import TeamMember
from plugins.supervision.forms import MAX_INTEGER
from plugins.supervision.models import (
    Activity,
    ActivityMember,
    Body,
    BodyLevel,
    FollowUp,
    FollowUpStatus,
    Kind,
    LabelledEnum,
)

PER_PAGE = 25


class ActivityStatus(LabelledEnum):
    """An activity's state, from its follow-ups."""

    OPEN = "terbuka", "Ada tindak lanjut terbuka"
    OVERDUE = "terlambat", "Ada tindak lanjut terlambat"
    DONE = "selesai", "Semua tindak lanjut selesai"
    NONE = "tanpa", "Tanpa tindak lanjut"


class FollowUpState(LabelledEnum):
    """A follow-up's state on a given day: overdue is open past its due date."""

    OPEN = "terbuka", "Terbuka"
    OVERDUE = "terlambat", "Terlambat"
    DONE = "selesai", "Selesai"


def follow_up_state(follow_up: FollowUp, today: date) -> FollowUpState:
    if follow_up.status is FollowUpStatus.DONE:
        return FollowUpState.DONE
    return FollowUpState.OVERDUE if follow_up.due_on < today else FollowUpState.OPEN


# --- Reading filters from the URL ---------------------------------------------------


def _enum_arg(enum_type: type[enum.Enum], raw: str, label: str, problems: list[str]) -> Any:
    if not raw:
        return None
    try:
        return enum_type(raw)
    except ValueError:
        problems.append(f"{label} “{raw[:40]}” tidak dikenal.")
        return None


def _id_arg(raw: str, label: str, problems: list[str]) -> int | None:
    if not raw:
        return None
    if raw.isascii() and raw.isdigit() and 0 < int(raw) <= MAX_INTEGER:
        return int(raw)
    problems.append(f"{label} “{raw[:40]}” tidak dikenal.")
    return None


def _date_arg(raw: str, label: str, problems: list[str]) -> date | None:
    if not raw:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        problems.append(f"{label} “{raw[:40]}” bukan tanggal (tttt-bb-hh).")
        return None


def _page_arg(raw: str) -> int:
    return int(raw) if raw.isascii() and raw.isdigit() and 0 < int(raw) < 100_000 else 1


def _check_range(start: date | None, end: date | None, problems: list[str]) -> None:
    if start and end and start > end:
        problems.append("Tanggal awal setelah tanggal akhir: tidak ada yang cocok.")


class Filters:
    """Shared by both lists: the URL's query arguments of the filters set."""

    page: int

    def query_args(self, **changes: Any) -> dict[str, str]:
        values = replace(self, **changes)  # type: ignore[type-var]
        args: dict[str, str] = {}
        for spec in fields(values):  # type: ignore[arg-type]
            value = getattr(values, spec.name)
            if value is None or (spec.name == "page" and value == 1):
                continue
            args[spec.name] = value.value if isinstance(value, enum.Enum) else str(value)
        return args

    @property
    def is_filtered(self) -> bool:
        return bool(self.query_args(page=1))


@dataclass(frozen=True)
class ActivityFilters(Filters):
    kind: Kind | None = None
    level: BodyLevel | None = None
    kecamatan_id: int | None = None
    status: ActivityStatus | None = None
    date_from: date | None = None
    date_to: date | None = None
    member_id: int | None = None
    page: int = 1


@dataclass(frozen=True)
class FollowUpFilters(Filters):
    status: FollowUpState | None = None
    kind: Kind | None = None
    owner_id: int | None = None
    due_from: date | None = None
    due_to: date | None = None
    page: int = 1


def parse_activity_filters(args: Mapping[str, str]) -> tuple[ActivityFilters, list[str]]:
    problems: list[str] = []
    text = {
        key: str(args.get(key, "")).strip() for key in (f.name for f in fields(ActivityFilters))
    }
    filters = ActivityFilters(
        kind=_enum_arg(Kind, text["kind"], "Jenis kegiatan", problems),
        level=_enum_arg(BodyLevel, text["level"], "Tingkat lembaga", problems),
        kecamatan_id=_id_arg(text["kecamatan_id"], "Kecamatan", problems),
        status=_enum_arg(ActivityStatus, text["status"], "Status", problems),
        date_from=_date_arg(text["date_from"], "Tanggal dari", problems),
        date_to=_date_arg(text["date_to"], "Tanggal sampai", problems),
        member_id=_id_arg(text["member_id"], "Anggota tim", problems),
        page=_page_arg(text["page"]),
    )
    _check_range(filters.date_from, filters.date_to, problems)
    return filters, problems


def parse_follow_up_filters(args: Mapping[str, str]) -> tuple[FollowUpFilters, list[str]]:
    problems: list[str] = []
    text = {
        key: str(args.get(key, "")).strip() for key in (f.name for f in fields(FollowUpFilters))
    }
    filters = FollowUpFilters(
        status=_enum_arg(FollowUpState, text["status"], "Status", problems),
        kind=_enum_arg(Kind, text["kind"], "Jenis kegiatan", problems),
        owner_id=_id_arg(text["owner_id"], "Penanggung jawab", problems),
        due_from=_date_arg(text["due_from"], "Tenggat dari", problems),
        due_to=_date_arg(text["due_to"], "Tenggat sampai", problems),
        page=_page_arg(text["page"]),
    )
    _check_range(filters.due_from, filters.due_to, problems)
    return filters, problems


# --- Conditions -----------------------------------------------------------------------


def _open_follow_up(today: date | None = None) -> Any:
    conditions = [FollowUp.activity_id == Activity.id, FollowUp.status == FollowUpStatus.OPEN]
    if today is not None:
        conditions.append(FollowUp.due_on < today)
    return exists().where(*conditions)


def _status_condition(status: ActivityStatus, today: date) -> Any:
    any_follow_up = exists().where(FollowUp.activity_id == Activity.id)
    if status is ActivityStatus.OVERDUE:
        return _open_follow_up(today)
    if status is ActivityStatus.OPEN:
        return _open_follow_up()
    if status is ActivityStatus.DONE:
        return and_(any_follow_up, ~_open_follow_up())
    return ~any_follow_up


def filtered_activities(regency_id: int, filters: ActivityFilters, today: date) -> Select:
    """The activities the filters select, newest first."""
    statement = select(Activity).where(Activity.regency_id == regency_id)
    if filters.kind:
        statement = statement.where(Activity.kind == filters.kind)
    body_conditions = []
    if filters.level:
        body_conditions.append(Body.level == filters.level)
    if filters.kecamatan_id:
        body_conditions.append(Body.kecamatan_id == filters.kecamatan_id)
    if body_conditions:
        statement = statement.where(
            exists().where(Body.activity_id == Activity.id, *body_conditions)
        )
    if filters.status:
        statement = statement.where(_status_condition(filters.status, today))
    if filters.date_from:
        statement = statement.where(Activity.ended_on >= filters.date_from)
    if filters.date_to:
        statement = statement.where(Activity.started_on <= filters.date_to)
    if filters.member_id:
        statement = statement.where(
            exists().where(
                ActivityMember.activity_id == Activity.id,
                ActivityMember.team_member_id == filters.member_id,
            )
        )
    return statement.order_by(Activity.started_on.desc(), Activity.id.desc())


def with_details(statement: Select) -> Select:
    """Load what a row shows, one query per relationship for all rows."""
    return statement.options(
        selectinload(Activity.bodies).options(
            selectinload(Body.kecamatan), selectinload(Body.desa), selectinload(Body.tps)
        ),
        selectinload(Activity.members).selectinload(ActivityMember.team_member),
        selectinload(Activity.findings),
        selectinload(Activity.follow_ups).selectinload(FollowUp.owner),
    )


def filtered_follow_ups(regency_id: int, filters: FollowUpFilters, today: date) -> Select:
    """The follow-ups the filters select: overdue and open first, by due date."""
    statement = (
        select(FollowUp)
        .join(Activity, Activity.id == FollowUp.activity_id)
        .where(FollowUp.regency_id == regency_id)
    )
    if filters.status is FollowUpState.DONE:
        statement = statement.where(FollowUp.status == FollowUpStatus.DONE)
    elif filters.status is FollowUpState.OPEN:
        statement = statement.where(
            FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on >= today
        )
    elif filters.status is FollowUpState.OVERDUE:
        statement = statement.where(FollowUp.status == FollowUpStatus.OPEN, FollowUp.due_on < today)
    if filters.kind:
        statement = statement.where(Activity.kind == filters.kind)
    if filters.owner_id:
        statement = statement.where(FollowUp.owner_id == filters.owner_id)
    if filters.due_from:
        statement = statement.where(FollowUp.due_on >= filters.due_from)
    if filters.due_to:
        statement = statement.where(FollowUp.due_on <= filters.due_to)
    done_last = FollowUp.status == FollowUpStatus.DONE
    return statement.order_by(done_last, FollowUp.due_on, FollowUp.id).options(
        selectinload(FollowUp.activity),
        selectinload(FollowUp.owner),
        selectinload(FollowUp.finding),
        selectinload(FollowUp.evidence_document),
    )


@dataclass(frozen=True)
class Page:
    items: list[Any]
    number: int
    total: int
    per_page: int = PER_PAGE

    @property
    def count(self) -> int:
        return max(1, -(-self.total // self.per_page))

    @property
    def first_item(self) -> int:
        return (self.number - 1) * self.per_page + 1 if self.total else 0

    @property
    def last_item(self) -> int:
        return min(self.number * self.per_page, self.total)


def paginate(statement: Select, number: int, per_page: int = PER_PAGE) -> Page:
    """One page of ``statement``; a page past the end shows the last one."""
    total = db.session.execute(
        select(func.count()).select_from(statement.order_by(None).subquery())
    ).scalar_one()
    last = max(1, -(-total // per_page))
    number = min(number, last)
    items = list(
        db.session.execute(statement.limit(per_page).offset((number - 1) * per_page)).scalars()
    )
    return Page(items, number, total, per_page)


# --- Options of the filter forms ---------------------------------------------------------


def kecamatan_options(regency_id: int) -> list[tuple[int, str]]:
    rows = (
        db.session.execute(
            select(Kecamatan.id, Kecamatan.name)
            .where(Kecamatan.regency_id == regency_id)
            .order_by(Kecamatan.name)
        )
        .tuples()
        .all()
    )
    return list(rows)


def member_options(regency_id: int) -> list[tuple[int, str]]:
    """Team members who went on an activity or own a follow-up."""
    went = select(ActivityMember.team_member_id).where(ActivityMember.regency_id == regency_id)
    own = select(FollowUp.owner_id).where(FollowUp.regency_id == regency_id)
    rows = (
        db.session.execute(
            select(TeamMember.id, TeamMember.name)
            .where(TeamMember.regency_id == regency_id, TeamMember.id.in_(went.union(own)))
            .order_by(TeamMember.name, TeamMember.id)
        )
        .tuples()
        .all()
    )
    return list(rows)
