"""indexes for the audit history of one object and the TPS counts per regency

Revision ID: 0004
Revises: 0003

- audit_log (object_type, object_id): the history of one entry (or any object)
  was a scan of the whole append-only log.
- tps (regency_id, voter_count): the province overview counts and sums the
  120,666 TPS per regency from this index alone, without reading the table.
"""

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    op.create_index("ix_audit_log_object", "audit_log", ["object_type", "object_id"])
    op.create_index("ix_tps_regency_voters", "tps", ["regency_id", "voter_count"])


def downgrade():
    op.drop_index("ix_tps_regency_voters", table_name="tps")
    op.drop_index("ix_audit_log_object", table_name="audit_log")
