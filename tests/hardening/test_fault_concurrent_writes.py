"""Eight threads writing at once through the app's database layer (security.md
R3): no "database is locked", and exactly every write is there, each with its
one audit entry. Each write reads first, then writes: the pattern that fails
at once on SQLite unless write transactions begin IMMEDIATE."""

import threading

from sqlalchemy import func
from sqlalchemy.exc import OperationalError

from phpnet.audit.models import AuditEntry
from phpnet.extensions import db
from phpnet.teams.models import OfficeUnit, Position, TeamMember
from phpnet.testing import REGENCY_A
from tests.hardening.conftest import make_team

THREADS = 8
WRITES = 200


def test_eight_threads_write_two_hundred_times_each_without_a_lock_error(app):
    team = make_team(REGENCY_A)
    regency_id = db.session.execute(
        db.select(TeamMember.regency_id).filter_by(id=team.member_id)
    ).scalar_one()
    db.session.commit()
    errors: list[str] = []
    start = threading.Barrier(THREADS)

    def writer(number: int) -> None:
        with app.app_context():
            start.wait()
            for index in range(WRITES):
                try:
                    seen = db.session.execute(
                        db.select(func.count()).select_from(TeamMember)
                    ).scalar_one()
                    db.session.add(
                        TeamMember(
                            regency_id=regency_id,
                            team_id=team.team_id,
                            name=f"Utas {number} ke-{index} (melihat {seen})",
                            position=Position.ANGGOTA,
                            unit=OfficeUnit.DIVISI_TEKNIS,
                        )
                    )
                    db.session.commit()
                except OperationalError as error:
                    db.session.rollback()
                    errors.append(str(error.orig))
            db.session.remove()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=600)

    assert errors == [], f"{len(errors)} failed writes, e.g. {errors[:3]}"
    written = db.session.execute(
        db.select(func.count()).select_from(TeamMember).filter_by(team_id=team.team_id)
    ).scalar_one()
    audited = db.session.execute(
        db.select(func.count())
        .select_from(AuditEntry)
        .filter_by(object_type="team_member", action="create")
    ).scalar_one()
    assert written == THREADS * WRITES + 1  # and the member make_team added
    assert audited == THREADS * WRITES + 1
