"""Access tokens (RFC 9068), client secrets and scopes of tradetrace.oauth."""

from datetime import UTC, datetime, timedelta

import pytest

from tradetrace import errors, keys, oauth

NOW = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ISSUER = "https://node.example"


@pytest.fixture
def key():
    return keys.SigningKey.generate(keys.KeyKind.P256)


@pytest.fixture
def trusted(key):
    return {ISSUER: oauth.TrustedIssuer(ISSUER, oauth.KeySet.of(key.public_key()))}


def _token(key, *, now=NOW, lifetime=timedelta(minutes=15), issuer=ISSUER, scopes=None):
    return oauth.sign_access_token(
        key=key,
        issuer=issuer,
        audience="https://node.example",
        subject="tt-client",
        scopes=scopes if scopes is not None else frozenset({oauth.Scope.RESOLVE_DIDS}),
        now=now,
        lifetime=lifetime,
    )


def _read(token, trusted, now=NOW):
    return oauth.read_access_token(token, issuers=trusted, now=now, leeway=timedelta(seconds=30))


def test_read_access_token_returns_the_claims(key, trusted):
    access = _read(_token(key), trusted)
    assert access.subject == "tt-client"
    assert access.audience == ("https://node.example",)
    assert access.scopes == frozenset({oauth.Scope.RESOLVE_DIDS})
    assert access.expires_at == NOW + timedelta(minutes=15)


def test_read_access_token_rejects_expired_token(key, trusted):
    with pytest.raises(errors.Unauthorized, match="access token expired") as caught:
        _read(_token(key), trusted, now=NOW + timedelta(hours=1))
    assert caught.value.code == "unauthorized"


def test_read_access_token_rejects_token_not_yet_valid(key, trusted):
    with pytest.raises(errors.Unauthorized, match="not valid yet") as caught:
        _read(_token(key, now=NOW + timedelta(hours=1)), trusted)
    assert caught.value.code == "unauthorized"


def test_read_access_token_rejects_untrusted_issuer(key, trusted):
    with pytest.raises(errors.Unauthorized, match="issuer is not trusted") as caught:
        _read(_token(key, issuer="https://evil.example"), trusted)
    assert caught.value.code == "unauthorized"


def test_read_access_token_rejects_other_key(trusted):
    other = keys.SigningKey.generate(keys.KeyKind.P256)
    with pytest.raises(errors.Unauthorized, match="unknown key") as caught:
        _read(_token(other), trusted)
    assert caught.value.code == "unauthorized"


def test_read_access_token_rejects_tampered_claims(key, trusted):
    header, _, signature = _token(key).split(".")
    forged = _token(key, scopes=oauth.ALL_SCOPES).split(".")[1]
    with pytest.raises(errors.Unauthorized, match="signature does not verify") as caught:
        _read(f"{header}.{forged}.{signature}", trusted)
    assert caught.value.code == "unauthorized"


def test_read_access_token_rejects_alg_none(key, trusted):
    header, payload, _ = _token(key).split(".")
    import base64
    import json

    decoded = json.loads(base64.urlsafe_b64decode(header + "=="))
    decoded["alg"] = "none"
    none_header = base64.urlsafe_b64encode(json.dumps(decoded).encode()).rstrip(b"=").decode()
    with pytest.raises(errors.Unauthorized, match="alg 'none' does not fit") as caught:
        _read(f"{none_header}.{payload}.AA", trusted)
    assert caught.value.code == "unauthorized"


def test_read_access_token_rejects_garbage(trusted):
    with pytest.raises(errors.Unauthorized, match="not a compact JWS") as caught:
        _read("not-a-token", trusted)
    assert caught.value.code == "unauthorized"


def test_key_set_round_trips_through_jwks(key):
    published = oauth.KeySet.of(key.public_key()).to_jwks()
    again = oauth.KeySet.from_jwks(published)
    assert again.get(published["keys"][0]["kid"]) == key.public_key()


def test_key_set_rejects_key_without_kid(key):
    jwk = key.public_key().to_jwk()
    with pytest.raises(errors.InvalidDocument, match="has no kid") as caught:
        oauth.KeySet.from_jwks({"keys": [jwk]})
    assert caught.value.code == "invalid_document"


def test_parse_scopes_reads_older_spelling_and_rejects_unknown():
    assert oauth.parse_scopes("create:credential resolve:dids") == frozenset(
        {oauth.Scope.ISSUE_CREDENTIALS, oauth.Scope.RESOLVE_DIDS}
    )
    assert oauth.parse_scopes("openid resolve:dids", strict=False) == {oauth.Scope.RESOLVE_DIDS}
    with pytest.raises(errors.InvalidDocument, match="unknown scope 'openid'") as caught:
        oauth.parse_scopes("openid")
    assert caught.value.code == "invalid_document"


def test_client_secret_hash_verifies_only_the_secret():
    secret = oauth.new_client_secret()
    stored = oauth.hash_secret(secret)
    assert secret not in stored
    oauth.verify_secret(secret, stored)
    with pytest.raises(errors.Unauthorized, match="invalid client credentials") as caught:
        oauth.verify_secret(secret + "x", stored)
    assert caught.value.code == "unauthorized"


def test_client_secret_hash_refuses_malformed_stored_value():
    with pytest.raises(errors.ConfigurationError, match="malformed") as caught:
        oauth.verify_secret("secret", "plain-text")
    assert caught.value.code == "configuration_error"
