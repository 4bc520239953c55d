"""The exception tree of tradetrace.

Every error the package raises on purpose is a :class:`TradeTraceError`. Each class has a stable
``code`` that the API body and the CLI output carry, so clients can branch on it::

    TradeTraceError                      tradetrace_error
    ├── InvalidDocument                  invalid_document     (cannot parse, breaks a schema)
    │   └── CanonicalizationError        canonicalization_failed
    ├── VerificationError                verification_failed
    │   ├── SignatureInvalid             signature_invalid
    │   ├── ProofInvalid                 proof_invalid
    │   ├── CredentialRevoked            credential_revoked
    │   ├── CredentialSuspended          credential_suspended
    │   ├── CredentialExpired            credential_expired
    │   ├── InclusionProofInvalid        inclusion_proof_invalid
    │   ├── ConsistencyProofInvalid      consistency_proof_invalid
    │   ├── CheckpointInvalid            checkpoint_invalid
    │   └── TileInvalid                  tile_invalid
    ├── ResolutionError                  did_resolution_failed
    ├── NotFound                         not_found
    ├── Conflict                         conflict
    │   └── CosignedSizeMismatch         cosigned_size_mismatch
    ├── Unauthorized                     unauthorized
    ├── Forbidden                        forbidden
    ├── LimitExceeded                    limit_exceeded
    ├── CaptureFailed                    capture_failed       (a capture worker process died)
    └── ConfigurationError               configuration_error

This module imports nothing from the package (STYLE.md §2).
"""

from __future__ import annotations

__all__ = [
    "CanonicalizationError",
    "CaptureFailed",
    "CheckpointInvalid",
    "ConfigurationError",
    "Conflict",
    "ConsistencyProofInvalid",
    "CosignedSizeMismatch",
    "CredentialExpired",
    "CredentialRevoked",
    "CredentialSuspended",
    "FieldProblem",
    "Forbidden",
    "InclusionProofInvalid",
    "InvalidDocument",
    "LimitExceeded",
    "NotFound",
    "ProofInvalid",
    "ResolutionError",
    "SignatureInvalid",
    "TileInvalid",
    "TradeTraceError",
    "Unauthorized",
    "VerificationError",
]

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """One problem with one field of an input document.

    ``field`` is a dotted/indexed path such as ``lines[2].hts_code``; ``reason`` is a short
    lower-case sentence.
    """

    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.field}: {self.reason}"


class TradeTraceError(Exception):
    """Root of every error tradetrace raises on purpose."""

    code: str = "tradetrace_error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidDocument(TradeTraceError):
    """Input that cannot be parsed or that breaks its schema.

    ``problems`` lists every field at fault, so a client can fix them all at once.
    """

    code = "invalid_document"

    def __init__(self, message: str, *, problems: tuple[FieldProblem, ...] = ()) -> None:
        super().__init__(message)
        self.problems = problems

    @classmethod
    def from_problems(cls, what: str, problems: list[FieldProblem]) -> InvalidDocument:
        """Build one error that names every field at fault in ``what``."""
        summary = "; ".join(str(problem) for problem in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        return cls(f"invalid {what}: {summary}{more}", problems=tuple(problems))


class CanonicalizationError(InvalidDocument):
    """A document cannot be canonicalized (JCS or RDFC-1.0) safely."""

    code = "canonicalization_failed"


class VerificationError(TradeTraceError):
    """Something that was meant to be verified did not verify. Verification fails closed."""

    code = "verification_failed"


class SignatureInvalid(VerificationError):
    """A signature does not verify under the expected key."""

    code = "signature_invalid"


class ProofInvalid(VerificationError):
    """A Data Integrity proof or JOSE envelope is malformed or does not match its document."""

    code = "proof_invalid"


class CredentialRevoked(VerificationError):
    """The credential's status list entry says it is revoked."""

    code = "credential_revoked"


class CredentialSuspended(VerificationError):
    """The credential's status list entry says it is suspended."""

    code = "credential_suspended"


class CredentialExpired(VerificationError):
    """The credential is outside its validity period."""

    code = "credential_expired"


class InclusionProofInvalid(VerificationError):
    """A Merkle inclusion proof does not lead to the expected root (RFC 9162 §2.1.3.2)."""

    code = "inclusion_proof_invalid"


class ConsistencyProofInvalid(VerificationError):
    """A Merkle consistency proof does not join the two roots (RFC 9162 §2.1.4.2)."""

    code = "consistency_proof_invalid"


class CheckpointInvalid(VerificationError):
    """A checkpoint or signed note is malformed or its signature does not verify."""

    code = "checkpoint_invalid"


class TileInvalid(VerificationError):
    """A log tile or entry bundle is malformed or disagrees with the entries, tiles or checkpoint.

    Raised by the offline auditor (C2SP tlog-tiles), which names the tile and the expected and
    actual values.
    """

    code = "tile_invalid"


class ResolutionError(TradeTraceError):
    """A DID could not be resolved to a DID document."""

    code = "did_resolution_failed"


class NotFound(TradeTraceError):
    """The requested object does not exist."""

    code = "not_found"


class Conflict(TradeTraceError):
    """The request conflicts with what is stored (a duplicate id, a stale version)."""

    code = "conflict"


class CosignedSizeMismatch(Conflict):
    """A witness has cosigned another size than the client's ``old`` size (C2SP tlog-witness).

    ``size`` is the witness's latest cosigned size, which the client retries from.
    """

    code = "cosigned_size_mismatch"

    def __init__(self, size: int) -> None:
        super().__init__(f"old size does not match the latest cosigned size {size}")
        self.size = size


class Unauthorized(TradeTraceError):
    """The caller did not authenticate, or its credentials are not valid."""

    code = "unauthorized"


class Forbidden(TradeTraceError):
    """The caller is authenticated but not allowed to do this."""

    code = "forbidden"


class LimitExceeded(TradeTraceError):
    """An input or a computation went past a configured safety limit."""

    code = "limit_exceeded"


class CaptureFailed(TradeTraceError):
    """A capture could not run to its end (a worker process preparing documents died); the
    documents it names were not captured."""

    code = "capture_failed"


class ConfigurationError(TradeTraceError):
    """A setting is missing, malformed or unsafe; raised at start-up."""

    code = "configuration_error"
