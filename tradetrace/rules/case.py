"""The input of the rule engine: an entry and the evidence presented for it.

A :class:`Case` is built by a workflow from storage and is pure data:

- ``entry``: the parsed :class:`tradetrace.entries.Entry`.
- ``credentials``: each :class:`PresentedCredential` is the credential's JSON as presented, the
  :class:`~tradetrace.credentials.report.VerificationReport` of verifying it, the
  :class:`~tradetrace.trust.TrustDecision` for its issuer at the time of the entry, and the
  :class:`LedgerRecord` of when it was logged (``None`` if it never was).
- ``trace``: the supply-chain facts of the entry's lots (:mod:`tradetrace.rules.trace`).
- ``recordations``: the CBP IPR recordations (19 CFR Part 133) of the marks on the goods.
- ``now``: set by :func:`tradetrace.rules.engine.evaluate`; rules read the time through
  :attr:`Case.filed_at` and never from a clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from tradetrace.credentials.report import CheckId, CheckStatus, VerificationReport
from tradetrace.entries import Entry, EntryLine
from tradetrace.entries import vocabulary as vocab
from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.rules.recordation import Recordation, RightKind
from tradetrace.rules.trace import Trace
from tradetrace.trust import TrustDecision

__all__ = [
    "Case",
    "LedgerRecord",
    "PresentedCredential",
    "Recordation",
    "RightKind",
    "parse_time",
]


def parse_time(value: Any) -> datetime | None:
    """A timezone-aware time from an ISO 8601 string (a time without offset is read as UTC)."""
    found = vocab.text(value)
    if found is None:
        return None
    try:
        moment = datetime.fromisoformat(found.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class LedgerRecord:
    """Where and when a document was logged on the transparency log (MISSION.md capability 3)."""

    log_origin: str
    index: int
    logged_at: datetime

    def __post_init__(self) -> None:
        if self.logged_at.tzinfo is None or self.index < 0:
            reason = "expected a timezone-aware time and a leaf index of 0 or more"
            raise InvalidDocument.from_problems(
                "ledger record", [FieldProblem("logged_at", reason)]
            )

    @property
    def reference(self) -> str:
        """``<log origin>#<leaf index>``: enough to ask the log for an inclusion proof."""
        return f"{self.log_origin}#{self.index}"


@dataclass(frozen=True, slots=True, kw_only=True)
class PresentedCredential:
    """A credential as presented for the entry, with its verification verdicts.

    ``document`` is read-only by convention. Raises :class:`InvalidDocument` when it lacks a
    string ``id``, a ``type``, an ``issuer`` or an object ``credentialSubject``.
    """

    document: Mapping[str, Any]
    report: VerificationReport
    trust: TrustDecision
    ledger: LedgerRecord | None = None

    def __post_init__(self) -> None:
        problems: list[FieldProblem] = []
        if vocab.text(self.document.get("id")) is None:
            problems.append(FieldProblem("id", "expected the credential's id"))
        if not self.types:
            problems.append(FieldProblem("type", "expected a string or an array of strings"))
        if self.issuer is None:
            problems.append(FieldProblem("issuer", "expected a DID or an object with an id"))
        if not isinstance(self.document.get("credentialSubject"), Mapping):
            problems.append(FieldProblem("credentialSubject", "expected a JSON object"))
        if problems:
            raise InvalidDocument.from_problems("presented credential", problems)

    @property
    def id(self) -> str:
        """The credential's ``id``."""
        return str(self.document["id"]).strip()

    @property
    def types(self) -> tuple[str, ...]:
        """The credential's ``type`` values."""
        raw = self.document.get("type")
        names = [raw] if isinstance(raw, str) else raw if isinstance(raw, list) else []
        return tuple(name for name in names if isinstance(name, str))

    @property
    def issuer(self) -> str | None:
        """The issuer's identifier (``issuer`` or ``issuer.id``)."""
        raw = self.document.get("issuer")
        return vocab.text(raw) or vocab.text(vocab.field(raw, "id"))

    @property
    def issuer_document(self) -> Mapping[str, Any]:
        """The issuer object (empty when the issuer is only a DID)."""
        return vocab.mapping(self.document.get("issuer"))

    @property
    def subject(self) -> Mapping[str, Any]:
        """The ``credentialSubject``."""
        return vocab.mapping(self.document.get("credentialSubject"))

    @property
    def valid_from(self) -> datetime | None:
        """``validFrom`` (or VC 1.1 ``issuanceDate``)."""
        return parse_time(self.document.get("validFrom") or self.document.get("issuanceDate"))

    @property
    def valid_until(self) -> datetime | None:
        """``validUntil`` (or VC 1.1 ``expirationDate``)."""
        return parse_time(self.document.get("validUntil") or self.document.get("expirationDate"))

    @property
    def verified(self) -> bool:
        """Whether every deciding check of the verification report passed."""
        return self.report.verified()

    @property
    def trusted(self) -> bool:
        """Whether the issuer is accredited for this kind of credential."""
        return self.trust.trusted

    @property
    def revoked(self) -> bool:
        """Whether the status check found the credential revoked or suspended."""
        check = self.report.check(CheckId.STATUS)
        return check is not None and check.status is CheckStatus.INVALID

    @property
    def failure(self) -> str | None:
        """The first deciding check that failed, in words (``status invalid: revoked``)."""
        if self.verified:
            return None
        for check in self.report.checks:
            if check.status not in (CheckStatus.VALID, CheckStatus.SKIPPED):
                return f"{check.id.value} {check.status.value}: {check.code}"
        return "an embedded credential did not verify"

    def has_type(self, *names: str) -> bool:
        """Whether the credential is of any of the types ``names``."""
        return any(name in self.types for name in names)

    def covers(self, on: date) -> bool:
        """Whether ``on`` falls inside the credential's validity period (ends included)."""
        start, end = self.valid_from, self.valid_until
        return (start is None or start.date() <= on) and (end is None or on <= end.date())


@dataclass(frozen=True, slots=True, kw_only=True)
class Case:
    """An entry and its evidence. Raises :class:`InvalidDocument` for two credentials with the
    same id or a naive ``now``."""

    entry: Entry
    credentials: tuple[PresentedCredential, ...] = ()
    trace: Trace = field(default_factory=Trace)
    recordations: tuple[Recordation, ...] = ()
    now: datetime | None = None

    def __post_init__(self) -> None:
        problems: list[FieldProblem] = []
        ids = [credential.id for credential in self.credentials]
        for index, credential_id in enumerate(ids):
            if credential_id in ids[:index]:
                problems.append(FieldProblem(f"credentials[{index}]", "presented twice"))
        if self.now is not None and self.now.tzinfo is None:
            problems.append(FieldProblem("now", "expected a timezone-aware time"))
        if problems:
            raise InvalidDocument.from_problems("case", problems)

    def at(self, now: datetime) -> Case:
        """The same case evaluated at ``now``."""
        return replace(self, now=now)

    @property
    def filed_at(self) -> datetime:
        """When the entry was filed: its ``filed_at``, else the evaluation time, else the start
        of the entry date (UTC)."""
        if self.entry.filed_at is not None:
            return self.entry.filed_at
        if self.now is not None:
            return self.now
        return datetime(*self.entry.entry_date.timetuple()[:3], tzinfo=UTC)

    def of_type(self, *names: str) -> tuple[PresentedCredential, ...]:
        """The presented credentials of any of the types ``names``, in presentation order."""
        return tuple(credential for credential in self.credentials if credential.has_type(*names))

    def by_id(self, credential_id: str) -> PresentedCredential | None:
        """The presented credential with this id, if any."""
        return next((c for c in self.credentials if c.id == credential_id), None)

    def lines(self) -> tuple[tuple[int, EntryLine], ...]:
        """The entry's lines with their 1-based numbers."""
        return self.entry.numbered_lines()
