"""Decentralized identifiers: documents, the did:key, did:jwk and did:web methods, resolution.

Import the modules, not their names, across domains (STYLE.md §2)::

    from tradetrace.did import resolver
    key = resolver.resolve_verification_key(my_resolver, method_id, relationship=...)

The names below are the package's public API.
"""

from __future__ import annotations

from tradetrace.did.document import (
    DidDocument,
    Relationship,
    Service,
    VerificationMethod,
    parse_did,
    split_did_url,
)
from tradetrace.did.jwk import create_jwk_did, resolve_jwk_did
from tradetrace.did.key import KeyDidStyle, create_key_did, public_key_from_key_did, resolve_key_did
from tradetrace.did.resolver import (
    CompositeResolver,
    JwkResolver,
    KeyResolver,
    Resolver,
    WebResolver,
    resolve_verification_key,
)
from tradetrace.did.web import build_web_did_document, url_to_web_did, web_did_to_url

__all__ = [
    "CompositeResolver",
    "DidDocument",
    "JwkResolver",
    "KeyDidStyle",
    "KeyResolver",
    "Relationship",
    "Resolver",
    "Service",
    "VerificationMethod",
    "WebResolver",
    "build_web_did_document",
    "create_jwk_did",
    "create_key_did",
    "parse_did",
    "public_key_from_key_did",
    "resolve_jwk_did",
    "resolve_key_did",
    "resolve_verification_key",
    "split_did_url",
    "url_to_web_did",
    "web_did_to_url",
]
