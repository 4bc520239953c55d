"""The verification report: one structure for every credential and presentation format.

Every verification yields a list of named checks, each ``valid``, ``invalid``, ``skipped`` or
``error`` with a stable reason code and a human message, so a customs officer, a CLI user and a
client program all read the same verdict. ``error`` means the check could not be completed
(an unreachable status list, an unresolvable DID); verification fails closed on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

__all__ = [
    "DECIDING_CHECKS",
    "Check",
    "CheckId",
    "CheckStatus",
    "VerificationReport",
]


class CheckStatus(StrEnum):
    """The outcome of one check."""

    VALID = "valid"
    INVALID = "invalid"
    SKIPPED = "skipped"
    ERROR = "error"


class CheckId(StrEnum):
    """The named checks, in the order a verifier runs them."""

    FORMAT = "format"
    PROOF = "proof"
    ISSUER = "issuer"
    HOLDER = "holder"
    VALIDITY = "validity"
    STATUS = "status"
    SCHEMA = "schema"
    TRUST = "trust"
    LEDGER = "ledger"


DECIDING_CHECKS = frozenset(
    {
        CheckId.FORMAT,
        CheckId.PROOF,
        CheckId.ISSUER,
        CheckId.HOLDER,
        CheckId.VALIDITY,
        CheckId.STATUS,
    }
)
"""Checks that decide ``verified`` on their own. Schema, trust and ledger are reported and
decide only when the caller requires them (``--trusted-only``, customs rules)."""


@dataclass(frozen=True, slots=True)
class Check:
    """One named check: its status, a stable reason code and a human message."""

    id: CheckId
    status: CheckStatus
    code: str
    message: str

    def to_json(self) -> dict[str, str]:
        """The check as ``{"id", "status", "code", "message"}``."""
        return {
            "id": self.id.value,
            "status": self.status.value,
            "code": self.code,
            "message": self.message,
        }


@dataclass(frozen=True, slots=True)
class VerificationReport:
    """What was verified and how each check came out."""

    format: str
    checks: tuple[Check, ...]
    document_id: str | None = None
    issuer: str | None = None
    types: tuple[str, ...] = ()
    credentials: tuple[VerificationReport, ...] = field(default=())

    def check(self, check_id: CheckId) -> Check | None:
        """The check named ``check_id``, if it ran."""
        return next((item for item in self.checks if item.id is check_id), None)

    def verified(self, *, require: Iterable[CheckId] = ()) -> bool:
        """Whether every deciding check (and each of ``require``) is valid or skipped, every
        required check ran and is valid, and every embedded credential is verified too."""
        required = set(require)
        for item in self.checks:
            deciding = item.id in DECIDING_CHECKS or item.id in required
            if deciding and item.status not in (CheckStatus.VALID, CheckStatus.SKIPPED):
                return False
            if item.id in required and item.status is not CheckStatus.VALID:
                return False
        if any(self.check(check_id) is None for check_id in required):
            return False
        return all(inner.verified(require=required) for inner in self.credentials)

    def to_json(self, *, require: Iterable[CheckId] = ()) -> dict[str, Any]:
        """The report as JSON: ``{"verified", "format", "checks", ...}``."""
        document: dict[str, Any] = {
            "verified": self.verified(require=require),
            "format": self.format,
            "checks": [item.to_json() for item in self.checks],
        }
        if self.document_id is not None:
            document["id"] = self.document_id
        if self.issuer is not None:
            document["issuer"] = self.issuer
        if self.types:
            document["type"] = list(self.types)
        if self.credentials:
            document["credentials"] = [inner.to_json(require=require) for inner in self.credentials]
        return document
