"""Data Integrity 1.0 proofs: the machinery the ``eddsa-*`` and ``ecdsa-*`` cryptosuites share.

A :class:`Proof` is a ``DataIntegrityProof`` parsed from a secured document (Data Integrity 1.0
§2.1). The cryptosuites differ only in how they canonicalize (JCS, RFC 8785, or RDFC-1.0 over
JSON-LD) and in the key and hash they use; everything else is here: the proof options and their
checks against what the verifier expects (§4.3 steps 5-10, :func:`proof_mismatch`), the
``proofValue`` multibase encoding (vc-di-eddsa §2.2.1, vc-di-ecdsa §2.2.1), the hash of each key
kind, and the two hash-data constructions (vc-di-eddsa §3.2.4/§3.3.4, vc-di-ecdsa §3.2.4/§3.3.4):
``hash(canonical proof configuration) || hash(canonical document)``, proof hash first.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Final, Protocol

import pydantic

from tradetrace import errors, keys, multiformats
from tradetrace.credentials import json_input, jsonld, model

__all__ = [
    "PROOF_TYPE",
    "Cryptosuite",
    "Mismatch",
    "Proof",
    "ProofPurpose",
    "decode_proof_value",
    "encode_proof_value",
    "hash_for",
    "jcs_hash_data",
    "proof_mismatch",
    "rdfc_hash_data",
    "unsecured_document",
]

PROOF_TYPE: Final = "DataIntegrityProof"
"""The ``type`` of every proof these cryptosuites make (Data Integrity 1.0 §3.1)."""

_Hash = Callable[[bytes], bytes]
_BASE58_ALPHABET: Final = b"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
# Maps each base58btc character to its digit value and every other byte to 0xff.
_BASE58_DIGITS: Final = bytes(
    _BASE58_ALPHABET.index(code) if code in _BASE58_ALPHABET else 0xFF for code in range(256)
)
_BASE58_POWER_5: Final = 58**5


class ProofPurpose(StrEnum):
    """Why a proof was made (Data Integrity 1.0 §2.1.2); names a verification relationship."""

    ASSERTION_METHOD = "assertionMethod"
    AUTHENTICATION = "authentication"


def _domain(value: object) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) for i in items):
        raise ValueError("expected a string or a non-empty array of strings")
    return tuple(items)


def _string(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("expected a non-empty string")
    return value


_String = Annotated[str, pydantic.PlainValidator(_string)]


class Proof(pydantic.BaseModel):
    """A Data Integrity proof (Data Integrity 1.0 §2.1); build it with :meth:`from_dict`.

    :attr:`options` is the proof as read, without ``proofValue``: the "proof options" every
    cryptosuite hashes, unknown members included.
    """

    model_config = pydantic.ConfigDict(frozen=True, extra="ignore")

    type: _String
    cryptosuite: _String
    verification_method: _String = pydantic.Field(alias="verificationMethod")
    proof_purpose: _String = pydantic.Field(alias="proofPurpose")
    proof_value: _String = pydantic.Field(alias="proofValue")
    created: model.DateTimeStamp | None = None
    expires: model.DateTimeStamp | None = None
    challenge: _String | None = None
    domain: Annotated[tuple[str, ...], pydantic.PlainValidator(_domain)] = ()
    previous_proof: Any = pydantic.Field(default=None, alias="previousProof")
    _options: dict[str, Any] = pydantic.PrivateAttr(default_factory=dict)

    @classmethod
    def from_dict(cls, data: object) -> Proof:
        """Parse one proof object (Data Integrity 1.0 §2.1).

        Raises:
            errors.InvalidDocument: not an object, or a member is missing or malformed;
                ``problems`` names each one.
        """
        if not isinstance(data, dict):
            problem = errors.FieldProblem("proof", "expected an object")
            raise errors.InvalidDocument.from_problems("proof", [problem])
        try:
            parsed = cls.model_validate(data)
        except pydantic.ValidationError as exc:
            problems = [
                errors.FieldProblem(
                    "proof." + ".".join(str(part) for part in error["loc"]),
                    error["msg"].removeprefix("Value error, ").replace("Field", "field", 1),
                )
                for error in exc.errors(include_url=False)
            ]
            raise errors.InvalidDocument.from_problems("proof", problems) from None
        parsed._options = {name: value for name, value in data.items() if name != "proofValue"}
        return parsed

    @property
    def options(self) -> dict[str, Any]:
        """The proof options: the proof as read, without ``proofValue`` (§4.3 step 2)."""
        return self._options


class Cryptosuite(Protocol):
    """A Data Integrity cryptosuite (Data Integrity 1.0 §3.1): create and verify its proofs."""

    @property
    def name(self) -> str:
        """The ``cryptosuite`` identifier, e.g. ``eddsa-jcs-2022``."""
        ...

    def supports(self, kind: keys.KeyKind) -> bool:
        """Whether keys of ``kind`` can make and check this suite's proofs."""
        ...

    def create_proof(
        self, document: Mapping[str, Any], options: Mapping[str, Any], key: keys.SigningKey
    ) -> dict[str, Any]:
        """The proof for the unsecured ``document`` under proof ``options``, with ``proofValue``.

        Raises:
            errors.ProofInvalid: the options or key do not fit the suite.
            errors.CanonicalizationError: the document cannot be canonicalized.
        """
        ...

    def verify_proof(
        self,
        document: Mapping[str, Any],
        proof: Proof,
        key: keys.PublicKey,
        *,
        jcs_ready: bool = False,
    ) -> None:
        """Verify ``proof`` on the secured ``document`` under ``key``; return or raise.

        ``jcs_ready`` says the document came from :func:`json_input.parse_json` as JCS-ready.

        Raises:
            errors.SignatureInvalid: the signature does not verify.
            errors.ProofInvalid: the proof does not fit the suite or the key.
            errors.CanonicalizationError: the document cannot be canonicalized.
        """
        ...


@dataclass(frozen=True, slots=True)
class Mismatch:
    """Why a proof does not meet the verifier's expectations: a stable code and a message."""

    code: str
    message: str


def proof_mismatch(
    proof: Proof,
    *,
    purpose: ProofPurpose,
    challenge: str | None = None,
    domain: str | None = None,
    now: datetime,
) -> Mismatch | None:
    """Check a proof's purpose, challenge, domain and expiry (Data Integrity 1.0 §4.3 steps 5-10).

    A ``challenge`` or ``domain`` the verifier expects must be in the proof; ``None`` skips it.
    Codes: ``proof_purpose_mismatch``, ``challenge_mismatch``, ``domain_mismatch``,
    ``proof_expired``.
    """
    if proof.proof_purpose != purpose:
        message = f"proof purpose mismatch: expected {purpose.value}, got {proof.proof_purpose}"
        return Mismatch("proof_purpose_mismatch", message)
    if challenge is not None and proof.challenge != challenge:
        return Mismatch("challenge_mismatch", "proof challenge does not match the expected one")
    if domain is not None and domain not in proof.domain:
        shown = ", ".join(proof.domain) or "none"
        return Mismatch("domain_mismatch", f"proof domain mismatch: expected {domain}, got {shown}")
    if proof.expires is not None and proof.expires <= now:
        return Mismatch("proof_expired", f"proof expired at {proof.expires.isoformat()}")
    return None


def hash_for(kind: keys.KeyKind) -> _Hash:
    """The hash of a key kind: SHA-256 for Ed25519 and P-256, SHA-384 for P-384
    (vc-di-eddsa §3.3.4, vc-di-ecdsa §3.2.4 step 1)."""
    if kind is keys.KeyKind.P384:
        return _sha384
    return _sha256


def _sha256(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def _sha384(data: bytes) -> bytes:
    return hashlib.sha384(data).digest()


def encode_proof_value(signature: bytes) -> str:
    """``proofValue``: multibase base58btc, ``z`` + base58 (vc-di-eddsa §3.3.6 step 2)."""
    return "z" + multiformats.encode_base58btc(signature)


def decode_proof_value(value: str, kind: keys.KeyKind) -> bytes:
    """Decode a ``proofValue`` and check its length for ``kind`` (vc-di-eddsa §3.3.2 step 3).

    Raises:
        errors.ProofInvalid: not base58btc (``z``), or not a signature of ``kind``'s size.
    """
    size = kind.signature_size
    if not value.startswith("z") or len(value) > 2 * size or not value.isascii():
        raise errors.ProofInvalid("proofValue must be a base58btc multibase signature")
    # multiformats.decode_base58btc, with the per-character work done by bytes.translate.
    digits = value[1:].encode("ascii").translate(_BASE58_DIGITS)
    if b"\xff" in digits:
        raise errors.ProofInvalid("proofValue: invalid base58btc character")
    number = _base58_number(digits)
    zeros = len(digits) - len(digits.lstrip(b"\0"))
    signature = b"\0" * zeros + number.to_bytes((number.bit_length() + 7) // 8, "big")
    if len(signature) != size:
        raise errors.ProofInvalid(
            f"proofValue length for {kind.value}: expected {size} bytes, got {len(signature)}"
        )
    return signature


def _base58_number(digits: bytes) -> int:
    """The number that base58 ``digits`` (values 0-57) spell, most significant first.

    Five digits at a time: their value fits a small integer, so the big-integer step runs a
    fifth as often.
    """
    head = len(digits) % 5
    number = 0
    for digit in digits[:head]:
        number = number * 58 + digit
    chunks = iter(digits[head:])
    for a, b, c, d, e in zip(chunks, chunks, chunks, chunks, chunks, strict=True):
        number = number * _BASE58_POWER_5 + (((a * 58 + b) * 58 + c) * 58 + d) * 58 + e
    return number


def unsecured_document(document: Mapping[str, Any]) -> dict[str, Any]:
    """The document without its ``proof`` (Data Integrity 1.0 §4.3 step 1)."""
    return {name: value for name, value in document.items() if name != "proof"}


def _check_config(options: Mapping[str, Any], suite: str) -> None:
    """Proof Configuration checks (vc-di-eddsa §3.2.5/§3.3.5 steps 2-3)."""
    if options.get("type") != PROOF_TYPE or options.get("cryptosuite") != suite:
        raise errors.ProofInvalid(f"proof options are not a {PROOF_TYPE} with cryptosuite {suite}")
    created = options.get("created")
    if created is not None:
        try:
            model.parse_date_time_stamp(created)
        except errors.InvalidDocument as exc:
            raise errors.ProofInvalid(f"proof created: {exc.message}") from None


def jcs_hash_data(
    document: Mapping[str, Any],
    options: Mapping[str, Any],
    *,
    suite: str,
    hash_function: _Hash,
    jcs_ready: bool = False,
) -> bytes:
    """JCS transformation, proof configuration and hashing of an unsecured document
    (vc-di-eddsa §3.3.3-§3.3.5; vc-di-ecdsa §3.4.3-§3.4.5).

    The proof configuration is ``options`` with ``@context`` set to the document's.

    Raises:
        errors.ProofInvalid: the options are not this suite's.
        errors.CanonicalizationError: a value has no RFC 8785 form.
    """
    _check_config(options, suite)
    config = dict(options)
    if "@context" in document:
        config["@context"] = document["@context"]
    canonical_config = json_input.canonical_json(config, jcs_ready=jcs_ready)
    canonical_document = json_input.canonical_json(document, jcs_ready=jcs_ready)
    return hash_function(canonical_config) + hash_function(canonical_document)


def rdfc_hash_data(
    document: Mapping[str, Any],
    options: Mapping[str, Any],
    *,
    suite: str,
    hash_function: _Hash,
) -> bytes:
    """RDFC-1.0 transformation, proof configuration and hashing of an unsecured document
    (vc-di-eddsa §3.2.3-§3.2.5; vc-di-ecdsa §3.3.3-§3.3.5).

    The proof configuration is ``options`` with ``@context`` set to the document's. Both go
    through JSON-LD in safe mode (Data Integrity 1.0 §2.4): a term the contexts do not define
    raises instead of being dropped unsigned (standards.md §11.2).

    Raises:
        errors.ProofInvalid: the options are not this suite's.
        errors.CanonicalizationError: the JSON-LD is invalid, unsupported or loses data.
        errors.LimitExceeded: canonicalization went past its work limits.
    """
    _check_config(options, suite)
    config = dict(options)
    config["@context"] = document.get("@context")
    canonical_config = jsonld.canonicalize_document(config).nquads.encode("utf-8")
    canonical_document = jsonld.canonicalize_document(dict(document)).nquads.encode("utf-8")
    return hash_function(canonical_config) + hash_function(canonical_document)
