"""Goods bearing a recorded trademark or copyright must come with a licence chain.

CBP protects trademarks and copyrights recorded with it (19 CFR 133.1-133.7, 133.31-133.37) and
detains goods suspected of bearing a counterfeit mark (19 CFR 133.21-133.25). The 2019 IPR proof of
concept (customs.md §6.1) checked, instead, that the goods were made under a licence chain:
rights holder → licensee → (sub-licensee →) manufacturer, each link an
``IntellectualPropertyRightsLicenseCredential`` whose issuer is the licensor, ``licensee`` the next
party and ``extendsCredential`` the parent licence (or the rights holder's
``IntellectualPropertyRightsCredential``). Two terms tradetrace reads beside the vocabulary's:
``sublicensingPermitted`` (a licence lets its licensee license others) and ``territory`` (the
ISO countries where the licensed goods may be made; absent means anywhere).

For each line whose brand matches a recordation the rules pick the best chain from the recorded
owner to the line's manufacturer and check it. Every failure is ``hold``: suspected infringing
goods are detained, not refused, while the rights holder is consulted (19 CFR 133.21(b)).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator

from tradetrace.entries import EntryLine
from tradetrace.entries import vocabulary as vocab
from tradetrace.rules.base import CheckRule, Family, Outcome, Severity, rule
from tradetrace.rules.case import Case, PresentedCredential, Recordation
from tradetrace.rules.matching import ledger_references, share_words

__all__ = [
    "LICENCE_TYPE",
    "RULES",
    "Chain",
    "ChainCheck",
    "licence_chain",
    "licence_scope",
    "licence_status",
    "licence_validity",
    "recorded_goods",
    "sublicence_permitted",
]

LICENCE_TYPE = "IntellectualPropertyRightsLicenseCredential"
"""The vocabulary credential type of one licence."""

_PART_133 = "19 U.S.C. 1526; 19 CFR Part 133 (133.21 detention); customs.md §6"
# Each licence names one parent (extendsCredential) and ids are unique in a case, so the search
# visits each licence once per chain; the depth cap only bounds a pathological presentation
# (the pilot's chains were two or three links long).
_MAX_DEPTH = 8
Chain = tuple[PresentedCredential, ...]
"""A licence chain, the rights holder's licence first."""


def recorded_goods(case: Case) -> Iterator[tuple[int, EntryLine, str, Recordation]]:
    """Each line, brand and recordation where the brand on the goods is recorded with CBP."""
    for number, line in case.lines():
        for brand in line.brands:
            for recordation in case.recordations:
                if recordation.covers(brand, line.hts10, case.entry.entry_date):
                    yield number, line, brand, recordation


def _licensee(licence: PresentedCredential) -> str | None:
    return vocab.party_did(licence.subject.get("licensee"))


def _chains(case: Case, owner: str, manufacturer: str) -> list[Chain]:
    """Every licence chain from ``owner`` down to ``manufacturer``."""
    licences = case.of_type(LICENCE_TYPE)
    found: list[Chain] = []

    def extend(chain: Chain) -> None:
        last = chain[-1]
        if _licensee(last) == manufacturer:
            found.append(chain)
            return
        if len(chain) >= _MAX_DEPTH:
            return
        for child in licences:
            parent_ok = vocab.text(child.subject.get("extendsCredential")) == last.id
            if parent_ok and child.issuer == _licensee(last) and child not in chain:
                extend((*chain, child))

    for root in licences:
        if root.issuer == owner:
            extend((root,))
    return found


def licence_scope(case: Case, line: EntryLine, chain: Chain) -> list[str]:
    """Each licence must cover these goods (product name, description or GTIN) and allow their
    manufacture in the country of origin."""
    problems = []
    for licence in chain:
        product = vocab.mapping(licence.subject.get("intellectualPropertyRightsProduct"))
        gtin = vocab.text(product.get("gtin"))
        names = (vocab.text(product.get("name")), vocab.text(product.get("description")))
        words = " ".join(filter(None, names))
        goods = " ".join(filter(None, (line.description, *line.brands)))
        same = (gtin is not None and gtin == line.gtin) or share_words(words, goods)
        if product and not same:
            problems.append(f"licence {licence.id} covers {words!r}, not these goods")
        territory = licence.subject.get("territory")
        if isinstance(territory, list) and line.origin_country not in territory:
            allowed = ", ".join(str(code) for code in territory)
            problems.append(
                f"licence {licence.id} allows manufacture in {allowed}, not {line.origin_country}"
            )
    return problems


def sublicence_permitted(case: Case, line: EntryLine, chain: Chain) -> list[str]:
    """A sub-licence is valid only where its parent licence permits sub-licensing."""
    return [
        f"licence {child.id} is a sub-licence, but its parent {parent.id} does not permit "
        "sub-licensing"
        for parent, child in itertools.pairwise(chain)
        if parent.subject.get("sublicensingPermitted") is not True
    ]


def licence_validity(case: Case, line: EntryLine, chain: Chain) -> list[str]:
    """Each licence must be valid on the entry date."""
    on = case.entry.entry_date
    return [f"licence {c.id} is not valid on {on}" for c in chain if not c.covers(on)]


def licence_status(case: Case, line: EntryLine, chain: Chain) -> list[str]:
    """Each licence must verify, none may be revoked, and each licensor must be trusted."""
    problems = []
    for licence in chain:
        if licence.revoked:
            problems.append(f"licence {licence.id} is revoked ({licence.failure})")
        elif not licence.verified:
            problems.append(f"licence {licence.id} did not verify ({licence.failure})")
        elif not licence.trusted:
            problems.append(f"licensor {licence.issuer} is not trusted ({licence.trust.code})")
    return problems


ChainCheck = Callable[[Case, EntryLine, Chain], list[str]]
"""A check of a licence chain for a line: the problems found, in words (none when it passes)."""
_CHECKS: tuple[ChainCheck, ...] = (
    licence_scope,
    sublicence_permitted,
    licence_validity,
    licence_status,
)


def licence_chain(case: Case, line: EntryLine, recordation: Recordation) -> Chain | None:
    """The licence chain from the recorded owner to ``line``'s manufacturer with the fewest
    problems (earliest presented on a tie), or ``None`` when there is none."""
    manufacturer = line.manufacturer.did if line.manufacturer is not None else None
    if manufacturer is None:
        return None
    chains = _chains(case, recordation.owner_did, manufacturer)
    if not chains:
        return None
    return min(chains, key=lambda c: sum(len(check(case, line, c)) for check in _CHECKS))


def _suspected(number: int, brand: str, recordation: Recordation, problem: str) -> str:
    return (
        f"suspected infringing: line {number} bears the recorded {recordation.kind.value} "
        f"{brand} (recordation {recordation.number}, {recordation.owner}); {problem}"
    )


def _chain_rule(name: str, source: str, check: ChainCheck) -> CheckRule:
    def run(case: Case) -> Iterator[Outcome]:
        for number, line, brand, recordation in recorded_goods(case):
            chain = licence_chain(case, line, recordation)
            problems = check(case, line, chain) if chain else []
            if chain and problems:
                yield Outcome(
                    severity=Severity.HOLD,
                    message=_suspected(number, brand, recordation, "; ".join(problems)),
                    line=number,
                    credential_ids=tuple(c.id for c in chain),
                    ledger_references=ledger_references(chain),
                )

    return CheckRule(
        f"ipr.{name}", Family.IPR, source, run, " ".join((check.__doc__ or "").split())
    )


@rule("ipr.licence_chain", family=Family.IPR, source=_PART_133)
def _licence_chain(case: Case) -> Iterator[Outcome]:
    """Recorded goods must come with a licence chain from the rights holder to the manufacturer."""
    for number, line, brand, recordation in recorded_goods(case):
        maker = line.manufacturer
        if maker is not None and maker.did == recordation.owner_did:
            message = f"line {number}: {brand} goods made by the rights holder {recordation.owner}"
            yield Outcome(severity=Severity.INFO, message=message, line=number)
        elif maker is None or maker.did is None:
            problem = "the manufacturer is not identified by a DID, so no licence can be tied to it"
            yield Outcome(
                severity=Severity.HOLD,
                message=_suspected(number, brand, recordation, problem),
                line=number,
            )
        elif licence_chain(case, line, recordation) is None:
            problem = f"no licence chain leads from {recordation.owner_did} to {maker.did}"
            yield Outcome(
                severity=Severity.HOLD,
                message=_suspected(number, brand, recordation, problem),
                line=number,
            )


@rule("ipr.licensed", family=Family.IPR, source=_PART_133)
def _licensed(case: Case) -> Iterator[Outcome]:
    """Record recorded goods whose licence chain passes every check."""
    for number, line, brand, recordation in recorded_goods(case):
        chain = licence_chain(case, line, recordation)
        if chain and not any(check(case, line, chain) for check in _CHECKS):
            parties = " -> ".join([recordation.owner_did, *(str(_licensee(c)) for c in chain)])
            yield Outcome(
                severity=Severity.INFO,
                message=f"line {number}: {brand} goods are licensed along {parties}",
                line=number,
                credential_ids=tuple(c.id for c in chain),
                ledger_references=ledger_references(chain),
            )


RULES: tuple[CheckRule, ...] = (
    _licence_chain,
    _chain_rule("sublicence_permitted", f"{_PART_133}; customs.md §6.1", sublicence_permitted),
    _chain_rule("licence_scope", f"{_PART_133}; customs.md §6.1-6.2", licence_scope),
    _chain_rule("licence_validity", _PART_133, licence_validity),
    _chain_rule("licence_status", f"{_PART_133}; Bitstring Status List", licence_status),
    _licensed,
)
"""The IPR rules, in the order they run."""
