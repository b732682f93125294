"""Account administration: the admin pages and ``phpnet users``."""

import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func

from phpnet.audit.models import AuditEntry
from phpnet.auth.models import Role, User, UserSession
from phpnet.auth.passwords import verify_password
from phpnet.extensions import db
from phpnet.testing import HX, PASSWORD, REGENCY_A, REGENCY_B, WORLD_USERS

INDEX = "/admin/pengguna"
NEW = "/admin/pengguna/baru"
GOOD_PASSWORD = "kalimat sandi yang cukup panjang"
NEW_ACCOUNT = {
    "username": "budi.santoso",
    "full_name": "Budi Santoso",
    "role": "operator",
    "regency": REGENCY_A,
}


def edit_url(account: User) -> str:
    return f"/admin/pengguna/{account.id}/ubah"


def action_url(account: User, action: str) -> str:
    return f"/admin/pengguna/{account.id}/{action}"


def issued_password(page: str) -> str:
    match = re.search(r'<code id="issued-password">([^<]+)</code>', page)
    assert match, "the page shows the issued password"
    return match.group(1)


def field_errors(page: str, field: str) -> str:
    """The error list shown next to ``field`` (empty if there is none)."""
    match = re.search(rf'<ul id="{field}-error" class="errors">(.*?)</ul>', page, re.S)
    return match.group(1) if match else ""


def is_logged_in(client) -> bool:
    return client.get("/akun/sandi").status_code == 200


def account_count() -> int:
    return db.session.execute(db.select(func.count(User.id))).scalar_one()


def audit_of(account: User, action: str) -> AuditEntry:
    if action == "create":
        return creation_audit(account.username)
    return db.session.execute(
        db.select(AuditEntry).filter_by(
            object_type="user_account", object_id=str(account.id), action=action
        )
    ).scalar_one()


def creation_audit(username: str) -> AuditEntry:
    # Matched on the recorded values: creations are logged before the
    # database assigns the id, so their object_id may be empty.
    entries = db.session.execute(
        db.select(AuditEntry).filter_by(object_type="user_account", action="create")
    ).scalars()
    [entry] = [entry for entry in entries if entry.after["username"] == username]
    return entry


def find(username: str) -> User | None:
    return db.session.execute(db.select(User).filter_by(username=username)).scalar_one_or_none()


# --- Who may come here --------------------------------------------------------

NON_ADMINS = ["provinsi", "operator_a", "anggota_a", "pemantau_a"]


def admin_routes(target: User) -> list[tuple[str, str]]:
    return [
        ("GET", INDEX),
        ("GET", NEW),
        ("POST", NEW),
        ("GET", edit_url(target)),
        ("POST", edit_url(target)),
        ("POST", action_url(target, "nonaktifkan")),
        ("POST", action_url(target, "aktifkan")),
        ("POST", action_url(target, "reset-sandi")),
    ]


@pytest.mark.parametrize("who", NON_ADMINS)
def test_non_admins_get_403_and_change_nothing(login_as, user, who):
    client = login_as(who)
    target = user("operator_b")
    before = (target.full_name, target.role, target.is_active, target.password_hash)
    payload = {**NEW_ACCOUNT, "full_name": "Diubah", "role": "admin", "regency": ""}

    for method, url in admin_routes(target):
        for headers in ({}, HX):
            response = client.open(url, method=method, data=payload, headers=headers)
            assert response.status_code == 403, (method, url, headers)

    target = user("operator_b")
    assert (target.full_name, target.role, target.is_active, target.password_hash) == before
    assert find("budi.santoso") is None


def test_anonymous_is_sent_to_login(client, user):
    for method, url in admin_routes(user("operator_b")):
        response = client.open(url, method=method)
        assert response.status_code == 302, (method, url)
        assert urlsplit(response.headers["Location"]).path == "/login"
        assert client.open(url, method=method, headers=HX).status_code == 401


def test_unknown_account_is_404(login_as):
    assert login_as("admin").get("/admin/pengguna/999999/ubah").status_code == 404


# --- The list -----------------------------------------------------------------


def test_list_shows_every_account_with_role_regency_and_status(login_as):
    page = login_as("admin").get(INDEX).get_data(as_text=True)

    for username in ("admin", "provinsi", "operator_a", "pemantau_b", "nonaktif_a"):
        assert f">{username}</a>" in page
    assert "Operator KPU Kabupaten/Kota" in page
    assert "Kabupaten Malang" in page
    assert "Kota Surabaya" in page
    assert '<span class="badge off">Nonaktif</span>' in page
    assert "9 akun" in page


def usernames_in(page: str) -> set[str]:
    return set(re.findall(r'/admin/pengguna/\d+/ubah">([^<]+)</a>', page))


@pytest.mark.parametrize(
    "query, expected",
    [
        ({"role": "operator"}, {"operator_a", "operator_b", "nonaktif_a"}),
        ({"regency": REGENCY_B}, {"operator_b", "anggota_b", "pemantau_b"}),
        ({"status": "nonaktif"}, {"nonaktif_a"}),
        ({"role": "operator", "regency": REGENCY_A, "status": "aktif"}, {"operator_a"}),
        ({"q": "PEMANTAU"}, {"pemantau_a", "pemantau_b"}),
        ({"q": "%"}, set()),  # a LIKE wildcard is searched for literally
        ({"q": "_"}, {name for name in WORLD_USERS if "_" in name}),
        ({"role": "superuser", "regency": "9999", "status": "x"}, set(WORLD_USERS)),  # ignored
    ],
)
def test_list_filters(login_as, query, expected):
    response = login_as("admin").get(INDEX, query_string=query)
    assert response.status_code == 200
    assert usernames_in(response.get_data(as_text=True)) == expected


def test_active_search_answers_htmx_with_the_table_only(login_as):
    response = login_as("admin").get(
        INDEX, query_string={"q": "operator"}, headers={**HX, "HX-Target": "user-table"}
    )
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert page.lstrip().startswith('<div id="user-table"')
    assert "<html" not in page
    assert usernames_in(page) == {"operator_a", "operator_b"}


def test_history_restore_gets_the_whole_page(login_as):
    headers = {**HX, "HX-Target": "user-table", "HX-History-Restore-Request": "true"}
    page = login_as("admin").get(INDEX, headers=headers).get_data(as_text=True)
    assert "<html" in page


def test_list_is_paginated(login_as):
    for number in range(30):
        db.session.add(
            User(
                username=f"staf{number:02d}",
                full_name=f"Staf {number}",
                role=Role.PROVINSI,
                password_hash="tidak-dipakai",
            )
        )
    db.session.commit()
    client = login_as("admin")

    first = client.get(INDEX).get_data(as_text=True)
    second = client.get(INDEX, query_string={"page": 2}).get_data(as_text=True)

    assert len(usernames_in(first)) == 25
    assert len(usernames_in(second)) == 14
    assert usernames_in(first).isdisjoint(usernames_in(second))
    assert "Halaman 1 dari 2" in first
    assert 'href="/admin/pengguna?page=2"' in first


def test_pagination_keeps_the_filters(login_as):
    for number in range(30):
        db.session.add(
            User(
                username=f"staf{number:02d}",
                full_name="Staf",
                role=Role.PROVINSI,
                password_hash="tidak-dipakai",
            )
        )
    db.session.commit()
    page = login_as("admin").get(INDEX, query_string={"role": "provinsi"}).get_data(as_text=True)
    assert "role=provinsi" in re.search(r'href="([^"]*page=2[^"]*)"', page).group(1)


@pytest.mark.parametrize("number", ["0", "-1", "abc", "9999999999999999999", "1;DROP TABLE x"])
def test_odd_page_numbers_still_show_a_page(login_as, number):
    response = login_as("admin").get(INDEX, query_string={"page": number})
    assert response.status_code == 200
    assert usernames_in(response.get_data(as_text=True))


# --- Creating accounts --------------------------------------------------------


def test_create_shows_a_random_password_once_that_must_be_changed(login_as, app):
    admin = login_as("admin")

    response = admin.post(NEW, data=NEW_ACCOUNT)

    assert response.status_code == 200
    password = issued_password(response.get_data(as_text=True))
    assert len(password) >= app.config["PASSWORD_MIN_LENGTH"]
    account = find("budi.santoso")
    assert account.full_name == "Budi Santoso"
    assert account.role is Role.OPERATOR
    assert account.regency.slug == REGENCY_A
    assert account.must_change_password
    assert verify_password(account.password_hash, password)
    # Never again: not on the list, the account page, nor in the audit log.
    assert password not in admin.get(INDEX).get_data(as_text=True)
    assert password not in admin.get(edit_url(account)).get_data(as_text=True)
    audit = audit_of(account, "create")
    assert audit.after["username"] == "budi.santoso"
    assert "password_hash" not in audit.after
    assert response.headers["Cache-Control"] == "no-store"


def test_created_account_must_change_the_password_first(login_as, app):
    page = login_as("admin").post(NEW, data=NEW_ACCOUNT).get_data(as_text=True)
    newcomer = app.test_client()

    response = newcomer.post(
        "/login", data={"username": "budi.santoso", "password": issued_password(page)}
    )

    assert response.headers["Location"] == "/akun/sandi"
    assert newcomer.get("/").headers["Location"] == "/akun/sandi"


def test_two_passwords_issued_differ(login_as):
    admin = login_as("admin")
    first = issued_password(admin.post(NEW, data=NEW_ACCOUNT).get_data(as_text=True))
    second_account = {**NEW_ACCOUNT, "username": "siti"}
    second = issued_password(admin.post(NEW, data=second_account).get_data(as_text=True))
    assert first != second


def test_usernames_are_stored_in_lowercase(login_as):
    login_as("admin").post(NEW, data={**NEW_ACCOUNT, "username": "  Budi.Santoso "})
    assert find("budi.santoso") is not None


def test_province_roles_need_no_regency(login_as):
    data = {**NEW_ACCOUNT, "role": "provinsi", "regency": ""}
    assert login_as("admin").post(NEW, data=data).status_code == 200
    assert find("budi.santoso").regency_id is None


@pytest.mark.parametrize(
    "changes, field, message",
    [
        ({"username": "operator_a"}, "username", "Nama pengguna «operator_a» sudah dipakai."),
        ({"username": "Operator_A"}, "username", "sudah dipakai"),
        ({"username": "budi santoso"}, "username", "Hanya huruf kecil, angka"),
        ({"username": "budi<script>"}, "username", "Hanya huruf kecil, angka"),
        ({"username": "ab"}, "username", "Harus antara 3 dan 64 karakter."),
        ({"username": "a" * 65}, "username", "Harus antara 3 dan 64 karakter."),
        ({"username": ""}, "username", "Wajib diisi."),
        ({"full_name": " "}, "full_name", "Wajib diisi."),
        ({"full_name": "x" * 201}, "full_name", "Maksimal 200 karakter."),
        ({"role": "superadmin"}, "role", "Pilihan tidak sah."),
        ({"regency": ""}, "regency", "Wajib diisi untuk peran Operator KPU Kabupaten/Kota."),
        ({"role": "pemantau", "regency": ""}, "regency", "Wajib diisi untuk peran Pemantau"),
        ({"role": "admin"}, "regency", "Harus kosong untuk peran Administrator sistem"),
        ({"role": "provinsi"}, "regency", "Harus kosong untuk peran Staf KPU Provinsi"),
        ({"regency": "9999"}, "regency", "Pilihan tidak sah."),
        ({"regency": "35.07"}, "regency", "Pilihan tidak sah."),
    ],
)
def test_create_refuses_bad_input_next_to_the_field(login_as, changes, field, message):
    before = account_count()

    response = login_as("admin").post(NEW, data={**NEW_ACCOUNT, **changes})

    assert response.status_code == 422
    assert message in field_errors(response.get_data(as_text=True), field)
    assert account_count() == before


def test_create_page_has_labelled_fields(login_as):
    page = login_as("admin").get(NEW).get_data(as_text=True)
    for field in ("username", "full_name", "role", "regency"):
        assert f'<label for="{field}">' in page


# --- Editing ------------------------------------------------------------------


def test_edit_changes_the_name_and_keeps_the_sessions(login_as, user):
    operator = login_as("operator_a")
    account = user("operator_a")
    data = {"full_name": "Operator Malang Baru", "role": "operator", "regency": REGENCY_A}

    response = login_as("admin").post(edit_url(account), data=data)

    assert response.status_code == 303
    assert response.headers["Location"] == INDEX
    assert user("operator_a").full_name == "Operator Malang Baru"
    assert is_logged_in(operator)


def test_edit_form_shows_the_current_values(login_as, user):
    page = login_as("admin").get(edit_url(user("operator_a"))).get_data(as_text=True)
    assert 'value="Operator A"' in page
    assert '<option selected value="operator">' in page
    assert f'<option selected value="{REGENCY_A}">' in page


@pytest.mark.parametrize(
    "data, changed_column",
    [
        ({"full_name": "Operator A", "role": "pemantau", "regency": REGENCY_A}, "role"),
        ({"full_name": "Operator A", "role": "operator", "regency": REGENCY_B}, "regency_id"),
    ],
    ids=["role", "regency"],
)
def test_changing_role_or_regency_ends_the_sessions(login_as, user, data, changed_column):
    operator = login_as("operator_a")
    assert operator.get(f"/r/{REGENCY_A}/").status_code != 302

    login_as("admin").post(edit_url(user("operator_a")), data=data)

    account = user("operator_a")
    assert account.role.value == data["role"]
    assert account.regency.slug == data["regency"]
    assert not is_logged_in(operator)
    assert changed_column in audit_of(account, "update").after


def test_edit_ignores_fields_it_does_not_offer(login_as, user):
    account = user("operator_a")
    data = {
        "full_name": "Operator A",
        "role": "operator",
        "regency": REGENCY_A,
        "username": "dibajak",
        "is_active": "0",
        "must_change_password": "1",
    }
    login_as("admin").post(edit_url(account), data=data)
    account = user("operator_a")
    assert (account.username, account.is_active, account.must_change_password) == (
        "operator_a",
        True,
        False,
    )


def test_edit_refuses_a_regency_for_province_roles(login_as, user):
    data = {"full_name": "Provinsi", "role": "provinsi", "regency": REGENCY_A}
    response = login_as("admin").post(edit_url(user("provinsi")), data=data)
    assert response.status_code == 422
    assert "Harus kosong" in field_errors(response.get_data(as_text=True), "regency")


def test_admin_cannot_demote_themself(login_as, user):
    admin = login_as("admin")
    data = {"full_name": "Admin", "role": "provinsi", "regency": ""}

    response = admin.post(edit_url(user("admin")), data=data)

    assert response.status_code == 422
    assert "tidak dapat mengubah peran akun Anda sendiri" in field_errors(
        response.get_data(as_text=True), "role"
    )
    assert user("admin").role is Role.ADMIN
    assert is_logged_in(admin)


def test_admin_may_rename_themself(login_as, user):
    admin = login_as("admin")
    data = {"full_name": "Admin Provinsi", "role": "admin", "regency": ""}
    assert admin.post(edit_url(user("admin")), data=data).status_code == 303
    assert user("admin").full_name == "Admin Provinsi"
    assert is_logged_in(admin)


# --- Disabling, enabling, resetting -------------------------------------------


def test_disabling_ends_every_session_at_once(login_as, user, app):
    sessions = [login_as("operator_a"), login_as("operator_a")]

    response = login_as("admin").post(action_url(user("operator_a"), "nonaktifkan"))

    assert response.status_code == 303
    assert response.headers["Location"] == edit_url(user("operator_a"))
    assert user("operator_a").is_active is False
    assert not any(is_logged_in(client) for client in sessions)
    live = db.session.execute(
        db.select(func.count(UserSession.id)).where(
            UserSession.user_id == user("operator_a").id, UserSession.revoked_at.is_(None)
        )
    ).scalar_one()
    assert live == 0
    refused = app.test_client().post(
        "/login", data={"username": "operator_a", "password": PASSWORD}
    )
    assert refused.status_code == 422


def test_enabling_lets_the_user_log_in_again(login_as, user, app):
    response = login_as("admin").post(action_url(user("nonaktif_a"), "aktifkan"))
    assert response.status_code == 303
    assert user("nonaktif_a").is_active is True
    welcome = app.test_client().post(
        "/login", data={"username": "nonaktif_a", "password": PASSWORD}
    )
    assert welcome.status_code == 302


def test_admin_cannot_disable_themself(login_as, user):
    admin = login_as("admin")
    response = admin.post(action_url(user("admin"), "nonaktifkan"))
    assert response.status_code == 409
    assert "tidak dapat menonaktifkan akun Anda sendiri" in response.get_data(as_text=True)
    assert user("admin").is_active is True
    assert is_logged_in(admin)


def test_reset_issues_a_new_password_and_ends_the_sessions(login_as, user, app):
    operator = login_as("operator_a")

    response = login_as("admin").post(action_url(user("operator_a"), "reset-sandi"))

    assert response.status_code == 200
    password = issued_password(response.get_data(as_text=True))
    account = user("operator_a")
    assert account.must_change_password
    assert verify_password(account.password_hash, password)
    assert not verify_password(account.password_hash, PASSWORD)
    assert not is_logged_in(operator)
    audit = audit_of(account, "update")
    assert set(audit.after) == {"must_change_password", "password_changed_at"}  # no hash
    newcomer = app.test_client()
    login = newcomer.post("/login", data={"username": "operator_a", "password": password})
    assert login.headers["Location"] == "/akun/sandi"


def test_admin_resets_their_own_password_on_the_password_page(login_as, user):
    admin = login_as("admin")
    before = user("admin").password_hash
    response = admin.post(action_url(user("admin"), "reset-sandi"))
    assert response.status_code == 409
    assert "gunakan halaman Ganti kata sandi" in response.get_data(as_text=True)
    assert user("admin").password_hash == before


def test_edit_page_offers_no_self_disable(login_as, user):
    page = login_as("admin").get(edit_url(user("admin"))).get_data(as_text=True)
    assert "nonaktifkan" not in page
    other = login_as("admin").get(edit_url(user("operator_a"))).get_data(as_text=True)
    assert action_url(user("operator_a"), "nonaktifkan") in other


# --- The command line -----------------------------------------------------------


def run_users(app, *args: str, stdin: str | None = None):
    return app.test_cli_runner().invoke(args=["users", *args], input=stdin)


def test_cli_creates_an_account_with_a_password_from_stdin(app):
    result = run_users(
        app,
        "create",
        "budi.santoso",
        "--role",
        "operator",
        "--regency",
        REGENCY_A,
        "--full-name",
        "Budi Santoso",
        "--password-stdin",
        stdin=GOOD_PASSWORD + "\n",
    )

    assert result.exit_code == 0, result.output
    assert GOOD_PASSWORD not in result.output
    account = find("budi.santoso")
    assert (account.full_name, account.role, account.regency.slug) == (
        "Budi Santoso",
        Role.OPERATOR,
        REGENCY_A,
    )
    assert verify_password(account.password_hash, GOOD_PASSWORD)
    assert not account.must_change_password
    assert audit_of(account, "create").actor == "sistem"


def test_cli_accepts_the_dotted_regency_code(app):
    args = ["create", "budi", "--role", "anggota", "--regency", "35.07", "--password-stdin"]
    result = run_users(app, *args, stdin=GOOD_PASSWORD)
    assert result.exit_code == 0, result.output
    assert find("budi").regency.slug == REGENCY_A


def test_cli_without_password_issues_one_to_change(app):
    result = run_users(app, "create", "kpu.jatim", "--role", "admin")
    assert result.exit_code == 0, result.output
    password = re.search(r"wajib diganti\): (\S+)", result.output).group(1)
    account = find("kpu.jatim")
    assert account.full_name == "kpu.jatim"
    assert account.must_change_password
    assert verify_password(account.password_hash, password)


@pytest.mark.parametrize(
    "args, stdin, message",
    [
        (["--role", "operator", "--regency", REGENCY_A], "pendek", "minimal 12 karakter"),
        (["--role", "admin"], "qwerty123456", "terlalu umum"),
        (["--role", "admin"], "\n", "Kata sandi kosong"),
        (["--role", "operator"], GOOD_PASSWORD, "--regency: Wajib diisi untuk peran"),
        (["--role", "admin", "--regency", REGENCY_A], GOOD_PASSWORD, "--regency: Harus kosong"),
        (["--role", "raja"], GOOD_PASSWORD, "--role: Pilihan tidak sah. Pilihan: admin"),
        ([], GOOD_PASSWORD, "--role: Pilihan tidak sah."),
        (["--role", "pemantau", "--regency", "9999"], GOOD_PASSWORD, "--regency: Pilihan"),
    ],
)
def test_cli_refuses_bad_input_in_indonesian(app, args, stdin, message):
    before = account_count()
    result = run_users(app, "create", "budi", *args, "--password-stdin", stdin=stdin)
    assert result.exit_code == 1
    assert message in result.output
    assert account_count() == before


@pytest.mark.parametrize(
    "username, message",
    [
        ("operator_a", "USERNAME: Nama pengguna «operator_a» sudah dipakai."),
        ("budi santoso", "USERNAME: Hanya huruf kecil"),
    ],
)
def test_cli_checks_usernames_like_the_web_form(app, username, message):
    result = run_users(
        app, "create", username, "--role", "admin", "--password-stdin", stdin=GOOD_PASSWORD
    )
    assert result.exit_code == 1
    assert message in result.output


def test_cli_has_no_password_argument(app):
    result = run_users(app, "create", "budi", "--role", "admin", "--password", GOOD_PASSWORD)
    assert result.exit_code == 2
    assert find("budi") is None


def test_cli_reset_password_from_stdin_ends_sessions(app, login_as, user):
    operator = login_as("operator_a")
    result = run_users(app, "reset-password", "operator_a", "--password-stdin", stdin=GOOD_PASSWORD)
    assert result.exit_code == 0, result.output
    account = user("operator_a")
    assert verify_password(account.password_hash, GOOD_PASSWORD)
    assert not account.must_change_password
    assert not is_logged_in(operator)


def test_cli_reset_password_of_unknown_account_fails(app):
    result = run_users(app, "reset-password", "tidak_ada")
    assert result.exit_code == 1
    assert "Akun «tidak_ada» tidak ada." in result.output
