"""Stored markup in a real browser (security.md D, D-htmx): member names that
are script tags, event-handler breakers and injected htmx attributes are
typed into the team page as a person would; then the pages that show them
are loaded in Chromium. No dialog may open, and after the page has loaded no
request may go anywhere the injected markup points."""

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Dialog, Page, Request, expect

from phpnet.extensions import db
from phpnet.testing import REGENCY_A
from tests.hardening.conftest import make_team
from tests.hardening.payloads import PAYLOADS, PROBE

pytestmark = pytest.mark.browser

STORED = [
    PAYLOADS[name]
    for name in ("script", "img-onerror", "single-quote-breaker", "textarea-breaker",
                 "hx-get-load", "hx-post-load", "hx-swap-oob", "jinja-expression")
]  # fmt: skip
TEAM = f"/r/{REGENCY_A}/tim/"


class Watch:
    """Dialogs, and requests made once a page has finished loading."""

    def __init__(self, page: Page) -> None:
        self.dialogs: list[str] = []
        self.late_requests: list[str] = []
        self.loaded = False
        page.on("dialog", self._dialog)
        page.on("request", self._request)

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def _request(self, request: Request) -> None:
        if self.loaded or PROBE in request.url:
            self.late_requests.append(f"{request.method} {request.url}")

    def visit(self, page: Page, path: str) -> None:
        self.loaded = False
        page.goto(path)
        page.wait_for_load_state("networkidle")
        self.loaded = True
        page.wait_for_timeout(300)  # time for an hx-trigger="load" to fire
        self.loaded = False


def add_member(page: Page, name: str) -> None:
    form = page.locator("#member-add")
    form.get_by_label("Nama", exact=True).fill(name)
    form.get_by_label("Unit kerja", exact=True).select_option(label="Divisi Hukum dan Pengawasan")
    form.get_by_role("button", name="Tambah anggota").click()
    expect(page.locator("#member-add").get_by_label("Nama", exact=True)).to_have_value("")


def test_stored_markup_never_runs_or_calls_home(
    page: Page, live_server, log_in: Callable[..., None], axe_check
):
    with live_server.app.app_context():
        make_team(REGENCY_A)
        db.session.remove()
    watch = Watch(page)
    log_in(page, "operator_a")
    expect(page).to_have_url(re.compile(rf"/r/{REGENCY_A}/$"))
    page.goto(TEAM)
    for payload in STORED:
        add_member(page, payload)
    rows = page.locator("#member-rows tr")
    expect(rows).to_have_count(len(STORED) + 1)

    for path in (TEAM, f"/r/{REGENCY_A}/", f"/r/{REGENCY_A}/audit",
                 f"/r/{REGENCY_A}/cari?q=hx-"):  # fmt: skip
        watch.visit(page, path)
        assert page.locator(f"[id^='{PROBE}'], svg, img[src='x']").count() == 0, path
    watch.visit(page, TEAM)
    for payload in STORED:  # every name is shown as the text that was typed
        expect(page.locator("#member-rows").get_by_text(payload, exact=True).first).to_be_visible()
    page.get_by_role("link", name=f"Ubah {STORED[0]}").click()  # the htmx edit row
    expect(page.get_by_role("group", name=f"Ubah data {STORED[0]}")).to_be_visible()
    page.wait_for_timeout(300)

    assert watch.dialogs == []
    assert watch.late_requests == []
    axe_check(page)  # also fails on any CSP violation the page reported
