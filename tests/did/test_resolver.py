"""Tests for tradetrace.did.resolver: did:web over httpx.MockTransport, dispatch, key retrieval."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest

from tradetrace import errors
from tradetrace.did.document import DidDocument, Relationship
from tradetrace.did.jwk import create_jwk_did
from tradetrace.did.key import KeyDidStyle, create_key_did
from tradetrace.did.resolver import (
    CompositeResolver,
    JwkResolver,
    KeyResolver,
    WebResolver,
    resolve_verification_key,
)
from tradetrace.did.web import build_web_did_document
from tradetrace.keys import KeyKind, SigningKey

DID = "did:web:mill.example.com"
URL = "https://mill.example.com/.well-known/did.json"
START = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
ISSUER = SigningKey.generate(KeyKind.ED25519).public_key()
HOLDER = SigningKey.generate(KeyKind.P256).public_key()


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now


class Server:
    """An httpx.MockTransport handler serving DID documents by URL and counting requests.

    ``responses`` maps a URL to a factory, since a streamed response can be read only once.
    """

    def __init__(self) -> None:
        self.responses: dict[str, Callable[[], httpx.Response]] = {}
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        return self.responses.get(str(request.url), lambda: httpx.Response(404))()

    def serve(self, url: str, body: object, status: int = 200, **headers: str) -> None:
        content = body if isinstance(body, bytes) else json.dumps(body).encode()
        self.responses[url] = lambda: httpx.Response(status, content=content, headers=headers)


def _document(did=DID):
    document = build_web_did_document(did, keys_by_fragment={"issuer": ISSUER, "holder": HOLDER})
    data = document.to_dict()
    data["assertionMethod"] = [f"{did}#issuer"]
    data["authentication"] = ["#holder"]
    return data


@pytest.fixture
def server():
    server = Server()
    server.serve(URL, _document())
    return server


@pytest.fixture
def make_resolver(server):
    def _make(handler=server, **overrides):
        options: dict[str, Any] = {
            "allow_hosts": ["mill.example.com", "Localhost:8443"],
            "cache_ttl": timedelta(minutes=5),
            "now": Clock(),
        }
        options.update(overrides)
        return WebResolver(httpx.Client(transport=httpx.MockTransport(handler)), **options)

    return _make


def test_web_resolver_fetches_and_checks(server, make_resolver):
    document = make_resolver().resolve(DID)
    assert document.id == DID
    assert document.verification_method("#issuer").public_key() == ISSUER
    (request,) = server.requests
    assert request.url == URL
    assert request.method == "GET"
    assert request.headers["accept"].startswith("application/did+json")


def test_web_resolver_allows_a_host_with_port(server, make_resolver):
    did = "did:web:localhost%3A8443:orgs:acme"
    server.serve("https://localhost:8443/orgs/acme/did.json", _document(did))
    assert make_resolver().resolve(did).id == did


def test_web_resolver_fetches_unsafe_http_hosts_over_http_only(server, make_resolver):
    did = "did:web:localhost%3A8443"
    server.serve("http://localhost:8443/.well-known/did.json", _document(did))
    resolver = make_resolver(unsafe_http_hosts=["LOCALHOST:8443"])
    assert resolver.resolve(did).id == did
    assert [str(request.url) for request in server.requests] == [
        "http://localhost:8443/.well-known/did.json"
    ]
    # Other hosts keep HTTPS, and an unsafe host still has to be on the allow-list.
    assert resolver.resolve(DID).id == DID
    assert str(server.requests[-1].url) == URL
    unlisted = make_resolver(allow_hosts=["mill.example.com"], unsafe_http_hosts=["localhost:8443"])
    with pytest.raises(errors.ResolutionError, match="host localhost:8443 is not allowed") as info:
        unlisted.resolve(did)
    assert info.value.code == "did_resolution_failed"


def test_web_resolver_caches_until_the_ttl(server, make_resolver):
    clock = Clock()
    resolver = make_resolver(now=clock)
    first = resolver.resolve(DID)
    clock.now += timedelta(minutes=4, seconds=59)
    assert resolver.resolve(DID) is first
    assert len(server.requests) == 1
    clock.now += timedelta(seconds=1)
    assert resolver.resolve(DID) == first
    assert len(server.requests) == 2


def test_web_resolver_drops_expired_entries(server, make_resolver):
    other = "did:web:mill.example.com:plant:2"
    server.serve("https://mill.example.com/plant/2/did.json", _document(other))
    clock = Clock()
    resolver = make_resolver(now=clock)
    resolver.resolve(DID)
    clock.now += timedelta(minutes=10)
    resolver.resolve(other)
    assert list(resolver._cache) == [other]


def test_web_resolver_refuses_hosts_not_allowed(server, make_resolver):
    with pytest.raises(
        errors.ResolutionError, match=r"host other\.example\.com is not allowed"
    ) as info:
        make_resolver().resolve("did:web:other.example.com")
    assert info.value.code == "did_resolution_failed"
    assert server.requests == []


def _fail(make_resolver, did, match):
    with pytest.raises(errors.ResolutionError, match=match) as info:
        make_resolver().resolve(did)
    assert info.value.code == "did_resolution_failed"


def test_web_resolver_reports_http_errors(server, make_resolver):
    _fail(make_resolver, "did:web:mill.example.com:gone", "answered HTTP 404")
    server.serve(URL, b"", status=301, Location="https://evil.example/did.json")
    _fail(make_resolver, DID, "answered HTTP 301")
    assert [str(request.url) for request in server.requests] == [
        "https://mill.example.com/gone/did.json",
        URL,
    ]


def test_web_resolver_reports_transport_errors(make_resolver):
    def refuse(request):
        raise httpx.ConnectError("connection refused", request=request)

    resolver = make_resolver(refuse)
    with pytest.raises(errors.ResolutionError, match=f"fetching {URL} failed") as info:
        resolver.resolve(DID)
    assert info.value.code == "did_resolution_failed"
    assert isinstance(info.value.__cause__, httpx.ConnectError)


def test_web_resolver_caps_the_body(server, make_resolver):
    padding = {"padding": "x" * 2000}
    server.serve(URL, _document() | padding)
    with pytest.raises(errors.ResolutionError, match="document larger than 1000 bytes") as info:
        make_resolver(max_bytes=1000).resolve(DID)
    assert info.value.code == "did_resolution_failed"


def test_web_resolver_caps_a_streamed_body(server, make_resolver):
    chunks = [b"{" + b" " * 600] * 3
    server.responses[URL] = lambda: httpx.Response(200, content=iter(chunks))
    _fail(lambda: make_resolver(max_bytes=1000), DID, "document larger than 1000 bytes")


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (b"<html>", "DID document is not valid JSON"),
        ({"id": DID, "assertionMethod": ["#nope"]}, "refers to unknown method #nope"),
        (
            _document("did:web:evil.example.com"),
            "document id mismatch for did:web:mill.example.com",
        ),
    ],
)
def test_web_resolver_refuses_bad_documents(server, make_resolver, body, match):
    server.serve(URL, body)
    _fail(make_resolver, DID, match)


def test_web_resolver_does_not_cache_failures(server, make_resolver):
    resolver = make_resolver()
    server.serve(URL, b"{}", status=500)
    with pytest.raises(errors.ResolutionError, match="HTTP 500") as info:
        resolver.resolve(DID)
    assert info.value.code == "did_resolution_failed"
    server.serve(URL, _document())
    assert resolver.resolve(DID).id == DID


def test_web_resolver_refuses_compressed_bodies(server, make_resolver):
    server.serve(URL, b"\x1f\x8b", **{"Content-Encoding": "gzip"})
    _fail(make_resolver, DID, "refused Content-Encoding gzip")
    assert server.requests[0].headers["accept-encoding"] == "identity"


def test_web_resolver_refuses_invalid_web_dids(make_resolver):
    _fail(make_resolver, "did:web:127.0.0.1", "invalid did:web host")


def test_key_and_jwk_resolvers():
    key_did = create_key_did(ISSUER)
    assert KeyResolver().resolve(key_did).methods[0].type == "Multikey"
    legacy = KeyResolver(style=KeyDidStyle.LEGACY_2018, key_agreement=True).resolve(key_did)
    assert [method.type for method in legacy.methods] == [
        "Ed25519VerificationKey2018",
        "X25519KeyAgreementKey2019",
    ]
    jwk_did = create_jwk_did(HOLDER)
    assert JwkResolver().resolve(jwk_did).verification_method("#0").public_key() == HOLDER


@pytest.fixture
def composite(make_resolver):
    return CompositeResolver({"key": KeyResolver(), "jwk": JwkResolver(), "web": make_resolver()})


def test_composite_resolver_dispatches_on_method(composite):
    assert composite.resolve(DID).id == DID
    assert composite.resolve(create_key_did(ISSUER)).id.startswith("did:key:z6Mk")
    assert composite.resolve(create_jwk_did(HOLDER)).id.startswith("did:jwk:")


@pytest.mark.parametrize(
    ("did", "match"),
    [
        ("did:ion:EiClkZMDxPKqC9c", "unsupported DID method ion"),
        ("not-a-did", "cannot resolve: invalid DID 'not-a-did'"),
    ],
)
def test_composite_resolver_refuses_other_methods(composite, did, match):
    with pytest.raises(errors.ResolutionError, match=match) as info:
        composite.resolve(did)
    assert info.value.code == "did_resolution_failed"


def test_resolve_verification_key_for_issuers_and_holders(composite):
    assert (
        resolve_verification_key(
            composite, f"{DID}#issuer", relationship=Relationship.ASSERTION_METHOD
        )
        == ISSUER
    )
    assert (
        resolve_verification_key(
            composite, f"{DID}#holder", relationship=Relationship.AUTHENTICATION
        )
        == HOLDER
    )
    key_did = create_key_did(ISSUER)
    method_id = f"{key_did}#{key_did.removeprefix('did:key:')}"
    assert (
        resolve_verification_key(composite, method_id, relationship=Relationship.ASSERTION_METHOD)
        == ISSUER
    )


def test_resolve_verification_key_requires_the_relationship(composite):
    with pytest.raises(
        errors.ProofInvalid,
        match=f"verification method {DID}#holder is not authorised for assertionMethod by {DID}",
    ) as info:
        resolve_verification_key(
            composite, f"{DID}#holder", relationship=Relationship.ASSERTION_METHOD
        )
    assert info.value.code == "proof_invalid"


class _FixedResolver:
    """A resolver that answers every DID with one document."""

    def __init__(self, document: dict[str, Any]) -> None:
        self.document = DidDocument.from_dict(document)

    def resolve(self, did):
        return self.document


def _with_controller(controller):
    data = _document()
    data["verificationMethod"][0]["controller"] = controller
    return data


@pytest.mark.parametrize(
    ("resolver", "method_id", "relationship", "match"),
    [
        (None, DID, Relationship.ASSERTION_METHOD, "invalid verification method id"),
        (None, f"{DID}#missing", Relationship.ASSERTION_METHOD, f"{DID}#missing not found"),
        (
            _FixedResolver(_document("did:web:other.example.com")),
            f"{DID}#issuer",
            Relationship.ASSERTION_METHOD,
            f"document id mismatch for {DID}: expected {DID}, got did:web:other.example.com",
        ),
        (
            _FixedResolver(_with_controller("did:web:other.example.com")),
            f"{DID}#issuer",
            Relationship.ASSERTION_METHOD,
            f"controller mismatch for {DID}#issuer: expected {DID}, got did:web:other.example.com",
        ),
    ],
)
def test_resolve_verification_key_failures(composite, resolver, method_id, relationship, match):
    with pytest.raises(errors.ResolutionError, match=match) as info:
        resolve_verification_key(resolver or composite, method_id, relationship=relationship)
    assert info.value.code == "did_resolution_failed"


def test_resolve_verification_key_refuses_key_agreement_keys():
    resolver = KeyResolver(key_agreement=True)
    document = resolver.resolve(create_key_did(ISSUER))
    (agreement,) = document.verification_methods(Relationship.KEY_AGREEMENT)
    with pytest.raises(errors.ResolutionError, match="has no supported signing key") as info:
        resolve_verification_key(resolver, agreement.id, relationship=Relationship.KEY_AGREEMENT)
    assert info.value.code == "did_resolution_failed"
