"""Response headers and cookies on every GET route (security.md G5, H2, H4,
I, F7), read from the URL map with every plugin loaded: as the admin (pages,
fragments, downloads, exports) and anonymously (login, redirects)."""

from pathlib import Path

import pytest
from flask import Flask

from phpnet.testing import HX, PASSWORD, login
from tests.hardening.conftest import (
    Route,
    all_plugin_app,
    build_sample,
    every_route,
    url_for_route,
)

GET_ROUTES = [route for route in every_route() if "GET" in route.methods]
REFERRER_POLICIES = {
    "no-referrer",
    "same-origin",
    "strict-origin",
    "strict-origin-when-cross-origin",
}
# Served as files of this site by design: the static assets and the health probe.
NOT_A_DOWNLOAD = ("text/html", "text/css", "text/javascript", "application/javascript")


@pytest.fixture
def app(every_plugin_app: Flask) -> Flask:
    return every_plugin_app


def directives(policy: str) -> dict[str, list[str]]:
    parsed = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            parsed[words[0].lower()] = [w.lower() for w in words[1:]]
    return parsed


def header_problems(response, signed_in: bool, path: str) -> list[str]:
    headers = response.headers
    problems = []
    policy = directives(headers.get("Content-Security-Policy", ""))
    scripts = policy.get("script-src", policy.get("default-src"))
    if scripts is None:
        problems.append("no CSP for scripts")
    elif {"'unsafe-inline'", "'unsafe-eval'", "*", "data:"} & set(scripts):
        problems.append(f"script-src {scripts}")
    if "sandbox" not in policy:
        if policy.get("frame-ancestors") != ["'none'"]:
            problems.append(f"frame-ancestors {policy.get('frame-ancestors')}")
        if policy.get("object-src", policy.get("default-src")) != ["'none'"]:
            problems.append("object-src is not 'none'")
        if policy.get("base-uri") not in (["'none'"], ["'self'"]):
            problems.append("no base-uri")
    if headers.get("X-Content-Type-Options") != "nosniff":
        problems.append("no nosniff")
    if headers.get("Referrer-Policy") not in REFERRER_POLICIES:
        problems.append(f"Referrer-Policy {headers.get('Referrer-Policy')}")
    cached = "no-store" not in headers.get("Cache-Control", "")
    if signed_in and cached and not path.startswith("/static/"):
        problems.append(f"Cache-Control {headers.get('Cache-Control')}")
    if "HX-Request" not in headers.get("Vary", ""):
        problems.append("no Vary: HX-Request")
    problems += download_problems(response, path)
    return problems


def download_problems(response, path: str) -> list[str]:
    """Anything that is not a page, a stylesheet or a script is a download."""
    media_type = response.mimetype or ""
    if response.status_code != 200 or path.startswith("/static/") or path == "/healthz":
        return []
    if media_type in NOT_A_DOWNLOAD:
        return []
    disposition = response.headers.get("Content-Disposition", "")
    problems = [] if disposition.startswith("attachment") else [f"{media_type} not an attachment"]
    return problems


@pytest.mark.parametrize("route", GET_ROUTES, ids=[f"{r.endpoint} {r.rule}" for r in GET_ROUTES])
def test_every_get_route_sends_the_security_headers(app, route: Route):
    sample = build_sample()
    url = url_for_route(route, sample)
    admin = login(app.test_client(), "admin")
    anonymous = app.test_client()
    for who, client, signed_in in (("admin", admin, True), ("anon", anonymous, False)):
        for headers in ({}, HX):
            response = client.get(url, headers=headers)
            response.get_data()  # a streamed export ends its request only when read
            assert response.status_code < 500, (who, url, response.status_code)
            problems = header_problems(response, signed_in, url)
            assert not problems, (who, url, "htmx" if headers else "page", problems)


def test_a_stored_upload_is_a_sandboxed_attachment_of_a_fixed_type(app):
    sample = build_sample()
    admin = login(app.test_client(), "admin")
    response = admin.get(f"/r/{sample['regency']}/dokumen/{sample['document_id']}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert "sandbox" in response.headers["Content-Security-Policy"]
    assert response.headers["Cache-Control"] == "private, no-store"


def test_exports_are_csv_attachments(app):
    sample = build_sample()
    admin = login(app.test_client(), "admin")
    for key in ("tps", "tim"):
        response = admin.get(f"/r/{sample['regency']}/ekspor/phpnet.core/{key}")
        response.get_data()
        assert response.mimetype == "text/csv"
        assert response.headers["Content-Disposition"].startswith("attachment")
        assert "no-store" in response.headers["Cache-Control"]


def session_cookie(response) -> str:
    cookies = [c for c in response.headers.getlist("Set-Cookie") if c.startswith("phpnet_session=")]
    assert cookies, "the login set no session cookie"
    return cookies[-1]


def log_in_through_the_form(app: Flask):
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" type="hidden" value="', 1)[1].split('"', 1)[0]
    return client.post(
        "/login", data={"username": "operator_a", "password": PASSWORD, "csrf_token": token}
    )


def test_the_session_cookie_is_httponly_and_samesite_lax(app):
    cookie = session_cookie(log_in_through_the_form(app)).lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie.split(";", 1)[1]  # plain HTTP unless told otherwise


def test_behind_tls_the_session_cookie_is_secure_and_hsts_is_sent(
    test_database, app_config, monkeypatch
):
    monkeypatch.setenv("PHPNET_SECURE_COOKIES", "1")
    test_database.reset()
    application = all_plugin_app({**app_config, "WTF_CSRF_ENABLED": True})
    with application.app_context():
        response = log_in_through_the_form(application)
        cookie = session_cookie(response).lower()
    assert "; secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000"


def test_plain_http_gets_no_hsts_and_the_xss_auditor_is_off(app):
    response = app.test_client().get("/login")
    assert "Strict-Transport-Security" not in response.headers
    assert response.headers["X-XSS-Protection"] == "0"


def test_every_cookie_any_route_sets_carries_the_flags(app):
    sample = build_sample()
    client = login(app.test_client(), "admin")
    for route in GET_ROUTES:
        response = client.get(url_for_route(route, sample))
        response.get_data()
        for cookie in response.headers.getlist("Set-Cookie"):
            lowered = cookie.lower()
            assert "httponly" in lowered and "samesite=lax" in lowered, (route.rule, cookie)


def test_the_documents_folder_is_not_served(app):
    """No stored file is reachable by path, only through the checked download."""
    sample = build_sample()
    stored = next(p for p in Path(app.config["DOCUMENTS_PATH"]).rglob("*") if p.is_file())
    admin = login(app.test_client(), "admin")
    for path in (f"/static/{stored.name}", f"/static/../instance/{stored.name}",
                 f"/r/{sample['regency']}/dokumen/{stored.name}"):  # fmt: skip
        assert admin.get(path).status_code == 404
