"""Tests for tradetrace.did.document: DID syntax, parsing, validation and dereferencing."""

from __future__ import annotations

import json

import pydantic
import pytest

from tradetrace import errors, multiformats
from tradetrace.did.document import (
    DidDocument,
    Relationship,
    VerificationMethod,
    parse_did,
    split_did_url,
)
from tradetrace.keys import KeyKind, SigningKey

DID = "did:web:mill.example.com"
ED25519 = SigningKey.from_private_bytes(KeyKind.ED25519, bytes(range(32))).public_key()
P256 = SigningKey.from_private_bytes(KeyKind.P256, bytes(31) + b"\x07").public_key()


@pytest.fixture
def make_document():
    """Build a DID document dict with one Multikey method ``#key-1``, then apply overrides."""

    def _make(**overrides):
        document = {
            "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
            "id": DID,
            "verificationMethod": [
                {
                    "id": f"{DID}#key-1",
                    "type": "Multikey",
                    "controller": DID,
                    "publicKeyMultibase": ED25519.to_multibase(),
                }
            ],
            "assertionMethod": [f"{DID}#key-1"],
            "authentication": ["#key-1"],
        }
        document.update(overrides)
        return {name: value for name, value in document.items() if value is not None}

    return _make


def _method(**overrides):
    method = {"id": f"{DID}#key-2", "type": "Multikey", "controller": DID}
    method.update(overrides)
    return method


@pytest.mark.parametrize(
    "did",
    [
        "did:web:example.com",
        "did:web:localhost%3A8443:orgs:acme",
        "did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp",
        "did:example:a::b",
        "did:jwk:eyJrdHkiOiJFQyJ9",
    ],
)
def test_parse_did_accepts_valid_dids(did):
    assert parse_did(did) == did


@pytest.mark.parametrize(
    "did",
    [
        "",
        "did:web",
        "did:web:",
        "did:Web:example.com",
        "did:web:example.com:",
        "did:web:exa mple.com",
        "did:web:example.com#key-1",
        "did:web:example.com/path",
        "did:web:%3",
        "urn:uuid:1234",
    ],
)
def test_parse_did_rejects_invalid_dids(did):
    with pytest.raises(errors.InvalidDocument, match="invalid DID") as info:
        parse_did(did)
    assert info.value.code == "invalid_document"


def test_split_did_url():
    assert split_did_url(f"{DID}#key-1") == (DID, "key-1")
    for value, match in [
        (DID, "invalid DID URL fragment"),
        (f"{DID}#", "invalid DID URL fragment"),
        (f"{DID}#a b", "invalid DID URL fragment"),
        ("did:web:#key", "invalid DID 'did:web:'"),
    ]:
        with pytest.raises(errors.InvalidDocument, match=match) as info:
            split_did_url(value)
        assert info.value.code == "invalid_document"


def test_document_round_trips_through_json(make_document):
    data = make_document(
        service=[
            {"id": "#lab", "type": "LinkedDomains", "serviceEndpoint": "https://mill.example.com"}
        ]
    )
    document = DidDocument.from_json(json.dumps(data))
    assert document.to_dict() == data
    assert DidDocument.from_json(json.dumps(data).encode()).to_dict() == data
    assert document.service[0].service_endpoint == "https://mill.example.com"


def test_document_keeps_extra_properties_and_leaves_out_empty_ones(make_document):
    data = make_document(alsoKnownAs=["https://mill.example.com"], customProperty={"a": 1})
    document = DidDocument.from_dict(data)
    assert document.also_known_as == ("https://mill.example.com",)
    assert document.to_dict()["customProperty"] == {"a": 1}
    bare = DidDocument.from_dict({"id": DID})
    assert bare.to_dict() == {"id": DID}
    assert bare.methods == ()


def test_verification_method_lookup(make_document):
    embedded = _method(id="#key-3", publicKeyMultibase=P256.to_multibase())
    document = DidDocument.from_dict(make_document(capabilityInvocation=[embedded]))
    assert document.verification_method(f"{DID}#key-1").public_key() == ED25519
    assert document.verification_method("#key-1").public_key() == ED25519
    assert document.verification_method(f"{DID}#key-3").public_key() == P256
    with pytest.raises(
        errors.ResolutionError, match=f"verification method {DID}#key-9 not found in {DID}"
    ) as info:
        document.verification_method("#key-9")
    assert info.value.code == "did_resolution_failed"


def test_verification_methods_for_a_relationship(make_document):
    embedded = _method(id="#key-3", publicKeyMultibase=P256.to_multibase())
    external = "did:web:other.example.com#key-1"
    document = DidDocument.from_dict(
        make_document(assertionMethod=[f"{DID}#key-1", embedded, external])
    )
    found = document.verification_methods(Relationship.ASSERTION_METHOD)
    assert [method.id for method in found] == [f"{DID}#key-1", "#key-3"]
    assert [method.id for method in document.verification_methods(Relationship.AUTHENTICATION)] == [
        f"{DID}#key-1"
    ]
    assert document.verification_methods(Relationship.KEY_AGREEMENT) == ()
    assert document.has_relationship("#key-1", Relationship.ASSERTION_METHOD)
    assert document.has_relationship(f"{DID}#key-3", Relationship.ASSERTION_METHOD)
    assert document.has_relationship(external, Relationship.ASSERTION_METHOD)
    assert document.has_relationship(f"{DID}#key-1", Relationship.AUTHENTICATION)
    assert not document.has_relationship(f"{DID}#key-1", Relationship.CAPABILITY_DELEGATION)


@pytest.mark.parametrize(
    ("method", "key"),
    [
        (_method(publicKeyMultibase=P256.to_multibase()), P256),
        (_method(type="JsonWebKey2020", publicKeyJwk=P256.to_jwk()), P256),
        (_method(type="JsonWebKey", publicKeyJwk=ED25519.to_jwk()), ED25519),
        (
            _method(type="Ed25519VerificationKey2020", publicKeyMultibase=ED25519.to_multibase()),
            ED25519,
        ),
        (
            _method(
                type="Ed25519VerificationKey2018",
                publicKeyBase58=multiformats.encode_base58btc(ED25519.raw),
            ),
            ED25519,
        ),
        (
            _method(type="P256Key2021", publicKeyBase58=multiformats.encode_base58btc(P256.raw)),
            P256,
        ),
    ],
    ids=["multikey", "jwk2020", "jwk", "ed25519-2020", "ed25519-2018", "p256-2021"],
)
def test_verification_method_key_forms(method, key):
    assert VerificationMethod.model_validate(method).public_key() == key


X25519_MULTIKEY = multiformats.encode_multibase(
    multiformats.add_multicodec(multiformats.Multicodec.X25519_PUB, bytes(32))
)
TRUNCATED_VARINT = multiformats.encode_multibase(b"\x80")
SECP256K1_MULTIKEY = multiformats.encode_multibase(bytes.fromhex("e701") + bytes(33))


@pytest.mark.parametrize(
    "method",
    [
        _method(publicKeyMultibase=X25519_MULTIKEY),
        _method(publicKeyMultibase=SECP256K1_MULTIKEY),
        _method(type="JsonWebKey2020", publicKeyJwk={"kty": "OKP", "crv": "X25519", "x": "AAAA"}),
        _method(
            type="X25519KeyAgreementKey2019", publicKeyBase58="11111111111111111111111111111111"
        ),
        _method(type="EcdsaSecp256k1VerificationKey2019"),
    ],
    ids=["x25519-multikey", "secp256k1-multikey", "x25519-jwk", "x25519-2019", "unknown-type"],
)
def test_unsupported_methods_are_kept_but_yield_no_key(method):
    parsed = VerificationMethod.model_validate(method)
    with pytest.raises(errors.ResolutionError, match="has no supported signing key") as info:
        parsed.public_key()
    assert info.value.code == "did_resolution_failed"


@pytest.mark.parametrize(
    ("overrides", "match"),
    [
        ({"id": "did:web:"}, "invalid DID"),
        (
            {"verificationMethod": [_method(publicKeyMultibase=P256.to_multibase())] * 2},
            f"duplicate verification method id {DID}#key-2",
        ),
        (
            {
                "verificationMethod": [
                    _method(id="#key-1", publicKeyMultibase=P256.to_multibase())
                ],
                "authentication": [
                    _method(id=f"{DID}#key-1", publicKeyMultibase=P256.to_multibase())
                ],
            },
            "duplicate verification method id",
        ),
        ({"assertionMethod": ["#key-9"]}, "assertionMethod refers to unknown method #key-9"),
        ({"assertionMethod": ["key-1"]}, "invalid DID URL fragment"),
        (
            {"verificationMethod": [_method(privateKeyJwk={"d": "x"})]},
            "carries private key material",
        ),
        ({"verificationMethod": [_method(secretKeyMultibase="z")]}, "carries private key material"),
        (
            {
                "verificationMethod": [
                    _method(publicKeyMultibase=P256.to_multibase(), publicKeyJwk=P256.to_jwk())
                ]
            },
            "more than one form of key material",
        ),
        ({"verificationMethod": [_method(id=DID)]}, "invalid DID URL fragment"),
        ({"verificationMethod": [_method(id="#bad fragment")]}, "invalid DID URL fragment"),
        ({"verificationMethod": [_method(controller="mill")]}, "invalid DID 'mill'"),
        ({"verificationMethod": [_method()]}, "key material missing"),
        ({"verificationMethod": [_method(publicKeyMultibase="u7QE")]}, "must be base58btc"),
        (
            {"verificationMethod": [_method(publicKeyMultibase=TRUNCATED_VARINT)]},
            "truncated or overlong varint",
        ),
        (
            {
                "verificationMethod": [
                    _method(
                        type="Ed25519VerificationKey2020", publicKeyMultibase=P256.to_multibase()
                    )
                ]
            },
            "Ed25519VerificationKey2020 holds a P-256 key",
        ),
        (
            {
                "verificationMethod": [
                    _method(
                        type="JsonWebKey2020",
                        publicKeyJwk={"kty": "OKP", "crv": "X25519", "x": "A", "d": "B"},
                    )
                ]
            },
            "private member 'd'",
        ),
        (
            {
                "verificationMethod": [
                    _method(type="JsonWebKey2020", publicKeyJwk={**P256.to_jwk(), "d": "B"})
                ]
            },
            "public JWK carries private members: d",
        ),
        (
            {
                "verificationMethod": [
                    _method(type="Ed25519VerificationKey2018", publicKeyBase58="111")
                ]
            },
            "invalid Ed25519 public key",
        ),
        ({"verificationMethod": "nope"}, "verificationMethod"),
    ],
)
def test_invalid_documents_are_refused(make_document, overrides, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        DidDocument.from_dict(make_document(**overrides))
    assert info.value.code == "invalid_document"
    assert info.value.problems


def test_invalid_document_lists_every_problem(make_document):
    data = make_document(id="nope", verificationMethod=[_method(controller="x")])
    with pytest.raises(errors.InvalidDocument, match="invalid DID document") as info:
        DidDocument.from_dict(data)
    assert info.value.code == "invalid_document"
    assert {problem.field for problem in info.value.problems} == {
        "id",
        "verificationMethod.0.controller",
    }


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("{", "DID document is not valid JSON"),
        (b"\xff", "DID document is not valid JSON"),
        ('{"id": "did:web:a.example", "id": "did:web:b.example"}', "duplicate member 'id'"),
        ('{"id": "did:web:a.example", "n": NaN}', "NaN is not JSON"),
        ("[]", "invalid DID document"),
    ],
)
def test_from_json_refuses_bad_json(text, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        DidDocument.from_json(text)
    assert info.value.code == "invalid_document"


def test_document_is_frozen(make_document):
    document = DidDocument.from_dict(make_document())
    with pytest.raises(pydantic.ValidationError, match="frozen") as info:
        document.id = "did:web:other.example"  # type: ignore[misc, assignment]
    assert info.value.errors()[0]["type"] == "frozen_instance"


def test_python_names_are_not_read_from_the_wire(make_document):
    method = _method(
        public_key_multibase=P256.to_multibase(), publicKeyMultibase=ED25519.to_multibase()
    )
    data = make_document(methods=[method], assertion_method=[f"{DID}#key-2"])
    document = DidDocument.from_dict(
        data | {"verificationMethod": data["verificationMethod"] + [method]}
    )
    assert document.assertion_method == (f"{DID}#key-1",)
    assert document.verification_method("#key-2").public_key() == ED25519
    assert document.model_extra == {"methods": [method], "assertion_method": [f"{DID}#key-2"]}


def test_public_keys_for_a_relationship(make_document):
    x25519 = _method(id="#agree", publicKeyMultibase=X25519_MULTIKEY)
    data = make_document(
        verificationMethod=[*make_document()["verificationMethod"], x25519],
        keyAgreement=["#agree"],
        assertionMethod=["#key-1", _method(id="#key-3", publicKeyMultibase=P256.to_multibase())],
    )
    document = DidDocument.from_dict(data)
    assert document.public_keys(Relationship.ASSERTION_METHOD) == {
        f"{DID}#key-1": ED25519,
        f"{DID}#key-3": P256,
    }
    assert document.public_keys(Relationship.KEY_AGREEMENT) == {}
