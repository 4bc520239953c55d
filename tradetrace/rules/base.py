"""What a customs rule is and what it says: :class:`Rule`, :class:`Finding`, :class:`Report`.

A finding is a business outcome, not an error (STYLE.md §5): rules never raise on a shipment that
fails them, they report it. Every finding names its rule, its severity, the entry line it is about
(or ``None`` for the whole entry), a message in plain words and its evidence: the credentials,
supply-chain events and ledger entries it rests on, and the regulation or notice it applies.

Severities are ordered; the highest one present drives the release recommendation
(:mod:`tradetrace.rules.decision`):

=========  =====================================================================================
info       a fact worth recording (a preference is supported, goods were made by the rights holder)
warning    release, but someone should review it
deny       a claimed privilege is denied (a preference, an origin claim): duties are due, release
           after review
exam       examine the goods or documents before release
hold       hold the goods (suspected infringing, food without prior notice, melt country mismatch)
reject     the entry cannot be accepted as filed (Type 86 while de minimis is suspended)
=========  =====================================================================================
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Protocol

from tradetrace.rules.case import Case

__all__ = [
    "CheckRule",
    "Evidence",
    "Family",
    "Finding",
    "Outcome",
    "Report",
    "Rule",
    "Severity",
    "rule",
]


class Severity(IntEnum):
    """How much a finding matters, in increasing order (see the module docstring)."""

    INFO = 0
    WARNING = 1
    DENY = 2
    EXAM = 3
    HOLD = 4
    REJECT = 5

    @property
    def label(self) -> str:
        """The lower-case name used on the wire (``"hold"``)."""
        return self.name.lower()


class Family(StrEnum):
    """The rule families, one module each (MISSION.md capability 5)."""

    ORIGIN_USMCA = "origin_usmca"
    ORIGIN_CAFTA = "origin_cafta"
    IPR = "ipr"
    STEEL = "steel"
    PIPELINE = "pipeline"
    ECOMMERCE = "ecommerce"
    FOOD = "food"
    CONSISTENCY = "consistency"


@dataclass(frozen=True, slots=True, kw_only=True)
class Evidence:
    """What a finding rests on: credential ids, EPCIS event ids, ledger references, a citation.

    A ledger reference is ``<log origin>#<leaf index>``
    (:attr:`tradetrace.rules.case.LedgerRecord.reference`), enough to fetch an inclusion proof.
    """

    credential_ids: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    ledger_references: tuple[str, ...] = ()
    citation: str = ""

    def to_json_dict(self) -> dict[str, object]:
        """The evidence as JSON values."""
        return {
            "credential_ids": list(self.credential_ids),
            "event_ids": list(self.event_ids),
            "ledger_references": list(self.ledger_references),
            "citation": self.citation,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Finding:
    """One outcome of one rule.

    ``preference_supported`` is set only by the rule that establishes a line's preference claim;
    the decision grants a claimed preference only when such a finding exists for the line and no
    finding on the line is ``deny`` or worse (fail closed).
    """

    rule_id: str
    family: Family
    severity: Severity
    message: str
    line: int | None = None
    evidence: Evidence = field(default_factory=Evidence)
    preference_supported: bool = False

    def to_json_dict(self) -> dict[str, object]:
        """The finding as JSON values; the severity by its label."""
        return {
            "rule_id": self.rule_id,
            "family": self.family.value,
            "severity": self.severity.label,
            "line": self.line,
            "message": self.message,
            "evidence": self.evidence.to_json_dict(),
            "preference_supported": self.preference_supported,
        }


class Rule(Protocol):
    """A customs rule: small, independent, citing its source (STYLE.md §8: ``DEFAULT_RULES``)."""

    @property
    def id(self) -> str:
        """A stable identifier, ``<family prefix>.<check>`` (``usmca.blanket_period``)."""
        ...

    @property
    def family(self) -> Family:
        """The family the rule belongs to."""
        ...

    @property
    def source(self) -> str:
        """The regulation, notice or reference document the rule applies."""
        ...

    def evaluate(self, case: Case) -> Iterable[Finding]:
        """The rule's findings on ``case``; nothing when it does not apply."""
        ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Outcome:
    """What a check function reports, before :class:`CheckRule` stamps its id and source on it."""

    severity: Severity
    message: str
    line: int | None = None
    credential_ids: tuple[str, ...] = ()
    event_ids: tuple[str, ...] = ()
    ledger_references: tuple[str, ...] = ()
    preference_supported: bool = False


Check = Callable[[Case], Iterable[Outcome]]


@dataclass(frozen=True, slots=True)
class CheckRule:
    """A :class:`Rule` made of a check function; ``description`` is the function's docstring."""

    id: str
    family: Family
    source: str
    check: Check
    description: str

    def evaluate(self, case: Case) -> Iterator[Finding]:
        """Run the check and turn each outcome into a :class:`Finding` citing :attr:`source`."""
        for outcome in self.check(case):
            evidence = Evidence(
                credential_ids=outcome.credential_ids,
                event_ids=outcome.event_ids,
                ledger_references=outcome.ledger_references,
                citation=self.source,
            )
            yield Finding(
                rule_id=self.id,
                family=self.family,
                severity=outcome.severity,
                message=outcome.message,
                line=outcome.line,
                evidence=evidence,
                preference_supported=outcome.preference_supported,
            )


def rule(rule_id: str, *, family: Family, source: str) -> Callable[[Check], CheckRule]:
    """Decorate a check function ``(case) -> Iterable[Outcome]`` to make it a :class:`CheckRule`."""

    def wrap(check: Check) -> CheckRule:
        description = " ".join((check.__doc__ or "").split())
        return CheckRule(rule_id, family, source, check, description)

    return wrap


@dataclass(frozen=True, slots=True, kw_only=True)
class Report:
    """The findings of one evaluation: which rules ran, when, and what they found."""

    entry_number: str
    evaluated_at: datetime
    rule_ids: tuple[str, ...]
    findings: tuple[Finding, ...]

    @property
    def severity(self) -> Severity:
        """The highest severity found (``info`` when nothing was found)."""
        return max((finding.severity for finding in self.findings), default=Severity.INFO)

    def for_line(self, line: int) -> tuple[Finding, ...]:
        """The findings about line ``line`` (entry-level findings excluded)."""
        return tuple(finding for finding in self.findings if finding.line == line)

    def by_rule(self, rule_id: str) -> tuple[Finding, ...]:
        """The findings of one rule."""
        return tuple(finding for finding in self.findings if finding.rule_id == rule_id)

    def at_least(self, severity: Severity) -> tuple[Finding, ...]:
        """The findings of ``severity`` or higher."""
        return tuple(finding for finding in self.findings if finding.severity >= severity)

    def to_json_dict(self) -> dict[str, object]:
        """The report as JSON values."""
        return {
            "entry_number": self.entry_number,
            "evaluated_at": self.evaluated_at.isoformat(),
            "severity": self.severity.label,
            "rules": list(self.rule_ids),
            "findings": [finding.to_json_dict() for finding in self.findings],
        }
