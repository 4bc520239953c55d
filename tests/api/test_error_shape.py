"""Every error response has one shape: RFC 9457 problem details with our ``code``."""

import pytest
from fastapi import APIRouter

from tests.conftest import ADMIN
from tradetrace import errors
from tradetrace.api.errors import PROBLEM_MEDIA_TYPE, status_for

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance", "code"}


def _assert_problem(response, status, code):
    assert response.status_code == status
    assert response.headers["content-type"] == PROBLEM_MEDIA_TYPE
    body = response.json()
    assert set(body) >= PROBLEM_KEYS
    assert body["status"] == status
    assert body["code"] == code
    assert body["type"] == f"urn:tradetrace:problem:{code}"
    return body


def test_unknown_route_is_a_problem(client):
    body = _assert_problem(client.get("/no/such/thing"), 404, "not_found")
    assert body["instance"] == "/no/such/thing"


def test_wrong_method_is_a_problem(client):
    _assert_problem(client.delete("/healthz"), 405, "method_not_allowed")


def test_malformed_json_body_names_the_field(client):
    response = client.post(
        "/api/organisations", content=b"{not json", headers={"content-type": "application/json"}
    )
    _assert_problem(response, 400, "invalid_document")


def test_missing_fields_are_each_named(client):
    body = _assert_problem(
        client.post("/api/organisations", json={}, headers=ADMIN), 400, "invalid_document"
    )
    assert {item["field"] for item in body["errors"]} == {"slug", "name", "country"}


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (errors.InvalidDocument("x"), 400),
        (errors.CanonicalizationError("x"), 400),
        (errors.Unauthorized("x"), 401),
        (errors.Forbidden("x"), 403),
        (errors.NotFound("x"), 404),
        (errors.Conflict("x"), 409),
        (errors.LimitExceeded("x"), 413),
        (errors.SignatureInvalid("x"), 422),
        (errors.ResolutionError("x"), 422),
        (errors.ConfigurationError("x"), 503),
        (errors.TradeTraceError("x"), 400),
    ],
)
def test_domain_errors_map_to_one_status_each(error, status):
    assert status_for(error) == status


def test_raised_domain_error_becomes_a_problem(client):
    router = APIRouter()

    @router.get("/boom/{kind}")
    def boom(kind: str) -> None:
        if kind == "auth":
            raise errors.Unauthorized("no token")
        raise RuntimeError("secret internals")

    client.app.include_router(router)
    response = client.get("/boom/auth")
    _assert_problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


def test_unexpected_error_hides_internals(settings, engine):
    from fastapi.testclient import TestClient

    from tradetrace.api import create_app

    app = create_app(settings, engine=engine)

    @app.get("/crash")
    def crash() -> None:
        raise RuntimeError("secret internals")

    with TestClient(app, raise_server_exceptions=False) as client:
        response = client.get("/crash")
    body = _assert_problem(response, 500, "internal_error")
    assert "secret" not in response.text
    assert body["detail"] == "internal error; see the server log"
