"""The province's election calendar and the collective leave days (cuti
bersama) it adds to the national holidays when counting working days.

An event has either its own date or a deadline counted in working days from
another event (e.g. "3 hari kerja sejak penetapan hasil"), so that moving the
base event moves the deadline with it."""

import enum
from datetime import date, datetime

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from phpnet.extensions import db
from phpnet.kit.enums import enum_column
from phpnet.timeutil import utcnow


class EventKind(enum.StrEnum):
    VOTING_DAY = "pemungutan_suara"
    PSU_DEADLINE = "batas_psu"
    RESULT_DETERMINATION = "penetapan_hasil"
    MK_FILING = "permohonan_mk"
    MK_SCHEDULE = "jadwal_mk"
    OTHER = "lainnya"

    @property
    def label(self) -> str:
        return EVENT_KIND_LABELS[self]


EVENT_KIND_LABELS = {
    EventKind.VOTING_DAY: "Hari pemungutan suara",
    EventKind.PSU_DEADLINE: "Batas pemungutan suara ulang (PSU)",
    EventKind.RESULT_DETERMINATION: "Penetapan hasil",
    EventKind.MK_FILING: "Pengajuan permohonan ke MK",
    EventKind.MK_SCHEDULE: "Jadwal sidang MK",
    EventKind.OTHER: "Lainnya",
}


class ElectionEvent(db.Model):
    __tablename__ = "province_event"
    __table_args__ = (
        CheckConstraint(
            "(on_date IS NULL) = (base_event_id IS NOT NULL)"
            " AND (base_event_id IS NULL) = (working_days IS NULL)",
            name="date_or_deadline",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[EventKind] = enum_column(EventKind)
    on_date: Mapped[date | None]
    base_event_id: Mapped[int | None] = mapped_column(ForeignKey("province_event.id"), index=True)
    working_days: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    base_event: Mapped["ElectionEvent | None"] = relationship(remote_side=[id])


class LeaveDay(db.Model):
    """A collective leave day (cuti bersama) set by the government's joint
    decree, which the holiday library may not know yet."""

    __tablename__ = "province_leave_day"

    id: Mapped[int] = mapped_column(primary_key=True)
    day: Mapped[date] = mapped_column(unique=True)
    name: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
