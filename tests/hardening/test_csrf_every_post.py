"""CSRF with the protection on, as in production (security.md C1-C4): every
POST route of the app, every plugin loaded, read from the URL map so a new
route is covered the day it appears. Without a token, or with the token of
another session (in the form or in htmx's X-CSRFToken header), the answer is
400 and nothing changes; with its own token the same request gets through."""

from pathlib import Path

import pytest
from flask import Flask

from phpnet.testing import HX, login
from tests.hardening.conftest import (
    Route,
    build_sample,
    csrf_token_from,
    database_snapshot,
    every_route,
    url_for_route,
)

POST_ROUTES = [route for route in every_route() if "POST" in route.methods]
CSRF_MESSAGE = "Token keamanan formulir"
# Enough to pass validation where a view needs it, so a missing CSRF check
# would show as a change rather than hide behind a 422.
PAYLOADS = {
    "auth.login": {"username": "operator_a", "password": "salah-sandi"},
    "teams.add_member": {"name": "Palsu", "position": "anggota", "unit": "divisi_hukum"},
    "teams.new_decree": {"sk_number": "9/PALSU", "sk_date": "2024-04-01", "signed_by": "X"},
    "regions.edit_name": {"name": "Nama Palsu"},
    "users.create": {"username": "palsu", "full_name": "Palsu", "role": "admin", "regency": ""},
    "plugin_admin.toggle": {"enabled": "0"},
    "plugin_admin.toggle_all": {"enabled": "0"},
}


@pytest.fixture
def app(every_plugin_app: Flask) -> Flask:
    return every_plugin_app


def token_of(client) -> str:
    return csrf_token_from(client.get("/akun/sandi").get_data(as_text=True))


def refused(response, hx: bool) -> bool:
    if response.status_code != 400:
        return False
    if hx:  # htmx reloads the page, which gets a fresh token
        return response.headers.get("HX-Refresh") == "true"
    return CSRF_MESSAGE in response.get_data(as_text=True)


def test_every_post_route_is_in_the_walk():
    endpoints = {route.endpoint for route in POST_ROUTES}
    assert {"auth.login", "auth.logout", "teams.add_member", "users.create"} <= endpoints


@pytest.mark.parametrize("route", POST_ROUTES, ids=[f"{r.endpoint} {r.rule}" for r in POST_ROUTES])
def test_a_post_without_its_own_token_is_refused_and_changes_nothing(app, route: Route):
    sample = build_sample()
    url = url_for_route(route, sample)
    documents = Path(app.config["DOCUMENTS_PATH"])
    victim = login(app.test_client(), "admin")
    attacker = login(app.test_client(), "operator_b")
    foreign_token = token_of(attacker)
    payload = PAYLOADS.get(route.endpoint, {})
    before = database_snapshot(documents)

    attempts = {
        "no token": victim.post(url, data=payload),
        "no token, htmx": victim.post(url, data=payload, headers=HX),
        "another session's token": victim.post(url, data={**payload, "csrf_token": foreign_token}),
        "another session's header": victim.post(
            url, data=payload, headers={**HX, "X-CSRFToken": foreign_token}
        ),
        "a made-up token": victim.post(url, data={**payload, "csrf_token": "x" * 40}),
    }

    for what, response in attempts.items():
        assert refused(response, hx="htmx" in what or "header" in what), (what, response.status)
    assert database_snapshot(documents) == before, f"{route.rule} changed data without a token"
    own = victim.post(url, data=payload, headers={**HX, "X-CSRFToken": token_of(victim)})
    assert not refused(own, hx=True), "the session's own token must be accepted"


def test_an_anonymous_login_post_needs_a_token_too(app):
    client = app.test_client()
    assert refused(client.post("/login", data=PAYLOADS["auth.login"]), hx=False)
    token = csrf_token_from(client.get("/login").get_data(as_text=True))
    response = client.post("/login", data={"username": "operator_a", "password": "x",
                                            "csrf_token": token})  # fmt: skip
    assert not refused(response, hx=False)


def test_no_get_route_changes_anything(app):
    """C3: GET is safe. Every GET route as admin, page and fragment."""
    sample = build_sample()
    documents = Path(app.config["DOCUMENTS_PATH"])
    admin = login(app.test_client(), "admin")
    before = database_snapshot(documents)
    for route in every_route():
        if "GET" in route.methods:
            url = url_for_route(route, sample)
            admin.get(url).get_data()  # a streamed export ends its request only when read
            admin.get(url, headers=HX).get_data()
    assert database_snapshot(documents) == before
