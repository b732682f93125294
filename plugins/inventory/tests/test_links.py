"""The DIM's side of records shared between plugins: its entries at a place,
the new-entry form prefilled from another plugin's draft, and the news that
the draft became an entry, sent to the drafting plugin through a hook."""

from datetime import date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from phpnet.hookspecs import hookimpl
from phpnet.plugin_api import (
    Place,
    PluginInfo,
    ProblemDraft,
    RecordLink,
    User,
    call_for_regency,
    db,
)
from phpnet.testing import REGENCY_A, REGENCY_B, login
from plugins.inventory.models import Entry, Level
from plugins.inventory.tests.list_helpers import category, first_tps, make_entry

NEW = f"/r/{REGENCY_A}/inventory/baru"
SOURCE = "listener:finding:7"


class Listener:
    """A plugin that drafts problems and remembers which records they became."""

    def __init__(self) -> None:
        self.created: list[tuple[str, str, RecordLink]] = []

    @hookimpl
    def phpnet_plugin_info(self) -> PluginInfo:
        return PluginInfo("listener", "Pendengar", "1.0", default_enabled=True)

    @hookimpl
    def phpnet_record_created(self, regency: Any, source: str, record: RecordLink) -> None:
        self.created.append((regency.slug, source, record))


@pytest.fixture
def listener() -> Listener:
    return Listener()


@pytest.fixture
def app_config(app_config: dict[str, Any], listener: Listener) -> dict[str, Any]:
    return {**app_config, "PHPNET_EXTRA_PLUGINS": {"listener": listener}}


@pytest.fixture
def malang(regency):
    return regency(REGENCY_A)


def _ask(app, regency, hook, username="anggota_a", **kwargs):
    """Call ``hook`` for ``regency`` as ``username`` inside a request."""
    from flask_login import login_user

    account = db.session.execute(select(User).filter_by(username=username)).scalar_one()
    with app.test_request_context():
        login_user(account)
        return [(plugin, item) for plugin, item in call_for_regency(hook, regency, **kwargs)]


def _place(tps) -> Place:
    return Place(tps.kecamatan_id, tps.desa_id, tps.id)


# --- Records at a place -------------------------------------------------------------


def test_records_at_a_tps_are_its_live_entries_only(app, malang, regency):
    tps, other_tps = first_tps(malang), first_tps(malang, 1)
    here = make_entry(malang, tps=tps, description="Saksi keberatan di TPS ini")
    make_entry(malang, tps=other_tps, description="TPS lain")
    make_entry(malang, tps=tps, deleted_at=datetime(2024, 2, 20))
    desa_level = make_entry(
        malang, level=Level.DESA, kecamatan_id=tps.kecamatan_id, desa_id=tps.desa_id
    )
    db.session.commit()
    found = [
        i for p, i in _ask(app, malang, "phpnet_records_at", place=_place(tps)) if p == "inventory"
    ]
    assert [(r.plugin, r.record_id) for r in found] == [("inventory", here.id)]
    assert found[0].label == f"Entri DIM #{here.id}: Saksi keberatan di TPS ini"
    assert found[0].url == f"/r/{REGENCY_A}/inventory/{here.id}"
    at_desa = Place(tps.kecamatan_id, tps.desa_id)
    assert [
        i.record_id
        for p, i in _ask(app, malang, "phpnet_records_at", place=at_desa)
        if p == "inventory"
    ] == [desa_level.id]
    surabaya = regency(REGENCY_B)
    assert [
        i
        for p, i in _ask(app, surabaya, "phpnet_records_at", place=_place(tps), username="admin")
        if p == "inventory"
    ] == []


# --- The prefilled form ---------------------------------------------------------------------


def _draft(tps, **overrides) -> ProblemDraft:
    values = {
        "place": _place(tps), "description": "Kotak suara tidak tersegel", "source": SOURCE,
        "return_url": f"/r/{REGENCY_A}/supervision/3#temuan-7", "occurred_on": date(2024, 2, 15),
    }  # fmt: skip
    return ProblemDraft(**{**values, **overrides})


def test_problem_form_is_offered_to_those_who_may_record(app, malang):
    tps = first_tps(malang)
    urls = dict(_ask(app, malang, "phpnet_problem_form", draft=_draft(tps)))
    url = urls["inventory"]
    assert url.startswith(NEW + "?")
    assert f"tps={tps.id}" in url and "level=tps" in url and "source=listener" in url
    refused = dict(
        _ask(app, malang, "phpnet_problem_form", draft=_draft(tps), username="pemantau_a")
    )
    assert "inventory" not in refused


def test_the_form_is_prefilled_from_the_draft(app, malang, login_as):
    tps = first_tps(malang)
    url = dict(_ask(app, malang, "phpnet_problem_form", draft=_draft(tps)))["inventory"]
    page = login_as("anggota_a").get(url).text
    assert f'<option selected value="{tps.id}">TPS 001</option>' in page
    assert '<option selected value="tps">' in page
    assert "Kotak suara tidak tersegel</textarea>" in page
    assert 'value="2024-02-15"' in page
    assert f'name="source" value="{SOURCE}"' in page
    assert f'name="next" value="/r/{REGENCY_A}/supervision/3#temuan-7"' in page
    assert 'id="draft-origin"' in page


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        ({"source": SOURCE, "next": "https://elsewhere.example/"}, 'name="next"'),
        ({"source": SOURCE, "next": "//elsewhere.example/"}, 'name="next"'),
        ({"source": "<script>", "next": "/r/3507/"}, 'name="source"'),
        ({"source": SOURCE, "level": "planet", "tps": "abc", "date": "2999-01-01"}, "2999"),
    ],
)
def test_bad_draft_parameters_are_dropped(login_as, malang, args, absent):
    response = login_as("anggota_a").get(NEW, query_string=args)
    assert response.status_code == 200
    assert absent not in response.text


def _entry_form(tps, **extra) -> dict[str, Any]:
    return {
        "level": "tps", "kecamatan": tps.kecamatan_id, "desa": tps.desa_id, "tps": tps.id,
        "race": "dpr", "stage": "penghitungan", "category": category().id,
        "occurred_date": "2024-02-15", "occurred_time": "10:00",
        "description": "Kotak suara tidak tersegel", "record_form": "tidak_ada",
        "follow_up": "tidak_ada", "status": "belum", **extra,
    }  # fmt: skip


def test_saving_tells_the_drafting_plugin_and_goes_back(login_as, malang, listener):
    tps = first_tps(malang)
    back = f"/r/{REGENCY_A}/supervision/3#temuan-7"
    response = login_as("anggota_a").post(NEW, data=_entry_form(tps, source=SOURCE, next=back))
    assert response.status_code == 303 and response.headers["Location"] == back
    entry = db.session.execute(select(Entry)).scalar_one()
    assert [(slug, source, r.plugin, r.record_id) for slug, source, r in listener.created] == [
        (REGENCY_A, SOURCE, "inventory", entry.id)
    ]


def test_saving_without_a_draft_tells_nobody(login_as, malang, listener):
    response = login_as("anggota_a").post(NEW, data=_entry_form(first_tps(malang)))
    assert response.status_code == 303 and "/inventory/" in response.headers["Location"]
    assert listener.created == []


def test_a_refused_entry_keeps_the_draft_and_tells_nobody(login_as, malang, listener):
    data = _entry_form(first_tps(malang), source=SOURCE, next="/r/3507/", description="")
    response = login_as("anggota_a").post(NEW, data=data)
    assert response.status_code == 422
    assert f'name="source" value="{SOURCE}"' in response.text
    assert listener.created == [] and db.session.execute(select(Entry)).first() is None


def test_a_foreign_return_url_is_never_followed(app, malang, listener):
    client = login(app.test_client(), "anggota_a")
    data = _entry_form(first_tps(malang), source=SOURCE, next="https://elsewhere.example/")
    response = client.post(NEW, data=data)
    assert response.status_code == 303
    assert response.headers["Location"].startswith(f"/r/{REGENCY_A}/inventory/")
    assert len(listener.created) == 1
