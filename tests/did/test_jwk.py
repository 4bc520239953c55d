"""Tests for tradetrace.did.jwk: the did:jwk spec examples, round trips and failures."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace import errors, multiformats
from tradetrace.did.document import Relationship
from tradetrace.did.jwk import create_jwk_did, resolve_jwk_did
from tradetrace.keys import KeyKind, SigningKey

# Examples transcribed from the did:jwk specification (github.com/quartzjer/did-jwk, spec.md).
SPEC_P256 = (
    "did:jwk:eyJjcnYiOiJQLTI1NiIsImt0eSI6IkVDIiwieCI6ImFjYklRaXVNczNpOF91c3pFakoydHBUdFJNNEVV"
    "M3l6OTFQSDZDZEgyVjAiLCJ5IjoiX0tjeUxqOXZXTXB0bm1LdG00NkdxRHo4d2Y3NEk1TEtncmwyR3pIM25TRSJ9"
)
SPEC_X25519 = (
    "did:jwk:eyJrdHkiOiJPS1AiLCJjcnYiOiJYMjU1MTkiLCJ1c2UiOiJlbmMiLCJ4IjoiM3A3YmZYdDl3YlRUVzJI"
    "QzdPUTFOei1EUThoYmVHZE5yZngtRkctSUswOCJ9"
)
CONTEXT = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1"]


def test_spec_p256_example():
    document = resolve_jwk_did(SPEC_P256)
    jwk = {
        "crv": "P-256",
        "kty": "EC",
        "x": "acbIQiuMs3i8_uszEjJ2tpTtRM4EU3yz91PH6CdH2V0",
        "y": "_KcyLj9vWMptnmKtm46GqDz8wf74I5LKgrl2GzH3nSE",
    }
    method_id = f"{SPEC_P256}#0"
    assert document.to_dict() == {
        "@context": CONTEXT,
        "id": SPEC_P256,
        "verificationMethod": [
            {
                "id": method_id,
                "type": "JsonWebKey2020",
                "controller": SPEC_P256,
                "publicKeyJwk": jwk,
            }
        ],
        "assertionMethod": [method_id],
        "authentication": [method_id],
        "capabilityInvocation": [method_id],
        "capabilityDelegation": [method_id],
        "keyAgreement": [method_id],
    }
    # The spec example is already in canonical (RFC 8785) member order, so it round-trips.
    assert create_jwk_did(document.verification_method("#0").public_key()) == SPEC_P256


def test_spec_x25519_example_is_key_agreement_only():
    document = resolve_jwk_did(SPEC_X25519)
    assert document.to_dict()["keyAgreement"] == [f"{SPEC_X25519}#0"]
    for relationship in Relationship:
        listed = document.has_relationship("#0", relationship)
        assert listed is (relationship is Relationship.KEY_AGREEMENT)
    with pytest.raises(errors.ResolutionError, match="has no supported signing key") as info:
        document.verification_method("#0").public_key()
    assert info.value.code == "did_resolution_failed"


def test_use_sig_drops_key_agreement():
    jwk = SigningKey.generate(KeyKind.ED25519).public_key().to_jwk() | {"use": "sig"}
    did = _did(json.dumps(jwk))
    document = resolve_jwk_did(did)
    assert document.key_agreement == ()
    assert document.assertion_method == (f"{did}#0",)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(list(KeyKind)), st.integers(min_value=1, max_value=2**255))
def test_jwk_did_round_trips(kind, scalar):
    key = SigningKey.from_private_bytes(kind, scalar.to_bytes(kind.scalar_size, "big")).public_key()
    did = create_jwk_did(key)
    document = resolve_jwk_did(did)
    assert document.verification_methods(Relationship.ASSERTION_METHOD)[0].public_key() == key


def _did(text):
    return "did:jwk:" + multiformats.encode_base64url(text.encode())


@pytest.mark.parametrize(
    ("did", "match"),
    [
        ("did:key:z6Mk", "not a did:jwk"),
        ("did:jwk:", "invalid DID"),
        ("did:jwk:" + "e" * 5000, "longer than 4096 characters"),
        ("did:jwk:eyJ=", "invalid DID"),
        ("did:jwk:eR", "non-canonical base64url"),
        (_did("{"), "the JWK is not UTF-8 JSON"),
        ("did:jwk:_w", "the JWK is not UTF-8 JSON"),
        (_did("[1]"), "not an object with a 'kty'"),
        (_did('{"crv": "P-256"}'), "not an object with a 'kty'"),
        (_did('{"kty": "OKP", "crv": "Ed25519", "x": "AA", "d": "AA"}'), "private members: d"),
        (
            _did('{"kty": "OKP", "crv": "Ed25519", "x": "AA", "use": "wrap"}'),
            "unknown JWK use 'wrap'",
        ),
        (_did('{"kty": "OKP", "crv": "Ed25519", "x": "AA"}'), "wrong length"),
    ],
)
def test_resolve_jwk_did_rejects_bad_dids(did, match):
    with pytest.raises(errors.ResolutionError, match=match) as info:
        resolve_jwk_did(did)
    assert info.value.code == "did_resolution_failed"
