"""The did:key method: a DID that is a public key (w3c-ccg did:key spec v0.7).

``did:key:`` + the key's Multikey form, ``z`` + base58btc(multicodec ‖ key): ``0xed01`` for
Ed25519, ``0x8024`` for P-256 and ``0x8124`` for P-384 with compressed points (§2.1, §3.1.1).
Resolution expands the DID into a document with one verification method whose fragment is the
same Multikey string, listed under ``assertionMethod``, ``authentication``,
``capabilityInvocation`` and ``capabilityDelegation`` (§3.1.2 Document Creation Algorithm).

The method is rendered in one of the :class:`KeyDidStyle` forms. ``MULTIKEY`` is the current one;
the others reproduce the documents that older resolvers produce and that the w3c-ccg
``did-method-key`` test vectors hold. With ``key_agreement=True`` an Ed25519 key also gets an
X25519 ``keyAgreement`` method, derived by the Edwards-to-Montgomery map ``u = (1 + y) / (1 - y)``
(RFC 7748 §4.1; did:key §3.1.4 Encryption Method Creation Algorithm); a NIST key lists itself.
"""

from __future__ import annotations

import enum
from typing import Any, Final

from tradetrace import errors, keys, multiformats
from tradetrace.did.document import DidDocument, parse_did
from tradetrace.types import Did

__all__ = ["KeyDidStyle", "create_key_did", "public_key_from_key_did", "resolve_key_did"]

_PREFIX: Final = "did:key:"
_DID_V1: Final = "https://www.w3.org/ns/did/v1"
# The field prime of Curve25519/edwards25519 and the curve constant d (RFC 7748 §4.1).
_FIELD: Final = 2**255 - 19
_EDWARDS_D: Final = -121665 * pow(121666, -1, _FIELD) % _FIELD


class KeyDidStyle(enum.StrEnum):
    """How a did:key document writes its verification methods (did:key §3.1.2 ``publicKeyFormat``).

    * ``MULTIKEY``: ``Multikey`` with ``publicKeyMultibase``, the current format.
    * ``JSON_WEB_KEY_2020``: ``JsonWebKey2020`` with ``publicKeyJwk`` (all key kinds).
    * ``ED25519_2020``: ``Ed25519VerificationKey2020``/``X25519KeyAgreementKey2020`` with
      ``publicKeyMultibase``; Ed25519 only.
    * ``LEGACY_2018``: ``Ed25519VerificationKey2018``/``X25519KeyAgreementKey2019``, or
      ``P256Key2021``/``P384Key2021`` for NIST keys, all with ``publicKeyBase58``.
    """

    MULTIKEY = "Multikey"
    JSON_WEB_KEY_2020 = "JsonWebKey2020"
    ED25519_2020 = "Ed25519VerificationKey2020"
    LEGACY_2018 = "Ed25519VerificationKey2018"


def create_key_did(public_key: keys.PublicKey) -> Did:
    """The did:key of ``public_key`` (did:key §3.1.1 Create)."""
    return Did(_PREFIX + public_key.to_multibase())


def public_key_from_key_did(did: str) -> keys.PublicKey:
    """Decode the public key a did:key names (did:key §3.1.3 Decode Public Key Algorithm).

    Raises:
        errors.ResolutionError: not a did:key, not base58btc, an unsupported key type, a wrong
            key length or an invalid point.
    """
    try:
        parse_did(did)
        if not did.startswith(_PREFIX):
            raise errors.InvalidDocument("not a did:key")
        return keys.PublicKey.from_multibase(did.removeprefix(_PREFIX))
    except (errors.InvalidDocument, errors.LimitExceeded) as exc:
        raise errors.ResolutionError(f"cannot resolve {did[:120]}: {exc.message}") from exc


def resolve_key_did(
    did: str, *, style: KeyDidStyle = KeyDidStyle.MULTIKEY, key_agreement: bool = False
) -> DidDocument:
    """Expand a did:key into its DID document (did:key §3.1.2 Document Creation Algorithm).

    Raises:
        errors.ResolutionError: the DID does not decode (see :func:`public_key_from_key_did`),
            ``style`` does not support the key kind, or no X25519 key can be derived.
    """
    public_key = public_key_from_key_did(did)
    key_did = create_key_did(public_key)
    ed25519 = public_key.kind is keys.KeyKind.ED25519
    if style is KeyDidStyle.ED25519_2020 and not ed25519:
        raise errors.ResolutionError(f"{style.value} cannot express a {public_key.kind.value} key")
    signing = _signing_method(key_did, public_key, style)
    methods = [signing]
    contexts = [_DID_V1, _signing_context(public_key.kind, style)]
    agreement_id = signing["id"]
    if key_agreement and ed25519:
        agreement = _agreement_method(key_did, _x25519_from_ed25519(public_key.raw), style)
        methods.append(agreement)
        agreement_id = agreement["id"]
        context = _AGREEMENT_CONTEXTS.get(style)
        if context is not None:
            contexts.append(context)
    document: dict[str, Any] = {
        "@context": contexts,
        "id": key_did,
        "verificationMethod": methods,
        "assertionMethod": [signing["id"]],
        "authentication": [signing["id"]],
        "capabilityInvocation": [signing["id"]],
        "capabilityDelegation": [signing["id"]],
    }
    if key_agreement:
        document["keyAgreement"] = [agreement_id]
    return DidDocument.from_dict(document)


_SIGNING_CONTEXTS: Final = {
    KeyDidStyle.MULTIKEY: "https://w3id.org/security/multikey/v1",
    KeyDidStyle.JSON_WEB_KEY_2020: "https://w3id.org/security/suites/jws-2020/v1",
    KeyDidStyle.ED25519_2020: "https://w3id.org/security/suites/ed25519-2020/v1",
    KeyDidStyle.LEGACY_2018: "https://w3id.org/security/suites/ed25519-2018/v1",
}
_AGREEMENT_CONTEXTS: Final = {
    KeyDidStyle.ED25519_2020: "https://w3id.org/security/suites/x25519-2020/v1",
    KeyDidStyle.LEGACY_2018: "https://w3id.org/security/suites/x25519-2019/v1",
}
_LEGACY_NIST_TYPES: Final = {keys.KeyKind.P256: "P256Key2021", keys.KeyKind.P384: "P384Key2021"}


def _signing_context(kind: keys.KeyKind, style: KeyDidStyle) -> str:
    if style is KeyDidStyle.LEGACY_2018 and kind is not keys.KeyKind.ED25519:
        return "https://w3id.org/security/suites/multikey-2021/v1"
    return _SIGNING_CONTEXTS[style]


def _signing_method(did: Did, key: keys.PublicKey, style: KeyDidStyle) -> dict[str, Any]:
    fragment = did.removeprefix(_PREFIX)
    if style is KeyDidStyle.JSON_WEB_KEY_2020:
        return _method(did, fragment, style.value, "publicKeyJwk", key.to_jwk())
    if style is KeyDidStyle.LEGACY_2018:
        method_type = _LEGACY_NIST_TYPES.get(key.kind, style.value)
        base58 = multiformats.encode_base58btc(key.raw)
        return _method(did, fragment, method_type, "publicKeyBase58", base58)
    return _method(did, fragment, style.value, "publicKeyMultibase", fragment)


def _agreement_method(did: Did, x25519: bytes, style: KeyDidStyle) -> dict[str, Any]:
    multibase = multiformats.encode_multibase(
        multiformats.add_multicodec(multiformats.Multicodec.X25519_PUB, x25519)
    )
    if style is KeyDidStyle.MULTIKEY:
        return _method(did, multibase, "Multikey", "publicKeyMultibase", multibase)
    if style is KeyDidStyle.JSON_WEB_KEY_2020:
        jwk = {"kty": "OKP", "crv": "X25519", "x": multiformats.encode_base64url(x25519)}
        return _method(did, multibase, style.value, "publicKeyJwk", jwk)
    if style is KeyDidStyle.ED25519_2020:
        return _method(did, multibase, "X25519KeyAgreementKey2020", "publicKeyMultibase", multibase)
    base58 = multiformats.encode_base58btc(x25519)
    return _method(did, multibase, "X25519KeyAgreementKey2019", "publicKeyBase58", base58)


def _method(did: Did, fragment: str, method_type: str, material: str, value: Any) -> dict[str, Any]:
    # Member order as the did:key test vectors write it.
    return {"id": f"{did}#{fragment}", "type": method_type, "controller": did, material: value}


def _x25519_from_ed25519(public_key: bytes) -> bytes:
    """Map an Ed25519 public key to X25519: ``u = (1 + y) / (1 - y) mod p`` (RFC 7748 §4.1).

    Raises:
        errors.ResolutionError: ``y`` is not canonical (``y >= p``), is the identity (``y = 1``,
            where the map divides by zero), or names no point on the curve.
    """
    y = int.from_bytes(public_key, "little") & ((1 << 255) - 1)
    if y >= _FIELD or y == 1:
        raise errors.ResolutionError("cannot derive an X25519 key from this Ed25519 key")
    # RFC 8032 §5.1.3 step 2: the point exists iff x^2 = (y^2 - 1) / (d y^2 + 1) is a square.
    x_squared = (y * y - 1) * pow(_EDWARDS_D * y * y + 1, -1, _FIELD) % _FIELD
    if x_squared and pow(x_squared, (_FIELD - 1) // 2, _FIELD) != 1:
        raise errors.ResolutionError("Ed25519 key is not a point on the curve")
    u = (1 + y) * pow(1 - y, -1, _FIELD) % _FIELD
    return u.to_bytes(32, "little")
