"""Regions: the loaded data against the oracle, the pages, search and renaming."""

import csv
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import event, func, select

from phpnet.audit.models import AuditEntry
from phpnet.extensions import db
from phpnet.regions.loader import LoadResult, load_regions
from phpnet.regions.models import Desa, Kecamatan, Regency, Tps, dotted_code
from phpnet.regions.queries import SEARCH_LIMIT
from phpnet.testing import HX, HX_HISTORY_RESTORE, REGENCY_A, REGENCY_B

# The region oracle: the 38 kab/kota and all 9,198 regions of Jawa Timur from
# the MIT-licensed `wilayah` dataset (tests/data/LICENSE-wilayah.txt), copied
# here so that a clone of the repository alone passes its tests.
ORACLE = Path(__file__).parent / "data"


def _oracle(name: str) -> list[dict[str, str]]:
    with (ORACLE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@dataclass(frozen=True)
class DesaFacts:
    """Plain values of a desa, read before any request: outside a request the
    test's own session begins IMMEDIATE, so it must not hold a transaction
    while a request writes."""

    code: str
    slug: str
    name: str
    title: str
    kind: str
    postal_code: str | None
    kecamatan_slug: str
    kecamatan_name: str
    kecamatan_desa_count: int


def _first_desa(regency_code: str) -> DesaFacts:
    desa = db.session.execute(
        select(Desa)
        .join(Regency, Desa.regency_id == Regency.id)
        .where(Regency.code == dotted_code(regency_code))
        .order_by(Desa.code)
        .limit(1)
    ).scalar_one()
    facts = DesaFacts(
        code=desa.code,
        slug=desa.slug,
        name=desa.name,
        title=f"{desa.kind.capitalize()} {desa.name}",
        kind=desa.kind,
        postal_code=desa.postal_code,
        kecamatan_slug=desa.kecamatan.slug,
        kecamatan_name=desa.kecamatan.name,
        kecamatan_desa_count=db.session.scalar(
            select(func.count()).where(Desa.kecamatan_id == desa.kecamatan_id)
        ),
    )
    db.session.commit()
    return facts


def _text(response) -> str:
    return response.get_data(as_text=True)


# --- the data ----------------------------------------------------------------


def test_province_has_38_regencies_666_kecamatan_8494_desa(app):
    counts = [
        db.session.scalar(select(func.count()).select_from(m)) for m in (Regency, Kecamatan, Desa)
    ]
    assert counts == [38, 666, 8494]


def test_each_regency_has_the_oracle_counts(app):
    kecamatan = dict(
        db.session.execute(
            select(Regency.code, func.count(Kecamatan.id)).join(Kecamatan).group_by(Regency.code)
        )
        .tuples()
        .all()
    )
    desa = dict(
        db.session.execute(
            select(Regency.code, func.count(Desa.id))
            .join(Desa, Desa.regency_id == Regency.id)
            .group_by(Regency.code)
        )
        .tuples()
        .all()
    )
    expected = _oracle("jatim-regencies.csv")
    assert len(expected) == 38
    for row in expected:
        assert kecamatan[row["code"]] == int(row["kecamatan_count"]), row["name"]
        assert desa[row["code"]] == int(row["desa_kelurahan_count"]), row["name"]


def test_every_oracle_region_is_loaded_with_its_code_name_and_parent(app):
    loaded = {
        code: (name, None, None)
        for code, name in db.session.execute(select(Regency.code, Regency.name)).tuples()
    }
    loaded |= {
        code: (name, parent, None)
        for code, name, parent in db.session.execute(
            select(Kecamatan.code, Kecamatan.name, Regency.code).join(Kecamatan.regency)
        ).tuples()
    }
    loaded |= {
        code: (name, parent, (kind, postal))
        for code, name, parent, kind, postal in db.session.execute(
            select(Desa.code, Desa.name, Kecamatan.code, Desa.kind, Desa.postal_code).join(
                Desa.kecamatan
            )
        ).tuples()
    }
    oracle = _oracle("jatim-wilayah.csv")
    assert len(oracle) == 9198 == len(loaded)
    for row in oracle:
        name, parent, desa_facts = loaded[row["code"]]
        assert name == row["name"], row
        if row["level"] != "2":
            assert parent == row["parent_code"], row
        if row["level"] == "4":
            assert desa_facts == (row["type"], row["postal_code"] or None), row


def test_loading_again_adds_nothing_and_keeps_edited_names(app):
    desa = db.session.execute(select(Desa).filter_by(code="35.07.01.2001")).scalar_one()
    desa.name = "Nama Baru Hasil Pemekaran"
    db.session.commit()
    audit_before = db.session.scalar(select(func.count()).select_from(AuditEntry))

    assert load_regions() == LoadResult(0, 0, 0)
    db.session.commit()

    db.session.refresh(desa)
    assert desa.name == "Nama Baru Hasil Pemekaran"
    assert db.session.scalar(select(func.count()).select_from(Desa)) == 8494
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit_before


def test_regions_load_command_reports_nothing_added(app):
    result = app.test_cli_runner().invoke(args=["regions", "load"])
    assert result.exit_code == 0, result.output
    assert "Ditambahkan: 0 kab/kota, 0 kecamatan, 0 desa/kelurahan." in result.output


# --- province page -----------------------------------------------------------


@pytest.mark.parametrize("username", ["admin", "provinsi"])
def test_province_staff_see_the_38_regencies_with_counts(login_as, username):
    response = login_as(username).get("/")
    assert response.status_code == 200
    page = _text(response)
    links = re.findall(r'href="/r/(\d{4})/"', page)
    assert len(set(links)) == 38
    malang = re.search(r"<td>35\.07</td>(.*?)</tr>", page, re.S).group(1)
    assert "Kabupaten Malang" in malang
    assert re.findall(r'class="num">([\d.]+)<', malang) == ["33", "390", "6"]
    totals = re.search(r"<tfoot>(.*?)</tfoot>", page, re.S).group(1)
    assert re.findall(r'class="num">([\d.]+)<', totals) == ["666", "8.494", "12"]


@pytest.mark.parametrize("username", ["pemantau_b", "anggota_b"])
def test_regional_users_go_from_home_to_their_regency(login_as, username):
    response = login_as(username).get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{REGENCY_B}/")


def test_province_page_costs_the_same_few_queries_whatever_the_rows(app, login_as):
    client = login_as("provinsi")
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        client.get("/")
    finally:
        event.remove(db.engine, "before_cursor_execute", count)
    region_queries = [s for s in statements if re.search(r"\b(kecamatan|desa|tps)\b", s)]
    assert len(region_queries) <= 3


# --- regency, kecamatan and desa pages ----------------------------------------


def test_regency_page_lists_its_kecamatan_with_counts(login_as):
    desa = _first_desa(REGENCY_A)
    response = login_as("pemantau_a").get(f"/r/{REGENCY_A}/")
    assert response.status_code == 200
    page = _text(response)
    assert "<h1>Kabupaten Malang</h1>" in page
    assert len(re.findall(rf'href="/r/{REGENCY_A}/kecamatan/3507\d\d"', page)) == 33
    row = re.search(
        rf"kecamatan/{desa.kecamatan_slug}\">{desa.kecamatan_name}</a></th>(.*?)</tr>", page, re.S
    )
    counts = [str(desa.kecamatan_desa_count), "6", "1.512"]
    assert re.findall(r'class="num">([\d.]+)<', row.group(1)) == counts


def test_regency_page_as_htmx_fragment_and_as_history_restore(login_as):
    client = login_as("provinsi")
    fragment = _text(client.get(f"/r/{REGENCY_A}/", headers=HX))
    assert "<html" not in fragment and "Donomulyo" in fragment
    restored = _text(client.get(f"/r/{REGENCY_A}/", headers=HX_HISTORY_RESTORE))
    assert "<html" in restored and "Donomulyo" in restored


def test_kecamatan_page_lists_desa_with_tps_and_voters(login_as, regency):
    desa = _first_desa(REGENCY_A)
    response = login_as("anggota_a").get(f"/r/{REGENCY_A}/kecamatan/{desa.kecamatan_slug}")
    assert response.status_code == 200
    page = _text(response)
    assert f"<h1>Kecamatan {desa.kecamatan_name}</h1>" in page
    row = re.search(rf"<td>{re.escape(desa.code)}</td>(.*?)</tr>", page, re.S).group(1)
    assert f'href="/r/{REGENCY_A}/desa/{desa.slug}"' in row
    assert f"<td>{desa.kind.capitalize()}</td>" in row
    assert f"<td>{desa.postal_code}</td>" in row
    assert re.findall(r'class="num">([\d.]+)<', row) == ["3", "756"]
    assert 'href="/">Beranda</a>' in page
    assert f'href="/r/{REGENCY_A}/">Kabupaten Malang</a>' in page


def test_desa_page_lists_its_tps_with_breadcrumbs(login_as, regency):
    desa = _first_desa(REGENCY_A)
    page = _text(login_as("pemantau_a").get(f"/r/{REGENCY_A}/desa/{desa.slug}"))
    assert [label for label in re.findall(r'<th scope="row">(TPS \d{3})</th>', page)] == [
        "TPS 001",
        "TPS 002",
        "TPS 003",
    ]
    assert re.findall(r'class="num">(\d+)</td>', page) == ["251", "252", "253", "756"]
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group(0)
    assert [c for c in re.findall(r">([^<>]+)</(?:a|span)>", crumbs)] == [
        "Beranda",
        "Kabupaten Malang",
        f"Kecamatan {desa.kecamatan_name}",
        desa.title,
    ]


def test_desa_without_tps_says_so(login_as, regency):
    desa = (
        db.session.execute(
            select(Desa).filter_by(regency_id=regency(REGENCY_A).id).order_by(Desa.code.desc())
        )
        .scalars()
        .first()
    )
    db.session.commit()
    page = _text(login_as("operator_a").get(f"/r/{REGENCY_A}/desa/{desa.slug}"))
    assert "Belum ada data TPS" in page
    assert f'href="/r/{REGENCY_A}/tps/impor"' in page


@pytest.mark.parametrize(
    "path",
    [
        "kecamatan/357801",  # a kecamatan of Surabaya
        "kecamatan/350799",  # no such kecamatan
        "kecamatan/35.07.01",
        "kecamatan/35070",
        "desa/{desa_b}",  # a kelurahan of Surabaya
        "desa/3507999999",
        "desa/350701200",
    ],
)
def test_regions_outside_the_regency_or_unknown_are_404(login_as, regency, path):
    desa_b = _first_desa(REGENCY_B)
    response = login_as("admin").get(f"/r/{REGENCY_A}/" + path.format(desa_b=desa_b.slug))
    assert response.status_code == 404


def test_another_regencys_pages_are_404_for_a_regional_user(login_as, regency):
    desa_b = _first_desa(REGENCY_B)
    client = login_as("operator_a")
    assert client.get(f"/r/{REGENCY_B}/").status_code == 404
    assert client.get(f"/r/{REGENCY_B}/kecamatan/{desa_b.kecamatan_slug}").status_code == 404
    assert client.get(f"/r/{REGENCY_B}/desa/{desa_b.slug}").status_code == 404


# --- search ------------------------------------------------------------------


def _result_codes(page: str) -> list[str]:
    return re.findall(r"<td>(35(?:\.\d\d){1,2}(?:\.\d{4})?)</td>", page)


def test_search_by_name_finds_desa_of_every_regency_for_the_province(login_as):
    page = _text(login_as("provinsi").get("/wilayah?q=widoro"))
    codes = _result_codes(page)
    assert "35.01.01.2001" in codes  # Widoro, Donorojo, Pacitan
    assert len({code[:5] for code in codes}) > 1
    assert "Donorojo" in page and "Kabupaten Pacitan" in page


def test_search_shows_a_regional_user_only_their_regency(login_as):
    for username in ("operator_a", "pemantau_a"):
        page = _text(login_as(username).get("/wilayah?q=widoro"))
        codes = _result_codes(page)
        assert codes and all(code.startswith("35.07") for code in codes), codes


@pytest.mark.parametrize("query", ["35.07.01", "350701", "3507.01"])
def test_search_by_code_with_or_without_dots(login_as, query):
    page = _text(login_as("admin").get("/wilayah", query_string={"q": query}))
    codes = _result_codes(page)
    assert "35.07.01" in codes
    assert "35.07.01.2001" in codes
    assert all(code.startswith("35.07.01") for code in codes)


def test_search_is_limited_per_level_and_says_so(login_as):
    page = _text(login_as("admin").get("/wilayah?q=a"))
    assert f"Hanya {SEARCH_LIMIT} hasil pertama yang ditampilkan" in page
    desa_section = page[page.index("<h2>Desa/Kelurahan") :]
    assert len(_result_codes(desa_section)) == SEARCH_LIMIT


def test_search_treats_like_wildcards_literally(login_as):
    page = _text(login_as("admin").get("/wilayah?q=%25"))
    assert "Tidak ada wilayah yang cocok" in page
    assert _result_codes(page) == []


def test_active_search_returns_only_the_results_block(login_as):
    client = login_as("admin")
    fragment = _text(client.get("/wilayah?q=widoro", headers=HX))
    assert fragment.lstrip().startswith('<div id="search-results">')
    assert "<html" not in fragment and "35.01.01.2001" in fragment
    page = _text(client.get("/wilayah?q=widoro"))
    assert "<html" in page and 'value="widoro"' in page and "35.01.01.2001" in page
    assert 'hx-trigger="input changed delay:300ms, search"' in page
    assert 'hx-push-url="true"' in page


# --- renaming ----------------------------------------------------------------


def test_admin_renames_a_desa_in_place_and_it_is_audited(login_as):
    desa = _first_desa(REGENCY_A)
    url = f"/r/{REGENCY_A}/wilayah/{desa.slug}/ubah"
    client = login_as("admin")
    page = _text(client.get(f"/r/{REGENCY_A}/desa/{desa.slug}"))
    assert f'hx-get="{url}"' in page

    form = _text(client.get(url, headers=HX))
    assert "<html" not in form and f'hx-post="{url}"' in form
    assert f'value="{desa.name}"' in form

    response = client.post(url, data={"name": "  Tulungrejo Baru "}, headers=HX)
    assert response.status_code == 200
    assert "<h1>Desa Tulungrejo Baru</h1>" in _text(response)
    stored = db.session.execute(select(Desa.name).filter_by(code=desa.code)).scalar_one()
    assert stored == "Tulungrejo Baru"
    entry = db.session.execute(
        select(AuditEntry).filter_by(action="update", object_type="desa")
    ).scalar_one()
    assert entry.after == {"name": "Tulungrejo Baru"} and entry.actor == "admin"


@pytest.mark.parametrize(
    ("kode", "page"),
    [(REGENCY_A, f"/r/{REGENCY_A}/"), ("350701", f"/r/{REGENCY_A}/kecamatan/350701")],
)
def test_rename_by_plain_post_redirects_to_the_page(login_as, kode, page):
    client = login_as("admin")
    response = client.post(f"/r/{REGENCY_A}/wilayah/{kode}/ubah", data={"name": "Nama Uji"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(page)
    assert "Nama Uji</h1>" in _text(client.get(page))


@pytest.mark.parametrize(
    ("name", "message"), [("   ", "Wajib diisi."), ("x" * 121, "Maksimal 120 karakter.")]
)
def test_rename_refuses_bad_names_next_to_the_field(login_as, name, message):
    url = f"/r/{REGENCY_A}/wilayah/350701/ubah"
    response = login_as("admin").post(url, data={"name": name}, headers=HX)
    assert response.status_code == 422
    assert re.search(rf'id="name-error" class="errors"><li>{message}</li>', _text(response))
    assert db.session.execute(select(Kecamatan.name).filter_by(code="35.07.01")).scalar() == (
        "Donomulyo"
    )


def test_rename_page_without_javascript_is_a_full_page(login_as):
    page = _text(login_as("admin").get(f"/r/{REGENCY_A}/wilayah/350701/ubah"))
    assert "<html" in page and 'method="post"' in page
    assert 'href="/r/3507/kecamatan/350701">Batal</a>' in page


@pytest.mark.parametrize("username", ["provinsi", "operator_a", "anggota_a", "pemantau_a"])
def test_only_admin_may_rename(login_as, username):
    client = login_as(username)
    url = f"/r/{REGENCY_A}/wilayah/350701/ubah"
    assert client.get(url).status_code == 403
    assert client.post(url, data={"name": "Bukan Admin"}).status_code == 403
    assert "Ubah nama" not in _text(client.get(f"/r/{REGENCY_A}/kecamatan/350701"))


def test_renaming_another_regencys_region_through_this_url_is_404(login_as, regency):
    desa_b = _first_desa(REGENCY_B)
    client = login_as("admin")
    assert client.get(f"/r/{REGENCY_A}/wilayah/{desa_b.slug}/ubah").status_code == 404
    assert client.get(f"/r/{REGENCY_A}/wilayah/{REGENCY_B}/ubah").status_code == 404


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_rename_without_the_csrf_token_is_refused(self, login_as):
        response = login_as("admin").post(
            f"/r/{REGENCY_A}/wilayah/350701/ubah", data={"name": "Tanpa Token"}
        )
        assert response.status_code == 400
        assert db.session.execute(select(Kecamatan.name).filter_by(code="35.07.01")).scalar() == (
            "Donomulyo"
        )


def test_world_tps_are_where_the_pages_expect_them(app):
    # The counts asserted above rely on the test world: 3 TPS in each of the
    # first two desa of each of the two test regencies.
    assert db.session.scalar(select(func.count()).select_from(Tps)) == 12
