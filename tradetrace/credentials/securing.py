"""Reading a secured credential or presentation, and checking how it is secured.

The first two checks of :mod:`tradetrace.credentials.verify`: :func:`read_secured` tells the
securing mechanism from the input (a compact JWS, VC-JOSE-COSE §3.1; or JSON with a Data
Integrity ``proof``, Data Integrity 1.0 §2.1; or an ``Enveloped…`` object holding a JWS data URL,
VC DM 2.0 §4.13.1) and checks the envelope (the *format* check). :meth:`ProofChecker.check`
then finds the signing key through the signer's DID document under the relationship the proof
needs (``assertionMethod`` for a credential, ``authentication`` for a presentation; Controlled
Identifiers 1.0 "Retrieve Verification Method") and verifies the proof (the *proof* check).

Failures raise :class:`Failure`, which carries the check's status, stable code and message; the
pipeline turns it into a :class:`~tradetrace.credentials.report.Check`. It never leaves
:meth:`Verifier.verify <tradetrace.credentials.verify.Verifier.verify>`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Final

from tradetrace import did, errors, keys
from tradetrace.credentials import jose, json_input, model, proofs
from tradetrace.credentials.issue import ENVELOPED_CREDENTIAL, Format
from tradetrace.credentials.proofs import data_integrity
from tradetrace.credentials.report import CheckStatus

__all__ = [
    "DATA_INTEGRITY",
    "DEFAULT_LIMITS",
    "Failure",
    "InputLimits",
    "ProofChecker",
    "Received",
    "Signer",
    "read_secured",
]

DATA_INTEGRITY: Final = "data-integrity"
"""The format reported for a Data Integrity proof whose cryptosuite is not supported."""

_ENVELOPED: Final = {
    ENVELOPED_CREDENTIAL: "data:application/vc+jwt,",
    "EnvelopedVerifiablePresentation": "data:application/vp+jwt,",
}
_DETERMINISTIC_METHODS: Final = ("did:key:", "did:jwk:")
# The proof purpose (Data Integrity 1.0 §2.1.2) that names each relationship the checker uses.
_PURPOSES: Final = {
    did.Relationship(purpose.value): purpose for purpose in data_integrity.ProofPurpose
}


class Failure(Exception):
    """A check that did not pass: its status (``invalid`` or ``error``), code and message.

    Internal to the pipeline (the ``Check`` of VC DM 2.0 §7.1 verification results): it never
    escapes :meth:`Verifier.verify <tradetrace.credentials.verify.Verifier.verify>`.
    """

    def __init__(self, status: CheckStatus, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _invalid(code: str, message: str) -> Failure:
    return Failure(CheckStatus.INVALID, code, message)


@dataclass(frozen=True, slots=True)
class InputLimits:
    """Bounds on what one verification reads: bytes, nesting and credentials per presentation
    (VC DM 2.0 §8.2 "Denial of service": a verifier bounds the work an input can cause)."""

    max_bytes: int = 1024 * 1024
    max_depth: int = 64
    max_credentials: int = 64


DEFAULT_LIMITS: Final = InputLimits()
"""1 MiB, 64 levels of nesting, 64 credentials per presentation."""


@dataclass(frozen=True, slots=True)
class Received:
    """A secured credential or presentation as received and read, its envelope checked
    (VC DM 2.0 §4.12 securing mechanisms: a JWS, VC-JOSE-COSE §3.1, or an embedded proof).

    ``document`` is the JSON (the JWS payload, for a JWS); ``proof`` is the parsed Data
    Integrity proof, or ``None`` with ``proof_problem`` saying why; ``jws`` the parsed JWS.
    """

    format: str
    document: dict[str, Any]
    envelope: model.Credential | model.Presentation
    jcs_ready: bool
    jws: jose.CompactJws | None = None
    proof: data_integrity.Proof | None = None
    proof_problem: str | None = None

    @property
    def is_presentation(self) -> bool:
        """Whether this is a presentation rather than a credential."""
        return isinstance(self.envelope, model.Presentation)

    @property
    def party(self) -> str | None:
        """Who must have signed: the issuer of a credential, the holder of a presentation."""
        if isinstance(self.envelope, model.Presentation):
            return self.envelope.holder
        return self.envelope.issuer

    @property
    def method_id(self) -> str | None:
        """The verification method that signed: JWS ``kid`` (made absolute against the party
        for a relative ``#fragment``, RFC 3986 §5) or the proof's ``verificationMethod``."""
        if self.jws is not None:
            kid = self.jws.kid
            if kid is not None and kid.startswith("#") and self.party is not None:
                return self.party + kid
            return kid
        return self.proof.verification_method if self.proof is not None else None

    def secured_form(self) -> str | dict[str, Any]:
        """The secured document as sent: the compact JWS, or the JSON with its proof."""
        return self.jws.serialize() if self.jws is not None else self.document


def read_secured(data: object, *, limits: InputLimits, jcs_ready: bool = False) -> Received:
    """Read a secured document: detect JWS or Data Integrity and check the envelope (VC DM 2.0
    §4, §4.12, §4.13.1; VC-JOSE-COSE §3.1; Data Integrity 1.0 §2.1).

    ``jcs_ready`` applies to a ``dict`` that came from :func:`json_input.parse_json`.

    Raises:
        Failure: codes ``limit_exceeded``, ``malformed``, ``unsupported_format``,
            ``proof_missing``.
    """
    try:
        if not isinstance(data, dict | bytes | str):
            raise _invalid(
                "malformed", f"expected a JSON object or a JWS, got {type(data).__name__}"
            )
        if isinstance(data, dict):
            json_input.check_depth(data, limits.max_depth)
            return _read_json(data, jcs_ready, limits)
        text = data.lstrip()[:1]
        if text in ("{", b"{", "[", b"["):
            parsed = json_input.parse_json(
                data, max_bytes=limits.max_bytes, max_depth=limits.max_depth
            )
            if not isinstance(parsed.value, dict):
                raise _invalid("malformed", "a secured document must be a JSON object")
            return _read_json(parsed.value, parsed.jcs_ready, limits)
        return _read_jws(data, limits)
    except errors.LimitExceeded as exc:
        raise _invalid("limit_exceeded", exc.message) from None
    except errors.InvalidDocument as exc:
        raise _invalid("malformed", exc.message) from None


def _read_json(document: dict[str, Any], jcs_ready: bool, limits: InputLimits) -> Received:
    types = document.get("type")
    names = (types,) if isinstance(types, str) else types if isinstance(types, list) else ()
    for name, prefix in _ENVELOPED.items():
        if name in names:
            url = document.get("id")
            if not isinstance(url, str) or not url.startswith(prefix):
                raise _invalid("malformed", f"an {name} needs an id that is a {prefix} URL")
            return _read_jws(url.removeprefix(prefix), limits)
    envelope = _envelope(document, names)
    if "proof" not in document:
        raise _invalid("proof_missing", "the document has no proof and is not a JWS")
    raw = document["proof"]
    single = raw[0] if isinstance(raw, list) and len(raw) == 1 else raw
    suite = proofs.find_cryptosuite(proofs.suite_name(single))
    name = suite.name if suite is not None else DATA_INTEGRITY
    if isinstance(raw, list) and len(raw) != 1:
        problem = "proof sets and chains are not supported"
        return Received(name, document, envelope, jcs_ready, proof_problem=problem)
    try:
        proof = proofs.parse_proof(single)
    except errors.InvalidDocument as exc:
        # The document is well-formed; its proof is not, which the proof check reports.
        return Received(name, document, envelope, jcs_ready, proof_problem=exc.message)
    return Received(name, document, envelope, jcs_ready, proof=proof)


def _envelope(
    document: dict[str, Any], names: tuple[Any, ...] | list[Any]
) -> model.Credential | model.Presentation:
    if "VerifiablePresentation" in names:
        return model.Presentation.from_dict(document)
    return model.Credential.from_dict(document)


def _read_jws(token: bytes | str, limits: InputLimits) -> Received:
    if len(token) > limits.max_bytes:
        raise errors.LimitExceeded(f"JWS too large: at most {limits.max_bytes} bytes")
    jws = jose.parse_compact(token)
    payload = json_input.parse_json(
        jws.payload, max_bytes=limits.max_bytes, max_depth=limits.max_depth, for_jcs=False
    )
    if not isinstance(payload.value, dict):
        raise _invalid("malformed", "a JWS payload must be a JSON object")
    document = payload.value
    if "vc" in document or "vp" in document:
        message = "a VC 1.1 JWT (vc or vp claim) is not supported: the payload is the credential"
        raise _invalid("unsupported_format", message)
    types = document.get("type")
    names = (types,) if isinstance(types, str) else types if isinstance(types, list) else ()
    envelope = _envelope(document, names)
    return Received(Format.VC_JWT.value, document, envelope, payload.jcs_ready, jws=jws)


@dataclass(frozen=True, slots=True)
class Signer:
    """Who signed, as the proof check found: the DID and its verification method (DID Core
    §5.2; Data Integrity 1.0 §2.1 ``verificationMethod``, RFC 7515 §4.1.4 ``kid``)."""

    did: str
    method_id: str


class ProofChecker:
    """Checks the proof of a :class:`Received` document; caches keys of did:key and did:jwk.

    Those two methods derive the document from the DID itself, so their keys never change and
    are cached (up to ``max_cached_keys``, then the cache starts over), as are the keys of DIDs
    that ``stable`` says never change (a node's own organisations); other DIDs are resolved
    each time (the resolver may cache, as :class:`~tradetrace.did.resolver.WebResolver` does,
    with a time to live).
    """

    def __init__(
        self,
        resolver: did.Resolver,
        *,
        max_cached_keys: int = 4096,
        stable: Callable[[str], bool] | None = None,
    ) -> None:
        self._resolver = resolver
        self._max_cached_keys = max_cached_keys
        self._stable = stable
        self._keys: dict[tuple[str, did.Relationship], keys.PublicKey] = {}

    def check(
        self,
        secured: Received,
        *,
        now: datetime,
        challenge: str | None = None,
        domain: str | None = None,
    ) -> Signer:
        """Verify the proof and return the signer (Data Integrity 1.0 §4.3; RFC 7515 §5.2).

        Raises:
            Failure: see :data:`tradetrace.credentials.verify.REASON_CODES` for the codes.
        """
        relationship = (
            did.Relationship.AUTHENTICATION
            if secured.is_presentation
            else did.Relationship.ASSERTION_METHOD
        )
        if secured.jws is not None:
            return self._check_jws(secured, secured.jws, relationship, challenge, domain)
        return self._check_proof(secured, relationship, now, challenge, domain)

    def _check_jws(
        self,
        secured: Received,
        jws: jose.CompactJws,
        relationship: did.Relationship,
        challenge: str | None,
        domain: str | None,
    ) -> Signer:
        media = jose.MediaType.VP_JWT if secured.is_presentation else jose.MediaType.VC_JWT
        _raise(jose.header_mismatch(jws, media))
        method_id = secured.method_id or ""
        key = self.key(method_id, relationship)
        _raise(jose.algorithm_mismatch(jws, key))
        _verify(key.verify, jws.signature, jws.signing_input)
        document = secured.document
        if challenge is not None and document.get("nonce") != challenge:
            raise _invalid("challenge_mismatch", "JWS nonce does not match the expected challenge")
        if domain is not None:
            audience = document.get("aud")
            if domain not in (audience if isinstance(audience, list) else [audience]):
                raise _invalid("domain_mismatch", f"JWS aud does not include {domain}")
        return Signer(method_id.partition("#")[0], method_id)

    def _check_proof(
        self,
        secured: Received,
        relationship: did.Relationship,
        now: datetime,
        challenge: str | None,
        domain: str | None,
    ) -> Signer:
        proof = secured.proof
        if proof is None:
            raise _invalid("proof_invalid", secured.proof_problem or "no proof")
        if proof.type not in proofs.PROOF_TYPES:
            raise _invalid("unsupported_cryptosuite", f"proof type {proof.type:.60} not supported")
        suite = proofs.find_cryptosuite(proof.cryptosuite)
        if suite is None:
            message = f"cryptosuite {proof.cryptosuite:.60} is not supported"
            raise _invalid("unsupported_cryptosuite", message)
        if proof.previous_proof is not None:
            raise _invalid("proof_invalid", "proof chains (previousProof) are not supported")
        purpose = _PURPOSES[relationship]
        _raise(
            data_integrity.proof_mismatch(
                proof, purpose=purpose, challenge=challenge, domain=domain, now=now
            )
        )
        key = self.key(proof.verification_method, relationship)
        if not suite.supports(key.kind):
            message = f"{suite.name} cannot be verified with a {key.kind.value} key"
            raise _invalid("key_algorithm_mismatch", message)
        try:
            suite.verify_proof(secured.document, proof, key, jcs_ready=secured.jcs_ready)
        except errors.SignatureInvalid as exc:
            raise _invalid("signature_invalid", exc.message) from None
        except errors.CanonicalizationError as exc:
            raise _invalid("canonicalization_failed", exc.message) from None
        except errors.LimitExceeded as exc:
            raise _invalid("limit_exceeded", exc.message) from None
        except errors.ProofInvalid as exc:
            raise _invalid("proof_invalid", exc.message) from None
        return Signer(proof.verification_method.partition("#")[0], proof.verification_method)

    def cached_key(self, method_id: str, relationship: did.Relationship) -> keys.PublicKey | None:
        """The key :meth:`key` found for ``method_id`` and ``relationship`` and kept (did:key and
        did:jwk signers only), or ``None``: a lookup that neither resolves nor raises."""
        return self._keys.get((method_id, relationship))

    def key(self, method_id: str, relationship: did.Relationship) -> keys.PublicKey:
        """The key of ``method_id``, authorised for ``relationship`` by its DID's document
        (Controlled Identifiers 1.0 "Retrieve Verification Method"; DID Core §5.3).

        Raises:
            Failure: ``proof_invalid`` (not a DID URL), ``did_unresolvable`` (error),
                ``verification_method_not_found``, ``key_not_authorized``, ``unsupported_key``.
        """
        cached = self._keys.get((method_id, relationship))
        if cached is not None:
            return cached
        try:
            method_did, _ = did.split_did_url(method_id)
        except errors.InvalidDocument as exc:
            raise _invalid("proof_invalid", f"verification method: {exc.message}") from None
        try:
            document = self._resolver.resolve(method_did)
        except errors.ResolutionError as exc:
            raise Failure(CheckStatus.ERROR, "did_unresolvable", exc.message) from None
        if document.id != method_did:
            message = f"DID document id mismatch: expected {method_did}, got {document.id}"
            raise Failure(CheckStatus.ERROR, "did_unresolvable", message)
        try:
            method = document.verification_method(method_id)
        except errors.ResolutionError as exc:
            raise _invalid("verification_method_not_found", exc.message) from None
        if method.controller != method_did or not document.has_relationship(
            method_id, relationship
        ):
            message = f"{method_id:.200} is not authorised for {relationship.value}"
            raise _invalid("key_not_authorized", message)
        try:
            key = method.public_key()
        except errors.ResolutionError as exc:
            raise _invalid("unsupported_key", exc.message) from None
        if method_did.startswith(_DETERMINISTIC_METHODS) or (
            self._stable is not None and self._stable(method_did)
        ):
            if len(self._keys) >= self._max_cached_keys:
                self._keys.clear()
            self._keys[(method_id, relationship)] = key
        return key


def _raise(mismatch: data_integrity.Mismatch | None) -> None:
    if mismatch is not None:
        raise _invalid(mismatch.code, mismatch.message)


def _verify(verify: Any, signature: bytes, message: bytes) -> None:
    try:
        verify(signature, message)
    except errors.SignatureInvalid as exc:
        raise _invalid("signature_invalid", exc.message) from None
