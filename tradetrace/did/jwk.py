"""The did:jwk method: a DID that is a JSON Web Key (did:jwk spec, quartzjer/did-jwk v1).

``did:jwk:`` + base64url (RFC 4648 §5, no padding) of the UTF-8 JSON of a public JWK (§2.1). We
write the JWK in its RFC 8785 canonical form, so one key has one DID; resolution accepts any
member order. The document has one ``JsonWebKey2020`` method with fragment ``#0``, listed under
every relationship, except that ``"use": "sig"`` drops ``keyAgreement`` and ``"use": "enc"`` keeps
only ``keyAgreement`` (§2.2 Read). Private members are refused (§2.1: "MUST NOT" contain them).
"""

from __future__ import annotations

import json
from typing import Any, Final

from tradetrace import errors, keys, multiformats
from tradetrace.credentials import jcs
from tradetrace.did.document import DidDocument, Relationship, parse_did
from tradetrace.types import Did

__all__ = ["create_jwk_did", "resolve_jwk_did"]

_PREFIX: Final = "did:jwk:"
_CONTEXT: Final = ("https://www.w3.org/ns/did/v1", "https://w3id.org/security/suites/jws-2020/v1")
# A public JWK is a few hundred bytes; this bounds the work an arbitrary DID can cause.
_MAX_DID_LENGTH: Final = 4096
_PRIVATE_MEMBERS: Final = frozenset({"d", "p", "q", "dp", "dq", "qi", "oth", "k"})


def create_jwk_did(public_key: keys.PublicKey) -> Did:
    """The did:jwk of ``public_key``: base64url of its canonical public JWK (did:jwk §2.1)."""
    return Did(_PREFIX + multiformats.encode_base64url(jcs.canonicalize(public_key.to_jwk())))


def resolve_jwk_did(did: str) -> DidDocument:
    """Expand a did:jwk into its DID document (did:jwk §2.2 Read).

    Keys of kinds tradetrace cannot verify with (X25519, RSA...) still resolve; their method
    raises on ``public_key()``.

    Raises:
        errors.ResolutionError: not a did:jwk, too long, not base64url JSON of a JWK object, a
            JWK with private members or an invalid key, or a ``use`` other than ``sig``/``enc``.
    """
    try:
        if len(did) > _MAX_DID_LENGTH:
            raise errors.InvalidDocument(f"longer than {_MAX_DID_LENGTH} characters")
        parse_did(did)
        if not did.startswith(_PREFIX):
            raise errors.InvalidDocument("not a did:jwk")
        jwk = _decode_jwk(did.removeprefix(_PREFIX))
        return DidDocument.from_dict(_document(Did(did), jwk))
    except errors.InvalidDocument as exc:
        raise errors.ResolutionError(f"cannot resolve {did[:120]}: {exc.message}") from exc


def _decode_jwk(encoded: str) -> dict[str, Any]:
    try:
        jwk = json.loads(multiformats.decode_base64url(encoded))
    except ValueError as exc:  # JSONDecodeError and UnicodeDecodeError
        raise errors.InvalidDocument("the JWK is not UTF-8 JSON") from exc
    if not isinstance(jwk, dict) or not isinstance(jwk.get("kty"), str):
        raise errors.InvalidDocument("the JWK is not an object with a 'kty'")
    leaked = sorted(_PRIVATE_MEMBERS.intersection(jwk))
    if leaked:
        raise errors.InvalidDocument(f"the JWK carries private members: {', '.join(leaked)}")
    return jwk


def _document(did: Did, jwk: dict[str, Any]) -> dict[str, Any]:
    method_id = f"{did}#0"
    use = jwk.get("use")
    if use == "enc":
        relationships = [Relationship.KEY_AGREEMENT]
    elif use in (None, "sig"):
        relationships = [
            Relationship.ASSERTION_METHOD,
            Relationship.AUTHENTICATION,
            Relationship.CAPABILITY_INVOCATION,
            Relationship.CAPABILITY_DELEGATION,
        ]
        if use is None:
            relationships.append(Relationship.KEY_AGREEMENT)
    else:
        raise errors.InvalidDocument(f"unknown JWK use {use!r}")
    method = {"id": method_id, "type": "JsonWebKey2020", "controller": did, "publicKeyJwk": jwk}
    document: dict[str, Any] = {
        "@context": list(_CONTEXT),
        "id": did,
        "verificationMethod": [method],
    }
    document.update({relationship.value: [method_id] for relationship in relationships})
    return document
