"""Two people editing one team member (security.md R2): the first save wins,
the second is told who changed it and when, and nothing is overwritten."""

import re

import pytest
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from phpnet.extensions import db
from phpnet.teams.models import TeamMember
from phpnet.testing import HX, REGENCY_A
from tests.hardening.conftest import make_team, member_form


def stored_name(member_id: int) -> str:
    name = db.session.execute(db.select(TeamMember.name).filter_by(id=member_id)).scalar_one()
    db.session.commit()
    return name


def version_in_form(html: str, member_id: int) -> str:
    found = re.search(rf'name="member-{member_id}-version"[^>]*value="(\d+)"', html)
    if found is None:
        found = re.search(rf'value="(\d+)"[^>]*name="member-{member_id}-version"', html)
    assert found, "the edit form carries no version"
    return found.group(1)


def test_the_second_of_two_edits_from_the_same_version_is_refused(app, login_as):
    ids = make_team(REGENCY_A)
    url = f"/r/{REGENCY_A}/tim/anggota/{ids.member_id}/ubah"
    operator, admin = login_as("operator_a"), login_as("admin")
    seen_by_operator = version_in_form(operator.get(url, headers=HX).get_data(as_text=True), 1)
    seen_by_admin = version_in_form(admin.get(url, headers=HX).get_data(as_text=True), 1)

    first = admin.post(url, data=member_form(ids.member_id, name="Nama dari Admin",
                                             version=seen_by_admin))  # fmt: skip
    second = operator.post(url, data=member_form(ids.member_id, name="Nama dari Operator",
                                                 version=seen_by_operator))  # fmt: skip

    assert first.status_code == 303
    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert "telah diubah oleh admin" in page
    assert 'value="Nama dari Operator"' in page  # the person's own text is kept
    assert stored_name(ids.member_id) == "Nama dari Admin"


def test_htmx_gets_the_conflict_as_a_swappable_edit_row(app, login_as):
    ids = make_team(REGENCY_A)
    url = f"/r/{REGENCY_A}/tim/anggota/{ids.member_id}/ubah"
    login_as("admin").post(url, data=member_form(ids.member_id, name="Lebih Dulu", version="1"))

    response = login_as("operator_a").post(
        url, data=member_form(ids.member_id, name="Belakangan", version="1"), headers=HX
    )

    assert response.status_code == 422  # base.html lets htmx swap 422, not 409
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith(f'<tr id="member-{ids.member_id}"')
    assert "telah diubah oleh admin" in fragment
    assert stored_name(ids.member_id) == "Lebih Dulu"


def test_saving_again_after_the_warning_is_a_knowing_choice_and_succeeds(app, login_as):
    ids = make_team(REGENCY_A)
    url = f"/r/{REGENCY_A}/tim/anggota/{ids.member_id}/ubah"
    login_as("admin").post(url, data=member_form(ids.member_id, name="Lebih Dulu", version="1"))
    operator = login_as("operator_a")
    refused = operator.post(url, data=member_form(ids.member_id, name="Saya", version="1"))
    current_version = version_in_form(refused.get_data(as_text=True), ids.member_id)

    again = operator.post(url, data=member_form(ids.member_id, name="Saya",
                                                version=current_version))  # fmt: skip

    assert again.status_code == 303
    assert stored_name(ids.member_id) == "Saya"


def test_every_save_bumps_the_version(app, login_as):
    ids = make_team(REGENCY_A)
    url = f"/r/{REGENCY_A}/tim/anggota/{ids.member_id}/ubah"
    client = login_as("operator_a")
    for expected, name in enumerate(["Satu", "Dua", "Tiga"], start=1):
        shown = version_in_form(client.get(url, headers=HX).get_data(as_text=True), ids.member_id)
        assert shown == str(expected)
        assert client.post(url, data=member_form(ids.member_id, name=name,
                                                 version=shown)).status_code == 303  # fmt: skip


def test_two_transactions_that_loaded_one_version_cannot_both_update(app):
    """The database check behind the form check, for edits that race past it:
    the UPDATE names the version it read, so the later one matches no row."""
    ids = make_team(REGENCY_A)
    first = Session(db.engine, expire_on_commit=False)
    second = Session(db.engine, expire_on_commit=False)
    mine = first.get(TeamMember, ids.member_id)
    first.commit()  # SQLite: one transaction at a time, even a reading one here
    theirs = second.get(TeamMember, ids.member_id)
    second.commit()
    assert mine is not None and theirs is not None and mine.version == theirs.version == 1

    mine.name = "Pertama"
    first.commit()
    theirs.name = "Kedua"
    with pytest.raises(StaleDataError):
        second.commit()
    second.rollback()
    first.close()
    second.close()

    assert stored_name(ids.member_id) == "Pertama"
