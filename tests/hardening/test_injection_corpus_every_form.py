"""The injection corpus through every text field of every form of the app:
core's and every plugin's, present and future, without naming a plugin
(security.md D, D-htmx, D-export, I).

The forms are the POST routes of the authorization matrix (tests/route_world.py),
each with the valid payload that core or the plugin's ``tests/matrix.py`` gives,
sent by an operator of regency A (admin where only the admin may, anonymous
for the login form). A first request per form, the probe, learns which fields
take free text (by the input's kind on the page that shows the form, else by
trying) and which pages show each field: every GET page and htmx fragment of
the same plugin or area, the search, the audit views, the CSV exports under
/r/<code>/ekspor/ and the area's own XLSX/CSV exports.

Then every payload goes into every text field (all fields at once, one field
at a time when the form refuses that): never a server error, a 100 kB string
refused with a 4xx, and once stored, every page and fragment that showed the
field shows the payload only as escaped text and no export cell starts a
formula. Choice fields (selects, dates, numbers, ids) get each payload too and
must refuse it cleanly. ``make test`` tries a few representative payloads;
PHPNET_HARDENING=1 the whole corpus."""

import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
from flask import url_for
from sqlalchemy import select

from phpnet.auth.models import User
from phpnet.extensions import db
from phpnet.regions.models import Regency, dotted_code
from phpnet.testing import HX, REGENCY_A
from tests.hardening.forms import (
    form_fields,
    is_csv,
    is_spreadsheet,
    shown_text,
    takes_text,
    xlsx_cells,
)
from tests.hardening.payloads import (
    PAYLOADS,
    PROBE,
    assert_no_formula,
    assert_no_formula_in_xlsx,
    assert_safe,
    shown_escaped,
    stored_form,
)
from tests.route_world import (
    POLICY,
    ROUTES,
    World,
    client_as,
    expected_outcome,
    matrix_query,
    open_world,
    url_values,
    valid_payload,
)

FULL = os.environ.get("PHPNET_HARDENING") == "1"
# The quick run's payloads: one that is at once a formula, an attribute
# breaker, an element and a NUL byte, and the 100 kB string.
MIXED = f'=1+1"><img src=x onerror=alert(1) id={PROBE}-img>\x00'
CHOSEN = PAYLOADS if FULL else {"mixed-nul": MIXED, "100kB": PAYLOADS["100kB"]}
OWNER = REGENCY_A
SUBMITTERS = ["anon", "operator_a", "admin"]  # the first one the route's policy allows
READER = "admin"  # reads every page of every area
# Core pages that show what any area stores.
COMMON = {"dashboard.search", "dashboard.exports", "audit.regency_log", "audit.province_log"}
SEARCHES = {"dashboard.search", "regions.search"}  # their q= is the text looked for
NOT_PAGES = {
    "static", "dashboard.plugin_static", "documents.download", "dashboard.switch_regency",
    "dashboard.export", "health.healthz",
}  # fmt: skip
LANDING = "the page a stored form lands on"
# Choice fields answer every markup payload the same way (refused, perhaps
# named in the message): these few cover markup, JSON, templates, NUL and size.
CHOICE_PAYLOADS = {"img-onerror", "hx-vals-breaker", "jinja-expression", "nul", "100kB",
                   "mixed-nul"}  # fmt: skip
TOO_LONG = 1000  # a payload longer than this is the 100 kB one
SEARCH_PROBE = "Pnd"


def marker(index: int) -> str:
    """Plain text, distinct per field, that the probe stores."""
    return f"{SEARCH_PROBE}{index}q"


def tagged(payload: str, index: int) -> str:
    """The payload, told apart per field by a suffix (a prefix would change
    how a formula payload starts)."""
    return f"{payload} ~{index}"


class _AnyIds(dict):
    """Stand-in ids at collection time: the payload's field names and values
    do not depend on the ids."""

    def __missing__(self, key: str) -> int:
        return 0


def _form_routes() -> list[tuple[str, str]]:
    """Every POST route whose valid payload posts a string field."""
    routes = []
    for endpoint, rule, method in ROUTES:
        if method != "POST":
            continue
        try:
            payload = valid_payload(endpoint, _AnyIds())
        except Exception:  # it needs the real ids: the probe decides
            payload = {"": ""}
        if any(isinstance(value, str) for value in payload.values()):
            routes.append((endpoint, rule))
    return routes


FORM_ROUTES = _form_routes()


@dataclass
class Probe:
    """What the first request learnt about one form."""

    url: str
    submitter: str
    free_text: list[str] = field(default_factory=list)  # store plain text
    constrained: list[str] = field(default_factory=list)  # text inputs that refuse plain text
    choices: list[str] = field(default_factory=list)
    shown_on: dict[str, set[str]] = field(default_factory=dict)  # field -> page keys
    exports: list[str] = field(default_factory=list)


PROBES: dict[str, Probe] = {}


@pytest.fixture(scope="module")
def world(test_database, tmp_path_factory) -> Iterator[World]:
    with open_world(test_database, tmp_path_factory.mktemp("corpus") / "documents") as opened:
        yield opened


def _family(endpoint: str) -> str:
    """The plugin or core area an endpoint belongs to (its province pages too)."""
    return endpoint.split(".")[0].removesuffix("_provinsi")


def _page_query(endpoint: str, ids: dict[str, Any], text: str) -> dict[str, Any]:
    if endpoint in SEARCHES:
        return {"q": text}
    return matrix_query(endpoint, ids)


def _pages(world: World, endpoint: str, text: str) -> dict[str, str]:
    """The GET pages of the form's area and the common ones, by endpoint,
    with ``text`` as the search query."""
    ids = world.ids[OWNER]
    pages = {}
    with world.app.test_request_context():
        for page, rule, method in ROUTES:
            wanted = page in COMMON or _family(page) == _family(endpoint)
            if method == "GET" and wanted and page not in NOT_PAGES:
                values = url_values(page, rule, ids)
                pages[page] = url_for(page, **values, **_page_query(page, ids, text))
    return pages


def _submitter(endpoint: str) -> str:
    policy = POLICY[endpoint]
    policy = policy["POST"] if isinstance(policy, dict) else policy
    regency = db.session.execute(select(Regency).filter_by(code=dotted_code(OWNER))).scalar_one()
    for who in SUBMITTERS:
        user = None
        if who != "anon":
            user = db.session.execute(select(User).filter_by(username=who)).scalar_one()
        if expected_outcome(policy, who, user, regency) == "allow":
            return who
    raise AssertionError(f"nobody may post to {endpoint}")


def _post_url(world: World, endpoint: str, rule: str) -> str:
    with world.app.test_request_context():
        return url_for(endpoint, **url_values(endpoint, rule, world.ids[OWNER]))


def _submit(world: World, endpoint: str, probe: Probe, changes: dict[str, str]) -> tuple[Any, bool]:
    """The valid request with ``changes``, on a fresh world; the response
    (redirects followed) and whether it stored anything."""
    world.fresh()
    client = client_as(world, probe.submitter)
    data = {**valid_payload(endpoint, world.ids[OWNER]), **changes}
    before = world.snapshot()
    response = client.post(probe.url, data=data, follow_redirects=True)
    changed = world.snapshot() != before
    accepted = response.status_code < 400
    world.dirty = accepted or changed
    assert_safe(response, f"POST {probe.url} {sorted(changes)}")
    return response, accepted and changed


AREA_PAGES: dict[tuple[str, str], list[str]] = {}  # (area, who) -> the HTML of its pages


def _area_html(world: World, endpoint: str, who: str) -> list[str]:
    """The pages of the endpoint's area as ``who`` sees them in a fresh world."""
    key = (_family(endpoint), who)
    if key not in AREA_PAGES:
        world.fresh()
        client = client_as(world, who)
        AREA_PAGES[key] = []
        for url in _pages(world, endpoint, "").values():
            response = client.get(url)
            body = response.get_data()  # a streamed export ends inside its own request
            # A page that fails without any payload is the fuzzing's to report.
            if response.status_code == 200 and "html" in response.headers["Content-Type"]:
                AREA_PAGES[key].append(body.decode())
    return AREA_PAGES[key]


def _field_kinds(world: World, endpoint: str, probe: Probe) -> dict[str, str]:
    """The kinds of the fields that the area's pages show for this form."""
    path = urlsplit(probe.url).path
    kinds: dict[str, str] = {}
    for html in _area_html(world, endpoint, probe.submitter):
        kinds = {**form_fields(html, path), **kinds}
    return kinds


def _probe(world: World, endpoint: str, rule: str) -> Probe:
    if endpoint in PROBES:
        return PROBES[endpoint]
    world.fresh()
    probe = Probe(_post_url(world, endpoint, rule), _submitter(endpoint))
    kinds = _field_kinds(world, endpoint, probe)
    payload = valid_payload(endpoint, world.ids[OWNER])
    strings = [name for name, value in payload.items() if isinstance(value, str)]
    texts = [*strings, *(name for name in kinds if name not in payload)]
    texts = [name for name in texts if takes_text(name, payload.get(name), kinds)]
    probe.choices = [name for name in strings if name not in texts]
    marks = {name: marker(index) for index, name in enumerate(texts)}
    response, stored = _submit(world, endpoint, probe, marks)
    if stored:
        probe.free_text = texts
    else:  # one field refuses plain text: find which, then store the others
        for name in texts:
            if _submit(world, endpoint, probe, {name: marks[name]})[1]:
                probe.free_text.append(name)
        free = {name: marks[name] for name in probe.free_text}
        response, stored = _submit(world, endpoint, probe, free) if free else (None, False)
    probe.constrained = [name for name in texts if name not in probe.free_text]
    if stored:
        _learn_where_shown(world, endpoint, probe, marks, response)
    PROBES[endpoint] = probe
    return probe


def _learn_where_shown(
    world: World, endpoint: str, probe: Probe, marks: dict[str, str], landing: Any
) -> None:
    """The pages (by endpoint) and exports (by URL) that show the markers."""
    reader = client_as(world, READER)
    pages = {LANDING: landing.get_data(as_text=True)}
    exports = {}
    for key, url in _pages(world, endpoint, SEARCH_PROBE).items():
        response = reader.get(url)
        body = shown_text(response)
        if is_spreadsheet(response) or is_csv(response):
            exports[url] = body
        elif "html" in response.headers.get("Content-Type", ""):
            pages[key] = body
    for url in _export_links(pages.get("dashboard.exports", "")):
        exports[url] = shown_text(reader.get(url))
    shown = [marks[name] for name in probe.free_text]
    probe.exports = sorted(url for url, body in exports.items() if any(m in body for m in shown))
    for name in probe.free_text:
        probe.shown_on[name] = {key for key, body in pages.items() if marks[name] in body}


def _export_links(html: str) -> set[str]:
    """The CSV exports the regency's exports page links to."""
    return {
        link for link in re.findall(r'href="([^"]+)"', html) if f"/r/{OWNER}/ekspor/" in link
    } - {f"/r/{OWNER}/ekspor/"}


def _check_views(
    world: World, endpoint: str, probe: Probe, stored: dict[str, str], landing: Any
) -> None:
    """Every page, fragment and export that showed the stored fields shows
    them only as text; each field is seen escaped on a page that showed it."""
    reader = client_as(world, READER)
    where = f"{endpoint} {sorted(stored)}"
    search = stored_form(next(iter(stored.values())))[:50]
    pages = _pages(world, endpoint, search)
    bodies = {LANDING: landing.get_data(as_text=True)}
    for key in set().union(*(probe.shown_on.get(name, set()) for name in stored)) - {LANDING}:
        bodies[key] = assert_safe(reader.get(pages[key]), f"{where}: {pages[key]}")
        assert_safe(reader.get(pages[key], headers=HX), f"{where}: {pages[key]} (htmx)")
    for url in probe.exports:
        response = reader.get(url)
        data = response.get_data()  # a streamed export ends inside its own request
        assert response.status_code == 200, f"{where}: {url} {response.status_code}"
        if is_spreadsheet(response):
            assert_no_formula_in_xlsx(xlsx_cells(data), f"{where}: {url}")
        else:
            assert_no_formula(data.decode(), f"{where}: {url}")
    for name, value in stored.items():
        keys = probe.shown_on.get(name, set())
        assert not keys or any(shown_escaped(bodies[key], stored_form(value)) for key in keys), (
            f"{where}: {name} is not shown as text on {sorted(keys)}"
        )


def _text_fields(world: World, endpoint: str, probe: Probe, payload: str) -> None:
    if len(payload) > TOO_LONG:
        for index, name in enumerate([*probe.free_text, *probe.constrained]):
            response, _ = _submit(world, endpoint, probe, {name: tagged(payload, index)})
            assert 400 <= response.status_code < 500, (
                f"{endpoint} {name}: 100 kB answered {response.status_code}"
            )
        return
    values = {name: tagged(payload, i) for i, name in enumerate(probe.free_text)}
    response, stored = _submit(world, endpoint, probe, values) if values else (None, False)
    if stored:
        _check_views(world, endpoint, probe, values, response)
        alone = []
    else:  # a field refuses this payload: try each field alone
        alone = list(values)
    for name in [*alone, *probe.constrained]:
        one = {name: tagged(payload, [*probe.free_text, *probe.constrained].index(name))}
        response, stored = _submit(world, endpoint, probe, one)
        if stored:
            _check_views(world, endpoint, probe, one, response)


@pytest.mark.parametrize("name", list(CHOSEN))
@pytest.mark.parametrize("route", FORM_ROUTES, ids=[e for e, _ in FORM_ROUTES])
def test_every_text_field_shows_the_payload_only_as_text(world: World, route, name):
    endpoint, rule = route
    probe = _probe(world, endpoint, rule)
    payload = CHOSEN[name]
    _text_fields(world, endpoint, probe, payload)
    for choice in probe.choices if name in CHOICE_PAYLOADS else []:
        _submit(world, endpoint, probe, {choice: payload})  # refused cleanly or shown safely


def test_the_forms_are_found_without_naming_them():
    """Core's forms are among them; a plugin's join through its matrix.py."""
    endpoints = {endpoint for endpoint, _ in FORM_ROUTES}
    assert {"teams.new_decree", "teams.add_member", "users.create", "auth.login"} <= endpoints
    assert not {"auth.logout", "teams.delete_member"} & endpoints  # they post no field
