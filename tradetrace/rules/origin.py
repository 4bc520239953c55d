"""What the USMCA and CAFTA-DR rule families share: a claim, its certification, its checks.

A line claims a free trade agreement by its SPI (HTSUS General Note 3(c): ``S``/``S+`` USMCA,
``P``/``P+`` CAFTA-DR). The importer must hold a valid certification of origin when the claim is
made (USMCA Art. 5.2; 19 CFR 182.12; 19 CFR 10.584). One certification **governs** a line: among
the presented certifications of the agreement's credential type, the one listing the line's
goods, covering the entry date, verified and trusted, most recently issued, in that order of
preference. Each check of the certification is its own rule and denies the claim when it fails;
the agreement's ``claim_supported`` rule records that a governing certification exists and passes
every check, which is the only way a preference is granted (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from tradetrace.entries import EntryLine
from tradetrace.entries import vocabulary as vocab
from tradetrace.rules.base import CheckRule, Family, Outcome, Severity
from tradetrace.rules.case import Case, PresentedCredential
from tradetrace.rules.matching import ledger_references

__all__ = [
    "Agreement",
    "CertificateCheck",
    "certificate_rule",
    "certification_held_rule",
    "claim_supported_rule",
    "party_origin_rule",
    "trusted_check",
    "verified_check",
]

CertificateCheck = Callable[[Case, EntryLine, PresentedCredential], str | None]
"""A check of the governing certification for a line: ``None`` when it passes, else the problem
in words."""

_EPOCH = datetime.min.replace(tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Agreement:
    """A free trade agreement: its SPIs, its parties and its certification credential type."""

    name: str
    prefix: str
    family: Family
    spis: frozenset[str]
    parties: frozenset[str]
    credential_type: str

    def claims(self, case: Case) -> Iterator[tuple[int, EntryLine]]:
        """The lines claiming this agreement, with their numbers."""
        return ((n, line) for n, line in case.lines() if line.spi in self.spis)

    def certificates(self, case: Case) -> tuple[PresentedCredential, ...]:
        """The presented certifications of this agreement."""
        return case.of_type(self.credential_type)

    def goods_for(self, certificate: PresentedCredential, line: EntryLine) -> Mapping[str, Any]:
        """The certification's goods item for ``line``: its commodity code, to six or more
        digits, is the start of the line's HTS number. Empty when none is."""
        goods = certificate.subject.get("goods")
        for item in goods if isinstance(goods, list) else []:
            code = vocab.digits(vocab.mapping(item).get("commodityCode")) or ""
            if len(code) >= 6 and line.hts10.startswith(code):
                return vocab.mapping(item)
        return {}

    def governing(self, case: Case, line: EntryLine) -> PresentedCredential | None:
        """The certification that governs ``line`` (see the module docstring), if any."""
        on = case.entry.entry_date

        def preference(c: PresentedCredential) -> tuple[bool, bool, bool, bool, datetime]:
            listed = bool(self.goods_for(c, line))
            return (listed, c.covers(on), c.verified, c.trusted, c.valid_from or _EPOCH)

        certificates = self.certificates(case)
        return max(certificates, key=preference) if certificates else None

    def denied(self, number: int, line: EntryLine, problem: str) -> str:
        """The message of a denied claim."""
        return f"{self.name} preference ({line.spi}) on line {number} denied: {problem}"


def certificate_rule(
    agreement: Agreement, name: str, *, source: str, check: CertificateCheck
) -> CheckRule:
    """A rule that denies each claim whose governing certification fails ``check``."""

    def run(case: Case) -> Iterator[Outcome]:
        for number, line in agreement.claims(case):
            certificate = agreement.governing(case, line)
            problem = check(case, line, certificate) if certificate is not None else None
            if certificate is not None and problem is not None:
                message = agreement.denied(number, line, problem)
                yield Outcome(
                    severity=Severity.DENY,
                    message=message,
                    line=number,
                    credential_ids=(certificate.id,),
                    ledger_references=ledger_references([certificate]),
                )

    description = " ".join((check.__doc__ or "").split())
    return CheckRule(f"{agreement.prefix}.{name}", agreement.family, source, run, description)


def party_origin_rule(agreement: Agreement, *, source: str) -> CheckRule:
    """A rule that denies a claim for goods whose country of origin is not a party."""

    def run(case: Case) -> Iterator[Outcome]:
        for number, line in agreement.claims(case):
            if line.origin_country not in agreement.parties:
                parties = ", ".join(sorted(agreement.parties))
                problem = f"the country of origin {line.origin_country} is not a party ({parties})"
                yield Outcome(
                    severity=Severity.DENY,
                    message=agreement.denied(number, line, problem),
                    line=number,
                )

    description = f"Goods claiming {agreement.name} must originate in a party to it."
    return CheckRule(f"{agreement.prefix}.party_origin", agreement.family, source, run, description)


def certification_held_rule(agreement: Agreement, *, source: str) -> CheckRule:
    """A rule that denies a claim when no certification of the agreement was presented."""

    def run(case: Case) -> Iterator[Outcome]:
        for number, line in agreement.claims(case):
            if agreement.governing(case, line) is None:
                problem = f"no {agreement.credential_type} was presented"
                yield Outcome(
                    severity=Severity.DENY,
                    message=agreement.denied(number, line, problem),
                    line=number,
                )

    description = f"A {agreement.name} claim needs a certification of origin held at the claim."
    rule_id = f"{agreement.prefix}.certification_held"
    return CheckRule(rule_id, agreement.family, source, run, description)


def claim_supported_rule(
    agreement: Agreement, checks: Sequence[CertificateCheck], *, source: str
) -> CheckRule:
    """A rule that records a supported claim: a governing certification passing every check."""

    def run(case: Case) -> Iterator[Outcome]:
        for number, line in agreement.claims(case):
            certificate = agreement.governing(case, line)
            if certificate is None or line.origin_country not in agreement.parties:
                continue
            if all(check(case, line, certificate) is None for check in checks):
                message = (
                    f"{agreement.name} preference ({line.spi}) on line {number} is supported by "
                    f"certification {certificate.id} from {certificate.issuer}"
                )
                yield Outcome(
                    severity=Severity.INFO,
                    message=message,
                    line=number,
                    preference_supported=True,
                    credential_ids=(certificate.id,),
                    ledger_references=ledger_references([certificate]),
                )

    description = f"A {agreement.name} claim is supported when its certification passes all checks."
    rule_id = f"{agreement.prefix}.claim_supported"
    return CheckRule(rule_id, agreement.family, source, run, description)


def verified_check(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The certification must verify: signature, validity and status (not revoked)."""
    if certificate.revoked:
        return f"certification {certificate.id} is revoked or suspended ({certificate.failure})"
    if not certificate.verified:
        return f"certification {certificate.id} did not verify ({certificate.failure})"
    return None


def trusted_check(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The certifier must be accredited in the trust registry to certify origin."""
    if certificate.trusted:
        return None
    trust = certificate.trust
    return (
        f"the certifier {certificate.issuer} is not trusted to certify origin: "
        f"{trust.message} ({trust.code})"
    )
