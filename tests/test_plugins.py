"""The plugin system: discovery, per-regency enablement, the one enforcement
point, and every hook of the contract, exercised through the outside test
plugin ``hello`` (installed through an entry point) and in-test plugins."""

import csv
import io
import re
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from phpnet import hookspecs
from phpnet.audit.models import AuditEntry
from phpnet.demo import demo_records
from phpnet.extensions import db
from phpnet.plugin_system.enablement import (
    enabled_plugins,
    plugin_settings,
    set_plugin_enabled,
    set_plugin_settings,
)
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from tests.plugin_fixtures import BROKEN_SITE, HELLO_SITE, ChainPlugin

HOOKS = sorted(name for name in dir(hookspecs) if name.startswith("phpnet_"))
DOCS = Path(__file__).parents[1] / "docs" / "plugins.md"


@pytest.fixture
def app_config(app_config, monkeypatch):
    monkeypatch.syspath_prepend(str(HELLO_SITE))
    monkeypatch.syspath_prepend(str(BROKEN_SITE))
    return {**app_config, "PHPNET_LOAD_ENTRYPOINTS": True}


@pytest.fixture
def enable(app, regency, user):
    def switch(name: str, code: str, state: bool = True) -> set[str]:
        changed = set_plugin_enabled(regency(code), name, state, user("admin"))
        db.session.commit()
        return changed

    return switch


@pytest.fixture
def hello_in_a(enable):
    enable("hello", REGENCY_A)


def registry(app):
    return app.extensions["phpnet"]


# --- the contract -------------------------------------------------------------


def test_every_hook_is_documented_with_its_signature():
    text = DOCS.read_text()
    for name in HOOKS:
        spec = getattr(hookspecs, name)
        params = ", ".join(spec.__code__.co_varnames[: spec.__code__.co_argcount])
        assert f"### `{name}({params})`" in text, name


def test_every_hook_has_a_test_here():
    tests = set(re.findall(r"^def (test_hook_\w+)\(", Path(__file__).read_text(), re.M))
    assert {f"test_hook_{name}" for name in HOOKS} <= tests


def test_every_hook_has_a_docstring():
    assert all((getattr(hookspecs, name).__doc__ or "").strip() for name in HOOKS)


def test_outside_plugin_is_found_through_its_entry_point(app):
    assert "hello" in registry(app).infos
    assert registry(app).pm.get_plugin("hello").__name__ == "phpnet_hello"


def test_broken_plugin_is_listed_as_failed_and_the_app_runs(app, login_as):
    assert "broken" in registry(app).failed
    assert "modul rusak" in registry(app).failed["broken"]
    page = login_as("admin").get("/admin/plugin/")
    assert page.status_code == 200
    assert "broken" in page.text and "gagal dimuat" in page.text


def test_blocked_plugin_is_not_loaded(app_config, test_database):
    from phpnet import create_app

    test_database.reset()
    blocked = create_app({**app_config, "PHPNET_BLOCKED_PLUGINS": ["hello"]})
    assert "hello" not in blocked.extensions["phpnet"].infos
    assert not [r for r in blocked.url_map.iter_rules() if "/hello" in r.rule]


def test_misspelled_hook_stops_start_up(app_config):
    from pluggy import PluginValidationError

    from phpnet import create_app

    plugin = ChainPlugin("typo")
    plugin.phpnet_nav_itemz = hookspecs.hookimpl(lambda: [])  # no such spec
    with pytest.raises(PluginValidationError):
        create_app({**app_config, "PHPNET_EXTRA_PLUGINS": {"typo": plugin}})


def test_missing_requirement_stops_start_up(app_config):
    from phpnet import create_app

    orphan = ChainPlugin("orphan", requires=("nowhere",))
    with pytest.raises(RuntimeError, match="requires"):
        create_app({**app_config, "PHPNET_EXTRA_PLUGINS": {"orphan": orphan}})


def test_province_pages_may_take_a_path_of_their_own(app_config):
    from flask import Blueprint

    from phpnet import create_app

    plugin = ChainPlugin("coordinating", province_path="rapat")
    province = Blueprint("coordinating_provinsi", __name__)
    province.add_url_rule("/", "index", lambda: "rapat provinsi")
    plugin.phpnet_province_blueprints = hookspecs.hookimpl(lambda: [province])
    app = create_app({**app_config, "PHPNET_EXTRA_PLUGINS": {"coordinating": plugin}})
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("coordinating")}
    assert rules == {"/provinsi/rapat/"}


def test_plugin_routes_are_mounted_under_regency_and_plugin_name(app):
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("hello.")}
    assert rules == {"/r/<regency>/hello/", "/r/<regency>/hello/kartu", "/r/<regency>/hello/sapa"}
    province = {
        r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("hello_provinsi.")
    }
    assert province == {"/provinsi/hello/"}


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("admin", 200),
        ("provinsi", 200),
        ("operator_a", 403),
        ("pemantau_b", 403),
        ("nonaktif_a", 302),
    ],
)
def test_hook_phpnet_province_blueprints(app, login_as, who, status):
    response = login_as(who).get("/provinsi/hello/")
    assert response.status_code == status
    if status == 200:
        assert "Halo, Jawa Timur!" in response.text


def test_hook_phpnet_province_nav_items(app, login_as):
    assert 'href="/provinsi/hello/"' in login_as("provinsi").get("/").text
    assert "/provinsi/hello/" not in login_as("operator_a").get(f"/r/{REGENCY_A}/").text


def test_no_two_routes_share_a_rule_and_method(app):
    seen = set()
    for rule in app.url_map.iter_rules():
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            key = (re.sub(r"<[^>]+>", "<>", rule.rule), method)
            assert key not in seen, key
            seen.add(key)


# --- enablement and enforcement ---------------------------------------------------


def test_hook_phpnet_plugin_info(app):
    info = registry(app).infos["hello"]
    assert (info.name, info.label, info.version, info.default_enabled) == (
        "hello",
        "Halo",
        "0.1.0",
        False,
    )


def test_hook_phpnet_blueprints(app, login_as, hello_in_a):
    page = login_as("operator_a").get(f"/r/{REGENCY_A}/hello/")
    assert page.status_code == 200
    assert "Halo, Kabupaten Malang!" in page.text


def test_disabled_plugin_answers_404_and_enabled_one_200(app, login_as, enable):
    operator = login_as("operator_a")
    assert operator.get(f"/r/{REGENCY_A}/hello/").status_code == 404
    enable("hello", REGENCY_A)
    assert operator.get(f"/r/{REGENCY_A}/hello/").status_code == 200
    enable("hello", REGENCY_A, False)
    assert operator.get(f"/r/{REGENCY_A}/hello/").status_code == 404


def test_plugin_of_another_regency_answers_404(app, login_as, enable):
    enable("hello", REGENCY_A)
    enable("hello", REGENCY_B)
    assert login_as("operator_b").get(f"/r/{REGENCY_A}/hello/").status_code == 404
    assert login_as("operator_b").get(f"/r/{REGENCY_B}/hello/").status_code == 200


def test_anonymous_user_is_sent_to_login_even_where_disabled(client):
    response = client.get(f"/r/{REGENCY_A}/hello/")
    assert response.status_code == 302
    assert "/login" in response.headers["Location"]


def test_province_reads_every_regency_where_enabled(app, login_as, hello_in_a):
    province = login_as("provinsi")
    assert province.get(f"/r/{REGENCY_A}/hello/").status_code == 200
    assert province.get(f"/r/{REGENCY_B}/hello/").status_code == 404


def test_hook_phpnet_permissions(app, login_as, hello_in_a):
    assert login_as("operator_a").post(f"/r/{REGENCY_A}/hello/sapa").status_code == 200
    assert login_as("pemantau_a").post(f"/r/{REGENCY_A}/hello/sapa").status_code == 403
    assert login_as("provinsi").post(f"/r/{REGENCY_A}/hello/sapa").status_code == 403


def test_enabling_takes_the_requirements_and_disabling_the_dependents(app_config, test_database):
    from phpnet import create_app
    from phpnet.testing import login

    base, middle, top = (
        ChainPlugin("base"),
        ChainPlugin("middle", ("base",)),
        ChainPlugin("top", ("middle",)),
    )
    extra = {"base": base, "middle": middle, "top": top}
    test_database.reset()
    app = create_app({**app_config, "PHPNET_EXTRA_PLUGINS": extra})
    with app.app_context():
        from phpnet.auth.models import User
        from phpnet.regions.models import Regency

        malang = db.session.execute(select(Regency).filter_by(code="35.07")).scalar_one()
        admin = db.session.execute(select(User).filter_by(username="admin")).scalar_one()
        assert set_plugin_enabled(malang, "top", True, admin) == {"base", "middle", "top"}
        db.session.commit()
        assert {"base", "middle", "top"} <= enabled_plugins(malang)
        assert base.calls == ["enabled 3507"] and top.calls == ["enabled 3507"]
        assert set_plugin_enabled(malang, "base", False, admin) == {"base", "middle", "top"}
        db.session.commit()
        assert not {"base", "middle", "top"} & enabled_plugins(malang)
        assert middle.calls == ["enabled 3507", "disabled 3507"]
        audited = (
            db.session.execute(
                select(AuditEntry).filter_by(object_type="regency_plugin", regency_id=malang.id)
            )
            .scalars()
            .all()
        )
        assert len(audited) == 6  # three rows created, then three updated
        assert login(app.test_client(), "admin")


def test_default_enabled_plugin_is_on_for_regencies_without_a_choice(app_config, test_database):
    from phpnet import create_app
    from phpnet.regions.models import Regency

    test_database.reset()
    app = create_app(
        {**app_config, "PHPNET_EXTRA_PLUGINS": {"auto": ChainPlugin("auto", default=True)}}
    )
    with app.app_context():
        regencies = db.session.execute(select(Regency)).scalars().all()
        assert all("auto" in enabled_plugins(r) for r in regencies)


def test_settings_survive_disable_and_enable(app, regency, enable):
    malang = regency(REGENCY_A)
    enable("hello", REGENCY_A)
    set_plugin_settings(malang, "hello", {"greeting": "Sugeng rawuh"})
    db.session.commit()
    enable("hello", REGENCY_A, False)
    enable("hello", REGENCY_A)
    assert plugin_settings(malang, "hello") == {"greeting": "Sugeng rawuh"}


def test_hook_phpnet_regency_enabled(app, enable):
    import phpnet_hello

    phpnet_hello.GREETINGS.clear()
    enable("hello", REGENCY_A)
    enable("hello", REGENCY_A)  # no change, no second call
    assert phpnet_hello.GREETINGS == ["aktif 3507"]


def test_hook_phpnet_demo_data(app, enable, regency):
    import phpnet_hello

    enable("hello", REGENCY_A)
    phpnet_hello.GREETINGS.clear()

    added = demo_records([regency(REGENCY_A), regency(REGENCY_B)])

    assert "1 salam di Kabupaten Malang" in added
    assert not any("salam" in item and "Surabaya" in item for item in added)  # disabled there
    assert phpnet_hello.GREETINGS == ["demo 3507"]


def test_hook_phpnet_regency_disabled(app, enable):
    import phpnet_hello

    enable("hello", REGENCY_A)
    phpnet_hello.GREETINGS.clear()
    enable("hello", REGENCY_A, False)
    assert phpnet_hello.GREETINGS == ["nonaktif 3507"]


# --- contributions vanish where the plugin is disabled -----------------------------


def test_hook_phpnet_nav_items(app, login_as, enable):
    enable("hello", REGENCY_A)
    nav = login_as("operator_a").get(f"/r/{REGENCY_A}/").text
    assert f'href="/r/{REGENCY_A}/hello/"' in nav
    other = login_as("operator_b").get(f"/r/{REGENCY_B}/").text
    assert "/hello/" not in other


def test_hook_phpnet_dashboard_cards(app, login_as, hello_in_a):
    operator = login_as("operator_a")
    page = operator.get(f"/r/{REGENCY_A}/").text
    assert 'hx-get="/r/3507/hello/kartu"' in page and 'hx-trigger="load"' in page
    card = operator.get(f"/r/{REGENCY_A}/hello/kartu", headers=HX)
    assert card.status_code == 200 and "Kartu halo" in card.text and "<html" not in card.text
    assert "hello/kartu" not in login_as("operator_b").get(f"/r/{REGENCY_B}/").text


def test_hook_phpnet_readiness_checks(app, login_as, hello_in_a):
    page = login_as("operator_a").get(f"/r/{REGENCY_A}/kesiapan").text
    assert "Halo siap" in page and "SK Tim Penyelesaian PHP" in page
    assert "Halo siap" not in login_as("operator_b").get(f"/r/{REGENCY_B}/kesiapan").text


def test_hook_phpnet_province_figures(app, login_as, hello_in_a, regency):
    page = login_as("provinsi").get("/provinsi/").text
    table = re.search(r"Data: Salam per kab/kota.*?</table>", page, re.S).group(0)
    assert re.findall(r'<th scope="row">([^<]+)</th>', table) == [regency(REGENCY_A).name]
    assert regency(REGENCY_B).name not in table


def test_hook_phpnet_weekly_activity(app, login_as, hello_in_a):
    page = login_as("provinsi").get("/provinsi/").text
    activity = re.search(r"Data: Kegiatan per minggu.*?</table>", page, re.S).group(0)
    kinds = re.findall(r'<th scope="col" class="num">([^<]+)</th>', activity)
    salam = kinds.index("Salam")
    weeks = re.findall(r'<tr>\s*<th scope="row">Minggu.*?</tr>', activity, re.S)
    counts = [re.findall(r'<td class="num">(\d+) kegiatan</td>', week)[salam] for week in weeks]
    assert counts == ["2"] + ["0"] * 11  # hello counts 2 in the first week, in A only


def _ask(app, regency, hook, **kwargs):
    from phpnet.plugin_system.contributions import call_for_regency

    with app.test_request_context():
        return [item for _, item in call_for_regency(hook, regency, **kwargs)]


def test_hook_phpnet_records_at(app, regency, hello_in_a):
    from phpnet.contrib import Place

    found = _ask(app, regency(REGENCY_A), "phpnet_records_at", place=Place(kecamatan_id=7))
    assert [(link.plugin, link.record_id, link.label) for link in found] == [
        ("hello", 7, "Salam di 7")
    ]
    assert _ask(app, regency(REGENCY_B), "phpnet_records_at", place=Place(kecamatan_id=7)) == []


def test_hook_phpnet_problem_form(app, regency, hello_in_a):
    from phpnet.contrib import Place, ProblemDraft

    draft = ProblemDraft(Place(), "Kotak suara rusak", "uji:1", "/r/3507/")
    assert _ask(app, regency(REGENCY_A), "phpnet_problem_form", draft=draft) == [
        "/r/3507/hello/?sumber=uji:1"
    ]
    assert _ask(app, regency(REGENCY_B), "phpnet_problem_form", draft=draft) == []


def test_hook_phpnet_record_created(app, regency, hello_in_a):
    from phpnet_hello import GREETINGS

    from phpnet.contrib import RecordLink

    record = RecordLink("lain", 5, "Entri 5", "/r/3507/")
    GREETINGS.clear()
    _ask(app, regency(REGENCY_B), "phpnet_record_created", source="uji:1", record=record)
    assert GREETINGS == []  # hello is disabled in B
    _ask(app, regency(REGENCY_A), "phpnet_record_created", source="uji:1", record=record)
    assert GREETINGS == ["tercatat uji:1 -> lain:5"]


def test_hook_phpnet_search(app, login_as, hello_in_a):
    found = login_as("operator_a").get(f"/r/{REGENCY_A}/cari?q=halo", headers=HX)
    assert "Halo dari modul contoh" in found.text and "<html" not in found.text
    other = login_as("operator_b").get(f"/r/{REGENCY_B}/cari?q=halo")
    assert "Halo dari modul contoh" not in other.text


def test_hook_phpnet_exports(app, login_as, hello_in_a):
    operator = login_as("operator_a")
    assert "Daftar salam" in operator.get(f"/r/{REGENCY_A}/ekspor/").text
    response = operator.get(f"/r/{REGENCY_A}/ekspor/hello/salam")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))
    assert rows == [["Salam", "Rumus"], ["Halo", "'=1+1"]]  # the formula is neutralised
    assert login_as("operator_b").get(f"/r/{REGENCY_B}/ekspor/hello/salam").status_code == 404


@pytest.mark.parametrize(("slot", "page"), [("dashboard_top", ""), ("team_aside", "tim/")])
def test_hook_phpnet_template_slot(app, login_as, hello_in_a, slot, page):
    assert f"Halo dari slot {slot}" in login_as("operator_a").get(f"/r/{REGENCY_A}/{page}").text
    assert "Halo dari slot" not in login_as("operator_b").get(f"/r/{REGENCY_B}/{page}").text


def test_hook_phpnet_cli(app):
    result = app.test_cli_runner().invoke(args=["hello"])
    assert result.exit_code == 0 and "Halo dari phpnet-hello" in result.output


# --- the admin matrix and the CLI -------------------------------------------------------


def test_admin_matrix_lists_38_regencies_by_plugins(app, login_as):
    page = login_as("admin").get("/admin/plugin/")
    assert page.status_code == 200
    assert page.text.count('id="plugins-35') == 38
    assert "Halo" in page.text


@pytest.mark.parametrize("who", ["provinsi", "operator_a", "anggota_a", "pemantau_a"])
def test_only_admin_manages_plugins(app, login_as, regency, who):
    client = login_as(who)
    assert client.get("/admin/plugin/").status_code == 403
    assert client.post(f"/admin/plugin/hello/{REGENCY_A}", data={"enabled": "1"}).status_code == 403
    assert "hello" not in enabled_plugins(regency(REGENCY_A))


def test_htmx_toggle_swaps_the_regency_row(app, login_as, regency):
    response = login_as("admin").post(
        f"/admin/plugin/hello/{REGENCY_A}", data={"enabled": "1"}, headers=HX
    )
    assert response.status_code == 200
    assert response.text.strip().startswith(f'<tr id="plugins-{REGENCY_A}">')
    assert "aktif" in response.text and "<html" not in response.text
    assert "hello" in enabled_plugins(regency(REGENCY_A))


def test_plain_toggle_redirects_with_a_message(app, login_as, regency):
    admin = login_as("admin")
    response = admin.post(f"/admin/plugin/hello/{REGENCY_B}", data={"enabled": "1"})
    assert response.status_code == 303
    assert "Halo diaktifkan untuk Kota Surabaya" in admin.get("/admin/plugin/").text


def test_toggle_all_regencies(app, login_as, regency):
    login_as("admin").post("/admin/plugin/hello/semua", data={"enabled": "1"})
    assert "hello" in enabled_plugins(regency(REGENCY_B))
    login_as("admin").post("/admin/plugin/hello/semua", data={"enabled": "0"})
    assert "hello" not in enabled_plugins(regency(REGENCY_A))


@pytest.mark.parametrize("data", [{}, {"enabled": "ya"}])
def test_toggle_with_bad_value_is_400(app, login_as, data):
    assert login_as("admin").post(f"/admin/plugin/hello/{REGENCY_A}", data=data).status_code == 400


@pytest.mark.parametrize("url", ["/admin/plugin/nothing/3507", "/admin/plugin/hello/9999"])
def test_toggle_of_unknown_plugin_or_regency_is_404(app, login_as, url):
    assert login_as("admin").post(url, data={"enabled": "1"}).status_code == 404


def test_cli_enable_list_disable(app, regency):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["plugins", "enable", "hello", "--regency", REGENCY_A])
    assert result.exit_code == 0, result.output
    assert "hello" in enabled_plugins(regency(REGENCY_A))
    listing = runner.invoke(args=["plugins", "list"]).output
    assert re.search(r"hello\s+0\.1\.0\s+1/38", listing)
    assert "broken" in listing and "GAGAL" in listing
    assert runner.invoke(args=["plugins", "enable", "hello", "--all"]).exit_code == 0
    db.session.expire_all()
    assert re.search(r"hello\s+0\.1\.0\s+38/38", runner.invoke(args=["plugins", "list"]).output)
    assert runner.invoke(args=["plugins", "disable", "hello", "--all"]).exit_code == 0
    assert re.search(r"hello\s+0\.1\.0\s+0/38", runner.invoke(args=["plugins", "list"]).output)


@pytest.mark.parametrize(
    "args",
    [
        ["plugins", "enable", "nothing", "--regency", REGENCY_A],
        ["plugins", "enable", "hello"],
        ["plugins", "enable", "hello", "--regency", "9999"],
    ],
)
def test_cli_refuses_bad_arguments(app, args):
    assert app.test_cli_runner().invoke(args=args).exit_code != 0


def test_plugin_migrations_live_on_their_own_branch(app_config, tmp_path, monkeypatch):
    """``phpnet db upgrade`` builds core and every plugin branch; a plugin's
    tables never need core's history to change."""
    from sqlalchemy import create_engine, inspect

    from phpnet import create_app

    database = tmp_path / "fresh.sqlite3"
    app = create_app({**app_config, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{database}"})
    runner = app.test_cli_runner()
    result = runner.invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    engine = create_engine(f"sqlite:///{database}")
    with engine.connect() as connection:
        versions = set(
            connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalars()
        )
    assert "hello_0001" in versions and len(versions) >= 2  # its own head beside core's
    assert {"hello_greeting", "regency", "regency_plugin"} <= set(inspect(engine).get_table_names())


def test_province_switcher_opens_the_chosen_regency(app, login_as):
    province = login_as("provinsi")
    home = province.get("/").text
    assert 'id="regency-switch"' in home and "— pilih kab/kota —" in home
    response = province.get(f"/pindah?kode={REGENCY_B}")
    assert response.status_code == 302 and response.headers["Location"] == f"/r/{REGENCY_B}/"
    assert province.get("/pindah?kode=").status_code == 404
    assert 'id="regency-switch"' not in login_as("operator_a").get(f"/r/{REGENCY_A}/").text


def test_core_checks_judge_many_regencies_in_one_call(app, regency):
    from datetime import date

    from phpnet.plugin_system.readiness import judge
    from phpnet.teams.models import Team

    malang, surabaya = regency(REGENCY_A), regency(REGENCY_B)
    db.session.add(
        Team(regency_id=malang.id, sk_number="1/PP/2024", sk_date=date(2024, 3, 1), signed_by="K")
    )
    db.session.flush()
    with app.test_request_context():
        judged = {j.check.key: j.results for j in judge([malang, surabaya])}
    assert judged["team"][malang.id].status == "warn"  # a decree without members
    assert judged["team"][surabaya.id].status == "fail"
    assert judged["tps"][malang.id].detail == "6 TPS tercatat."
    assert judged["tps"][surabaya.id].status == "ok"


# --- the audit log's names for a plugin's records --------------------------------


def test_the_audit_log_and_change_feed_name_a_plugins_records_as_it_says(app, login_as):
    entry = {"at": datetime(2024, 2, 14, 6, 0), "actor": "operator_a", "action": "create"}
    db.session.execute(
        insert(AuditEntry),
        [
            {**entry, "object_type": "hello_greeting", "object_id": "1"},
            {**entry, "object_type": "hello_old_note", "object_id": "2"},  # nobody named it
            {**entry, "action": "hello_wave", "object_type": "hello_greeting", "object_id": "3"},
        ],
    )
    db.session.commit()
    admin = login_as("admin")
    for url in ("/audit", "/provinsi/perubahan"):
        page = admin.get(url).text
        assert ">Salam<" in page and '<option value="hello_greeting">Salam</option>' in page
        assert "Hello old note" in page
        assert ">hello_greeting<" not in page
    log = admin.get("/audit").text
    assert ">Melambai<" in log and '<option value="hello_wave">Melambai</option>' in log


def test_every_table_of_every_plugin_has_a_record_label(app):
    for info in registry(app).infos.values():
        tables = {t for t in db.metadata.tables if t.startswith(f"{info.name}_")}
        assert tables <= set(info.record_labels), f"{info.name}: {tables - set(info.record_labels)}"
