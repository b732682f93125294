"""Tim Penyelesaian PHP pages: decree, members (htmx and plain posts), history."""

import hashlib
import io
import re
from dataclasses import dataclass
from datetime import date
from types import SimpleNamespace

import pytest

from phpnet.audit.models import AuditEntry
from phpnet.auth.models import User
from phpnet.documents.models import Document
from phpnet.extensions import db
from phpnet.regions.models import Regency, dotted_code
from phpnet.teams.models import OfficeUnit, Position, Team, TeamMember
from phpnet.testing import HX, HX_HISTORY_RESTORE, REGENCY_A, REGENCY_B, without_csrf_tokens

PDF = b"%PDF-1.7\n1 0 obj <</Type /Catalog>> endobj\n%%EOF\n"
TIM_A = f"/r/{REGENCY_A}/tim/"
NEW_DECREE_A = f"/r/{REGENCY_A}/tim/sk/baru"
VALID_MEMBER = {
    "name": "Dra. Siti Aminah",
    "position": "ketua",
    "unit": "divisi_hukum",
    "nip": "198001012005012001",
    "phone": "+62 341-123456",
    "email": "siti@kpu-malangkab.go.id",
    "user_id": "0",
}


# Every request runs in a session of its own (IsolatedClient) and SQLite has one
# writer at a time, so the helpers below end the test's own transaction before
# returning, and hand back plain values instead of ORM objects.


@dataclass(frozen=True)
class TeamFacts:
    id: int
    regency_id: int
    member_ids: list[int]


def regency_id_of(code: str) -> int:
    regency_id = db.session.execute(
        db.select(Regency.id).filter_by(code=dotted_code(code))
    ).scalar_one()
    db.session.commit()
    return regency_id


def account_id(username: str) -> int:
    found = db.session.execute(db.select(User.id).filter_by(username=username)).scalar_one()
    db.session.commit()
    return found


def make_team(code: str, sk_number: str, sk_date: date, *names: str) -> TeamFacts:
    regency_id = regency_id_of(code)
    team = Team(regency_id=regency_id, sk_number=sk_number, sk_date=sk_date, signed_by="Ketua KPU")
    team.members = [
        TeamMember(
            regency_id=regency_id,
            name=name,
            position=Position.ANGGOTA,
            unit=OfficeUnit.DIVISI_TEKNIS,
        )
        for name in names
    ]
    db.session.add(team)
    db.session.flush()
    facts = TeamFacts(team.id, regency_id, [m.id for m in team.members])
    db.session.commit()
    return facts


def add_member(team: TeamFacts, **values: object) -> None:
    db.session.add(TeamMember(team_id=team.id, regency_id=team.regency_id, **values))
    db.session.commit()


def count(model: type) -> int:
    total = db.session.execute(db.select(db.func.count()).select_from(model)).scalar_one()
    db.session.commit()
    return total


def members_of(team_id: int) -> list[str]:
    names = db.session.execute(
        db.select(TeamMember.name).filter_by(team_id=team_id).order_by(TeamMember.id)
    ).scalars()
    result = list(names)
    db.session.commit()
    return result


def the_only(model: type, **filters: object) -> SimpleNamespace:
    """The column values of the one row of ``model`` (matching ``filters``)."""
    row = db.session.execute(db.select(model).filter_by(**filters)).scalar_one()
    values = SimpleNamespace(**{c.key: getattr(row, c.key) for c in model.__table__.columns})
    db.session.commit()
    return values


def field_errors(html: str, field_id: str) -> str:
    """The error list shown next to a field ('' if none)."""
    found = re.search(
        rf'<ul id="{re.escape(field_id)}-error" class="errors">(.*?)</ul>', html, re.S
    )
    return found.group(1) if found else ""


def decree_data(**overrides: object) -> dict[str, object]:
    return {"sk_number": "45/HK.03.1-Kpt/3507/2024", "sk_date": "2024-03-04",
            "signed_by": "Ketua KPU Kabupaten Malang", **overrides}  # fmt: skip


# --- The page --------------------------------------------------------------------


def test_an_operator_without_a_team_is_offered_the_decree_form(app, login_as):
    page = login_as("operator_a").get(TIM_A).get_data(as_text=True)
    assert "Belum ada SK tim" in page
    assert f'href="{NEW_DECREE_A}"' in page


@pytest.mark.parametrize("username", ["anggota_a", "pemantau_a", "provinsi"])
def test_readers_see_the_team_without_any_form(app, login_as, username):
    make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Budi Santoso")

    response = login_as(username).get(TIM_A)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Budi Santoso" in page and "1/2024" in page and "1 Maret 2024" in page
    assert "<form" not in page.split('<main id="app"', 1)[1]
    assert "Tambah anggota" not in page and NEW_DECREE_A not in page


def test_the_page_lists_members_in_decree_order_with_all_their_details(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1))
    add_member(team, name="Anggota Biasa", position=Position.ANGGOTA,
               unit=OfficeUnit.LAINNYA, unit_other="Sekretariat Bersama")  # fmt: skip
    add_member(team, name="Pak Ketua", position=Position.KETUA, unit=OfficeUnit.DIVISI_HUKUM,
               nip="198001012005011001", phone="0341-1234", email="ketua@example.go.id",
               user_id=account_id("anggota_a"))  # fmt: skip

    page = login_as("pemantau_a").get(TIM_A).get_data(as_text=True)

    assert page.index("Pak Ketua") < page.index("Anggota Biasa")
    for shown in ("Divisi Hukum dan Pengawasan", "198001012005011001", "0341-1234",
                  "ketua@example.go.id", "Anggota A", "Sekretariat Bersama", "Ketua"):  # fmt: skip
        assert shown in page


def test_a_history_restore_gets_the_whole_page_and_htmx_the_content_only(app, login_as):
    client = login_as("operator_a")
    assert "<html" in client.get(TIM_A, headers=HX_HISTORY_RESTORE).get_data(as_text=True)
    fragment = client.get(TIM_A, headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and "Tim Penyelesaian PHP Pemilu Kabupaten Malang" in fragment


# --- Recording a decree -------------------------------------------------------------


def test_an_operator_records_a_decree_with_its_scan(app, login_as):
    client = login_as("operator_a")
    form = client.get(NEW_DECREE_A).get_data(as_text=True)
    assert "<h1>Catat SK Tim Penyelesaian PHP</h1>" in form
    for field_id in ("sk_number", "sk_date", "signed_by", "scan"):
        assert f'<label for="{field_id}">' in form

    response = client.post(NEW_DECREE_A, data=decree_data(scan=(io.BytesIO(PDF), "SK Tim PHP.pdf")))

    assert response.status_code == 303
    assert response.headers["Location"].endswith(TIM_A)
    page = client.get(TIM_A).get_data(as_text=True)
    assert "SK nomor 45/HK.03.1-Kpt/3507/2024 dicatat dan kini berlaku." in page
    assert "4 Maret 2024" in page and "Ketua KPU Kabupaten Malang" in page
    assert hashlib.sha256(PDF).hexdigest() in page
    team = the_only(Team)
    assert team.regency_id == regency_id_of(REGENCY_A)
    link = f"/r/{REGENCY_A}/dokumen/{team.document_id}"
    assert link in page
    download = client.get(link)
    assert download.data == PDF
    assert "SK Tim PHP.pdf" in download.headers["Content-Disposition"]


def test_the_scan_is_optional_and_can_be_added_later(app, login_as):
    client = login_as("operator_a")
    assert client.post(NEW_DECREE_A, data=decree_data()).status_code == 303
    team = the_only(Team)
    assert team.document_id is None
    assert "Belum diunggah." in client.get(TIM_A).get_data(as_text=True)

    response = client.post(
        f"/r/{REGENCY_A}/tim/{team.id}/pindaian", data={"scan": (io.BytesIO(PDF), "sk.pdf")}
    )

    assert response.status_code == 303
    document = the_only(Document, id=the_only(Team).document_id)
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()


@pytest.mark.parametrize(
    ("overrides", "field_id", "message"),
    [
        ({"sk_number": ""}, "sk_number", "Wajib diisi."),
        ({"sk_number": "x" * 121}, "sk_number", "Maksimal 120 karakter."),
        ({"signed_by": "   "}, "signed_by", "Wajib diisi."),
        ({"sk_date": ""}, "sk_date", "Wajib diisi."),
        ({"sk_date": "04/03/2024"}, "sk_date", "Tanggal tidak sah"),
        ({"sk_date": "2999-01-01"}, "sk_date", "tidak boleh setelah hari ini"),
        ({"sk_date": "1999-12-31"}, "sk_date", "tidak boleh sebelum tahun 2000"),
        (
            {"scan": (io.BytesIO(b"<html><script>alert(1)</script>"), "sk.pdf")},
            "scan",
            "Unggah berkas PDF, paling besar 20 MB.",
        ),
        ({"scan": (io.BytesIO(b"\x89PNG\r\n\x1a\n" + b"0" * 40), "sk.png")}, "scan", "PDF"),
    ],
)
def test_an_invalid_decree_is_refused_next_to_its_field(
    app, login_as, overrides, field_id, message
):
    response = login_as("operator_a").post(NEW_DECREE_A, data=decree_data(**overrides))

    assert response.status_code == 422
    assert message in field_errors(response.get_data(as_text=True), field_id)
    assert count(Team) == 0 and count(Document) == 0


def test_an_invalid_decree_keeps_what_was_typed(app, login_as):
    response = login_as("operator_a").post(NEW_DECREE_A, data=decree_data(signed_by=""))
    assert 'value="45/HK.03.1-Kpt/3507/2024"' in response.get_data(as_text=True)


@pytest.mark.parametrize("username", ["anggota_a", "pemantau_a", "provinsi"])
def test_only_operators_and_admins_record_decrees(app, login_as, username):
    client = login_as(username)
    assert client.get(NEW_DECREE_A).status_code == 403
    assert client.post(NEW_DECREE_A, data=decree_data()).status_code == 403
    assert count(Team) == 0


def test_an_operator_of_another_regency_cannot_even_see_the_decree_form(app, login_as):
    client = login_as("operator_b")
    assert client.get(TIM_A).status_code == 404
    assert client.post(NEW_DECREE_A, data=decree_data()).status_code == 404
    assert count(Team) == 0


def test_an_admin_records_a_decree_for_any_regency(app, login_as):
    response = login_as("admin").post(f"/r/{REGENCY_B}/tim/sk/baru", data=decree_data())
    assert response.status_code == 303
    assert the_only(Team).regency_id == regency_id_of(REGENCY_B)


def test_the_regency_of_a_decree_cannot_be_chosen_by_the_form(app, login_as):
    login_as("operator_a").post(
        NEW_DECREE_A, data=decree_data(regency_id=str(regency_id_of(REGENCY_B)), document_id="1")
    )
    team = the_only(Team)
    assert team.regency_id == regency_id_of(REGENCY_A)
    assert team.document_id is None


# --- Supersession and history ---------------------------------------------------------


def test_a_new_decree_supersedes_the_team_which_stays_readable(app, login_as):
    old = make_team(REGENCY_A, "1/2024", date(2024, 1, 10), "Anggota Lama")
    client = login_as("operator_a")

    client.post(NEW_DECREE_A, data=decree_data(sk_number="2/2024", sk_date="2024-03-04"))

    page = client.get(TIM_A).get_data(as_text=True)
    current_part, history_part = page.split('id="history"')
    assert "2/2024" in current_part and "Anggota Lama" not in current_part
    assert "Berlaku" in history_part and "Digantikan" in history_part
    assert f'href="/r/{REGENCY_A}/tim/{old.id}"' in history_part

    old_page = client.get(f"/r/{REGENCY_A}/tim/{old.id}").get_data(as_text=True)
    assert "SK terdahulu (riwayat)" in old_page
    assert "Anggota Lama" in old_page
    assert "Tambah anggota" not in old_page and "/ubah" not in old_page


def test_members_of_a_superseded_team_cannot_change(app, login_as):
    old = make_team(REGENCY_A, "1/2024", date(2024, 1, 10), "Anggota Lama")
    member_id = old.member_ids[0]
    make_team(REGENCY_A, "2/2024", date(2024, 3, 4))
    client = login_as("operator_a")

    responses = [
        client.post(f"/r/{REGENCY_A}/tim/{old.id}/anggota", data=VALID_MEMBER),
        client.get(f"/r/{REGENCY_A}/tim/anggota/{member_id}/ubah"),
        client.post(f"/r/{REGENCY_A}/tim/anggota/{member_id}/ubah", data=VALID_MEMBER),
        client.post(f"/r/{REGENCY_A}/tim/anggota/{member_id}/hapus", headers=HX),
        client.post(
            f"/r/{REGENCY_A}/tim/{old.id}/pindaian", data={"scan": (io.BytesIO(PDF), "sk.pdf")}
        ),
    ]

    assert [r.status_code for r in responses] == [403] * 5
    assert members_of(old.id) == ["Anggota Lama"]
    assert count(Document) == 0


def test_the_current_decree_is_the_one_with_the_latest_date(app, login_as):
    make_team(REGENCY_A, "5/2024", date(2024, 5, 1), "Anggota Mei")
    client = login_as("operator_a")

    response = client.post(NEW_DECREE_A, data=decree_data(sk_number="3/2024", sk_date="2024-02-01"))

    assert response.status_code == 303
    page = client.get(TIM_A).get_data(as_text=True)
    assert "dicatat sebagai riwayat" in page
    assert "Anggota Mei" in page.split('id="history"')[0]


def test_a_new_decree_can_copy_the_members_of_the_current_team(app, login_as):
    old = make_team(REGENCY_A, "1/2024", date(2024, 1, 10), "Ani", "Budi")
    client = login_as("operator_a")
    assert 'name="copy_members"' in client.get(NEW_DECREE_A).get_data(as_text=True)

    client.post(NEW_DECREE_A, data=decree_data(sk_number="2/2024", copy_members="y"))

    new = the_only(Team, sk_number="2/2024")
    assert members_of(new.id) == ["Ani", "Budi"]
    copied = the_only(TeamMember, team_id=new.id, name="Ani")
    assert copied.id not in old.member_ids
    client.post(
        f"/r/{REGENCY_A}/tim/anggota/{copied.id}/ubah",
        data=member_fields(copied.id, name="Ani S."),
    )
    assert members_of(new.id) == ["Ani S.", "Budi"]
    assert members_of(old.id) == ["Ani", "Budi"]  # the history is untouched


def test_a_new_decree_without_copying_starts_empty(app, login_as):
    make_team(REGENCY_A, "1/2024", date(2024, 1, 10), "Ani")
    login_as("operator_a").post(NEW_DECREE_A, data=decree_data(sk_number="2/2024"))
    assert members_of(the_only(Team, sk_number="2/2024").id) == []


# --- Adding members ------------------------------------------------------------------------


def test_adding_a_member_with_htmx_returns_the_table_with_the_new_row_and_a_fresh_form(
    app, login_as
):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1))
    data = {**VALID_MEMBER, "nip": "19800101 200501 2 001", "user_id": str(account_id("anggota_a"))}

    response = login_as("operator_a").post(
        f"/r/{REGENCY_A}/tim/{team.id}/anggota", data=data, headers=HX
    )

    assert response.status_code == 200
    fragment = response.get_data(as_text=True)
    assert fragment.lstrip().startswith('<section class="card" id="members"')
    assert "<html" not in fragment
    assert "Dra. Siti Aminah ditambahkan ke tim." in fragment
    assert "<td>Dra. Siti Aminah</td>" in fragment and "Anggota A" in fragment
    assert '<input id="name" maxlength="200" name="name" required type="text" value="">' in fragment
    member = the_only(TeamMember)
    assert (member.team_id, member.regency_id) == (team.id, team.regency_id)
    assert member.position is Position.KETUA and member.unit is OfficeUnit.DIVISI_HUKUM
    assert member.nip == "198001012005012001"
    assert member.phone == "+62 341-123456" and member.email == "siti@kpu-malangkab.go.id"
    assert member.user_id == account_id("anggota_a")


def test_adding_a_member_without_javascript_redirects_with_a_message(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1))
    client = login_as("operator_a")

    response = client.post(f"/r/{REGENCY_A}/tim/{team.id}/anggota", data=VALID_MEMBER)

    assert response.status_code == 303
    assert response.headers["Location"].endswith(TIM_A)
    page = client.get(TIM_A).get_data(as_text=True)
    assert "Dra. Siti Aminah ditambahkan ke tim." in page
    assert "<td>Dra. Siti Aminah</td>" in page


@pytest.mark.parametrize(
    ("changes", "field_id", "message"),
    [
        ({"name": ""}, "name", "Wajib diisi."),
        ({"name": "n" * 201}, "name", "Maksimal 200 karakter."),
        ({"position": "raja"}, "position", "Pilihan tidak sah."),
        ({"unit": ""}, "unit", "Wajib diisi."),
        ({"unit": "lainnya", "unit_other": ""}, "unit_other", "Wajib diisi bila unit kerja"),
        ({"nip": "12345"}, "nip", "NIP harus tepat 18 angka."),
        ({"nip": "19800101200501200A"}, "nip", "NIP harus tepat 18 angka."),
        ({"nip": "١٩٨٠٠١٠١٢٠٠٥٠١٢٠٠١"}, "nip", "NIP harus tepat 18 angka."),
        ({"phone": "0341 abc"}, "phone", "hanya boleh berisi angka"),
        ({"phone": "1" * 33}, "phone", "Maksimal 32 karakter."),
        ({"email": "bukan email"}, "email", "Alamat email tidak sah."),
        ({"email": "a@b"}, "email", "Alamat email tidak sah."),
        ({"user_id": "abc"}, "user_id", "Pilihan tidak sah."),
    ],
)
def test_an_invalid_member_is_refused_next_to_its_field_keeping_the_input(
    app, login_as, changes, field_id, message
):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1))
    data = {**VALID_MEMBER, "name": "Nama Yang Diketik", **changes}
    url = f"/r/{REGENCY_A}/tim/{team.id}/anggota"
    client = login_as("operator_a")

    fragment = client.post(url, data=data, headers=HX)
    page = client.post(url, data=data)

    assert fragment.status_code == page.status_code == 422
    assert message in field_errors(fragment.get_data(as_text=True), field_id)
    assert message in field_errors(page.get_data(as_text=True), field_id)
    assert "<html" not in fragment.get_data(as_text=True)
    assert "<html" in page.get_data(as_text=True)
    if field_id != "name":
        assert 'value="Nama Yang Diketik"' in fragment.get_data(as_text=True)
    assert count(TeamMember) == 0


def test_an_account_of_another_regency_cannot_be_linked(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1))
    data = {**VALID_MEMBER, "user_id": str(account_id("operator_b"))}

    response = login_as("operator_a").post(
        f"/r/{REGENCY_A}/tim/{team.id}/anggota", data=data, headers=HX
    )

    assert response.status_code == 422
    assert "Pilihan tidak sah." in field_errors(response.get_data(as_text=True), "user_id")
    assert "Operator B" not in response.get_data(as_text=True)
    assert count(TeamMember) == 0


def test_extra_fields_cannot_move_a_member_to_another_team_or_regency(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1))
    team_b = make_team(REGENCY_B, "9/2024", date(2024, 3, 1))
    data = {**VALID_MEMBER, "regency_id": str(team_b.regency_id), "team_id": str(team_b.id)}

    login_as("operator_a").post(f"/r/{REGENCY_A}/tim/{team.id}/anggota", data=data)

    member = the_only(TeamMember)
    assert (member.team_id, member.regency_id) == (team.id, team.regency_id)


def test_other_offices_are_described_in_their_own_words(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1))
    data = {**VALID_MEMBER, "unit": "lainnya", "unit_other": "Biro Hukum Pemkab"}
    login_as("operator_a").post(f"/r/{REGENCY_A}/tim/{team.id}/anggota", data=data)
    member = the_only(TeamMember)
    assert (member.unit, member.unit_other) == (OfficeUnit.LAINNYA, "Biro Hukum Pemkab")

    other = {**VALID_MEMBER, "name": "Pak Teknis", "unit": "divisi_teknis", "unit_other": "x"}
    login_as("operator_a").post(f"/r/{REGENCY_A}/tim/{team.id}/anggota", data=other)
    assert the_only(TeamMember, name="Pak Teknis").unit_other is None
    assert "Biro Hukum Pemkab" in login_as("pemantau_a").get(TIM_A).get_data(as_text=True)


def test_member_text_is_shown_escaped_in_pages_and_fragments(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1))
    payload = '<script>alert(1)</script><div hx-get="/admin" hx-trigger="load">'
    client = login_as("operator_a")

    fragment = client.post(
        f"/r/{REGENCY_A}/tim/{team.id}/anggota", data={**VALID_MEMBER, "name": payload}, headers=HX
    ).get_data(as_text=True)
    page = client.get(TIM_A).get_data(as_text=True)

    for html in (fragment, page):
        assert payload not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


# --- Editing and deleting members ------------------------------------------------------------


def member_fields(member_id: int, **changes: str) -> dict[str, str]:
    return {f"member-{member_id}-{k}": v for k, v in {**VALID_MEMBER, **changes}.items()}


def test_click_to_edit_gives_an_edit_row_and_saving_returns_the_updated_row(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Budi")
    member = SimpleNamespace(id=team.member_ids[0])
    url = f"/r/{REGENCY_A}/tim/anggota/{member.id}/ubah"
    client = login_as("operator_a")

    edit_row = client.get(url, headers=HX).get_data(as_text=True)
    assert edit_row.lstrip().startswith(f'<tr id="member-{member.id}">')
    assert f'<label for="member-{member.id}-name">Nama</label>' in edit_row
    assert 'value="Budi"' in edit_row
    assert f'hx-get="/r/{REGENCY_A}/tim/anggota/{member.id}"' in edit_row  # cancel

    saved = client.post(url, data=member_fields(member.id, name="Budi Santoso"), headers=HX)

    assert saved.status_code == 200
    row = saved.get_data(as_text=True)
    assert row.lstrip().startswith(f'<tr id="member-{member.id}">')
    assert "<td>Budi Santoso</td>" in row and "<form" in row and "<input id=" not in row
    assert members_of(team.id) == ["Budi Santoso"]


def test_cancelling_an_edit_gives_the_row_back(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Budi")
    url = f"/r/{REGENCY_A}/tim/anggota/{team.member_ids[0]}"
    client = login_as("operator_a")

    row = client.get(url, headers=HX).get_data(as_text=True)
    plain = client.get(url)

    assert row.lstrip().startswith("<tr") and "<td>Budi</td>" in row
    assert plain.status_code == 302
    assert plain.headers["Location"].endswith(
        f"/r/{REGENCY_A}/tim/{team.id}#member-{team.member_ids[0]}"
    )


def test_an_invalid_edit_returns_the_edit_row_with_the_error(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Budi")
    member = SimpleNamespace(id=team.member_ids[0])

    response = login_as("operator_a").post(
        f"/r/{REGENCY_A}/tim/anggota/{member.id}/ubah",
        data=member_fields(member.id, name="Budi Baru", email="salah@"),
        headers=HX,
    )

    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert html.lstrip().startswith(f'<tr id="member-{member.id}">')
    assert "Alamat email tidak sah." in field_errors(html, f"member-{member.id}-email")
    assert 'value="Budi Baru"' in html
    assert members_of(team.id) == ["Budi"]


def test_editing_without_javascript_works_on_the_full_page(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Budi")
    member = SimpleNamespace(id=team.member_ids[0])
    url = f"/r/{REGENCY_A}/tim/anggota/{member.id}/ubah"
    client = login_as("operator_a")

    page = client.get(url).get_data(as_text=True)
    assert "<html" in page and "Ubah data Budi" in page and "Tambah anggota" in page

    response = client.post(
        url, data=member_fields(member.id, name="Budi S.", position="sekretaris")
    )

    assert response.status_code == 303
    assert "Data Budi S. diperbarui." in client.get(TIM_A).get_data(as_text=True)
    assert the_only(TeamMember, id=member.id).position is Position.SEKRETARIS


def test_deleting_a_member_with_htmx_removes_the_row(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Ani", "Budi")
    client = login_as("operator_a")
    page = client.get(TIM_A).get_data(as_text=True)
    assert 'hx-confirm="Hapus Ani dari tim?"' in page

    response = client.post(f"/r/{REGENCY_A}/tim/anggota/{team.member_ids[0]}/hapus", headers=HX)

    assert response.status_code == 200 and response.data == b""
    assert members_of(team.id) == ["Budi"]


def test_deleting_a_member_without_javascript_redirects_with_a_message(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Ani")
    client = login_as("operator_a")

    response = client.post(f"/r/{REGENCY_A}/tim/anggota/{team.member_ids[0]}/hapus")

    assert response.status_code == 303
    assert "Ani dihapus dari tim." in client.get(TIM_A).get_data(as_text=True)
    assert members_of(team.id) == []


def test_deleting_needs_a_post(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Ani")
    response = login_as("operator_a").get(f"/r/{REGENCY_A}/tim/anggota/{team.member_ids[0]}/hapus")
    assert response.status_code == 405
    assert members_of(team.id) == ["Ani"]


@pytest.mark.parametrize("username", ["anggota_a", "pemantau_a", "provinsi"])
def test_readers_cannot_change_members(app, login_as, username):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Ani")
    member_id = team.member_ids[0]
    client = login_as(username)

    statuses = [
        client.post(f"/r/{REGENCY_A}/tim/{team.id}/anggota", data=VALID_MEMBER, headers=HX),
        client.get(f"/r/{REGENCY_A}/tim/anggota/{member_id}/ubah", headers=HX),
        client.post(f"/r/{REGENCY_A}/tim/anggota/{member_id}/ubah", data=member_fields(member_id)),
        client.post(f"/r/{REGENCY_A}/tim/anggota/{member_id}/hapus"),
    ]

    assert [r.status_code for r in statuses] == [403] * 4
    assert members_of(team.id) == ["Ani"]


def test_an_admin_manages_members_of_any_regency(app, login_as):
    team = make_team(REGENCY_B, "9/2024", date(2024, 3, 1))
    response = login_as("admin").post(
        f"/r/{REGENCY_B}/tim/{team.id}/anggota", data=VALID_MEMBER, headers=HX
    )
    assert response.status_code == 200
    assert members_of(team.id) == ["Dra. Siti Aminah"]


# --- Tenant isolation (A1-A3, A7) ---------------------------------------------------------------


def test_teams_and_members_of_another_regency_answer_404_and_nothing_changes(app, login_as):
    team_b = make_team(REGENCY_B, "9/2024", date(2024, 3, 1), "Warga Surabaya")
    make_team(REGENCY_A, "1/2024", date(2024, 3, 1), "Warga Malang")
    member_b = team_b.member_ids[0]
    client = login_as("operator_a")

    responses = {
        "show": client.get(f"/r/{REGENCY_A}/tim/{team_b.id}"),
        "add": client.post(f"/r/{REGENCY_A}/tim/{team_b.id}/anggota", data=VALID_MEMBER),
        "scan": client.post(
            f"/r/{REGENCY_A}/tim/{team_b.id}/pindaian", data={"scan": (io.BytesIO(PDF), "a.pdf")}
        ),
        "row": client.get(f"/r/{REGENCY_A}/tim/anggota/{member_b}", headers=HX),
        "edit form": client.get(f"/r/{REGENCY_A}/tim/anggota/{member_b}/ubah", headers=HX),
        "edit": client.post(
            f"/r/{REGENCY_A}/tim/anggota/{member_b}/ubah", data=member_fields(member_b)
        ),
        "delete": client.post(f"/r/{REGENCY_A}/tim/anggota/{member_b}/hapus", headers=HX),
        "b page": client.get(f"/r/{REGENCY_B}/tim/"),
    }

    assert {name: r.status_code for name, r in responses.items()} == dict.fromkeys(responses, 404)
    leaks = {n for n, r in responses.items() if b"Warga Surabaya" in r.data or b"9/2024" in r.data}
    assert leaks == set()
    assert members_of(team_b.id) == ["Warga Surabaya"]
    assert count(TeamMember) == 2 and count(Document) == 0


def test_an_unknown_team_or_member_looks_the_same_as_another_regencys(app, login_as):
    team_b = make_team(REGENCY_B, "9/2024", date(2024, 3, 1), "Warga Surabaya")
    client = login_as("operator_a")
    foreign = client.get(f"/r/{REGENCY_A}/tim/anggota/{team_b.member_ids[0]}/ubah")
    unknown = client.get(f"/r/{REGENCY_A}/tim/anggota/999999/ubah")
    assert foreign.status_code == unknown.status_code == 404
    assert without_csrf_tokens(foreign.text) == without_csrf_tokens(unknown.text)


def test_the_province_reads_every_regency_team(app, login_as):
    make_team(REGENCY_B, "9/2024", date(2024, 3, 1), "Warga Surabaya")
    assert b"Warga Surabaya" in login_as("provinsi").get(f"/r/{REGENCY_B}/tim/").data


# --- Audit (R8) ---------------------------------------------------------------------


def test_team_and_member_changes_are_audited(app, login_as):
    client = login_as("operator_a")
    client.post(NEW_DECREE_A, data=decree_data(scan=(io.BytesIO(PDF), "sk.pdf")))
    team = the_only(Team)
    client.post(f"/r/{REGENCY_A}/tim/{team.id}/anggota", data=VALID_MEMBER, headers=HX)
    member = the_only(TeamMember)
    client.post(
        f"/r/{REGENCY_A}/tim/anggota/{member.id}/ubah",
        data=member_fields(member.id, name="Siti A."),
        headers=HX,
    )
    client.post(f"/r/{REGENCY_A}/tim/anggota/{member.id}/hapus", headers=HX)

    entries = (
        db.session.execute(
            db.select(AuditEntry)
            .where(AuditEntry.object_type.in_(["team", "team_member", "document"]))
            .order_by(AuditEntry.id)
        )
        .scalars()
        .all()
    )

    assert [(e.action, e.object_type) for e in entries] == [
        ("create", "document"),
        ("create", "team"),
        ("create", "team_member"),
        ("update", "team_member"),
        ("delete", "team_member"),
    ]
    assert {e.actor for e in entries} == {"operator_a"}
    assert {e.user_id for e in entries} == {account_id("operator_a")}
    assert {e.regency_id for e in entries} == {team.regency_id}
    update = entries[3]
    assert update.before == {"name": "Dra. Siti Aminah"}
    assert update.after == {"name": "Siti A."}
    assert entries[1].after["sk_number"] == "45/HK.03.1-Kpt/3507/2024"
    assert entries[4].before["name"] == "Siti A."


def test_a_refused_change_leaves_no_audit_entry(app, login_as):
    team = make_team(REGENCY_A, "1/2024", date(2024, 3, 1))
    before = count(AuditEntry)
    login_as("operator_a").post(
        f"/r/{REGENCY_A}/tim/{team.id}/anggota", data={**VALID_MEMBER, "nip": "1"}, headers=HX
    )
    assert count(AuditEntry) == before
