"""per-regency plugin enablement

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "regency_plugin",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("regency_id", sa.Integer(), nullable=False),
        sa.Column("plugin_name", sa.String(length=64), nullable=False),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("settings", sa.JSON(), nullable=False),
        sa.Column("changed_at", sa.DateTime(), nullable=False),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["user_account.id"],
            name=op.f("fk_regency_plugin_changed_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["regency_id"],
            ["regency.id"],
            name=op.f("fk_regency_plugin_regency_id_regency"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_regency_plugin")),
        sa.UniqueConstraint("regency_id", "plugin_name", name="uq_regency_plugin"),
    )
    with op.batch_alter_table("regency_plugin") as batch_op:
        batch_op.create_index(
            batch_op.f("ix_regency_plugin_regency_id"), ["regency_id"], unique=False
        )


def downgrade():
    with op.batch_alter_table("regency_plugin") as batch_op:
        batch_op.drop_index(batch_op.f("ix_regency_plugin_regency_id"))
    op.drop_table("regency_plugin")
