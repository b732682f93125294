"""covering indexes for the DIM list, its counts and the province view

Revision ID: inventory_0002
Revises: inventory_0001

Each page of the list must cost the same whatever the size of the DIM:
- ix_inventory_entry_list gains status and stage, so the ids of a page
  filtered on them (at any offset) come from the index alone;
- ix_inventory_entry_counts (deleted_at, regency_id, status, stage) replaces
  ix_inventory_entry_stage_status, which lacked deleted_at: the counts by
  stage and status of one regency, and of the whole province, are read from
  the index alone;
- ix_inventory_entry_person (person_in_charge_id, regency_id, deleted_at):
  whether a team member is in charge of a live entry is one index lookup.
"""

from alembic import op

revision = "inventory_0002"
down_revision = "inventory_0001"
branch_labels = None
depends_on = None

LIST_BEFORE = ["regency_id", "deleted_at", "occurred_at"]
LIST_AFTER = ["regency_id", "deleted_at", "occurred_at", "status", "stage"]


def upgrade():
    op.drop_index("ix_inventory_entry_list", table_name="inventory_entry")
    op.create_index("ix_inventory_entry_list", "inventory_entry", LIST_AFTER)
    op.drop_index("ix_inventory_entry_stage_status", table_name="inventory_entry")
    op.create_index(
        "ix_inventory_entry_counts",
        "inventory_entry",
        ["deleted_at", "regency_id", "status", "stage"],
    )
    op.create_index(
        "ix_inventory_entry_person",
        "inventory_entry",
        ["person_in_charge_id", "regency_id", "deleted_at"],
    )


def downgrade():
    op.drop_index("ix_inventory_entry_person", table_name="inventory_entry")
    op.drop_index("ix_inventory_entry_counts", table_name="inventory_entry")
    op.create_index(
        "ix_inventory_entry_stage_status", "inventory_entry", ["regency_id", "stage", "status"]
    )
    op.drop_index("ix_inventory_entry_list", table_name="inventory_entry")
    op.create_index("ix_inventory_entry_list", "inventory_entry", LIST_BEFORE)
