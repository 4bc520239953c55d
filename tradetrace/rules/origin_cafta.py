"""CAFTA-DR preference claims (SPI ``P``/``P+``): 19 CFR 10.583 claims, 10.584 certifications.

A claim is made by the SPI before the HTS number (19 CFR 10.583(a)) and here must rest on a
certification by the importer, exporter or producer (10.583(b)(1)), presented as tradetrace's
``CAFTADRCertificationOfOrigin`` credential. A claim on the importer's knowledge alone
(10.583(b)(2)) cannot be verified from evidence and is not granted. The checks, one rule each:

- ``cafta.party_origin``: the goods originate in a party (CR, DO, GT, HN, NI, SV, US);
- ``cafta.certification_held``: a certification was presented;
- ``cafta.certification_verified``, ``cafta.certifier_trusted``: as for USMCA;
- ``cafta.data_elements``: the contents of 10.584(a)(3) and the statement of 10.584(a)(4);
- ``cafta.validity``: signed by the time the claim was made (10.584(a)), a blanket period of at
  most 12 months covering the entry date and no more than four years since signature (⚠ both as in
  sister agreements, customs.md §5.2);
- ``cafta.goods_match``: the HTSUS classification (6 or more digits) and description match;
- ``cafta.origin_criterion``: the rule of origin is A, B or C of 10.594, in the declared country.

``cafta.claim_supported`` records a claim whose certification passes them all.
"""

from __future__ import annotations

from typing import Any

from tradetrace.entries import EntryLine
from tradetrace.entries import vocabulary as vocab
from tradetrace.rules.base import CheckRule, Family
from tradetrace.rules.case import Case, PresentedCredential, parse_time
from tradetrace.rules.matching import add_months, share_words
from tradetrace.rules.origin import (
    Agreement,
    CertificateCheck,
    certificate_rule,
    certification_held_rule,
    claim_supported_rule,
    party_origin_rule,
    trusted_check,
    verified_check,
)

__all__ = ["CAFTA_DR", "RULES"]

CAFTA_DR = Agreement(
    name="CAFTA-DR",
    prefix="cafta",
    family=Family.ORIGIN_CAFTA,
    spis=frozenset({"P", "P+"}),
    parties=frozenset({"CR", "DO", "GT", "HN", "NI", "SV", "US"}),
    credential_type="CAFTADRCertificationOfOrigin",
)
"""The agreement: SPIs P and P+ (HTSUS General Note 29), and its parties."""

_CLAIM = "19 CFR 10.583-10.584; HTSUS General Note 29; customs.md §5.2"
_CRITERIA = frozenset("ABC")


def _party_gaps(label: str, party: Any) -> list[str]:
    """What 10.584(a)(3)(i) needs of a party and ``party`` lacks."""
    item = vocab.mapping(party)
    if not item:
        return [label]
    gaps = [
        f"{label} {name}"
        for name, present in (
            ("legal name", vocab.party_name(item) is not None),
            ("address", bool(vocab.field(item, "location", "address", "addressCountry"))),
            ("telephone", vocab.text(item.get("phoneNumber")) is not None),
            ("email", vocab.text(item.get("email")) is not None),
        )
        if not present
    ]
    return gaps


def data_elements(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The certification must carry what 19 CFR 10.584(a)(3) lists and the signed statement of
    10.584(a)(4)."""
    subject = certificate.subject
    missing = _party_gaps("importer", subject.get("importer"))
    if subject.get("exporterSameAsProducer") is not True:
        missing += _party_gaps("exporter", subject.get("exporter"))
    missing += _party_gaps("producer", subject.get("producer"))
    official = vocab.mapping(subject.get("responsibleOfficial"))
    if vocab.party_name(official) is None:
        missing.append("responsible official")
    if vocab.text(subject.get("certifierRole")) not in {"Importer", "Exporter", "Producer"}:
        missing.append("certifier role")
    goods = CAFTA_DR.goods_for(certificate, line)
    if goods and vocab.text(goods.get("description")) is None:
        missing.append("description of the goods")
    if goods and vocab.text(goods.get("originCriterion")) is None:
        missing.append("rule of origin")
    statement = vocab.text(subject.get("certificationStatement")) or ""
    if not statement.casefold().startswith("i certify"):
        missing.append('statement beginning "I certify"')
    if not missing:
        return None
    return f"certification {certificate.id} lacks {', '.join(missing)}"


def validity(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The certification must be signed by the time of the claim, and its period (at most 12
    months, within four years of signature) must cover the entry date."""
    signed = parse_time(certificate.subject.get("certificationDate"))
    start, end = certificate.valid_from, certificate.valid_until
    on = case.entry.entry_date
    if signed is None or start is None:
        return f"certification {certificate.id} has no certification date or validFrom"
    if signed.date() > case.filed_at.date() or start > case.filed_at:
        return f"certification {certificate.id} was signed after the claim was made"
    if end is not None and end.date() > add_months(start.date(), 12):
        return f"the blanket period {start.date()}..{end.date()} is longer than 12 months"
    if not certificate.covers(on):
        until = end.date() if end is not None else "open"
        return f"the period {start.date()}..{until} of {certificate.id} does not cover {on}"
    if on > add_months(signed.date(), 48):
        return f"certification {certificate.id} is more than four years old on {on}"
    return None


def goods_match(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The certification must classify the line's goods (HTSUS, 6 or more digits) and describe
    them so they relate to the invoice (19 CFR 10.584(a)(3)(iii)-(iv))."""
    goods = CAFTA_DR.goods_for(certificate, line)
    if not goods:
        return f"certification {certificate.id} does not classify goods under {line.hts10}"
    description = vocab.text(goods.get("description"))
    if line.description is not None and not share_words(description, line.description):
        return f"the certified goods {description!r} do not match {line.description!r}"
    return None


def origin_criterion(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The goods must qualify under rule A, B or C of 19 CFR 10.594 in the declared country."""
    goods = CAFTA_DR.goods_for(certificate, line)
    if not goods:
        return None  # goods_match reports it
    criterion = (vocab.text(goods.get("originCriterion")) or "").upper()
    if criterion not in _CRITERIA:
        return f"rule of origin {criterion or 'missing'} is not one of A, B, C (19 CFR 10.594)"
    country = vocab.country_code(goods.get("countryOfOrigin"))
    if country is not None and country != line.origin_country:
        return f"the certified country {country} is not the declared {line.origin_country}"
    return None


_CHECKS: tuple[tuple[str, str, CertificateCheck], ...] = (
    ("certification_verified", "VC Data Model 2.0 §7; Bitstring Status List", verified_check),
    ("certifier_trusted", "19 CFR 10.583(b)(1); trust registry (MISSION.md)", trusted_check),
    ("data_elements", "19 CFR 10.584(a)(3)-(4)", data_elements),
    ("validity", "19 CFR 10.584; customs.md §5.2 (⚠ blanket and 4-year terms)", validity),
    ("goods_match", "19 CFR 10.584(a)(3)(iii)-(iv); HTSUS General Note 29(n)", goods_match),
    ("origin_criterion", "19 CFR 10.584(a)(3)(v), 10.594", origin_criterion),
)

RULES: tuple[CheckRule, ...] = (
    party_origin_rule(CAFTA_DR, source="19 CFR 10.594; HTSUS General Note 29"),
    certification_held_rule(CAFTA_DR, source=_CLAIM),
    *(
        certificate_rule(CAFTA_DR, name, source=source, check=check)
        for name, source, check in _CHECKS
    ),
    claim_supported_rule(CAFTA_DR, [check for _, _, check in _CHECKS], source=_CLAIM),
)
"""The CAFTA-DR rules, in the order they run."""
