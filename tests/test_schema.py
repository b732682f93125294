"""The migrations are the only way a database is built: the schema they make
must be exactly what the models describe."""

from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from phpnet.audit.models import AuditEntry
from phpnet.audit.service import record
from phpnet.extensions import db


def test_migrated_schema_matches_the_models(app):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, db.metadata)
    assert differences == []


@pytest.mark.parametrize(
    "statement", ["UPDATE audit_log SET action = 'x'", "DELETE FROM audit_log"]
)
def test_audit_log_refuses_update_and_delete(app, statement):
    record("test", "nothing")
    db.session.commit()
    with pytest.raises(DatabaseError, match="append-only"):
        db.session.execute(text(statement))
        db.session.commit()
    db.session.rollback()
    assert (
        db.session.execute(text("SELECT count(*) FROM audit_log WHERE action = 'test'")).scalar()
        == 1
    )


def test_audit_entry_of_a_new_row_names_its_id(app):
    from phpnet.teams.models import Team

    team = Team(regency_id=1, sk_number="1/2024", sk_date=date(2024, 3, 1), signed_by="Ketua")
    db.session.add(team)
    db.session.commit()
    entry = db.session.execute(
        db.select(AuditEntry).filter_by(object_type="team", action="create")
    ).scalar_one()
    assert entry.object_id == str(team.id)
    assert entry.after["sk_number"] == "1/2024"
