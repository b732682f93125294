"""The filters of the lists of activities and of follow-ups, and of the
coverage page: GET forms read from the URL (so a filtered view is a link to
bookmark), the options their selects offer, and the filters in words for the
headings of the printed report and the sheets."""

from typing import Any, Self

from sqlalchemy import select
from wtforms import Field

from phpnet.plugin_api import (
    DateFilter,
    EnumFilter,
    IdFilter,
    LabelledEnum,
    ListFilters,
    TeamMember,
    check_range,
    db,
    kecamatan_choices,
    tanggal,
)
from plugins.supervision.models import ActivityMember, BodyLevel, FollowUp, FollowUpState, Kind


class ActivityStatus(LabelledEnum):
    """An activity's state, from its follow-ups."""

    OPEN = "terbuka", "Ada tindak lanjut terbuka"
    OVERDUE = "terlambat", "Ada tindak lanjut terlambat"
    DONE = "selesai", "Semua tindak lanjut selesai"
    NONE = "tanpa", "Tanpa tindak lanjut"


def member_options(regency_id: int) -> list[tuple[int, str]]:
    """Team members who went on an activity or own a follow-up."""
    went = select(ActivityMember.team_member_id).where(ActivityMember.regency_id == regency_id)
    own = select(FollowUp.owner_id).where(FollowUp.regency_id == regency_id)
    rows = db.session.execute(
        select(TeamMember.id, TeamMember.name)
        .where(TeamMember.regency_id == regency_id, TeamMember.id.in_(went.union(own)))
        .order_by(TeamMember.name, TeamMember.id)
    )
    return [(member_id, name) for member_id, name in rows]  # tuples, as WTForms wants


def _kecamatan_options(regency_id: int) -> list[tuple[Any, str]]:
    # Without the picker's placeholder: a filter's own empty choice reads "Semua".
    return list(kecamatan_choices(regency_id)[1:])


def _chosen(field: Field) -> str:
    """The label of the option chosen in an id filter."""
    return dict(field.choices or []).get(field.data, str(field.data))


def _in_words(parts: list[str | None], nothing: str) -> str:
    found = [part for part in parts if part]
    return "; ".join(found) if found else nothing


class ActivityFilters(ListFilters):
    kind = EnumFilter(Kind, "Jenis kegiatan")
    level = EnumFilter(BodyLevel, "Tingkat lembaga")
    kecamatan_id = IdFilter("Kecamatan")
    status = EnumFilter(ActivityStatus, "Status tindak lanjut")
    member_id = IdFilter("Anggota tim")
    date_from = DateFilter("Tanggal dari")
    date_to = DateFilter("Tanggal sampai")

    def validate_date_to(self, field: Field) -> None:
        check_range(self.date_from, field)

    @classmethod
    def of_regency(cls, regency_id: int) -> Self:
        """The filters of this request, their selects filled for the regency."""
        return cls.from_url(
            kecamatan_id=_kecamatan_options(regency_id), member_id=member_options(regency_id)
        )

    def in_words(self) -> str:
        values = self.values
        return _in_words(
            [
                values["kind"] and f"Jenis: {values['kind'].label}",
                values["level"] and f"Lembaga: {values['level'].label}",
                values["kecamatan_id"] and f"Kecamatan: {_chosen(self.kecamatan_id)}",
                values["status"] and f"Status: {values['status'].label}",
                values["date_from"] and f"Sejak {tanggal(values['date_from'])}",
                values["date_to"] and f"Sampai {tanggal(values['date_to'])}",
                values["member_id"] and f"Anggota tim: {_chosen(self.member_id)}",
            ],
            "Semua kegiatan",
        )


class FollowUpFilters(ListFilters):
    status = EnumFilter(FollowUpState, "Status")
    kind = EnumFilter(Kind, "Jenis kegiatan")
    owner_id = IdFilter("Penanggung jawab")
    due_from = DateFilter("Tenggat dari")
    due_to = DateFilter("Tenggat sampai")

    def validate_due_to(self, field: Field) -> None:
        check_range(self.due_from, field)

    @classmethod
    def of_regency(cls, regency_id: int) -> Self:
        """The filters of this request, their selects filled for the regency."""
        return cls.from_url(owner_id=member_options(regency_id))

    def in_words(self) -> str:
        values = self.values
        return _in_words(
            [
                values["status"] and f"Status: {values['status'].label}",
                values["kind"] and f"Jenis kegiatan: {values['kind'].label}",
                values["owner_id"] and f"Penanggung jawab: {_chosen(self.owner_id)}",
                values["due_from"] and f"Tenggat sejak {tanggal(values['due_from'])}",
                values["due_to"] and f"Tenggat sampai {tanggal(values['due_to'])}",
            ],
            "Semua tindak lanjut",
        )


class CoverageFilters(ListFilters):
    """The kecamatan whose desa the coverage page shows (``?kecamatan=``)."""

    kecamatan = IdFilter("Kecamatan")
