"""The authorization matrix: every route of the app, with every plugin
loaded, as every role, for its own and another regency, as a plain and as an
htmx request. A route missing from POLICY fails the test, so a new route can
never ship unclassified. Denied requests must change nothing."""

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import select

from phpnet.auth.models import User
from phpnet.extensions import db
from phpnet.regions.models import Regency, dotted_code
from phpnet.testing import HX, REGENCY_A, REGENCY_B
from tests.route_world import (
    POLICY,
    ROUTES,
    World,
    client_as,
    expected_outcome,
    open_world,
    url_values,
    valid_payload,
    valid_query,
)

WHO = [
    "anon",
    "nonaktif_a",
    "pemantau_a",
    "anggota_a",
    "operator_a",
    "operator_b",
    "provinsi",
    "admin",
]
ALLOWED = {200, 204, 302, 303, 409, 422}  # 409: allowed, but the object's state says no


@pytest.fixture(scope="module")
def world(test_database, tmp_path_factory) -> Iterator[World]:
    with open_world(test_database, tmp_path_factory.mktemp("matrix") / "documents") as opened:
        yield opened


def _check(expected: str, response: Any, hx: bool, endpoint: str) -> bool:
    status = response.status_code
    if endpoint == "auth.logout":  # logging out always ends on the login page
        return status == 303 and "/login" in response.headers["Location"]
    if expected == "allow":
        return status in ALLOWED and not (
            status in (302, 303) and "/login" in response.headers.get("Location", "")
        )
    if expected == "login":
        if hx:
            return status == 401 and "/login" in response.headers.get("HX-Redirect", "")
        return status == 302 and "/login" in response.headers["Location"]
    return status == {"forbidden": 403, "not found": 404}[expected]


@pytest.mark.parametrize("owner", [REGENCY_A, REGENCY_B])
@pytest.mark.parametrize("hx", [False, True], ids=["plain", "htmx"])
@pytest.mark.parametrize("who", WHO)
@pytest.mark.parametrize("route", ROUTES, ids=[f"{m} {r} {e}" for e, r, m in ROUTES])
def test_authorization_matrix(world: World, route, who, hx, owner):
    endpoint, rule, method = route
    assert endpoint in POLICY, f"unclassified route {method} {rule} ({endpoint}): add it to POLICY"
    world.fresh()
    ids = world.ids[owner]
    user = (
        None
        if who in ("anon", "nonaktif_a")
        else db.session.execute(select(User).filter_by(username=who)).scalar_one()
    )
    regency = db.session.execute(select(Regency).filter_by(code=dotted_code(owner))).scalar_one()
    policy = POLICY[endpoint]
    expected = expected_outcome(
        policy[method] if isinstance(policy, dict) else policy, who, user, regency
    )
    client = client_as(world, who)
    before = world.snapshot()
    with world.app.test_request_context():
        from flask import url_for

        url = url_for(endpoint, **url_values(endpoint, rule, ids))
    response = client.open(
        url,
        method=method,
        data=valid_payload(endpoint, ids) if method == "POST" else None,
        query_string=valid_query(endpoint, method, owner, ids),
        headers=HX if hx else {},
    )
    after = world.snapshot()
    world.dirty = after != before or endpoint in (
        "auth.logout",
        "auth.change_password",
        "users.disable",
    )
    assert _check(expected, response, hx, endpoint), (
        expected,
        who,
        method,
        url,
        response.status_code,
    )
    if expected != "allow":
        assert after == before, f"{who} was refused {method} {url} but data changed"
    if expected in ("forbidden", "not found") and owner != REGENCY_A:
        body = response.get_data(as_text=True)
        assert "Anggota Matriks" not in body and "1/3578" not in body
