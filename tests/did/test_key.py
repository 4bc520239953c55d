"""Tests for tradetrace.did.key: every w3c-ccg did:key vector, the styles, and failures."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tradetrace import errors, multiformats
from tradetrace.did.document import Relationship
from tradetrace.did.key import (
    KeyDidStyle,
    create_key_did,
    public_key_from_key_did,
    resolve_key_did,
)
from tradetrace.keys import KeyKind, PublicKey, SigningKey

VECTORS = Path(__file__).parents[1] / "assets" / "vectors" / "w3c-ccg-did-method-key"
ED25519_VECTORS = json.loads((VECTORS / "ed25519-x25519.json").read_text())
NIST_VECTORS = json.loads((VECTORS / "nist-curves.json").read_text())


def _style(method_type):
    if method_type == "JsonWebKey2020":
        return KeyDidStyle.JSON_WEB_KEY_2020
    return KeyDidStyle.LEGACY_2018


def _dump(document):
    # Compare member order too, so the documents match the vectors byte for byte.
    return json.dumps(document, indent=1)


@pytest.mark.parametrize("did", list(ED25519_VECTORS), ids=lambda did: did[-8:])
def test_ed25519_vector(did):
    vector = ED25519_VECTORS[did]
    key = SigningKey.from_private_bytes(KeyKind.ED25519, bytes.fromhex(vector["seed"]))
    assert create_key_did(key.public_key()) == did
    style = _style(vector["verificationKeyPair"]["type"])
    document = resolve_key_did(did, style=style, key_agreement=True)
    assert _dump(document.to_dict()) == _dump(vector["didDocument"])


@pytest.mark.parametrize("did", list(NIST_VECTORS), ids=lambda did: did[-8:])
def test_nist_vector(did):
    vector = NIST_VECTORS[did]
    method = vector["verificationMethod"]
    if method.get("publicKeyJwk", {}).get("crv") == "P-521":
        with pytest.raises(errors.ResolutionError, match="unsupported multicodec 0x1202") as info:
            resolve_key_did(did)
        assert info.value.code == "did_resolution_failed"
        return
    document = resolve_key_did(did, style=_style(method["type"]), key_agreement=True)
    assert _dump(document.to_dict()) == _dump(vector["didDocument"])
    key = document.verification_methods(Relationship.ASSERTION_METHOD)[0].public_key()
    assert create_key_did(key) == did


def test_vectors_are_all_used():
    assert len(ED25519_VECTORS) == 5
    assert len(NIST_VECTORS) == 7


def test_multikey_document_for_ed25519():
    did = next(iter(ED25519_VECTORS))
    fragment = did.removeprefix("did:key:")
    document = resolve_key_did(did)
    assert document.to_dict() == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#{fragment}",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": fragment,
            }
        ],
        "assertionMethod": [f"{did}#{fragment}"],
        "authentication": [f"{did}#{fragment}"],
        "capabilityInvocation": [f"{did}#{fragment}"],
        "capabilityDelegation": [f"{did}#{fragment}"],
    }


def test_multikey_key_agreement_matches_the_vector_x25519_key():
    did = next(iter(ED25519_VECTORS))
    expected = ED25519_VECTORS[did]["keyAgreementKeyPair"]["id"]
    document = resolve_key_did(did, key_agreement=True)
    (agreement,) = document.verification_methods(Relationship.KEY_AGREEMENT)
    assert agreement.id == did + expected
    assert agreement.type == "Multikey"
    assert agreement.public_key_multibase == expected.removeprefix("#")


def test_did_key_spec_example_derives_its_x25519_key():
    # did:key spec example, quoted in standards.md §10.5: the X25519 key starts z6LSj72t.
    document = resolve_key_did(
        "did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK", key_agreement=True
    )
    (agreement,) = document.verification_methods(Relationship.KEY_AGREEMENT)
    assert str(agreement.public_key_multibase).startswith("z6LSj72t")


def test_ed25519_2020_style():
    did = next(iter(ED25519_VECTORS))
    document = resolve_key_did(did, style=KeyDidStyle.ED25519_2020, key_agreement=True).to_dict()
    assert document["@context"] == [
        "https://www.w3.org/ns/did/v1",
        "https://w3id.org/security/suites/ed25519-2020/v1",
        "https://w3id.org/security/suites/x25519-2020/v1",
    ]
    assert [method["type"] for method in document["verificationMethod"]] == [
        "Ed25519VerificationKey2020",
        "X25519KeyAgreementKey2020",
    ]
    assert document["verificationMethod"][0]["publicKeyMultibase"] == did.removeprefix("did:key:")


def test_ed25519_2020_style_refuses_nist_keys():
    did = create_key_did(SigningKey.generate(KeyKind.P256).public_key())
    with pytest.raises(
        errors.ResolutionError, match="Ed25519VerificationKey2020 cannot express a P-256 key"
    ) as info:
        resolve_key_did(did, style=KeyDidStyle.ED25519_2020)
    assert info.value.code == "did_resolution_failed"


@pytest.mark.parametrize("kind", [KeyKind.P256, KeyKind.P384], ids=str)
def test_nist_keys_list_themselves_for_key_agreement(kind):
    did = create_key_did(SigningKey.generate(kind).public_key())
    document = resolve_key_did(did, key_agreement=True)
    assert document.key_agreement == document.assertion_method
    assert len(document.methods) == 1


@pytest.mark.parametrize("style", list(KeyDidStyle), ids=str)
def test_every_style_resolves_to_the_same_key(style):
    key = SigningKey.generate(KeyKind.ED25519).public_key()
    document = resolve_key_did(create_key_did(key), style=style)
    assert document.verification_methods(Relationship.AUTHENTICATION)[0].public_key() == key
    assert document.key_agreement == ()


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(list(KeyKind)), st.integers(min_value=1, max_value=2**255))
def test_key_did_round_trips(kind, scalar):
    # Every scalar below 2**255 lies in [1, n - 1] for the three curves.
    key = SigningKey.from_private_bytes(kind, scalar.to_bytes(kind.scalar_size, "big")).public_key()
    did = create_key_did(key)
    assert public_key_from_key_did(did) == key
    assert resolve_key_did(did).verification_method(f"{did}#{did[8:]}").public_key() == key


def _ed25519_did(raw):
    return "did:key:" + multiformats.encode_multibase(
        multiformats.add_multicodec(multiformats.Multicodec.ED25519_PUB, raw)
    )


@pytest.mark.parametrize(
    ("did", "match"),
    [
        ("did:web:example.com", "not a did:key"),
        ("did:key:", "invalid DID"),
        ("did:key:uAe0B", "publicKeyMultibase must be base58btc"),
        ("did:key:z" + "2" * 3000, "base58 text too long"),
        (
            "did:key:z6LSj72tK8brWgZja8NLRwPigth2T9QRiG1uH9oKZuKjdh9p",
            "0xec is not a public signing key codec",
        ),
        (_ed25519_did(bytes(31)), "expected 32 bytes, got 31"),
    ],
)
def test_public_key_from_key_did_rejects_bad_dids(did, match):
    with pytest.raises(errors.ResolutionError, match=match) as info:
        public_key_from_key_did(did)
    assert info.value.code == "did_resolution_failed"


@pytest.mark.parametrize(
    ("raw", "match"),
    [
        (b"\x01" + bytes(31), "cannot derive an X25519 key"),  # the identity, y = 1
        (b"\xed" + b"\xff" * 30 + b"\x7f", "cannot derive an X25519 key"),  # y = p, not canonical
        (b"\x02" + bytes(31), "not a point on the curve"),  # y = 2 has no x
    ],
)
def test_key_agreement_refuses_keys_without_an_x25519_form(raw, match):
    did = _ed25519_did(raw)
    assert public_key_from_key_did(did) == PublicKey.from_raw(KeyKind.ED25519, raw)
    resolve_key_did(did)  # fine without key agreement
    with pytest.raises(errors.ResolutionError, match=match) as info:
        resolve_key_did(did, key_agreement=True)
    assert info.value.code == "did_resolution_failed"
