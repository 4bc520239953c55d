from sqlalchemy import text

from tradetrace import storage


def test_healthz_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_reports_database_and_schema(client, engine):
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["database"] == engine.dialect.name
    assert body["schema_revision"] == storage.head_revision()


def test_readyz_fails_when_schema_is_behind(client, engine):
    with engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'old'"))
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["code"] == "not_ready"
    assert f"expected {storage.head_revision()}" in response.json()["detail"]


def test_openapi_lists_the_routes(client):
    spec = client.get("/openapi.json").json()
    assert spec["info"]["title"] == "tradetrace"
    assert {"/healthz", "/readyz", "/api/organisations"} <= set(spec["paths"])
