"""Checks whose outcome never depends on the document, built once (a ``Check`` is immutable).

Shared by the verification pipeline (:mod:`tradetrace.credentials.verify`) and its fast lane
(:mod:`tradetrace.credentials.fast_lane`), so both report them identically (VC DM 2.0 §7.1).
"""

from __future__ import annotations

from typing import Final

from tradetrace.credentials import content
from tradetrace.credentials.report import Check, CheckId, CheckStatus

__all__ = [
    "CREDENTIAL_READ",
    "NO_CONTENT_VALIDATOR",
    "NO_LEDGER",
    "NO_STATUS",
    "NO_TRUST_POLICY",
    "NO_VALIDITY_PERIOD",
    "PRESENTATION_READ",
    "SCHEMA_VALID",
    "UNKNOWN_TYPE",
]

CREDENTIAL_READ: Final = Check(CheckId.FORMAT, CheckStatus.VALID, "format_valid", "credential read")
"""The format check of a credential whose envelope is valid."""
PRESENTATION_READ: Final = Check(
    CheckId.FORMAT, CheckStatus.VALID, "format_valid", "presentation read"
)
"""The format check of a presentation whose envelope is valid."""
NO_VALIDITY_PERIOD: Final = Check(
    CheckId.VALIDITY, CheckStatus.SKIPPED, "no_validity_period", "no validity period"
)
"""No ``validFrom``/``validUntil`` (nor JWT ``nbf``/``exp``): nothing to check (VC DM 2.0 §4.9)."""
NO_STATUS: Final = Check(CheckId.STATUS, CheckStatus.SKIPPED, "no_status", "no credentialStatus")
"""A credential without ``credentialStatus`` (VC DM 2.0 §4.10)."""
NO_CONTENT_VALIDATOR: Final = Check(
    CheckId.SCHEMA, CheckStatus.SKIPPED, "no_content_validator", "no content validator configured"
)
"""The verifier checks no content."""
NO_TRUST_POLICY: Final = Check(
    CheckId.TRUST, CheckStatus.SKIPPED, "no_trust_policy", "no trust policy configured"
)
"""The verifier has no trust policy."""
NO_LEDGER: Final = Check(CheckId.LEDGER, CheckStatus.SKIPPED, "no_ledger", "no ledger configured")
"""The verifier consults no transparency log."""
UNKNOWN_TYPE: Final = Check(
    CheckId.SCHEMA,
    CheckStatus.SKIPPED,
    content.ContentCode.SCHEMA_UNKNOWN_TYPE.value,
    "no supported credential type to validate against",
)
"""The credential names no type with a known schema."""
SCHEMA_VALID: Final = content.ContentCode.SCHEMA_VALID.value
"""The code of a schema check that passed (its message names the schema)."""
