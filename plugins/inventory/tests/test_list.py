"""The DIM list: filters, search, sorting, pagination, counts, htmx partials
with the URL kept, inline and bulk status changes, and its cost in queries."""

import html
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import event, select

from phpnet.plugin_api import AuditEntry, Document, Kecamatan, Regency, db
from phpnet.testing import HX, HX_HISTORY_RESTORE, REGENCY_A, REGENCY_B
from plugins.inventory.models import (
    Entry,
    Evidence,
    EvidenceType,
    Level,
    Race,
    Stage,
    Status,
)
from plugins.inventory.queries import SORTS
from plugins.inventory.tests.list_helpers import (
    category,
    first_tps,
    make_entries,
    make_entry,
    team_member,
)
from plugins.inventory.views_list import COLUMNS

LIST = f"/r/{REGENCY_A}/inventory/"
BULK = f"/r/{REGENCY_A}/inventory/status-massal"
ROW_ID = re.compile(r'<tr id="entry-(\d+)"')


def status_url(entry_id: int, regency: str = REGENCY_A) -> str:
    return f"/r/{regency}/inventory/{entry_id}/status"


def listed(response: Any) -> list[int]:
    """The entry ids in the table, in their order."""
    return [int(n) for n in ROW_ID.findall(response.get_data(as_text=True))]


def fresh(entry_id: int) -> Entry:
    db.session.expire_all()
    return db.session.get(Entry, entry_id)


@pytest.fixture
def malang(regency: Any) -> Regency:
    return regency(REGENCY_A)


@pytest.fixture
def world(app: Any, regency: Any, malang: Regency) -> dict[str, Entry]:
    """Three live entries of Malang that differ in every filtered column, one
    deleted entry of Malang and one entry of Surabaya."""
    budi, sari = team_member(malang, "Budi Santoso"), team_member(malang, "Sari Dewi")
    other_kecamatan = db.session.execute(
        select(Kecamatan)
        .where(Kecamatan.regency_id == malang.id, Kecamatan.id != first_tps(malang).kecamatan_id)
        .order_by(Kecamatan.code.desc())
        .limit(1)
    ).scalar_one()
    entries = {
        "tps": make_entry(
            malang,
            description="Pemilih tanpa formulir A5 ikut memilih",
            person_in_charge_id=budi.id,
            category_id=category("pindah").id,
        ),
        "count": make_entry(
            malang,
            tps=first_tps(malang, 3),  # a TPS of the second desa
            stage=Stage.PENGHITUNGAN,
            status=Status.RESOLVED,
            race=Race.PPWP,
            occurred_at=datetime(2024, 2, 14, 21, 30),
            description="Selisih 5% suara, saksi menolak tanda tangan",
            objector="Saksi Partai Merah",
            person_in_charge_id=sari.id,
            category_id=category("menandatangani").id,
        ),
        "recap": make_entry(
            malang,
            level=Level.KECAMATAN,
            kecamatan_id=other_kecamatan.id,
            desa_id=None,
            tps_id=None,
            stage=Stage.REKAP_KECAMATAN,
            status=Status.DISPUTE_LIKELY,
            race=Race.DPRD_KABKOTA,
            dapil="Malang 3",
            occurred_at=datetime(2024, 2, 20, 9, 0),
            description="D.Hasil tidak sesuai C.Hasil",
            record_form_number="KK-77/PPK",
            bawaslu_letter_number="123/PM.00.02/2024",
            category_id=category("D.Hasil").id,
        ),
        "deleted": make_entry(
            malang, description="Entri terhapus rahasia", deleted_at=datetime(2024, 2, 21)
        ),
        "surabaya": make_entry(regency(REGENCY_B), description="Pemilih tanpa formulir Surabaya"),
    }
    db.session.commit()
    return entries


# --- filters, search, sorting, pagination ------------------------------------------


def test_the_list_shows_live_entries_of_its_regency_only(login_as, world):
    response = login_as("operator_a").get(LIST)
    assert response.status_code == 200
    assert set(listed(response)) == {world[k].id for k in ("tps", "count", "recap")}
    page = response.get_data(as_text=True)
    assert "Entri terhapus rahasia" not in page
    assert "Surabaya" not in page
    assert "Menampilkan 1–3 dari 3 entri." in page


FILTERS = {
    "stage": (lambda w: {"stage": "penghitungan"}, ["count"]),
    "status": (lambda w: {"status": "berpotensi_sengketa"}, ["recap"]),
    "race": (lambda w: {"race": "ppwp"}, ["count"]),
    "category": (lambda w: {"category_id": w["tps"].category_id}, ["tps"]),
    "kecamatan": (lambda w: {"kecamatan_id": w["recap"].kecamatan_id}, ["recap"]),
    "desa": (lambda w: {"desa_id": w["count"].desa_id}, ["count"]),
    "tps": (lambda w: {"tps_id": w["tps"].tps_id}, ["tps"]),
    "date_from": (lambda w: {"date_from": "2024-02-15"}, ["recap"]),
    "date_to (whole day)": (lambda w: {"date_to": "2024-02-14"}, ["tps", "count"]),
    "person": (lambda w: {"person_id": w["count"].person_in_charge_id}, ["count"]),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_alone(login_as, world, name):
    args, expected = FILTERS[name]
    response = login_as("operator_a").get(LIST, query_string=args(world))
    assert response.status_code == 200
    assert sorted(listed(response)) == sorted(world[k].id for k in expected)


def test_filters_combine(login_as, world):
    client = login_as("operator_a")
    same_kecamatan = {"kecamatan_id": world["tps"].kecamatan_id, "date_to": "2024-02-14"}
    response = client.get(LIST, query_string=same_kecamatan)
    assert sorted(listed(response)) == sorted([world["tps"].id, world["count"].id])
    response = client.get(LIST, query_string={**same_kecamatan, "status": "selesai"})
    assert listed(response) == [world["count"].id]
    response = client.get(LIST, query_string={**same_kecamatan, "stage": "rekap_kecamatan"})
    assert listed(response) == []
    assert "Tidak ada entri yang cocok dengan saringan." in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("formulir a5", ["tps"]),  # description, any case
        ("partai merah", ["count"]),  # objector
        ("kk-77", ["recap"]),  # record form number
        ("PM.00.02", ["recap"]),  # Bawaslu letter number
        ("malang 3", ["recap"]),  # dapil
        ("5%", ["count"]),  # % is a character, not a wildcard
        ("_", []),  # so is _
        ("rahasia", []),  # deleted entries are never found
        ("surabaya", []),  # nor entries of another regency
    ],
)
def test_search(login_as, world, query, expected):
    response = login_as("operator_a").get(LIST, query_string={"q": query})
    assert sorted(listed(response)) == sorted(world[k].id for k in expected)


def test_search_finds_location_names(login_as, world):
    recap = world["recap"]
    kecamatan_name = db.session.get(Kecamatan, recap.kecamatan_id).name
    response = login_as("operator_a").get(LIST, query_string={"q": kecamatan_name.upper()})
    assert recap.id in listed(response)
    desa_name = fresh(world["count"].id).desa.name
    response = login_as("operator_a").get(LIST, query_string={"q": desa_name})
    assert world["count"].id in listed(response)


def test_search_input_updates_as_you_type(login_as, world):
    page = login_as("operator_a").get(LIST).get_data(as_text=True)
    search = re.search(r'<input[^>]* id="filter-q"[^>]*>', page).group(0)
    assert 'type="search"' in search
    assert 'hx-trigger="input changed delay:300ms, search"' in search


@pytest.mark.parametrize(
    ("sort", "direction", "expected"),
    [
        ("occurred_at", "asc", ["tps", "count", "recap"]),
        ("occurred_at", "desc", ["recap", "count", "tps"]),
        ("stage", "desc", ["recap", "count", "tps"]),  # the order of the stages, not A-Z
        ("status", "asc", ["tps", "count", "recap"]),
        ("race", "asc", ["count", "tps", "recap"]),  # PPWP, DPR, DPRD Kab/Kota
    ],
)
def test_sorting(login_as, world, sort, direction, expected):
    response = login_as("operator_a").get(LIST, query_string={"sort": sort, "direction": direction})
    assert listed(response) == [world[k].id for k in expected]


def test_sorting_by_names(login_as, world):
    client = login_as("operator_a")
    # category, location and person are sorted by name, whatever their ids
    for sort in ("category", "location", "person", "evidence"):
        ascending = listed(client.get(LIST, query_string={"sort": sort, "direction": "asc"}))
        descending = listed(client.get(LIST, query_string={"sort": sort, "direction": "desc"}))
        assert sorted(ascending) == sorted(descending) == sorted(listed(client.get(LIST)))
    by_person = listed(client.get(LIST, query_string={"sort": "person", "status": "belum"}))
    assert by_person == [world["tps"].id]
    both = {"sort": "person", "direction": "asc", "date_to": "2024-02-14"}
    assert listed(client.get(LIST, query_string=both)) == [world["tps"].id, world["count"].id]


@pytest.mark.parametrize("bad", ["description", "__class__", "id; DROP TABLE x", "Stage"])
def test_an_unknown_sort_falls_back_to_the_default(login_as, world, bad):
    response = login_as("operator_a").get(LIST, query_string={"sort": bad, "direction": "up"})
    assert response.status_code == 200
    assert listed(response) == [world[k].id for k in ("recap", "count", "tps")]  # newest first
    page = html.unescape(response.get_data(as_text=True))
    assert f"Urutan: “{bad}” tidak dikenal." in page
    assert "Arah urutan: “up” tidak dikenal." in page


def test_every_sortable_column_is_a_sort_link(login_as, world):
    assert {key for key, _ in COLUMNS if key} == set(SORTS)
    page = login_as("operator_a").get(LIST).get_data(as_text=True)
    for key in SORTS:
        if key != "occurred_at":  # the default sort, clicked again, reverses it
            assert f"sort={key}" in page


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        ({"stage": "pleno"}, "Tahapan: “pleno” tidak dikenal."),
        ({"category_id": "abc"}, "Kategori: “abc” tidak dikenal."),
        ({"category_id": "999999"}, "Kategori: “999999” tidak dikenal."),
        ({"tps_id": "-3"}, "TPS: “-3” tidak dikenal."),
        ({"date_from": "14-02-2024"}, "Tanggal kejadian dari: Tanggal tidak sah"),
        ({"person_id": "1e3"}, "Penanggung jawab: “1e3” tidak dikenal."),
        ({"per_page": "semua"}, "Baris per halaman: Pilihan tidak sah."),
    ],
)
def test_bad_filter_values_are_ignored_and_named(login_as, world, args, problem):
    response = login_as("operator_a").get(LIST, query_string=args)
    assert response.status_code == 200
    assert len(listed(response)) == 3
    assert problem in html.unescape(response.get_data(as_text=True))


def test_a_refused_value_stays_in_its_field_with_why_next_to_it(login_as, world):
    response = login_as("operator_a").get(LIST, query_string={"date_from": "14-02-2024"})
    page = response.get_data(as_text=True)
    field = re.search(r'<input[^>]* id="filter-date-from"[^>]*>', page).group(0)
    assert 'value="14-02-2024"' in field and 'aria-invalid="true"' in field
    assert "Tanggal tidak sah" in re.search(
        r'id="filter-date-from-error"[^>]*>(.*?)</ul>', page, re.S
    ).group(1)


def test_a_page_number_that_is_not_one_shows_the_first_page(app, login_as, malang):
    make_entries(malang, 30)
    db.session.commit()
    client = login_as("operator_a")
    first = listed(client.get(LIST))
    for page in ("0", "-2", "dua"):
        response = client.get(LIST, query_string={"page": page})
        assert response.status_code == 200
        assert listed(response) == first


def test_a_reversed_date_range_is_named(login_as, world):
    args = {"date_from": "2024-02-20", "date_to": "2024-02-14"}
    response = login_as("operator_a").get(LIST, query_string=args)
    assert listed(response) == [world["recap"].id]  # only the date_from holds
    assert "Tanggal akhir sebelum tanggal awal" in response.get_data(as_text=True)


def test_pagination_and_its_clamping(app, login_as, malang):
    make_entries(malang, 60)
    db.session.commit()
    client = login_as("operator_a")
    first = client.get(LIST)
    assert len(listed(first)) == 25
    assert "Menampilkan 1–25 dari 60 entri." in first.get_data(as_text=True)
    third = client.get(LIST, query_string={"page": 3})
    assert len(listed(third)) == 10
    assert not set(listed(first)) & set(listed(third))
    beyond = client.get(LIST, query_string={"page": 99})  # the last page instead
    assert listed(beyond) == listed(third)
    assert len(listed(client.get(LIST, query_string={"per_page": 1000}))) == 60  # 100 at most
    assert len(listed(client.get(LIST, query_string={"per_page": 70}))) == 50
    assert len(listed(client.get(LIST, query_string={"per_page": 3}))) == 25


def test_page_links_keep_the_filters(app, login_as, malang):
    make_entries(malang, 30, stage=Stage.PENGHITUNGAN)
    db.session.commit()
    page = login_as("operator_a").get(LIST, query_string={"stage": "penghitungan", "q": "pemilih"})
    link = re.search(r'<a href="([^"]+)"[^>]*rel="next"', page.get_data(as_text=True))
    assert parse_qs(urlsplit(link.group(1).replace("&amp;", "&")).query) == {
        "stage": ["penghitungan"],
        "q": ["pemilih"],
        "page": ["2"],
    }


def test_counts_by_stage_and_status_follow_the_filter(login_as, world):
    client = login_as("operator_a")
    page = client.get(LIST).get_data(as_text=True)
    assert 'aria-label="1 entri Pemungutan suara"' in page
    assert 'aria-label="1 entri Berpotensi sengketa"' in page
    page = client.get(LIST, query_string={"date_to": "2024-02-14"}).get_data(as_text=True)
    assert 'aria-label="1 entri Selesai"' in page
    assert "entri Berpotensi sengketa" not in page  # counted 0 under this filter
    # a count links to the list narrowed to it, keeping the filter
    assert 'href="/r/3507/inventory/?status=selesai&amp;date_to=2024-02-14"' in page


def test_filters_read_back_into_the_same_url(login_as, world):
    client = login_as("operator_a")
    args = {"stage": "pemungutan", "q": " dua  kata ", "page": "2"}
    response = client.get(LIST, query_string=args, headers=HX)
    assert "Sebagian saringan tidak sah" not in response.get_data(as_text=True)
    pushed = response.headers["HX-Push-Url"]
    assert parse_qs(urlsplit(pushed).query) == {
        "stage": ["pemungutan"],
        "q": ["dua kata"],
        "page": ["2"],
    }
    assert client.get(pushed, headers=HX).headers["HX-Push-Url"] == pushed


# --- htmx: partials, full pages, the address bar --------------------------------------


def test_htmx_gets_the_results_block_and_the_canonical_url(login_as, world):
    response = login_as("operator_a").get(
        LIST, query_string={"stage": "penghitungan", "q": "", "race": ""}, headers=HX
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="inventory-results"')
    assert "<html" not in body and 'id="inventory-filters"' not in body
    assert listed(response) == [world["count"].id]
    assert response.headers["HX-Push-Url"] == "/r/3507/inventory/?stage=penghitungan"


def test_a_pushed_url_serves_the_full_page(login_as, world):
    client = login_as("operator_a")
    for headers in ({}, HX_HISTORY_RESTORE):
        response = client.get(LIST, query_string={"stage": "penghitungan"}, headers=headers)
        body = response.get_data(as_text=True)
        assert "<html" in body and 'id="inventory-filters"' in body
        assert listed(response) == [world["count"].id]
        assert "HX-Push-Url" not in response.headers
        # the form shows the filter of the address bar
        assert '<option value="penghitungan" selected>' in body


def test_every_list_request_pushes_its_url(login_as, world):
    page = login_as("operator_a").get(LIST).get_data(as_text=True)
    form = re.search(r'<form id="inventory-filters"[^>]*>', page, re.S).group(0)
    assert 'hx-push-url="true"' in form and 'hx-target="#inventory-results"' in form
    sort_links = re.findall(r'<a href="[^"]*sort=[^"]*"[^>]*>', page)
    assert sort_links and all('hx-push-url="true"' in link for link in sort_links)


def test_changing_the_kecamatan_forgets_the_desa_and_refreshes_its_choices(login_as, world):
    recap = world["recap"]
    args = {"kecamatan_id": recap.kecamatan_id, "desa_id": world["tps"].desa_id}
    headers = {**HX, "HX-Trigger-Name": "kecamatan_id"}
    response = login_as("operator_a").get(LIST, query_string=args, headers=headers)
    body = response.get_data(as_text=True)
    assert listed(response) == [recap.id]
    assert (
        response.headers["HX-Push-Url"] == f"/r/3507/inventory/?kecamatan_id={recap.kecamatan_id}"
    )
    desa_field = re.search(r'<div id="filter-desa-field"[^>]*>', body).group(0)
    assert 'hx-swap-oob="true"' in desa_field
    assert 'id="filter-tps-field" hx-swap-oob="true"' in body
    other_desa = fresh(world["tps"].id).desa.name
    assert other_desa not in body  # the old kecamatan's desa are no longer offered


def test_a_desa_outside_the_kecamatan_is_ignored_without_javascript(login_as, world):
    desa_id = world["tps"].desa_id
    args = {"kecamatan_id": world["recap"].kecamatan_id, "desa_id": desa_id}
    response = login_as("operator_a").get(LIST, query_string=args)
    assert listed(response) == [world["recap"].id]
    page = html.unescape(response.get_data(as_text=True))
    assert f"Desa/kelurahan: “{desa_id}” tidak dikenal." in page


# --- what each role sees -------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "status", "can_edit"),
    [
        ("admin", 200, True),
        ("provinsi", 200, False),
        ("operator_a", 200, True),
        ("anggota_a", 200, True),
        ("pemantau_a", 200, False),
        ("operator_b", 404, False),
        ("pemantau_b", 404, False),
    ],
)
def test_list_access_by_role(login_as, world, username, status, can_edit):
    for headers in ({}, HX):
        response = login_as(username).get(LIST, headers=headers)
        assert response.status_code == status
    if status == 200:
        page = login_as(username).get(LIST).get_data(as_text=True)
        assert ("Catat entri DIM" in page) is can_edit
        assert ('form="inventory-bulk"' in page) is can_edit
        assert (f'action="{status_url(world["tps"].id)}' in page) is can_edit


def test_anonymous_users_are_sent_to_log_in(client, world):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/login" in response.headers["Location"] or "masuk" in response.headers["Location"]


def test_rows_link_to_the_entry_and_show_its_columns(login_as, world, malang):
    document = Document(
        regency_id=malang.id,
        original_name="c-kejadian.pdf",
        media_type="application/pdf",
        size_bytes=10,
        sha256="0" * 64,
        storage_name=uuid.uuid4().hex,
    )
    db.session.add(
        Evidence(
            regency_id=malang.id,
            entry_id=world["count"].id,
            document=document,
            evidence_type=EvidenceType.C_KEJADIAN_KHUSUS,
        )
    )
    db.session.commit()
    page = login_as("pemantau_a").get(LIST, query_string={"stage": "penghitungan"})
    row = re.search(r'<tr id="entry-\d+">.*?</tr>', page.get_data(as_text=True), re.S).group(0)
    entry = fresh(world["count"].id)
    assert f'href="/r/3507/inventory/{entry.id}"' in row
    for shown in (
        "14 Februari 2024 21.30",
        entry.kecamatan.name,
        entry.desa.name,
        "TPS 001",
        "PPWP",
        "Penghitungan suara",
        entry.category.name,
        "Selisih 5% suara",
        "Selesai",
        "Sari Dewi",
        '<td class="num">1</td>',
    ):
        assert shown in row


# --- inline status change ------------------------------------------------------------


def test_inline_status_change_without_javascript(login_as, world):
    entry = world["tps"]
    response = login_as("operator_a").post(
        status_url(entry.id) + "?stage=pemungutan&q=pemilih",
        data={"status": "berpotensi_sengketa", "version": "1"},
    )
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/r/3507/inventory/?stage=pemungutan&q=pemilih")
    changed = fresh(entry.id)
    assert changed.status is Status.DISPUTE_LIKELY
    assert changed.version == 2
    audit = db.session.execute(
        select(AuditEntry).filter_by(object_type="inventory_entry", object_id=str(entry.id))
    ).scalars()
    assert any(a.after and a.after.get("status") == "berpotensi_sengketa" for a in audit)


def test_inline_status_change_with_htmx_swaps_the_row(login_as, world):
    entry = world["tps"]
    response = login_as("anggota_a").post(
        status_url(entry.id), data={"status": "selesai", "version": "1"}, headers=HX
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith(f'<tr id="entry-{entry.id}">')
    assert "<section" not in body
    assert '<option value="selesai" selected>' in body
    assert 'name="version" value="2"' in body  # the next change starts from the new version
    assert "Status entri diubah menjadi Selesai." in body
    assert fresh(entry.id).status is Status.RESOLVED


@pytest.mark.parametrize(
    ("headers", "refused"), [({}, 409), (HX, 422)], ids=["plain", "htmx-swaps-422"]
)
def test_a_stale_status_change_is_refused(login_as, world, headers, refused):
    entry = world["tps"]
    first = login_as("operator_a").post(
        status_url(entry.id), data={"status": "selesai", "version": "1"}
    )
    assert first.status_code == 303
    stale = login_as("anggota_a").post(
        status_url(entry.id),
        data={"status": "berpotensi_sengketa", "version": "1"},
        headers=headers,
    )
    assert stale.status_code == refused
    body = stale.get_data(as_text=True)
    assert "Entri ini sudah diubah oleh operator_a" in body
    assert "statusnya sekarang Selesai" in body
    assert 'name="version" value="2"' in body  # the row as it is now, to retry from
    after = fresh(entry.id)
    assert (after.status, after.version) == (Status.RESOLVED, 2)


@pytest.mark.parametrize(
    ("username", "key", "status"),
    [
        ("pemantau_a", "tps", 403),
        ("provinsi", "tps", 403),
        ("operator_b", "tps", 404),
        ("operator_a", "surabaya", 404),  # another regency's id in this regency's URL
        ("operator_a", "deleted", 404),
        ("admin", "tps", 303),
    ],
)
def test_inline_status_change_access(login_as, world, username, key, status):
    entry = world[key]
    response = login_as(username).post(
        status_url(entry.id), data={"status": "selesai", "version": str(entry.version)}
    )
    assert response.status_code == status
    assert (fresh(entry.id).status is Status.RESOLVED) is (status == 303)


@pytest.mark.parametrize("data", [{"status": "hilang", "version": "1"}, {"version": "1"}])
def test_an_unknown_status_is_refused(login_as, world, data):
    response = login_as("operator_a").post(status_url(world["tps"].id), data=data, headers=HX)
    assert response.status_code == 422
    assert "Pilih status yang tersedia." in response.get_data(as_text=True)
    assert fresh(world["tps"].id).version == 1


# --- bulk status change --------------------------------------------------------------


def test_bulk_status_change_without_javascript(login_as, world):
    chosen = [world["tps"].id, world["recap"].id]
    client = login_as("operator_a")
    response = client.post(BULK + "?sort=stage", data={"entry_ids": chosen, "status": "selesai"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/r/3507/inventory/?sort=stage")
    assert [fresh(i).status for i in chosen] == [Status.RESOLVED, Status.RESOLVED]
    assert [fresh(i).version for i in chosen] == [2, 2]
    assert fresh(world["count"].id).version == 1  # not chosen, already Selesai anyway
    followed = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "2 entri diubah menjadi Selesai." in followed


def test_bulk_status_change_with_htmx_rerenders_the_filtered_list(login_as, world):
    chosen = [world["tps"].id, world["count"].id]
    response = login_as("anggota_a").post(
        BULK + "?date_to=2024-02-14",
        data={"entry_ids": chosen, "status": "berpotensi_sengketa"},
        headers=HX,
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="inventory-results"')
    assert "2 entri diubah menjadi Berpotensi sengketa." in body
    assert sorted(listed(response)) == sorted(chosen)  # the same filter: recap stays out
    assert 'aria-label="2 entri Berpotensi sengketa"' in body


@pytest.mark.parametrize(
    "foreign", ["surabaya", "deleted", "not a number", "999999"], ids=lambda f: f.replace(" ", "-")
)
def test_bulk_refuses_ids_outside_the_regency_and_changes_nothing(login_as, world, foreign):
    foreign_id = str(world[foreign].id) if foreign in world else foreign
    chosen = [str(world["tps"].id), foreign_id]
    for headers, refused in (({}, 400), (HX, 422)):  # htmx swaps only 2xx and 422
        response = login_as("operator_a").post(
            BULK, data={"entry_ids": chosen, "status": "selesai"}, headers=headers
        )
        assert response.status_code == refused
        assert "Tidak ada status yang diubah." in response.get_data(as_text=True)
    for key in ("tps", "surabaya", "deleted"):
        assert fresh(world[key].id).status is Status.OPEN
        assert fresh(world[key].id).version == 1


def test_bulk_needs_a_choice(login_as, world):
    client = login_as("operator_a")
    nothing = client.post(BULK, data={"status": "selesai"}, headers=HX)
    assert nothing.status_code == 422
    assert "Pilih minimal satu entri." in nothing.get_data(as_text=True)
    no_status = client.post(BULK, data={"entry_ids": [world["tps"].id]}, headers=HX)
    assert no_status.status_code == 422
    too_many = client.post(BULK, data={"entry_ids": list(range(1, 102)), "status": "selesai"})
    assert too_many.status_code == 400
    assert fresh(world["tps"].id).status is Status.OPEN


@pytest.mark.parametrize(
    ("username", "status"), [("pemantau_a", 403), ("provinsi", 403), ("operator_b", 404)]
)
def test_bulk_access(login_as, world, username, status):
    response = login_as(username).post(
        BULK, data={"entry_ids": [world["tps"].id], "status": "selesai"}
    )
    assert response.status_code == status
    assert fresh(world["tps"].id).status is Status.OPEN


# --- cost ----------------------------------------------------------------------------


@contextmanager
def counted_statements() -> Iterator[list[str]]:
    statements: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def test_the_list_costs_the_same_queries_for_30_or_300_entries(login_as, malang):
    person = team_member(malang, "Budi Santoso")
    make_entries(malang, 30, person_in_charge_id=person.id)
    db.session.commit()
    client = login_as("operator_a")
    wanted = {"per_page": 100, "sort": "category"}
    with counted_statements() as few:
        assert len(listed(client.get(LIST, query_string=wanted))) == 30
    make_entries(malang, 270, person_in_charge_id=person.id, tps=first_tps(malang, 4))
    db.session.commit()
    with counted_statements() as many:
        assert len(listed(client.get(LIST, query_string=wanted))) == 100
    assert len(many) == len(few)
    entry_queries = [s for s in many if "FROM inventory_entry" in s]
    assert len(entry_queries) <= 3  # counts, the page of rows, the persons in charge


def test_a_deep_page_costs_the_same_queries_as_the_first(login_as, malang):
    make_entries(malang, 120, status=Status.OPEN)
    db.session.commit()
    client = login_as("operator_a")
    wanted = {"status": "belum", "per_page": 25}
    client.get(LIST, query_string=wanted)  # the worker's caches warm up, as in an office
    with counted_statements() as first:
        first_ids = listed(client.get(LIST, query_string=wanted))
    with counted_statements() as deep:
        deep_ids = listed(client.get(LIST, query_string={**wanted, "page": 5}))
    assert (len(first_ids), len(deep_ids)) == (25, 20)  # 120 entries: the last page has 20
    assert not set(first_ids) & set(deep_ids)
    assert len(deep) == len(first)


def test_the_person_filter_offers_members_in_charge_of_a_live_entry(login_as, malang):
    earlier_decree = team_member(malang, "Agus Prasetyo")  # a decree since replaced
    current = team_member(malang, "Dewi Lestari")
    only_deleted = team_member(malang, "Eko Wahyudi")
    team_member(malang, "Fitri Handayani")  # in charge of nothing
    make_entry(malang, person_in_charge_id=earlier_decree.id)
    make_entry(malang, person_in_charge_id=current.id)
    make_entry(malang, person_in_charge_id=only_deleted.id, deleted_at=datetime(2024, 2, 21))
    db.session.commit()
    page = login_as("operator_a").get(LIST).get_data(as_text=True)
    select_html = re.search(r'<select id="filter-person".*?</select>', page, re.S).group(0)
    offered = re.findall(r'<option value="\d+">([^<]+)</option>', select_html)
    assert offered == ["Agus Prasetyo", "Dewi Lestari"]
