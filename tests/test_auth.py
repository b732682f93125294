"""Login, sessions and passwords (security.md F1-F7, B3, C4, H1).

These tests log in through the real form, so they pay for argon2."""

import re
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from argon2 import PasswordHasher
from sqlalchemy import update

from phpnet.audit.models import AuditEntry
from phpnet.auth.models import LoginAttempt, Role, User, UserSession
from phpnet.auth.passwords import hash_password
from phpnet.auth.sessions import LAST_SEEN_KEY
from phpnet.extensions import db
from phpnet.testing import HX, PASSWORD, REGENCY_A, without_csrf_tokens
from phpnet.timeutil import utcnow

LOGIN_FAILED = "Nama pengguna atau kata sandi salah."
THROTTLED = "Terlalu banyak percobaan masuk yang gagal"
COOKIE = "phpnet_session"
ASVS_HASH_PREFIX = "$argon2id$v=19$m=19456,t=2,p=1$"
# A page every logged-in user may open and no anonymous one: it tells
# whether a client is logged in without depending on other features.
PROBE = "/akun/sandi"


def log_in(client, username, password=PASSWORD, next_url=None):
    """POST the login form; ``next_url`` goes into the URL as it is."""
    url = "/login" if next_url is None else f"/login?next={next_url}"
    return client.post(url, data={"username": username, "password": password})


def is_logged_in(client) -> bool:
    response = client.get(PROBE)
    assert response.status_code in (200, 302)
    return response.status_code == 200


def session_cookie(client) -> str:
    return client.get_cookie(COOKIE).value


def client_with_cookie(app, value):
    other = app.test_client()
    other.set_cookie(COOKIE, value)
    return other


def change_password(client, current, new):
    return client.post(
        PROBE,
        data={"current_password": current, "new_password": new, "confirm_password": new},
    )


def set_user(user, **values):
    db.session.execute(update(User).where(User.id == user.id).values(**values))
    db.session.commit()


# --- Logging in --------------------------------------------------------------


def test_login_form_logs_in_with_a_new_session(client, user):
    client.get("/login")
    with client.session_transaction() as session:
        session["planted"] = "before login"
    cookie_before = session_cookie(client)

    response = log_in(client, "operator_a")

    assert response.status_code == 302
    assert response.headers["Location"] == "/"
    assert session_cookie(client) != cookie_before
    with client.session_transaction() as session:
        assert "planted" not in session  # nothing from before login survives
    assert is_logged_in(client)
    assert user("operator_a").last_login_at is not None
    assert db.session.execute(db.select(AuditEntry).filter_by(action="login")).scalar_one()


def test_session_lasts_at_most_the_absolute_timeout(client, app, user):
    log_in(client, "operator_a")
    session = db.session.execute(
        db.select(UserSession).filter_by(user_id=user("operator_a").id)
    ).scalar_one()
    assert session.expires_at - session.created_at == app.config["SESSION_ABSOLUTE_TIMEOUT"]


def test_login_cookie_is_httponly_and_samesite_lax(client):
    response = log_in(client, "operator_a")
    set_cookie = next(
        header for header in response.headers.getlist("Set-Cookie") if header.startswith(COOKIE)
    )
    assert "HttpOnly" in set_cookie
    assert "SameSite=Lax" in set_cookie


def test_username_is_case_insensitive(client):
    assert log_in(client, "Operator_A").status_code == 302


@pytest.mark.parametrize(
    "username, password",
    [
        ("operator_a", "kata-sandi-yang-salah-sekali"),  # wrong password
        ("tidak_ada", PASSWORD),  # no such account
        ("nonaktif_a", PASSWORD),  # disabled account, right password
    ],
    ids=["wrong-password", "unknown-user", "disabled-user"],
)
def test_failed_logins_all_look_the_same(client, username, password):
    reference = log_in(client, "operator_a", "kata-sandi-yang-salah-sekali")
    response = log_in(client, username, password)

    assert response.status_code == reference.status_code == 422
    assert LOGIN_FAILED in response.get_data(as_text=True)
    # Same page apart from the echoed username and the CSRF token (it carries
    # a timestamp): nothing tells accounts apart.
    page = without_csrf_tokens(response.get_data(as_text=True)).replace(f'value="{username}"', "")
    expected = without_csrf_tokens(reference.get_data(as_text=True)).replace(
        'value="operator_a"', ""
    )
    assert page == expected
    assert not is_logged_in(client)


def test_empty_login_form_is_refused_in_indonesian(client):
    response = client.post("/login", data={"username": "", "password": ""})
    assert response.status_code == 422
    assert "Wajib diisi." in response.get_data(as_text=True)


def test_eleventh_failure_in_the_window_is_throttled_until_it_passes(client, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        assert log_in(client, "operator_a", "kata-sandi-yang-salah-sekali").status_code == 422

    throttled = log_in(client, "operator_a")  # even the right password waits
    assert throttled.status_code == 429
    assert THROTTLED in throttled.get_data(as_text=True)
    assert not is_logged_in(client)

    window = app.config["LOGIN_THROTTLE_WINDOW"] + timedelta(seconds=1)
    db.session.execute(update(LoginAttempt).values(attempted_at=LoginAttempt.attempted_at - window))
    db.session.commit()
    assert log_in(client, "operator_a").status_code == 302
    assert is_logged_in(client)


def test_unknown_usernames_are_throttled_like_real_ones(client, app):
    for _ in range(app.config["LOGIN_MAX_FAILURES_PER_ACCOUNT"]):
        log_in(client, "tidak_ada", "kata-sandi-yang-salah-sekali")
    assert log_in(client, "tidak_ada", "kata-sandi-yang-salah-sekali").status_code == 429


OPEN_REDIRECTS = [
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "https:evil.example",
    "/%09/evil.example",
    "/%2509/evil.example",
    "/%2F%2Fevil.example",
    "javascript:alert(1)",
    "http://intranet@evil.example",
]


@pytest.mark.parametrize("target", OPEN_REDIRECTS)
def test_login_never_redirects_off_site(client, target):
    response = log_in(client, "operator_a", next_url=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


def test_login_follows_a_local_next(client):
    response = log_in(client, "operator_a", next_url=f"/r/{REGENCY_A}/")
    assert response.headers["Location"] == f"/r/{REGENCY_A}/"


# --- Sessions ----------------------------------------------------------------


def test_cookie_from_before_login_is_not_logged_in_after(client, app):
    client.get("/login")
    planted = session_cookie(client)  # e.g. set by an attacker on a shared PC

    log_in(client, "operator_a")

    assert is_logged_in(client)
    assert not is_logged_in(client_with_cookie(app, planted))


def test_logout_makes_a_copied_cookie_useless(client, app):
    log_in(client, "operator_a")
    copied = session_cookie(client)
    assert is_logged_in(client_with_cookie(app, copied))

    response = client.post("/logout")

    assert response.status_code == 303
    assert not is_logged_in(client)
    assert not is_logged_in(client_with_cookie(app, copied))


def test_logout_needs_post(login_as):
    client = login_as("operator_a")
    assert client.get("/logout").status_code == 405
    assert is_logged_in(client)


def test_password_change_ends_the_other_sessions(login_as):
    here, elsewhere = login_as("operator_a"), login_as("operator_a")
    new_password = "sengketa hasil pemilu di mahkamah"

    response = change_password(here, PASSWORD, new_password)

    assert response.status_code == 303
    assert is_logged_in(here)
    assert not is_logged_in(elsewhere)


def test_new_password_replaces_the_old_one(login_as, app):
    new_password = "sengketa hasil pemilu di mahkamah"
    change_password(login_as("operator_a"), PASSWORD, new_password)
    assert log_in(app.test_client(), "operator_a", PASSWORD).status_code == 422
    assert log_in(app.test_client(), "operator_a", new_password).status_code == 302


def test_disabled_account_is_logged_out_at_once(login_as, user):
    client = login_as("operator_a")
    set_user(user("operator_a"), is_active=False)
    assert not is_logged_in(client)
    assert client.get(PROBE, headers=HX).status_code == 401


def test_role_downgrade_applies_on_the_next_request(login_as, user):
    client = login_as("admin")
    assert client.get("/admin/pengguna").status_code == 200
    set_user(user("admin"), role=Role.PROVINSI)  # sessions deliberately left alone
    assert client.get("/admin/pengguna").status_code == 403


@pytest.mark.parametrize(
    "idle_minutes, logged_in", [(59, True), (61, False)], ids=["active", "idle"]
)
def test_idle_timeout(login_as, idle_minutes, logged_in):
    client = login_as("operator_a")
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = time.time() - idle_minutes * 60
    assert is_logged_in(client) is logged_in


def test_absolute_timeout_ends_even_a_busy_session(login_as):
    client = login_as("operator_a")
    assert is_logged_in(client)
    db.session.execute(update(UserSession).values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    assert not is_logged_in(client)


def test_expired_session_answers_htmx_with_401_and_hx_redirect(login_as):
    client = login_as("operator_a")
    with client.session_transaction() as session:
        session[LAST_SEEN_KEY] = time.time() - 2 * 60 * 60
    current = f"http://localhost/r/{REGENCY_A}/"

    response = client.get(PROBE, headers={**HX, "HX-Current-URL": current})

    assert response.status_code == 401
    target = urlsplit(response.headers["HX-Redirect"])
    assert target.path == "/login"
    assert parse_qs(target.query)["next"] == [f"/r/{REGENCY_A}/"]


def test_anonymous_page_request_is_sent_to_login(client):
    response = client.get(PROBE)
    assert response.status_code == 302
    assert urlsplit(response.headers["Location"]).path == "/login"


# --- Passwords ---------------------------------------------------------------


def test_password_hash_is_argon2id_with_asvs_parameters():
    assert hash_password("apa saja yang cukup panjang").startswith(ASVS_HASH_PREFIX)


def test_login_rehashes_a_hash_with_old_parameters(client, user):
    weak = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(PASSWORD)
    set_user(user("operator_a"), password_hash=weak)

    assert log_in(client, "operator_a").status_code == 302

    stored = user("operator_a").password_hash
    assert stored.startswith(ASVS_HASH_PREFIX)
    assert log_in(client.application.test_client(), "operator_a").status_code == 302


@pytest.mark.parametrize(
    "new_password",
    [
        "panjang-" * 8,  # 64 characters
        "Pemilu jujur & adil — sengketa di MK ✓ ñandú 選挙",
    ],
    ids=["64-characters", "non-ascii"],
)
def test_long_and_non_ascii_passwords_work(login_as, app, new_password):
    assert change_password(login_as("operator_a"), PASSWORD, new_password).status_code == 303
    assert log_in(app.test_client(), "operator_a", new_password).status_code == 302


@pytest.mark.parametrize(
    "new_password, message",
    [
        ("pendek", "Kata sandi minimal 12 karakter."),
        ("qwerty123456", "Kata sandi ini terlalu umum"),
        ("1q2w3e4r5t6y", "Kata sandi ini terlalu umum"),
        ("operator_a-ditambah-banyak", "tidak boleh memuat nama pengguna"),
        ("x" * 129, "Kata sandi maksimal 128 karakter."),
        (PASSWORD, "harus berbeda dari yang lama"),
    ],
    ids=["short", "common", "common-pattern", "username", "too-long", "unchanged"],
)
def test_weak_passwords_are_refused_in_indonesian(login_as, user, new_password, message):
    client = login_as("operator_a")
    before = user("operator_a").password_hash

    response = change_password(client, PASSWORD, new_password)

    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert user("operator_a").password_hash == before


def test_password_change_needs_the_current_password(login_as):
    client = login_as("operator_a")
    response = change_password(client, "bukan-kata-sandinya", "kalimat baru yang panjang")
    assert response.status_code == 422
    assert "Kata sandi saat ini salah." in response.get_data(as_text=True)


def test_password_change_needs_matching_confirmation(login_as):
    response = login_as("operator_a").post(
        PROBE,
        data={
            "current_password": PASSWORD,
            "new_password": "kalimat baru yang panjang",
            "confirm_password": "kalimat lain yang panjang",
        },
    )
    assert response.status_code == 422
    assert "Kedua kata sandi baru tidak sama." in response.get_data(as_text=True)


# --- Admin-issued passwords must be changed first ---------------------------


def test_must_change_password_blocks_every_other_page(login_as, user):
    set_user(user("operator_a"), must_change_password=True)
    client = login_as("operator_a")

    page = client.get("/")
    assert page.status_code == 302
    assert page.headers["Location"] == PROBE
    fragment = client.get(f"/r/{REGENCY_A}/", headers=HX)
    assert fragment.status_code == 403
    assert fragment.headers["HX-Redirect"] == PROBE
    assert client.get(PROBE).status_code == 200

    change_password(client, PASSWORD, "kalimat baru yang panjang")

    assert user("operator_a").must_change_password is False
    assert client.get("/").headers["Location"] == f"/r/{REGENCY_A}/"


def test_login_with_an_issued_password_leads_to_the_change_page(client, user):
    set_user(user("operator_a"), must_change_password=True)
    response = log_in(client, "operator_a", next_url=f"/r/{REGENCY_A}/")
    assert response.headers["Location"] == PROBE


def test_issued_password_expires_if_never_changed(client, user):
    set_user(
        user("operator_a"),
        must_change_password=True,
        password_changed_at=utcnow() - timedelta(days=8),
    )
    response = log_in(client, "operator_a")
    assert response.status_code == 422
    assert "Kata sandi awal ini sudah kedaluwarsa" in response.get_data(as_text=True)
    assert not is_logged_in(client)


# --- CSRF on the login form (C4) --------------------------------------------


def csrf_token_of(page: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page)
    assert match, "the form carries a CSRF token"
    return match.group(1)


class TestLoginCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def test_login_without_token_is_refused(self, client):
        response = log_in(client, "operator_a")
        assert response.status_code == 400
        assert not is_logged_in(client)

    def test_login_with_token_from_the_login_page_works(self, client):
        token = csrf_token_of(client.get("/login").get_data(as_text=True))
        response = client.post(
            "/login", data={"username": "operator_a", "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 302
        assert is_logged_in(client)

    def test_token_of_another_browser_is_refused(self, client, app):
        token = csrf_token_of(app.test_client().get("/login").get_data(as_text=True))
        client.get("/login")
        response = client.post(
            "/login", data={"username": "operator_a", "password": PASSWORD, "csrf_token": token}
        )
        assert response.status_code == 400

    def test_logout_without_token_is_refused(self, login_as):
        client = login_as("operator_a")
        assert client.post("/logout").status_code == 400
        assert is_logged_in(client)
