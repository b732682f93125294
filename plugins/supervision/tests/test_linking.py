"""A finding linked to a DIM entry at the same place, through hooks only: the
entries offered, the entry created from the finding in one step, and nothing
at all where the inventory plugin is disabled. DIM entries are made through
the inventory's own form, as a user would, never by importing the plugin."""

import re

import pytest
from flask_login import login_user
from sqlalchemy import select, text

from phpnet.plugin_api import RecordLink, User, db
from phpnet.testing import REGENCY_A, REGENCY_B, enable_plugin
from plugins.supervision import linking
from plugins.supervision.models import Finding
from plugins.supervision.tests import helpers

BASE = f"/r/{REGENCY_A}/supervision"
DIM = f"/r/{REGENCY_A}/inventory"


@pytest.fixture
def malang(regency):
    return regency(REGENCY_A)


@pytest.fixture
def at_pps(malang):
    """A finding at the PPS of the world's first desa with TPS."""
    kecamatan = helpers.world_kecamatan(malang)
    desa = helpers.desa_of(kecamatan, 1)[0]
    made = helpers.activity(malang, kecamatan, pps=[desa])
    pps = made.bodies[1]
    found = helpers.finding(made, "PPS belum menerima salinan D.Hasil", body_id=pps.id)
    db.session.commit()
    return made, found, desa


def _dim_entry(client, desa, description: str, **extra) -> int:
    """A DIM entry at the desa, recorded through the inventory's form."""
    category_id = db.session.execute(text("SELECT min(id) FROM inventory_category")).scalar()
    data = {
        "level": "desa", "kecamatan": desa.kecamatan_id, "desa": desa.id, "race": "dpr",
        "stage": "rekap_kecamatan", "category": category_id, "occurred_date": "2024-02-15",
        "occurred_time": "10:00", "description": description, "record_form": "tidak_ada",
        "follow_up": "tidak_ada", "status": "belum", **extra,
    }  # fmt: skip
    response = client.post(f"{DIM}/baru", data=data)
    assert response.status_code == 303, response.text
    return int(
        db.session.execute(text("SELECT max(id) FROM inventory_entry")).scalar()  # type: ignore[arg-type]
    )


def _finding_block(page: str, finding: Finding) -> str:
    match = re.search(
        rf'<article class="sv-finding" id="temuan-{finding.id}".*?</article>', page, re.S
    )
    assert match, page
    return match.group(0)


def test_an_entry_at_the_same_place_is_offered_and_linked(login_as, at_pps):
    made, found, desa = at_pps
    client = login_as("anggota_a")
    entry_id = _dim_entry(client, desa, "Salinan D.Hasil tidak diterima PPS")
    block = _finding_block(client.get(f"{BASE}/{made.id}").text, found)
    assert f'href="{DIM}/{entry_id}"' in block and "Tautkan" in block
    data = {"plugin": "inventory", "record_id": str(entry_id)}
    response = client.post(f"{BASE}/{made.id}/temuan/{found.id}/tautan", data=data)
    assert response.status_code == 303
    db.session.expire_all()
    linked = db.session.get(Finding, found.id)
    assert (linked.link_plugin, linked.link_record_id) == ("inventory", entry_id)
    assert linked.link_label.startswith(f"Entri DIM #{entry_id}")
    block = _finding_block(client.get(f"{BASE}/{made.id}").text, found)
    assert f'Tertaut ke: <a href="{DIM}/{entry_id}">' in block and "Tautkan" not in block


def test_an_entry_elsewhere_is_not_offered_nor_accepted(login_as, malang, at_pps):
    made, found, _ = at_pps
    client = login_as("anggota_a")
    other = helpers.desa_of(helpers.world_kecamatan(malang), 2)[1]
    entry_id = _dim_entry(client, other, "Di desa lain")
    block = _finding_block(client.get(f"{BASE}/{made.id}").text, found)
    assert f"{DIM}/{entry_id}" not in block
    data = {"plugin": "inventory", "record_id": str(entry_id)}
    response = client.post(f"{BASE}/{made.id}/temuan/{found.id}/tautan", data=data)
    assert response.status_code == 422 and "tidak (lagi) ada di tempat temuan ini" in response.text
    db.session.expire_all()
    assert db.session.get(Finding, found.id).link_plugin is None


def test_a_dim_entry_is_created_from_the_finding_in_one_step(login_as, at_pps):
    made, found, desa = at_pps
    client = login_as("anggota_a")
    block = _finding_block(client.get(f"{BASE}/{made.id}").text, found)
    button = re.search(
        r'<a class="button" href="([^"]+)">Catat sebagai entri Inventarisasi Masalah', block
    )
    assert button, block
    url = button.group(1).replace("&amp;", "&")
    form = client.get(url).text
    assert "PPS belum menerima salinan D.Hasil</textarea>" in form
    assert f'name="source" value="supervision:finding:{found.id}"' in form
    back = re.search(r'name="next" value="([^"]+)"', form).group(1)
    assert back == f"{BASE}/{made.id}#temuan-{found.id}"
    category_id = db.session.execute(text("SELECT min(id) FROM inventory_category")).scalar()
    data = {
        "level": "desa", "kecamatan": desa.kecamatan_id, "desa": desa.id, "race": "dpr",
        "stage": "rekap_kecamatan", "category": category_id, "occurred_date": "2024-03-11",
        "occurred_time": "09:00", "description": "PPS belum menerima salinan D.Hasil",
        "record_form": "tidak_ada", "follow_up": "tidak_ada", "status": "belum",
        "source": f"supervision:finding:{found.id}", "next": back,
    }  # fmt: skip
    saved = client.post(f"{DIM}/baru", data=data)
    assert saved.status_code == 303 and saved.headers["Location"] == back
    entry_id = db.session.execute(text("SELECT max(id) FROM inventory_entry")).scalar()
    db.session.expire_all()
    linked = db.session.get(Finding, found.id)
    assert (linked.link_plugin, linked.link_record_id) == ("inventory", entry_id)
    page = client.get(f"{BASE}/{made.id}").text
    assert f'Tertaut ke: <a href="{DIM}/{entry_id}">' in _finding_block(page, found)


def test_where_the_inventory_is_disabled_nothing_of_it_shows(login_as, malang, at_pps):
    made, found, desa = at_pps
    client = login_as("anggota_a")
    entry_id = _dim_entry(client, desa, "Salinan D.Hasil tidak diterima PPS")
    linking.link(db.session.get(Finding, found.id), RecordLink("inventory", entry_id, "Entri", ""))
    second = helpers.finding(made, "Temuan tanpa tautan", body_id=found.body_id)
    enable_plugin(malang, "inventory", False)
    page = client.get(f"{BASE}/{made.id}").text
    assert "Tertaut ke" not in page and "Catat sebagai entri" not in page
    assert "Tautkan" not in _finding_block(page, second)


def test_readers_see_the_link_but_no_button(login_as, at_pps):
    made, found, desa = at_pps
    entry_id = _dim_entry(login_as("anggota_a"), desa, "Salinan D.Hasil tidak diterima PPS")
    page = login_as("pemantau_a").get(f"{BASE}/{made.id}").text
    block = _finding_block(page, found)
    assert "Catat sebagai entri" not in block and "Tautkan" not in block
    other_found = db.session.get(Finding, found.id)
    linking.link(other_found, RecordLink("inventory", entry_id, f"Entri DIM #{entry_id}", ""))
    db.session.commit()
    block = _finding_block(login_as("pemantau_a").get(f"{BASE}/{made.id}").text, found)
    assert f'Tertaut ke: <a href="{DIM}/{entry_id}">' in block


def test_unlinking_forgets_the_record(login_as, at_pps):
    made, found, _ = at_pps
    linking.link(db.session.get(Finding, found.id), RecordLink("inventory", 5, "Entri DIM #5", ""))
    db.session.commit()
    response = login_as("anggota_a").post(f"{BASE}/{made.id}/temuan/{found.id}/lepas-tautan")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Finding, found.id).link_plugin is None


@pytest.mark.parametrize(
    "source",
    ["inventory:entry:1", "supervision:finding:abc", "supervision:finding:99999999999", "x"],
)
def test_tokens_of_others_are_ignored(app, malang, at_pps, source):
    _, found, _ = at_pps
    with app.test_request_context():
        linking.record_created(malang, source, RecordLink("inventory", 3, "Entri", "/"))
    assert db.session.get(Finding, found.id).link_plugin is None


def test_a_finding_of_another_regency_is_never_linked(app, login_as, regency, at_pps):
    _, found, _ = at_pps
    surabaya = regency(REGENCY_B)
    admin = db.session.execute(select(User).filter_by(username="admin")).scalar_one()
    with app.test_request_context():
        login_user(admin)
        linking.record_created(
            surabaya, f"supervision:finding:{found.id}", RecordLink("inventory", 3, "Entri", "/")
        )
    assert db.session.get(Finding, found.id).link_plugin is None
