from phpnet.testing import REGENCY_A


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_operator_home_leads_to_own_regency(login_as):
    response = login_as("operator_a").get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{REGENCY_A}/")


def test_ids_no_database_could_hold_are_404_not_500(login_as):
    operator = login_as("operator_a")
    for url in (
        "/r/3507/tim/99999999999999999999999",
        "/r/3507/tim/0",
        "/r/3507/dokumen/2147483648",
    ):
        assert operator.get(url).status_code == 404, url
