"""E-commerce: Section 321 de minimis and Entry Type 86, with effective dates.

Shipments imported by one person on one day with a fair retail value of $800 or less entered free
of duty under Section 321 (19 U.S.C. 1321(a)(2)(C)), and Entry Type 86 filed them with ten data
elements (customs.md §7.1). Executive Order 14324 suspended duty-free de minimis for all countries
from 29 Aug 2025 (90 FR 42418); the date lives in :mod:`tradetrace.tariff.deminimis`. The rules:

- ``ecommerce.de_minimis_available`` (reject): Type 86 filed on or after the suspension;
- ``ecommerce.de_minimis_value`` (reject): the shipment is worth more than $800;
- ``ecommerce.type86_data_elements`` (reject): one of the ten data elements is missing (the
  importer number only when an FDA-regulated line needs it);
- ``ecommerce.type86_excluded_goods`` (reject): AD/CVD, quota or excise goods (alcoholic
  beverages, tobacco, cigarette papers) cannot use Section 321;
- ``ecommerce.branded_goods`` (warning): a low-value shipment of branded goods with no recorded
  right and no licence evidence. Recorded brands are the IPR family's (:mod:`.ipr`).

The one-person-one-day aggregation across shipments needs other entries and is not checked here.
"""

from __future__ import annotations

from collections.abc import Iterator

from tradetrace.entries import EntryType
from tradetrace.entries import vocabulary as vocab
from tradetrace.rules.base import CheckRule, Family, Outcome, Severity, rule
from tradetrace.rules.case import Case
from tradetrace.rules.ipr import LICENCE_TYPE
from tradetrace.rules.matching import share_words
from tradetrace.tariff import deminimis

__all__ = ["EXCISE_HEADINGS", "RULES"]

EXCISE_HEADINGS = ("2203", "2204", "2205", "2206", "2207", "2208", "24", "4813")
"""HTS prefixes of goods whose excise taxes bar Section 321: alcoholic beverages (2203-2208),
tobacco (chapter 24) and cigarette papers (4813) (CBP E-Commerce FAQs, customs.md §7.1)."""

_FAQ = "19 U.S.C. 1321; CBP Entry Type 86 FAQ and E-Commerce FAQs (customs.md §7.1)"
_TYPE86_NOTICE = "84 FR 40079 (13 Aug 2019, Type 86 test); customs.md §7.1"


def _type86(case: Case) -> bool:
    return case.entry.entry_type is EntryType.SECTION_321


@rule(
    "ecommerce.de_minimis_available",
    family=Family.ECOMMERCE,
    source=deminimis.DE_MINIMIS_SUSPENSION_SOURCE,
)
def _de_minimis_available(case: Case) -> Iterator[Outcome]:
    """Type 86 needs duty-free de minimis to be in force on the entry date."""
    status = deminimis.de_minimis_status(case.entry.entry_date)
    if _type86(case) and not status.applies:
        message = (
            f"entry type 86 filed for {case.entry.entry_date}, but duty-free de minimis is "
            f"suspended from {deminimis.DE_MINIMIS_SUSPENDED_FROM}: refile as type 01 or 11 "
            "with duties"
        )
        yield Outcome(severity=Severity.REJECT, message=message)


@rule("ecommerce.de_minimis_value", family=Family.ECOMMERCE, source=deminimis.DE_MINIMIS_SOURCE)
def _de_minimis_value(case: Case) -> Iterator[Outcome]:
    """A Type 86 shipment may be worth at most $800 (fair retail value)."""
    if _type86(case) and case.entry.value > deminimis.DE_MINIMIS_LIMIT:
        message = (
            f"the shipment's fair retail value {case.entry.value} USD is over the "
            f"${deminimis.DE_MINIMIS_LIMIT} de minimis limit"
        )
        yield Outcome(severity=Severity.REJECT, message=message)


def _missing_elements(case: Case) -> list[str]:
    entry = case.entry
    missing = []
    if entry.bill_of_lading is None:
        missing.append("1 bill of lading or air waybill number")
    shipper = entry.shipper
    if shipper is None or shipper.address is None or shipper.address.street is None:
        missing.append("4 shipper name, address and country")
    consignee = entry.consignee
    if consignee is None or consignee.address is None or consignee.address.street is None:
        missing.append("5 consignee name and address")
    for number, line in case.lines():
        if not line.quantities:
            missing.append(f"7 quantity (line {number})")
        if line.value == 0:
            missing.append(f"8 fair retail value (line {number})")
        if line.is_food and entry.importer_of_record_number is None:
            missing.append(f"10 importer of record number, required by FDA (line {number})")
    return missing


@rule("ecommerce.type86_data_elements", family=Family.ECOMMERCE, source=_TYPE86_NOTICE)
def _type86_data_elements(case: Case) -> Iterator[Outcome]:
    """A Type 86 entry must carry the ten data elements (entry number, port, origin and HTS
    number are required by the entry model itself)."""
    missing = _missing_elements(case) if _type86(case) else []
    if missing:
        message = f"entry type 86 lacks data elements: {'; '.join(missing)}"
        yield Outcome(severity=Severity.REJECT, message=message)


@rule("ecommerce.type86_excluded_goods", family=Family.ECOMMERCE, source=_FAQ)
def _type86_excluded_goods(case: Case) -> Iterator[Outcome]:
    """AD/CVD, quota and excise goods cannot enter under Section 321."""
    if not _type86(case):
        return
    for number, line in case.lines():
        reason = None
        if line.adcvd_case_number is not None:
            reason = f"subject to AD/CVD case {line.adcvd_case_number}"
        elif line.hts10.startswith(EXCISE_HEADINGS):
            reason = f"excise goods ({line.hts10[:4]}) whose taxes are not waived"
        if reason is not None:
            message = f"line {number}: {reason}; Section 321 does not apply"
            yield Outcome(severity=Severity.REJECT, message=message, line=number)


@rule("ecommerce.branded_goods", family=Family.ECOMMERCE, source=f"{_FAQ}; 19 CFR Part 133")
def _branded_goods(case: Case) -> Iterator[Outcome]:
    """Branded low-value goods with no recorded right should still come with licence evidence."""
    if not _type86(case):
        return
    licences = case.of_type(LICENCE_TYPE)
    for number, line in case.lines():
        for brand in line.brands:
            on, hts = case.entry.entry_date, line.hts10
            if any(r.covers(brand, hts, on) for r in case.recordations):
                continue  # the IPR family checks recorded brands
            named = [
                licence
                for licence in licences
                if share_words(
                    vocab.text(
                        vocab.field(licence.subject, "intellectualPropertyRightsProduct", "name")
                    ),
                    brand,
                )
            ]
            if not named:
                message = (
                    f"line {number}: branded goods ({brand}) in a low-value shipment with no "
                    "recorded right and no licence evidence"
                )
                yield Outcome(severity=Severity.WARNING, message=message, line=number)


RULES: tuple[CheckRule, ...] = (
    _de_minimis_available,
    _de_minimis_value,
    _type86_data_elements,
    _type86_excluded_goods,
    _branded_goods,
)
"""The e-commerce rules, in the order they run."""
