"""DID resolution (DID Core 1.0 §7.1) behind one Protocol, and verification key retrieval.

:class:`Resolver` is the one-method Protocol the rest of the package depends on. ``KeyResolver``
and ``JwkResolver`` compute documents; ``WebResolver`` fetches them through an injected
``httpx.Client`` (STYLE.md §5), only from allowed hosts, never following redirects, with a size
cap and a time-to-live cache; ``CompositeResolver`` dispatches on the DID method.

:func:`resolve_verification_key` implements the "Retrieve Verification Method" algorithm of
Controlled Identifiers 1.0 that Data Integrity uses to find the key of a proof: resolve the
DID, check the document's ``id``, dereference the fragment, check the method's ``controller`` and
that the document authorises the method for the proof's purpose (``assertionMethod`` for issuers,
``authentication`` for holders).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping
from datetime import datetime, timedelta
from typing import Final, Protocol

import httpx

from tradetrace import errors, keys
from tradetrace.did.document import DidDocument, Relationship, parse_did, split_did_url
from tradetrace.did.jwk import resolve_jwk_did
from tradetrace.did.key import KeyDidStyle, resolve_key_did
from tradetrace.did.web import web_did_to_url
from tradetrace.types import Did

__all__ = [
    "CompositeResolver",
    "JwkResolver",
    "KeyResolver",
    "Resolver",
    "WebResolver",
    "resolve_verification_key",
]

_HEADERS: Final = {
    "Accept": "application/did+json, application/did+ld+json;q=0.9, application/json;q=0.8",
    "Accept-Encoding": "identity",
}


class Resolver(Protocol):
    """Resolves a DID to its document (DID Core §7.1 ``resolve``)."""

    def resolve(self, did: Did) -> DidDocument:
        """Return the document of ``did``.

        Raises:
            errors.ResolutionError: the DID cannot be resolved; the message gives the reason.
        """
        ...


class KeyResolver:
    """Resolves did:key DIDs (did:key §3.1.2), in the given :class:`KeyDidStyle`."""

    def __init__(
        self, *, style: KeyDidStyle = KeyDidStyle.MULTIKEY, key_agreement: bool = False
    ) -> None:
        self._style = style
        self._key_agreement = key_agreement

    def resolve(self, did: Did) -> DidDocument:
        """Expand a did:key; see :func:`tradetrace.did.key.resolve_key_did`."""
        return resolve_key_did(did, style=self._style, key_agreement=self._key_agreement)


class JwkResolver:
    """Resolves did:jwk DIDs (did:jwk §2.2)."""

    def resolve(self, did: Did) -> DidDocument:
        """Expand a did:jwk; see :func:`tradetrace.did.jwk.resolve_jwk_did`."""
        return resolve_jwk_did(did)


class WebResolver:
    """Resolves did:web DIDs over HTTPS (did:web §3.3 Read), failing closed.

    ``allow_hosts`` lists the authorities that may be fetched, as they appear in the URL:
    ``example.com`` or ``localhost:8443`` (compared case-insensitively). Responses are read up
    to ``max_bytes`` and must not be compressed (``Accept-Encoding: identity``), so the cap holds;
    redirects are not followed, since they could leave the allowed hosts.
    Documents are cached for ``cache_ttl`` by the clock ``now`` (timezone-aware UTC); failures
    are not cached. ``unsafe_http_hosts`` (local testing only) names allowed hosts whose
    documents are fetched over plain ``http``: did:web §2.5 requires HTTPS, so this gives up the
    server authentication that makes a did:web trustworthy.
    """

    def __init__(
        self,
        client: httpx.Client,
        *,
        allow_hosts: Collection[str],
        cache_ttl: timedelta,
        now: Callable[[], datetime],
        max_bytes: int = 256 * 1024,
        unsafe_http_hosts: Collection[str] = (),
    ) -> None:
        self._client = client
        self._allow_hosts = frozenset(host.lower() for host in allow_hosts)
        self._unsafe_http_hosts = frozenset(host.lower() for host in unsafe_http_hosts)
        self._cache_ttl = cache_ttl
        self._now = now
        self._max_bytes = max_bytes
        self._cache: dict[Did, tuple[datetime, DidDocument]] = {}

    def resolve(self, did: Did) -> DidDocument:
        """Fetch, check and cache the document of a did:web (did:web §3.3, §2.5 security).

        Raises:
            errors.ResolutionError: the DID is not a valid did:web, its host is not allowed,
                the fetch fails or does not return 200, the body is compressed, too large or
                not a valid DID document, or the document's ``id`` is not the DID.
        """
        now = self._now()
        cached = self._cache.get(did)
        if cached is not None and now < cached[0]:
            return cached[1]
        try:
            url = web_did_to_url(did)
        except errors.InvalidDocument as exc:
            raise errors.ResolutionError(f"cannot resolve {did[:120]}: {exc.message}") from exc
        host = httpx.URL(url).netloc.decode("ascii")
        if host not in self._allow_hosts:
            raise errors.ResolutionError(f"cannot resolve {did}: host {host} is not allowed")
        if host in self._unsafe_http_hosts:
            url = "http://" + url.removeprefix("https://")
        try:
            document = DidDocument.from_json(self._fetch(did, url))
        except errors.InvalidDocument as exc:
            raise errors.ResolutionError(f"cannot resolve {did}: {exc.message}") from exc
        if document.id != did:
            raise errors.ResolutionError(
                f"document id mismatch for {did}: expected {did}, got {document.id}"
            )
        self._cache = {key: entry for key, entry in self._cache.items() if now < entry[0]}
        self._cache[did] = (now + self._cache_ttl, document)
        return document

    def _fetch(self, did: Did, url: str) -> bytes:
        try:
            with self._client.stream(
                "GET", url, headers=_HEADERS, follow_redirects=False
            ) as response:
                if response.status_code != httpx.codes.OK:
                    raise errors.ResolutionError(
                        f"cannot resolve {did}: {url} answered HTTP {response.status_code}"
                    )
                # Uncompressed only: a compressed body could expand far past the cap in one chunk.
                encoding = response.headers.get("Content-Encoding", "identity").lower()
                if encoding != "identity":
                    raise errors.ResolutionError(
                        f"cannot resolve {did}: refused Content-Encoding {encoding[:40]}"
                    )
                body = bytearray()
                for chunk in response.iter_bytes():
                    body += chunk
                    if len(body) > self._max_bytes:
                        raise errors.ResolutionError(
                            f"cannot resolve {did}: document larger than {self._max_bytes} bytes"
                        )
                return bytes(body)
        except httpx.HTTPError as exc:
            raise errors.ResolutionError(f"cannot resolve {did}: fetching {url} failed") from exc


class CompositeResolver:
    """Dispatches on the DID method (DID Core §3.1 ``method-name``) to one resolver per method."""

    def __init__(self, resolvers: Mapping[str, Resolver]) -> None:
        """``resolvers`` maps method names (``key``, ``jwk``, ``web``) to resolvers."""
        self._resolvers = dict(resolvers)

    def resolve(self, did: Did) -> DidDocument:
        """Resolve ``did`` with the resolver for its method.

        Raises:
            errors.ResolutionError: the DID is malformed, or its method has no resolver.
        """
        try:
            method = parse_did(did).split(":")[1]
        except errors.InvalidDocument as exc:
            raise errors.ResolutionError(f"cannot resolve: {exc.message}") from exc
        resolver = self._resolvers.get(method)
        if resolver is None:
            raise errors.ResolutionError(f"cannot resolve {did}: unsupported DID method {method}")
        return resolver.resolve(did)


def resolve_verification_key(
    resolver: Resolver, method_id: str, *, relationship: Relationship
) -> keys.PublicKey:
    """Find the public key of the verification method ``did:...#fragment`` and check that the
    DID's document authorises it for ``relationship`` (Controlled Identifiers 1.0, "Retrieve
    Verification Method"; Data Integrity 1.0 §4.1 step "retrieve the verification method").

    Raises:
        errors.ResolutionError: ``method_id`` is not a DID URL with a fragment, the DID does not
            resolve, the document's ``id`` differs, the method is missing, its ``controller`` is
            not the DID, or it holds no supported signing key.
        errors.ProofInvalid: the document does not list the method under ``relationship``.
    """
    try:
        did, _ = split_did_url(method_id)
    except errors.InvalidDocument as exc:
        raise errors.ResolutionError(f"invalid verification method id: {exc.message}") from exc
    document = resolver.resolve(did)
    if document.id != did:
        raise errors.ResolutionError(
            f"document id mismatch for {did}: expected {did}, got {document.id}"
        )
    method = document.verification_method(method_id)
    if method.controller != did:
        raise errors.ResolutionError(
            f"controller mismatch for {method_id}: expected {did}, got {method.controller}"
        )
    if not document.has_relationship(method_id, relationship):
        raise errors.ProofInvalid(
            f"verification method {method_id} is not authorised for {relationship.value} by {did}"
        )
    return method.public_key()
