"""The did:web method: a DID document served over HTTPS (w3c-ccg did:web spec, 2024 draft).

``did:web:<host>[%3A<port>][:<segment>...]`` maps to
``https://<host>[:<port>]/<segment>/.../did.json``, or to ``/.well-known/did.json`` when there
are no path segments (§3.2 Create, §3.3 Read, steps 1-5). This module does the mapping both ways
and builds the document an organisation hosts; :class:`tradetrace.did.resolver.WebResolver`
fetches. The mapping is strict on purpose: a DNS host name (no IP address, §2.4 says the id must
match a TLS certificate's name), an optional port, and path segments of unreserved characters
only, so no percent-encoded ``/`` or ``..`` can steer the fetch elsewhere.
"""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Mapping, Sequence
from typing import Any, Final

from tradetrace import errors, keys
from tradetrace.did.document import DidDocument, Relationship, Service, parse_did
from tradetrace.types import Did

__all__ = ["build_web_did_document", "url_to_web_did", "web_did_to_url"]

_PREFIX: Final = "did:web:"
# RFC 1123 §2.1 host names; the last label must not be all digits, which keeps IPv4 out.
_LABEL: Final = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST: Final = re.compile(rf"(?:{_LABEL}\.)*(?!\d+$){_LABEL}")
_PORT: Final = re.compile(r"[1-9][0-9]{0,4}")
_SEGMENT: Final = re.compile(r"[A-Za-z0-9._~-]+")
_FRAGMENT: Final = re.compile(r"[A-Za-z0-9._~-]+")
_CONTEXT: Final = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1")


def web_did_to_url(did: str) -> str:
    """The HTTPS URL of a did:web's document (did:web §3.3 Read, steps 1-5).

    Raises:
        errors.InvalidDocument: not a did:web, or a host, port or path segment outside the strict
            grammar described in the module docstring.
    """
    parse_did(did)
    if not did.startswith(_PREFIX):
        raise errors.InvalidDocument(f"not a did:web: {did[:120]!r}")
    authority, *segments = did.removeprefix(_PREFIX).split(":")
    host, percent, port = authority.partition("%3A")
    if not _HOST.fullmatch(host) or len(host) > 253:
        raise errors.InvalidDocument(f"invalid did:web host {host[:120]!r}")
    if percent and (not _PORT.fullmatch(port) or int(port) > 65535):
        raise errors.InvalidDocument(f"invalid did:web port {port[:20]!r}")
    for segment in segments:
        if not _SEGMENT.fullmatch(segment) or segment in (".", ".."):
            raise errors.InvalidDocument(f"invalid did:web path segment {segment[:120]!r}")
    path = "/".join(segments) if segments else ".well-known"
    netloc = f"{host.lower()}:{port}" if percent else host.lower()
    return f"https://{netloc}/{path}/did.json"


def url_to_web_did(url: str) -> Did:
    """The did:web whose document lives at ``url`` (did:web §3.2 Create, the inverse of Read).

    ``url`` is ``https://host[:port]/.well-known/did.json`` or ``https://host[:port]/a/b/did.json``;
    a bare ``https://host`` is taken as the well-known location.

    Raises:
        errors.InvalidDocument: not such an HTTPS URL, or one whose host or path the strict
            grammar of :func:`web_did_to_url` refuses.
    """
    parts = urllib.parse.urlsplit(url)
    if parts.scheme != "https" or parts.query or parts.fragment or "@" in parts.netloc:
        raise errors.InvalidDocument(f"did:web needs a plain https URL, got {url[:120]!r}")
    path = parts.path.strip("/")
    if path in ("", ".well-known/did.json"):
        segments: list[str] = []
    elif path.endswith("/did.json"):
        segments = path.removesuffix("/did.json").split("/")
    else:
        raise errors.InvalidDocument(f"did:web URL must end in /did.json, got {url[:120]!r}")
    did = _PREFIX + ":".join([parts.netloc.lower().replace(":", "%3A"), *segments])
    web_did_to_url(did)  # the strict reader refuses what it could not map back
    return Did(did)


def build_web_did_document(
    did: str,
    *,
    keys_by_fragment: Mapping[str, keys.PublicKey],
    relationships: Sequence[Relationship] = (
        Relationship.ASSERTION_METHOD,
        Relationship.AUTHENTICATION,
    ),
    services: Sequence[Service] = (),
) -> DidDocument:
    """Build the did:web document an organisation hosts (DID Core §5, did:web §3.2 Create).

    Each key becomes a ``Multikey`` method ``<did>#<fragment>`` (Controlled Identifiers 1.0
    §2.2.2) listed under each of ``relationships`` (by default ``assertionMethod``, to issue
    credentials, and ``authentication``, to present them). ``services`` are copied as given.

    Raises:
        errors.InvalidDocument: the DID is not a valid did:web, there are no keys, or a fragment
            is not made of unreserved characters.
    """
    web_did_to_url(did)
    if not keys_by_fragment:
        raise errors.InvalidDocument(f"a did:web document needs at least one key: {did}")
    methods: list[dict[str, Any]] = []
    for fragment, public_key in keys_by_fragment.items():
        if not _FRAGMENT.fullmatch(fragment):
            raise errors.InvalidDocument(f"invalid verification method fragment {fragment!r}")
        methods.append(
            {
                "id": f"{did}#{fragment}",
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": public_key.to_multibase(),
            }
        )
    document: dict[str, Any] = {
        "@context": list(_CONTEXT),
        "id": Did(did),
        "verificationMethod": methods,
    }
    for relationship in relationships:
        document[relationship.value] = [method["id"] for method in methods]
    if services:
        document["service"] = [
            service.model_dump(mode="json", by_alias=True) for service in services
        ]
    return DidDocument.from_dict(document)
