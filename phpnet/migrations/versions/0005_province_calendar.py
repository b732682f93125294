"""the province's election calendar and collective leave days

Revision ID: 0005
Revises: 0004

- province_event: key dates (voting day, PSU deadline, result determination,
  filing at MK, MK schedule...), each with its own date or a deadline in
  working days from another event.
- province_leave_day: collective leave days (cuti bersama) the province adds
  to the national holidays when working days are counted.
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

EVENT_KINDS = (
    "pemungutan_suara", "batas_psu", "penetapan_hasil", "permohonan_mk", "jadwal_mk", "lainnya",
)  # fmt: skip


def upgrade():
    op.create_table(
        "province_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(*EVENT_KINDS, name="eventkind", native_enum=False, length=32),
            nullable=False,
        ),
        sa.Column("on_date", sa.Date(), nullable=True),
        sa.Column("base_event_id", sa.Integer(), nullable=True),
        sa.Column("working_days", sa.Integer(), nullable=True),
        sa.Column("notes", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "(on_date IS NULL) = (base_event_id IS NOT NULL)"
            " AND (base_event_id IS NULL) = (working_days IS NULL)",
            name=op.f("ck_province_event_date_or_deadline"),
        ),
        sa.ForeignKeyConstraint(
            ["base_event_id"],
            ["province_event.id"],
            name=op.f("fk_province_event_base_event_id_province_event"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_province_event")),
    )
    op.create_index(
        op.f("ix_province_event_base_event_id"), "province_event", ["base_event_id"], unique=False
    )
    op.create_table(
        "province_leave_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_province_leave_day")),
        sa.UniqueConstraint("day", name=op.f("uq_province_leave_day_day")),
    )


def downgrade():
    op.drop_table("province_leave_day")
    op.drop_index(op.f("ix_province_event_base_event_id"), table_name="province_event")
    op.drop_table("province_event")
