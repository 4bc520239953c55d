"""The OAuth 2.0 token endpoint and the interop API's token checks (RFC 6749, RFC 6750)."""

import base64
import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient

from tests.api.interop import NOW, make_party
from tradetrace import keys, oauth
from tradetrace.api import create_app
from tradetrace.config import Settings
from tradetrace.workflows.oauth import TokenService


@pytest.fixture
def party(client):
    return make_party(client)


def _problem(response, status, code):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code
    assert isinstance(body["message"], str)
    return body


def test_token_with_client_secret_post(client, party):
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": party.client_id,
              "client_secret": party.secret, "scope": "resolve:dids"},
    )  # fmt: skip
    assert response.status_code == 200
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["scope"] == "resolve:dids"
    assert response.headers["cache-control"] == "no-store"
    header = json.loads(base64.urlsafe_b64decode(body["access_token"].split(".")[0] + "=="))
    assert header["alg"] == "ES256"
    assert header["typ"] == "at+jwt"


def test_token_with_client_secret_basic(client, party):
    basic = base64.b64encode(f"{party.client_id}:{party.secret}".encode()).decode()
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials"},
        headers={"Authorization": f"Basic {basic}"},
    )
    assert response.status_code == 200
    assert set(response.json()["scope"].split()) == {scope.value for scope in oauth.ALL_SCOPES}


def test_token_with_wrong_secret_is_invalid_client(client, party):
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": party.client_id,
              "client_secret": "wrong"},
    )  # fmt: skip
    body = _problem(response, 401, "unauthorized")
    assert body["error"] == "invalid_client"


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"grant_type": "password"}, "unsupported_grant_type"),
        ({"grant_type": "client_credentials", "scope": "openid"}, "invalid_scope"),
        (
            {"grant_type": "client_credentials", "audience": "https://other.example"},
            "invalid_target",
        ),
    ],
)
def test_token_request_errors_name_the_oauth_error(client, party, form, error):
    response = client.post(
        "/oauth/token", data={"client_id": party.client_id, "client_secret": party.secret, **form}
    )
    assert _problem(response, 400, "invalid_document")["error"] == error


def test_token_scope_beyond_the_clients_is_refused(client):
    narrow = make_party(client, scopes=frozenset({oauth.Scope.RESOLVE_DIDS}))
    response = client.post(
        "/oauth/token",
        data={"grant_type": "client_credentials", "client_id": narrow.client_id,
              "client_secret": narrow.secret, "scope": "issue:credentials"},
    )  # fmt: skip
    assert _problem(response, 400, "invalid_document")["error"] == "invalid_scope"


def test_missing_token_is_401_with_bearer_challenge(client, party):
    response = client.get(f"/interop/identifiers/{party.did}")
    _problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == "Bearer"


def test_invalid_token_is_401_invalid_token(client, party):
    response = client.get(
        f"/interop/identifiers/{party.did}", headers={"Authorization": "Bearer not.a.token"}
    )
    _problem(response, 401, "unauthorized")
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'


def test_expired_token_is_401(client, party, settings):
    earlier = TokenService(settings, clock=lambda: NOW - timedelta(hours=2))
    with client.app.state.session_factory() as session:
        token = earlier.grant(
            session, client_id=party.client_id, client_secret=party.secret, scope=None,
            audience=None,
        ).access_token  # fmt: skip
    response = client.get(
        f"/interop/identifiers/{party.did}", headers={"Authorization": f"Bearer {token}"}
    )
    assert _problem(response, 401, "unauthorized")["message"] == "access token expired"


def test_wrong_scope_is_403(client, party):
    headers = party.headers(client, scope="verify:credentials")
    response = client.get(f"/interop/identifiers/{party.did}", headers=headers)
    body = _problem(response, 403, "forbidden")
    assert "resolve:dids" in body["message"]
    assert response.headers["www-authenticate"] == 'Bearer error="insufficient_scope"'


def test_wrong_audience_is_403(client, party, settings):
    key_path = settings.data_dir / "keys" / "oauth-token.pem"
    from tradetrace.workflows import identity

    key = keys.SigningKey.load(key_path, passphrase=identity.key_passphrase(settings))
    token = oauth.sign_access_token(
        key=key, issuer=settings.effective_public_url, audience="https://elsewhere.example",
        subject=party.client_id, scopes=oauth.ALL_SCOPES, now=NOW, lifetime=timedelta(minutes=5),
    )  # fmt: skip
    response = client.get(
        f"/interop/identifiers/{party.did}", headers={"Authorization": f"Bearer {token}"}
    )
    assert "another audience" in _problem(response, 403, "forbidden")["message"]


def test_external_issuer_tokens_are_accepted(tmp_path, database_url, engine):
    external = keys.SigningKey.generate(keys.KeyKind.P256)
    jwks = oauth.KeySet.of(external.public_key()).to_jwks()
    settings = Settings(
        data_dir=tmp_path / "data", database_url=database_url,
        oauth_external_issuer="https://idp.example", oauth_external_jwks=json.dumps(jwks),
    )  # fmt: skip
    app = create_app(settings, engine=engine, clock=lambda: NOW)
    with TestClient(app) as client:
        party = make_party(client)
        token = oauth.sign_access_token(
            key=external, issuer="https://idp.example", audience=settings.effective_public_url,
            subject="someone-elsewhere", scopes=frozenset({oauth.Scope.RESOLVE_DIDS}), now=NOW,
            lifetime=timedelta(minutes=5),
        )  # fmt: skip
        response = client.get(
            f"/interop/identifiers/{party.did}", headers={"Authorization": f"Bearer {token}"}
        )
        assert response.status_code == 200, response.text
        assert response.json()["didDocument"]["id"] == party.did


def test_revoked_or_unknown_client_token_is_401(client, party, settings):
    token = party.token(client)
    with client.app.state.session_factory() as session:
        from tradetrace.storage.oauth import OAuthClientRepository

        OAuthClientRepository(session).revoke(party.client_id, now=NOW)
        session.commit()
    response = client.get(
        f"/interop/identifiers/{party.did}", headers={"Authorization": f"Bearer {token}"}
    )
    assert "revoked" in _problem(response, 401, "unauthorized")["message"]


def test_jwks_publishes_the_token_key(client, party):
    token = party.token(client)
    kid = json.loads(base64.urlsafe_b64decode(token.split(".")[0] + "=="))["kid"]
    assert [key["kid"] for key in client.get("/oauth/jwks.json").json()["keys"]] == [kid]
