"""The audit log pages: who sees which log, what a change looks like there,
and the filters and paging of both pages."""

import re
from datetime import datetime

import pytest
from sqlalchemy import func, insert, select

from phpnet.audit.models import AuditEntry
from phpnet.extensions import db
from phpnet.regions.models import Tps
from phpnet.testing import HX, PASSWORD, REGENCY_A, REGENCY_B

REGENCY_LOG_A = f"/r/{REGENCY_A}/audit"
SCRIPT = "<script>alert(1)</script>"


def add_entries(count: int = 1, *, prefix: str = "uji", **values: object) -> None:
    """Write ``count`` audit rows with object ids ``prefix-0``, ``prefix-1``..."""
    row = {
        "at": datetime(2024, 2, 14, 6, 0),
        "actor": "sistem",
        "regency_id": None,
        "action": "update",
        "object_type": "uji",
        **values,
    }
    rows = [{**row, "object_id": f"{prefix}-{n}"} for n in range(count)]
    db.session.execute(insert(AuditEntry), rows)
    db.session.commit()


def shown_ids(html: str, prefix: str) -> list[str]:
    """The object ids with ``prefix`` in the table, in page order."""
    return re.findall(rf"#({prefix}-\d+)<", html)


def test_a_rolled_back_change_leaves_no_audit_row(app):
    tps = db.session.execute(select(Tps).limit(1)).scalar_one()
    tps.address = "Balai desa, dibatalkan"
    db.session.flush()  # the audit row is written here, inside the transaction
    db.session.rollback()
    logged = db.session.execute(
        select(func.count()).select_from(AuditEntry).where(AuditEntry.object_type == "tps")
    )
    assert logged.scalar_one() == 12  # only the 12 TPS created with the test world


def test_a_change_made_through_the_app_shows_its_actor_and_values(login_as):
    operator = login_as("operator_a")
    new_password = "sandi-baru-operator-malang-2024"
    response = operator.post(
        "/akun/sandi",
        data={
            "current_password": PASSWORD,
            "new_password": new_password,
            "confirm_password": new_password,
        },
    )
    assert response.status_code == 303

    page = operator.get(REGENCY_LOG_A, query_string={"aksi": "update"}).text

    assert "Menampilkan 1–1 dari 1 catatan" in page
    assert "operator_a" in page
    assert "Akun pengguna" in page
    changed = re.search(r"<code>password_changed_at</code>:(.*?)</li>", page, re.S)
    assert changed is not None
    assert re.fullmatch(  # both moments in WIB, as people read them
        r"\s*\d+ \w+ \d{4} \d\d\.\d\d WIB <span aria-hidden=\"true\">→</span>"
        r"<span class=\"visually-hidden\">menjadi</span> \d+ \w+ \d{4} \d\d\.\d\d WIB\s*",
        changed.group(1),
    )
    assert "password_hash" not in page  # hidden from the log: never stored there


def test_a_script_in_a_value_is_shown_as_text(app, login_as, regency):
    tps = db.session.execute(
        select(Tps).filter_by(regency_id=regency(REGENCY_A).id).limit(1)
    ).scalar_one()
    tps.address = SCRIPT
    db.session.commit()

    for url in (REGENCY_LOG_A, "/audit"):
        for headers in ({}, HX):
            page = login_as("admin").get(url, headers=headers).text
            assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
            assert SCRIPT not in page


def test_before_and_after_values_are_listed_per_key(app, login_as, regency):
    add_entries(
        regency_id=regency(REGENCY_A).id,
        before={"name": "SK lama", "nip": None},
        after={"name": "SK baru", "nip": "198001012005011001"},
    )
    add_entries(prefix="baru", regency_id=regency(REGENCY_A).id, action="create", after={"x": 1})

    page = login_as("operator_a").get(REGENCY_LOG_A, query_string={"objek": "uji"}).text

    assert re.search(r"<code>name</code>:\s*SK lama <span aria-hidden=\"true\">→</span>", page)
    assert re.search(r"menjadi</span> SK baru", page)
    assert re.search(r"<code>nip</code>:\s*\(kosong\) ", page)
    assert re.search(r"<code>x</code>:\s*1\s*</li>", page)


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("operator_a", 200),
        ("admin", 200),
        ("provinsi", 200),
        ("anggota_a", 403),
        ("pemantau_a", 403),
        ("operator_b", 404),
        ("pemantau_b", 404),
    ],
)
def test_who_may_read_a_regency_log(login_as, username, status):
    assert login_as(username).get(REGENCY_LOG_A).status_code == status


@pytest.mark.parametrize(
    ("username", "status"),
    [("admin", 200), ("provinsi", 200), ("operator_a", 403), ("anggota_a", 403)],
)
def test_who_may_read_the_province_log(login_as, username, status):
    assert login_as(username).get("/audit").status_code == status


def test_logs_ask_visitors_to_log_in(client):
    for url in (REGENCY_LOG_A, "/audit"):
        response = client.get(url)
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]


def add_entries_for_a_b_and_the_province(regency) -> None:
    add_entries(prefix="a", regency_id=regency(REGENCY_A).id)
    add_entries(prefix="b", regency_id=regency(REGENCY_B).id)
    add_entries(prefix="prov")


def test_a_regency_log_holds_only_that_regencys_entries(app, login_as, regency):
    add_entries_for_a_b_and_the_province(regency)
    page = login_as("operator_a").get(REGENCY_LOG_A).text
    assert shown_ids(page, "a") == ["a-0"]
    assert shown_ids(page, "b") == []
    assert shown_ids(page, "prov") == []


def test_the_province_log_holds_everything_and_filters_by_regency(app, login_as, regency):
    add_entries_for_a_b_and_the_province(regency)
    province = login_as("provinsi")

    everything = province.get("/audit").text
    assert re.findall(r"#([a-z]+)-0<", everything) == ["prov", "b", "a"]  # newest first
    assert "Tingkat provinsi</td>" in everything
    assert "Kota Surabaya</td>" in everything

    only_b = province.get("/audit", query_string={"kabkota": REGENCY_B}).text
    assert re.findall(r"#([a-z]+)-0<", only_b) == ["b"]
    province_level = province.get("/audit", query_string={"kabkota": "provinsi"}).text
    assert re.findall(r"#([a-z]+)-0<", province_level) == ["prov"]


def test_filters_by_action_object_type_and_actor(app, login_as):
    add_entries(prefix="del", action="delete", actor="operator_a")
    add_entries(prefix="upd", action="update", actor="Operator_B")
    add_entries(prefix="doc", action="update", object_type="document", actor="operator_a")
    admin = login_as("admin")

    deleted = admin.get("/audit", query_string={"aksi": "delete"}).text
    assert (shown_ids(deleted, "del"), shown_ids(deleted, "upd")) == (["del-0"], [])

    documents = admin.get("/audit", query_string={"objek": "document"}).text
    assert (shown_ids(documents, "doc"), shown_ids(documents, "upd")) == (["doc-0"], [])

    by_actor = admin.get("/audit", query_string={"pelaku": "operator_b"}).text
    assert (shown_ids(by_actor, "upd"), shown_ids(by_actor, "del")) == (["upd-0"], [])

    combined = admin.get("/audit", query_string={"aksi": "update", "pelaku": "operator_a"}).text
    assert shown_ids(combined, "doc") == ["doc-0"]
    assert shown_ids(combined, "del") == []


def test_an_actor_filter_is_not_a_wildcard(app, login_as):
    add_entries(prefix="x", actor="operator_a")
    page = login_as("admin").get("/audit", query_string={"pelaku": "%"}).text
    assert shown_ids(page, "x") == []


def test_dates_are_whole_days_in_wib(app, login_as):
    add_entries(prefix="before", at=datetime(2024, 2, 13, 16, 59))  # 13 Feb 23.59 WIB
    add_entries(prefix="early", at=datetime(2024, 2, 13, 17, 0))  # 14 Feb 00.00 WIB
    add_entries(prefix="late", at=datetime(2024, 2, 14, 16, 59))  # 14 Feb 23.59 WIB
    add_entries(prefix="after", at=datetime(2024, 2, 14, 17, 0))  # 15 Feb 00.00 WIB

    page = (
        login_as("admin")
        .get("/audit", query_string={"dari": "2024-02-14", "sampai": "2024-02-14"})
        .text
    )

    shown = re.findall(r"#([a-z]+)-0<", page)
    assert shown == ["late", "early"]  # newest first
    assert "14 Februari 2024 23.59 WIB" in page


def test_fifty_entries_a_page_newest_first_and_page_numbers_are_clamped(app, login_as, regency):
    regency_id = regency(REGENCY_A).id
    for number in range(120):
        add_entries(prefix=f"n{number:03d}", regency_id=regency_id, at=datetime(2024, 2, 1))
    operator = login_as("operator_a")

    def page(halaman: str) -> str:
        query = {"objek": "uji", "halaman": halaman}
        return operator.get(REGENCY_LOG_A, query_string=query).text

    first = re.findall(r"#n(\d+)-0<", page("1"))
    assert first == [f"{n:03d}" for n in range(119, 69, -1)]
    last = page("3")
    assert "Menampilkan 101–120 dari 120 catatan" in last
    assert len(re.findall(r"#n\d+-0<", last)) == 20
    assert "Menampilkan 101–120" in page("99")
    for nonsense in ("0", "-2", "abc", "1e9", "99999999999999999999"):
        assert "Menampilkan 1–50 dari 120 catatan" in page(nonsense)


def test_page_links_keep_the_filters_and_update_the_table_with_htmx(app, login_as):
    add_entries(60, prefix="p", actor="operator_a")
    admin = login_as("admin")

    page = admin.get("/audit", query_string={"pelaku": "operator_a", "objek": "uji"}).text

    link = re.search(r'<a href="([^"]*halaman=2[^"]*)" hx-get="([^"]*)"([^>]*)>', page)
    assert link is not None
    href, hx_get, attributes = link.groups()
    assert href == hx_get
    assert "pelaku=operator_a" in href
    assert "objek=uji" in href
    assert 'hx-push-url="true"' in attributes
    assert 'hx-target="#audit-results"' in attributes
    assert re.search(r'<form[^>]*hx-get="/audit"[^>]*hx-push-url="true"', page)


def test_htmx_gets_only_the_results_and_history_restore_gets_the_page(app, login_as):
    add_entries(prefix="h")
    admin = login_as("admin")

    fragment = admin.get("/audit", headers=HX).text
    assert fragment.lstrip().startswith('<section id="audit-results"')
    assert "<form" not in fragment
    assert shown_ids(fragment, "h") == ["h-0"]

    restored = admin.get("/audit", headers={**HX, "HX-History-Restore-Request": "true"})
    assert "<html" in restored.text


@pytest.mark.parametrize(
    "query",
    [
        {"dari": "2024-13-45"},
        {"sampai": "kemarin"},
        {"dari": "2024-02-14", "sampai": "2024-02-13"},
        {"pelaku": "x" * 500},
        {"aksi": "tidak-ada"},
        {"objek": "\x00"},
        {"kabkota": "9999"},
        {"kabkota": "<script>"},
    ],
)
def test_bad_filter_values_are_ignored_and_named(app, login_as, query):
    add_entries(prefix="z")
    response = login_as("admin").get("/audit", query_string=query)
    assert response.status_code == 200
    assert "Saringan yang tidak sah diabaikan" in response.text
    assert shown_ids(response.text, "z") == ["z-0"]  # the bad filter filtered nothing
    assert "<script>" not in response.text


def test_a_regency_log_ignores_a_regency_filter(app, login_as, regency):
    add_entries(prefix="a", regency_id=regency(REGENCY_A).id)
    page = login_as("operator_a").get(REGENCY_LOG_A, query_string={"kabkota": REGENCY_B}).text
    assert shown_ids(page, "a") == ["a-0"]
    assert 'name="kabkota"' not in page


def test_values_of_every_column_type_are_recorded_as_json(app):
    from datetime import date, datetime, time
    from decimal import Decimal

    from phpnet.audit.service import _plain

    assert [
        _plain(time(9, 30)),
        _plain(date(2024, 2, 14)),
        _plain(datetime(2024, 2, 14, 13, 0)),
        _plain(Decimal("1.50")),
        _plain(b"abc"),
    ] == ["09:30:00", "2024-02-14", "2024-02-14T13:00:00", "1.50", "<3 bytes>"]


def test_a_row_removed_from_a_collection_is_recorded_as_deleted(app, regency):
    from datetime import date

    from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember

    malang = regency(REGENCY_A)
    member = TeamMember(
        regency_id=malang.id, name="Yatim Piatu", position=Position.ANGGOTA,
        unit=OfficeUnit.DIVISI_HUKUM,
    )  # fmt: skip
    team = Team(
        regency_id=malang.id, sk_number="3/PP/2024", sk_date=date(2024, 3, 1), signed_by="K",
        members=[member],
    )  # fmt: skip
    db.session.add(team)
    db.session.flush()
    team.members.remove(member)  # a delete-orphan cascade, not session.delete()
    db.session.flush()
    deleted = db.session.execute(
        select(AuditEntry).filter_by(action="delete", object_type="team_member")
    ).scalar_one()
    assert deleted.before["name"] == "Yatim Piatu"
