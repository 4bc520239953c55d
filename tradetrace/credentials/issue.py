"""Issue credentials and presentations, secured as VC-JOSE-COSE JWS or with a Data Integrity
proof (VC Data Model 2.0 §4.12 "Securing Mechanisms").

:func:`issue_credential` fills what a credential lacks: ``id`` (a fresh ``urn:uuid``, VC DM 2.0
§4.4), ``validFrom`` (``issuanceDate`` in VC 1.1) from the injected ``now`` and ``issuer``; then
checks the envelope (:mod:`~tradetrace.credentials.model`) and secures it. The issuer is the
key's did:key unless a verification method of another DID (a did:web) is named; the method's
DID must then be the credential's issuer, as the verifier requires. :func:`issue_presentation`
does the same for a holder, binding the proof to a verifier's ``challenge`` and ``domain``
(Data Integrity 1.0 §2.1; ``nonce`` and ``aud`` in JOSE, VC-JOSE-COSE §3.1.2).
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, Final

from tradetrace import did, errors, keys
from tradetrace.credentials import jose, model, proofs
from tradetrace.credentials.proofs import data_integrity
from tradetrace.types import Sha256Digest

__all__ = ["ENVELOPED_CREDENTIAL", "Format", "Secured", "issue_credential", "issue_presentation"]

ENVELOPED_CREDENTIAL: Final = "EnvelopedVerifiableCredential"
"""The type of a JWS-secured credential inside a presentation (VC DM 2.0 §4.13.1)."""


class Format(StrEnum):
    """How a credential or presentation is secured (VC DM 2.0 §4.12)."""

    VC_JWT = "vc-jwt"
    """A compact JWS, ``application/vc+jwt`` or ``application/vp+jwt`` (VC-JOSE-COSE §3.1)."""
    EDDSA_JCS_2022 = "eddsa-jcs-2022"
    """A Data Integrity proof, Ed25519 over JCS (vc-di-eddsa §3.3)."""
    ECDSA_JCS_2019 = "ecdsa-jcs-2019"
    """A Data Integrity proof, P-256 or P-384 over JCS (vc-di-ecdsa §3.4)."""
    EDDSA_RDFC_2022 = "eddsa-rdfc-2022"
    """A Data Integrity proof, Ed25519 over RDFC-1.0 (vc-di-eddsa §3.2)."""
    ECDSA_RDFC_2019 = "ecdsa-rdfc-2019"
    """A Data Integrity proof, P-256 or P-384 over RDFC-1.0 (vc-di-ecdsa §3.3)."""
    ED25519_SIGNATURE_2018 = "Ed25519Signature2018"
    """A Linked Data Signature, Ed25519 over RDFC-1.0, detached JWS (lds-ed25519-2018)."""
    JSON_WEB_SIGNATURE_2020 = "JsonWebSignature2020"
    """A Linked Data Signature, detached JWS over RDFC-1.0 (lds-jws2020)."""


@dataclass(frozen=True, slots=True)
class Secured:
    """An issued credential or presentation: a compact JWS, or a JSON object with a proof."""

    format: Format
    document: str | dict[str, Any]

    def to_bytes(self) -> bytes:
        """The bytes to send: the JWS in ASCII, or the JSON in UTF-8 (RFC 8259 §8.1)."""
        return model.secured_bytes(self.document)

    @property
    def digest(self) -> Sha256Digest:
        """The digest a transparency log records; see :func:`model.secured_digest`."""
        return model.secured_digest(self.document)


def _stamp(now: datetime) -> str:
    if now.tzinfo is None:
        raise errors.InvalidDocument("now must be a timezone-aware datetime")
    return now.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _signer(key: keys.SigningKey, party: str | None, method: str | None) -> tuple[str, str]:
    """The DID and verification method id that sign: the key's did:key unless ``method``."""
    if method is None:
        if party is not None:
            raise errors.InvalidDocument(f"name the verification method of {party} to sign as it")
        key_did = did.create_key_did(key.public_key())
        return key_did, f"{key_did}#{key_did.removeprefix('did:key:')}"
    method_did, _ = did.split_did_url(method)
    if party is not None and party != method_did:
        raise errors.InvalidDocument(f"verification method {method} does not belong to {party}")
    return method_did, method


def _bind(document: dict[str, Any], name: str, party: str) -> None:
    """Set ``issuer``/``holder`` to ``party``, or check that the document already names it."""
    current = document.get(name)
    if current is None:
        document[name] = party
        return
    named = current.get("id") if isinstance(current, dict) else current
    if named != party:
        raise errors.InvalidDocument(f"{name} {named!r:.120} is not the signer {party}")


def _secure(
    document: dict[str, Any],
    *,
    key: keys.SigningKey,
    format: Format,
    method: str,
    options: dict[str, Any],
    media_type: jose.MediaType,
) -> Secured:
    if "proof" in document:
        raise errors.InvalidDocument("the document already has a proof")
    if format is Format.VC_JWT:
        return Secured(format, jose.sign_compact(document, key, kid=method, media_type=media_type))
    suite = proofs.find_cryptosuite(format.value)
    if suite is None or not suite.supports(key.kind):
        raise errors.InvalidDocument(f"{format.value} cannot sign with a {key.kind.value} key")
    proof_options = {
        "type": data_integrity.PROOF_TYPE,
        "cryptosuite": suite.name,
        "verificationMethod": method,
        **options,
    }
    return Secured(format, {**document, "proof": suite.create_proof(document, proof_options, key)})


def issue_credential(
    credential: Mapping[str, Any],
    *,
    key: keys.SigningKey,
    format: Format,
    now: datetime,
    issuer: str | None = None,
    verification_method: str | None = None,
) -> Secured:
    """Secure ``credential`` in ``format``, filling ``id``, ``issuer`` and ``validFrom``.

    ``issuer`` and ``verification_method`` name a DID and its key (for instance a did:web
    and ``did:web:...#key-1``); by default the key's did:key signs (did:key §3.1.1).

    Raises:
        errors.InvalidDocument: the envelope is invalid (VC DM 2.0 §4), names another issuer,
            is already secured, or the key cannot sign in ``format``.
        errors.CanonicalizationError: the credential cannot be canonicalized for its proof.
    """
    signer, method = _signer(key, issuer, verification_method)
    document = dict(credential)
    _bind(document, "issuer", signer)
    document.setdefault("id", f"urn:uuid:{uuid.uuid4()}")
    vc_1_1 = _first_context(document) == model.VC_1_1_CONTEXT
    document.setdefault("issuanceDate" if vc_1_1 else "validFrom", _stamp(now))
    model.Credential.from_dict(document)
    options = {
        "created": _stamp(now),
        "proofPurpose": data_integrity.ProofPurpose.ASSERTION_METHOD.value,
    }
    return _secure(
        document,
        key=key,
        format=format,
        method=method,
        options=options,
        media_type=jose.MediaType.VC_JWT,
    )


def issue_presentation(
    presentation: Mapping[str, Any] | None = None,
    *,
    credentials: Sequence[Secured | str | Mapping[str, Any]] = (),
    key: keys.SigningKey,
    format: Format,
    now: datetime,
    holder: str | None = None,
    verification_method: str | None = None,
    challenge: str | None = None,
    domain: str | None = None,
) -> Secured:
    """Secure a presentation of ``credentials`` by their holder (VC DM 2.0 §4.13).

    JWS-secured credentials are embedded as ``EnvelopedVerifiableCredential`` data URLs
    (VC DM 2.0 §4.13.1, RFC 2397), others as they are. ``challenge`` and ``domain`` bind the
    proof to one verifier and session: ``challenge``/``domain`` of a Data Integrity proof
    (Data Integrity 1.0 §2.1), ``nonce``/``aud`` claims in a JWS (VC-JOSE-COSE §3.1.2).

    Raises:
        errors.InvalidDocument: the envelope is invalid, names another holder, or the key
            cannot sign in ``format``.
        errors.CanonicalizationError: the presentation cannot be canonicalized for its proof.
    """
    signer, method = _signer(key, holder, verification_method)
    base: Mapping[str, Any] = presentation or {
        "@context": [model.VC_2_0_CONTEXT],
        "type": ["VerifiablePresentation"],
    }
    document = dict(base)
    _bind(document, "holder", signer)
    document.setdefault("id", f"urn:uuid:{uuid.uuid4()}")
    if credentials:
        existing = document.get("verifiableCredential", [])
        entries = list(existing) if isinstance(existing, list) else [existing]
        document["verifiableCredential"] = entries + [_embedded(item) for item in credentials]
    model.Presentation.from_dict(document)
    options: dict[str, Any] = {
        "created": _stamp(now),
        "proofPurpose": data_integrity.ProofPurpose.AUTHENTICATION.value,
    }
    if format is Format.VC_JWT:
        document.update({"nonce": challenge} if challenge is not None else {})
        document.update({"aud": domain} if domain is not None else {})
    else:
        options.update({"challenge": challenge} if challenge is not None else {})
        options.update({"domain": domain} if domain is not None else {})
    return _secure(
        document,
        key=key,
        format=format,
        method=method,
        options=options,
        media_type=jose.MediaType.VP_JWT,
    )


def _first_context(document: Mapping[str, Any]) -> object:
    context = document.get("@context")
    return context[0] if isinstance(context, list) and context else context


def _embedded(item: Secured | str | Mapping[str, Any]) -> Any:
    value = item.document if isinstance(item, Secured) else item
    if isinstance(value, str):
        return {
            "@context": model.VC_2_0_CONTEXT,
            "id": f"data:application/{jose.MediaType.VC_JWT.value},{value}",
            "type": ENVELOPED_CREDENTIAL,
        }
    return dict(value)
