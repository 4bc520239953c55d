"""USMCA preference claims (SPI ``S``/``S+``): the certification of origin and its nine elements.

The claim rests on a ``USMCACertificationOfOrigin`` credential (W3C CCG Traceability Vocabulary)
held when the claim is made (USMCA Art. 5.2; 19 CFR Part 182; customs.md §5.1). Its issuer is the
certifier. The checks, one rule each, deny the claim when they fail:

- ``usmca.party_origin``: the goods originate in Canada or Mexico (or the United States);
- ``usmca.certification_held``: a certification was presented;
- ``usmca.certification_verified``: it verifies and is not revoked;
- ``usmca.certifier_trusted``: the certifier is accredited for it in the trust registry;
- ``usmca.data_elements``: the nine minimum data elements of Annex 5-A are there;
- ``usmca.blanket_period``: the period (at most 12 months) covers the entry date and began by the
  time the entry was filed;
- ``usmca.goods_match``: it lists the line's goods by HS-6 and by description;
- ``usmca.origin_criterion``: the goods qualify under criterion A-D, in the declared country.

``usmca.claim_supported`` records a claim whose certification passes all of them. Rules of origin
themselves (tariff shift, regional value content) are the certifier's representation; they are
not recomputed here.
"""

from __future__ import annotations

from tradetrace.credentials.report import CheckId, CheckStatus
from tradetrace.entries import EntryLine
from tradetrace.entries import vocabulary as vocab
from tradetrace.rules.base import CheckRule, Family
from tradetrace.rules.case import Case, PresentedCredential
from tradetrace.rules.matching import add_months, same_name, share_words
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

__all__ = ["RULES", "USMCA"]

USMCA = Agreement(
    name="USMCA",
    prefix="usmca",
    family=Family.ORIGIN_USMCA,
    spis=frozenset({"S", "S+"}),
    parties=frozenset({"CA", "MX", "US"}),
    credential_type="USMCACertificationOfOrigin",
)
"""The agreement: SPIs S and S+ (HTSUS General Note 11), parties Canada, Mexico, United States."""

_ANNEX = "USMCA Art. 5.2 and Annex 5-A; 19 CFR Part 182; customs.md §5.1"
_CRITERIA = frozenset("ABCD")


def _certifier_type(subject: dict[str, object], certificate: PresentedCredential) -> str | None:
    """Which party the certifier is: importer, exporter or producer (Annex 5-A element 1)."""
    declared = vocab.text(subject.get("certifierRole")) or vocab.text(
        vocab.field(subject, "certifier", "role")
    )
    if declared is not None:
        return declared.casefold()
    issuer = certificate.issuer_document
    importers = subject.get("importerDetails")
    candidates = [
        ("exporter", subject.get("exporterDetails")),
        ("producer", subject.get("producerDetails")),
        *(("importer", item) for item in (importers if isinstance(importers, list) else [])),
    ]
    for role, party in candidates:
        did = vocab.party_did(party)
        if (did is not None and did == certificate.issuer) or same_name(
            vocab.party_name(party), vocab.party_name(issuer)
        ):
            return role
    return None


def _named(party: object) -> bool:
    return vocab.party_name(party) is not None


def _missing_elements(certificate: PresentedCredential, line: EntryLine) -> list[str]:
    subject = dict(certificate.subject)
    issuer = certificate.issuer_document
    missing: list[str] = []
    role = _certifier_type(subject, certificate)
    if role not in {"importer", "exporter", "producer"}:
        missing.append("1 certifier type (importer, exporter or producer)")
    contact = [issuer, vocab.mapping(issuer.get("employee"))]
    if not _named(issuer) or vocab.field(issuer, "location", "address", "addressCountry") is None:
        missing.append("2 certifier name and address with country")
    if not any(vocab.text(c.get("phoneNumber")) or vocab.text(c.get("email")) for c in contact):
        missing.append("2 certifier telephone or email")
    if role != "exporter" and not _named(subject.get("exporterDetails")) and role != "producer":
        missing.append("3 exporter")
    if not _named(subject.get("producerDetails")) and subject.get("variousProducers") is not True:
        missing.append("4 producer")
    importers = subject.get("importerDetails")
    listed = isinstance(importers, list) and any(_named(item) for item in importers)
    if not listed and subject.get("variousImporters") is not True:
        missing.append("5 importer")
    goods = USMCA.goods_for(certificate, line)
    if goods and not vocab.text(goods.get("description")):
        missing.append("6 description of the goods")
    if goods and vocab.text(goods.get("originCriterion")) is None:
        missing.append("7 origin criterion")
    if certificate.valid_from is None or certificate.valid_until is None:
        missing.append("8 blanket period (validFrom and validUntil)")
    proof = certificate.report.check(CheckId.PROOF)
    if proof is None or proof.status is not CheckStatus.VALID:
        missing.append("9 authorised signature (a verified proof)")
    return missing


def data_elements(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The certification must carry the nine minimum data elements of USMCA Annex 5-A."""
    missing = _missing_elements(certificate, line)
    if not missing:
        return None
    return (
        f"certification {certificate.id} lacks data elements: {'; '.join(missing)} "
        "(a defective certification may be corrected within 5 business days)"
    )


def blanket_period(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The blanket period, at most 12 months, must cover the entry date and have begun by the
    time the claim was made."""
    start, end = certificate.valid_from, certificate.valid_until
    if start is None or end is None:
        return f"certification {certificate.id} has no blanket period"
    on = case.entry.entry_date
    if end.date() > add_months(start.date(), 12):
        return f"the blanket period {start.date()}..{end.date()} is longer than 12 months"
    if not start.date() <= on <= end.date():
        return (
            f"the blanket period {start.date()}..{end.date()} of certification "
            f"{certificate.id} does not cover the entry date {on}"
        )
    if start > case.filed_at:
        return f"certification {certificate.id} was not held when the claim was made"
    return None


def goods_match(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The certification must list the line's goods: the same HS-6 subheading and a matching
    description."""
    goods = USMCA.goods_for(certificate, line)
    if not goods:
        items = certificate.subject.get("goods")
        codes = [
            vocab.digits(vocab.mapping(item).get("commodityCode")) or "?"
            for item in (items if isinstance(items, list) else [])
        ]
        listed = ", ".join(codes) or "nothing"
        return f"certification {certificate.id} lists HS {listed}, not {line.hts6}"
    description = vocab.text(goods.get("description"))
    if line.description is not None and not share_words(description, line.description):
        return (
            f"the certified goods {description!r} do not match the line's "
            f"description {line.description!r}"
        )
    return None


def origin_criterion(case: Case, line: EntryLine, certificate: PresentedCredential) -> str | None:
    """The goods must qualify under origin criterion A, B, C or D (USMCA Art. 4.2) in the country
    of origin the line declares."""
    goods = USMCA.goods_for(certificate, line)
    if not goods:
        return None  # goods_match reports it
    criterion = (vocab.text(goods.get("originCriterion")) or "").upper()
    if criterion not in _CRITERIA:
        return f"origin criterion {criterion or 'missing'} is not one of A, B, C, D"
    country = vocab.country_code(goods.get("countryOfOrigin"))
    if country != line.origin_country:
        return (
            f"the certified country of origin {country or 'missing'} is not the declared "
            f"{line.origin_country}"
        )
    return None


_CHECKS: tuple[tuple[str, str, CertificateCheck], ...] = (
    ("certification_verified", "VC Data Model 2.0 §7; Bitstring Status List", verified_check),
    ("certifier_trusted", "USMCA Art. 5.2.1; trust registry (MISSION.md)", trusted_check),
    ("data_elements", _ANNEX, data_elements),
    ("blanket_period", f"USMCA Annex 5-A element 8; {_ANNEX}", blanket_period),
    ("goods_match", f"USMCA Annex 5-A element 6; {_ANNEX}", goods_match),
    ("origin_criterion", "USMCA Art. 4.2 and Annex 5-A element 7", origin_criterion),
)

RULES: tuple[CheckRule, ...] = (
    party_origin_rule(USMCA, source="HTSUS General Note 11; USMCA Art. 4.2"),
    certification_held_rule(USMCA, source=_ANNEX),
    *(certificate_rule(USMCA, name, source=source, check=check) for name, source, check in _CHECKS),
    claim_supported_rule(USMCA, [check for _, _, check in _CHECKS], source=_ANNEX),
)
"""The USMCA rules, in the order they run."""
