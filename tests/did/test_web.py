"""Tests for tradetrace.did.web: DID <-> URL mapping (spec vectors) and hosted documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tradetrace import errors
from tradetrace.did.document import Relationship, Service
from tradetrace.did.web import build_web_did_document, url_to_web_did, web_did_to_url
from tradetrace.keys import KeyKind, SigningKey

MISC = (
    Path(__file__).parents[1] / "assets" / "vectors" / "w3c-misc" / "status-list-and-did-web.json"
)
MAPPINGS = [
    *((row["did"], row["url"]) for row in json.loads(MISC.read_text())["did_web_to_url"]),
    ("did:web:example.com", "https://example.com/.well-known/did.json"),
    ("did:web:localhost%3A8443:orgs:acme", "https://localhost:8443/orgs/acme/did.json"),
    ("did:web:mill.example.co.uk:a.b:c_d:e-f", "https://mill.example.co.uk/a.b/c_d/e-f/did.json"),
]
ED25519 = SigningKey.generate(KeyKind.ED25519).public_key()
P256 = SigningKey.generate(KeyKind.P256).public_key()


@pytest.mark.parametrize(("did", "url"), MAPPINGS, ids=[did for did, _ in MAPPINGS])
def test_web_did_maps_to_url_and_back(did, url):
    assert web_did_to_url(did) == url
    assert url_to_web_did(url) == did


def test_web_did_host_is_case_insensitive():
    assert (
        web_did_to_url("did:web:Mill.Example.COM")
        == "https://mill.example.com/.well-known/did.json"
    )
    assert url_to_web_did("https://Mill.Example.com/") == "did:web:mill.example.com"
    assert url_to_web_did("https://mill.example.com") == "did:web:mill.example.com"


@pytest.mark.parametrize(
    ("did", "match"),
    [
        ("did:key:z6Mk", "not a did:web"),
        ("did:web", "invalid DID"),
        ("did:web:192.168.0.1", "invalid did:web host '192.168.0.1'"),
        ("did:web:exa_mple.com", "invalid did:web host"),
        ("did:web:-example.com", "invalid did:web host"),
        ("did:web:" + "a" * 64 + ".com", "invalid did:web host"),
        ("did:web:" + ".".join(["abcdefgh"] * 30), "invalid did:web host"),
        ("did:web:example.com%3A0", "invalid did:web port '0'"),
        ("did:web:example.com%3A65536", "invalid did:web port '65536'"),
        ("did:web:example.com%3Ahttp", "invalid did:web port 'http'"),
        ("did:web:example.com%3a443", "invalid did:web host 'example.com%3a443'"),
        ("did:web:example.com:..:secret", "invalid did:web path segment '..'"),
        ("did:web:example.com:.", "invalid did:web path segment '.'"),
        ("did:web:example.com:a%2Fb", "invalid did:web path segment 'a%2Fb'"),
        ("did:web:example.com::a", "invalid did:web path segment ''"),
    ],
)
def test_web_did_to_url_rejects_unsafe_dids(did, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        web_did_to_url(did)
    assert info.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("url", "match"),
    [
        ("http://example.com/.well-known/did.json", "needs a plain https URL"),
        ("https://example.com/did.json?x=1", "needs a plain https URL"),
        ("https://example.com/did.json#k", "needs a plain https URL"),
        ("https://user@example.com/did.json", "needs a plain https URL"),
        ("https://example.com/user/alice", "must end in /did.json"),
        ("https://example.com/a/../did.json", "invalid did:web path segment '..'"),
        ("https://10.0.0.1/.well-known/did.json", "invalid did:web host"),
        ("https://[::1]/.well-known/did.json", "invalid DID"),
        ("https://example.com/did.json", "must end in /did.json"),
    ],
)
def test_url_to_web_did_rejects_other_urls(url, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        url_to_web_did(url)
    assert info.value.code == "invalid_document"


def test_build_web_did_document():
    did = "did:web:mill.example.com"
    service = Service(
        id="#ledger", type="LinkedDomains", service_endpoint="https://mill.example.com"
    )
    document = build_web_did_document(
        did, keys_by_fragment={"key-1": ED25519, "key-2": P256}, services=[service]
    )
    assert document.to_dict() == {
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": [
            {
                "id": f"{did}#key-1",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": ED25519.to_multibase(),
            },
            {
                "id": f"{did}#key-2",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": P256.to_multibase(),
            },
        ],
        "assertionMethod": [f"{did}#key-1", f"{did}#key-2"],
        "authentication": [f"{did}#key-1", f"{did}#key-2"],
        "service": [
            {
                "id": "#ledger",
                "type": "LinkedDomains",
                "serviceEndpoint": "https://mill.example.com",
            }
        ],
    }
    assert document.verification_method("#key-2").public_key() == P256


def test_build_web_did_document_with_chosen_relationships():
    document = build_web_did_document(
        "did:web:localhost%3A8443:orgs:acme",
        keys_by_fragment={"issuer": ED25519},
        relationships=[Relationship.ASSERTION_METHOD],
    )
    assert document.assertion_method == ("did:web:localhost%3A8443:orgs:acme#issuer",)
    assert document.authentication == ()


@pytest.mark.parametrize(
    ("did", "keys", "match"),
    [
        ("did:web:mill.example.com", {}, "needs at least one key"),
        (
            "did:web:mill.example.com",
            {"key 1": ED25519},
            "invalid verification method fragment 'key 1'",
        ),
        ("did:web:10.1.1.1", {"key-1": ED25519}, "invalid did:web host"),
    ],
)
def test_build_web_did_document_rejects_bad_input(did, keys, match):
    with pytest.raises(errors.InvalidDocument, match=match) as info:
        build_web_did_document(did, keys_by_fragment=keys)
    assert info.value.code == "invalid_document"
