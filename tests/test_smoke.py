from phpnet.testing import REGENCY_A


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json == {"status": "ok"}


def test_operator_home_leads_to_own_regency(login_as):
    response = login_as("operator_a").get("/")
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/r/{REGENCY_A}/")
