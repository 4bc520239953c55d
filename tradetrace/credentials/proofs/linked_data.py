"""Linked Data Signatures with a detached JWS: ``Ed25519Signature2018`` and
``JsonWebSignature2020``, as the Traceability Interop conformance suite still sends them
(standards.md §2.3; issue 8 "the ecosystem as deployed").

Both suites (w3c-ccg/lds-ed25519-2018 §4, w3c-ccg/lds-jws2020 §5) sign the same verify data as
the RDFC Data Integrity suites: ``SHA-256(canonical proof options) || SHA-256(canonical
document)``, where the proof options are the proof without ``jws``, given the document's
``@context`` (as Transmute's and Digital Bazaar's implementations do), and both are
canonicalized with RDFC-1.0 through the same offline, safe and bounded JSON-LD processor
(:mod:`tradetrace.credentials.jsonld`). The signature is a detached JWS with unencoded payload
(RFC 7797): header ``{"alg", "b64": false, "crit": ["b64"]}``, ``jws = header..signature``,
over ``ASCII(BASE64URL(header) || '.') || verify data``.

The parsed proof is a :class:`~tradetrace.credentials.proofs.data_integrity.Proof` whose
``cryptosuite`` is the proof type and whose ``proof_value`` is the JWS, so the verifier's
purpose, challenge, domain and expiry checks apply unchanged.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from tradetrace import errors, keys
from tradetrace.credentials import jsonld
from tradetrace.credentials.proofs import data_integrity
from tradetrace.credentials.proofs.data_integrity import Proof

__all__ = [
    "ED25519_SIGNATURE_2018",
    "JSON_WEB_SIGNATURE_2020",
    "JWS_2020_CONTEXT",
    "PROOF_TYPES",
    "LinkedDataSuite",
    "parse_proof",
]

JWS_2020_CONTEXT: Final = "https://w3id.org/security/suites/jws-2020/v1"
"""The context that defines ``JsonWebSignature2020`` (lds-jws2020 §6)."""

_MAX_JWS_LENGTH: Final = 1024
_WIRE_NAMES: Final = {"proof.proofValue": "proof.jws", "proof.cryptosuite": "proof.type"}


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _unb64(text: str) -> bytes:
    if not text.isascii() or "=" in text:
        raise errors.ProofInvalid("jws is not unpadded base64url")
    try:
        data = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except ValueError:
        raise errors.ProofInvalid("jws is not base64url") from None
    if _b64(data) != text:
        raise errors.ProofInvalid("jws is not canonical base64url")
    return data


def _header(alg: str) -> dict[str, Any]:
    """The detached-payload JWS header (RFC 7797 §3, §6)."""
    return {"alg": alg, "b64": False, "crit": ["b64"]}


def _contexts(document: Mapping[str, Any]) -> list[Any]:
    context = document.get("@context")
    return context if isinstance(context, list) else [context]


@dataclass(frozen=True, slots=True)
class LinkedDataSuite:
    """A Linked Data Signature suite whose proof carries a detached JWS (RFC 7797).

    ``name`` is the proof ``type``; ``context`` a context the document must include for the
    type to be defined (``None`` when the VC 1.1 context defines it, as for
    ``Ed25519Signature2018``).
    """

    name: str
    kinds: frozenset[keys.KeyKind]
    context: str | None = None

    def supports(self, kind: keys.KeyKind) -> bool:
        """Whether keys of ``kind`` make this suite's proofs."""
        return kind in self.kinds

    def create_proof(
        self, document: Mapping[str, Any], options: Mapping[str, Any], key: keys.SigningKey
    ) -> dict[str, Any]:
        """Create the proof of the unsecured ``document`` (lds-ed25519-2018 §4,
        lds-jws2020 §5.1): the options, re-typed as this suite, with a detached ``jws``.

        ``options`` may carry the Data Integrity ``type`` and ``cryptosuite`` that
        :func:`~tradetrace.credentials.issue.issue_credential` sets; they are replaced.

        Raises:
            errors.ProofInvalid: the key does not fit, or the document lacks the suite context.
            errors.CanonicalizationError: the JSON-LD is invalid, unsupported or loses data.
            errors.LimitExceeded: canonicalization went past its work limits.
        """
        self._check(key.kind, document)
        proof = {"type": self.name}
        proof.update(
            (name, value)
            for name, value in options.items()
            if name not in ("type", "cryptosuite", "proofValue", "jws", "@context")
        )
        header = _b64(json.dumps(_header(key.jose_alg), separators=(",", ":")).encode("ascii"))
        verify_data = self._verify_data(data_integrity.unsecured_document(document), proof)
        signature = key.sign(header.encode("ascii") + b"." + verify_data)
        return {**proof, "jws": f"{header}..{_b64(signature)}"}

    def verify_proof(
        self,
        document: Mapping[str, Any],
        proof: Proof,
        key: keys.PublicKey,
        *,
        jcs_ready: bool = False,
    ) -> None:
        """Verify the proof on the secured ``document`` (lds-ed25519-2018 §4, lds-jws2020 §5.2);
        ``jcs_ready`` is unused.

        Raises:
            errors.SignatureInvalid: the signature does not verify.
            errors.ProofInvalid: the proof is not this suite's, or its JWS header is not
                ``{"alg": <the key's>, "b64": false, "crit": ["b64"]}``.
            errors.CanonicalizationError: the JSON-LD is invalid, unsupported or loses data.
            errors.LimitExceeded: canonicalization went past its work limits.
        """
        if proof.type != self.name:
            raise errors.ProofInvalid(f"proof type {proof.type:.60} is not {self.name}")
        self._check(key.kind, document)
        header_text, signature = _split_jws(proof.proof_value)
        try:
            header = json.loads(_unb64(header_text))
        except ValueError:
            raise errors.ProofInvalid("jws header is not JSON") from None
        expected = _header(key.jose_alg)
        if header != expected:
            raise errors.ProofInvalid(f"jws header must be {json.dumps(expected)}")
        verify_data = self._verify_data(data_integrity.unsecured_document(document), proof.options)
        key.verify(signature, header_text.encode("ascii") + b"." + verify_data)

    def _check(self, kind: keys.KeyKind, document: Mapping[str, Any]) -> None:
        if kind not in self.kinds:
            allowed = ", ".join(sorted(k.value for k in self.kinds))
            raise errors.ProofInvalid(
                f"{self.name} needs a key of kind {allowed}, got {kind.value}"
            )
        if self.context is not None and self.context not in _contexts(document):
            raise errors.ProofInvalid(f"{self.name} needs the context {self.context}")

    @staticmethod
    def _verify_data(document: dict[str, Any], proof: Mapping[str, Any]) -> bytes:
        options = {name: value for name, value in proof.items() if name != "jws"}
        options["@context"] = document.get("@context")
        canonical_options = jsonld.canonicalize_document(options).nquads.encode("utf-8")
        canonical_document = jsonld.canonicalize_document(document).nquads.encode("utf-8")
        return (
            hashlib.sha256(canonical_options).digest() + hashlib.sha256(canonical_document).digest()
        )


def _split_jws(value: str) -> tuple[str, bytes]:
    if len(value) > _MAX_JWS_LENGTH:
        raise errors.ProofInvalid("jws too long")
    if value.count(".") != 2:
        raise errors.ProofInvalid("jws must be a detached compact JWS: header..signature")
    header, payload, signature = value.split(".")
    if not header or payload:
        raise errors.ProofInvalid("jws must be a detached compact JWS: header..signature")
    return header, _unb64(signature)


ED25519_SIGNATURE_2018: Final = LinkedDataSuite(
    "Ed25519Signature2018", frozenset({keys.KeyKind.ED25519})
)
"""Ed25519 with EdDSA (w3c-ccg/lds-ed25519-2018); the VC 1.1 context defines the type."""

JSON_WEB_SIGNATURE_2020: Final = LinkedDataSuite(
    "JsonWebSignature2020",
    frozenset({keys.KeyKind.ED25519, keys.KeyKind.P256, keys.KeyKind.P384}),
    JWS_2020_CONTEXT,
)
"""EdDSA, ES256 or ES384 (w3c-ccg/lds-jws2020 §5); the document must include its context."""

PROOF_TYPES: Final = frozenset({ED25519_SIGNATURE_2018.name, JSON_WEB_SIGNATURE_2020.name})
"""The proof ``type`` values of these suites."""


def parse_proof(data: object) -> Proof:
    """Parse a Linked Data Signature proof object into a :class:`Proof` whose ``cryptosuite`` is
    its ``type`` and whose ``proof_value`` is its ``jws``; ``options`` is the proof without ``jws``.

    Raises:
        errors.InvalidDocument: not an object, or a member is missing or malformed.
    """
    if not isinstance(data, dict):
        problem = errors.FieldProblem("proof", "expected an object")
        raise errors.InvalidDocument.from_problems("proof", [problem])
    if "jws" not in data:
        problem = errors.FieldProblem("proof.jws", "field required")
        raise errors.InvalidDocument.from_problems("proof", [problem])
    shaped = {**data, "cryptosuite": data.get("type"), "proofValue": data["jws"]}
    shaped.pop("jws")
    try:
        parsed = Proof.from_dict(shaped)
    except errors.InvalidDocument as exc:
        renamed = [
            errors.FieldProblem(_WIRE_NAMES.get(item.field, item.field), item.reason)
            for item in exc.problems
        ]
        raise errors.InvalidDocument.from_problems("proof", renamed) from None
    parsed._options = {name: value for name, value in data.items() if name != "jws"}
    return parsed
