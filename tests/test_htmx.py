"""The htmx conventions every page follows, tested once for the whole app."""

import pytest

from phpnet.testing import HX, HX_HISTORY_RESTORE, REGENCY_A


def test_same_url_gives_a_page_or_a_fragment(login_as):
    operator = login_as("operator_a")
    page = operator.get(f"/r/{REGENCY_A}/cari?q=kepanjen")
    fragment = operator.get(f"/r/{REGENCY_A}/cari?q=kepanjen", headers=HX)
    assert "<html" in page.text and "Kepanjen" in page.text
    assert "<html" not in fragment.text and "Kepanjen" in fragment.text


def test_pages_vary_on_hx_request(login_as):
    response = login_as("operator_a").get(f"/r/{REGENCY_A}/cari?q=a")
    assert "HX-Request" in response.headers["Vary"]


def test_history_restore_gets_the_full_page(login_as):
    response = login_as("operator_a").get(
        f"/r/{REGENCY_A}/cari?q=kepanjen", headers=HX_HISTORY_RESTORE
    )
    assert "<html" in response.text and 'id="app"' in response.text


def test_expired_session_answers_htmx_with_hx_redirect(client):
    response = client.get(
        f"/r/{REGENCY_A}/cari?q=a",
        headers={**HX, "HX-Current-URL": f"http://localhost/r/{REGENCY_A}/tim/"},
    )
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=")
    assert "tim" in response.headers["HX-Redirect"]


def test_expired_session_redirects_a_plain_request(client):
    response = client.get(f"/r/{REGENCY_A}/cari")
    assert response.status_code == 302 and "/login?next=" in response.headers["Location"]


def test_validation_error_is_a_422_fragment(login_as):
    response = login_as("operator_a").post(
        f"/r/{REGENCY_A}/tim/sk/baru", data={"sk_number": "", "signed_by": ""}, headers=HX
    )
    assert response.status_code == 422
    assert "<html" not in response.text and "Wajib diisi." in response.text


def test_base_page_configures_htmx_safely(login_as):
    page = login_as("operator_a").get(f"/r/{REGENCY_A}/cari").text
    assert '"historyRestoreAsHxRequest": false' in page
    assert '"allowEval": false' in page
    assert '{"code": "422", "swap": true}' in page
    assert "/static/vendor/htmx-2.0.11.min.js" in page
    assert "https://" not in page.split("<body")[0]  # nothing from the internet


class TestWithCsrf:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "WTF_CSRF_ENABLED": True}

    def _token(self, client) -> str:
        page = client.get(f"/r/{REGENCY_A}/cari").text
        marker = '"X-CSRFToken": "'
        return page.split(marker, 1)[1].split('"', 1)[0]

    def test_htmx_mutation_with_the_header_token_passes(self, login_as):
        admin = login_as("admin")
        token = self._token(admin)
        response = admin.post(
            f"/admin/plugin/semua-tidak-ada/{REGENCY_A}", data={"enabled": "1"},
            headers={**HX, "X-CSRFToken": token},
        )  # fmt: skip
        assert response.status_code == 404  # past CSRF, stopped only by the unknown plugin

    def test_mutation_without_a_token_is_refused(self, login_as):
        response = login_as("operator_a").post(
            f"/r/{REGENCY_A}/tim/sk/baru",
            data={"sk_number": "1", "signed_by": "x", "sk_date": "2024-01-01"},
        )
        assert response.status_code == 400
        assert "Token keamanan formulir" in response.text

    def test_htmx_mutation_without_a_token_asks_for_a_refresh(self, login_as):
        response = login_as("operator_a").post(f"/r/{REGENCY_A}/tim/sk/baru", data={}, headers=HX)
        assert response.status_code == 400 and response.headers["HX-Refresh"] == "true"
