"""Food: prior notice, the FSVP importer, and FSMA 204 traceability records.

Food for FDA is a line with the food flag or an FDA product code. The rules:

- ``food.prior_notice`` (hold): imported food needs prior notice to FDA, whose confirmation
  number the entry carries; food without it is held (21 U.S.C. 381(m); 21 CFR 1.279-1.283).
- ``food.fsvp_importer`` (exam): the entry names the FSVP importer with its DUNS number
  (21 CFR 1.509(a)) and an ``FSVPImporterCredential`` (vocabulary spelling
  ``FVSPImporterCredential`` accepted) for that importer verifies.
- ``food.traceability_records`` (warning until the compliance date, exam from it): a food on the
  Food Traceability List (21 CFR 1.1300) names its traceability lot codes, and the trace holds a
  shipping record for each with every key data element (21 CFR 1.1340). Compliance is due
  20 Jul 2028 (FDA's 30-month extension, standards.md §7 ⚠ confirm final status); before that a
  gap is reported for review only.

The Food Traceability List names foods, not tariff codes: :data:`TRACEABILITY_LIST_HTS` maps it to
HTS prefixes approximately (⚠), and a line can say for itself with ``food_traceability_list``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from tradetrace.entries import EntryLine
from tradetrace.rules.base import CheckRule, Family, Outcome, Severity, rule
from tradetrace.rules.case import Case
from tradetrace.rules.matching import ledger_references

__all__ = [
    "FSMA_204_COMPLIANCE_DATE",
    "RULES",
    "TRACEABILITY_LIST_HTS",
    "on_traceability_list",
]

FSMA_204_COMPLIANCE_DATE = date(2028, 7, 20)
"""The FSMA 204 compliance date after FDA's 30-month extension (⚠ proposed 7 Aug 2025)."""

TRACEABILITY_LIST_HTS: dict[str, str] = {
    "040610": "soft and fresh cheeses",
    "040690": "soft ripened and semi-soft cheeses",
    "040721": "shell eggs",
    "040729": "shell eggs",
    "200811": "peanut butter",
    "0302": "finfish, fresh",
    "0303": "finfish, frozen",
    "0304": "finfish fillets",
    "0306": "crustaceans",
    "0307": "molluscan shellfish",
    "0702": "tomatoes",
    "0705": "leafy greens (lettuce, chicory)",
    "070960": "peppers",
    "070970": "leafy greens (spinach)",
    "0707": "cucumbers",
    "080711": "melons (watermelons)",
    "080719": "melons",
    "080450": "tropical tree fruits (mangoes, guavas)",
    "080720": "tropical tree fruits (papayas)",
}
"""HTS prefixes of foods on the FDA Food Traceability List (21 CFR 1.1300; 87 FR 70910), an
approximate mapping (⚠): the list is by food, and fresh-cut produce, herbs and sprouts need the
line's own flag."""

_PRIOR_NOTICE = "21 U.S.C. 381(m); 21 CFR 1.279-1.283 (prior notice of imported food)"
_FSVP = "21 CFR 1.509(a) (FSVP importer identified at entry); 21 CFR Part 1 subpart L"
_FSMA_204 = "21 CFR 1.1300-1.1350 (FSMA 204, 87 FR 70910); standards.md §7"
_FSVP_TYPES = ("FSVPImporterCredential", "FVSPImporterCredential")


def on_traceability_list(line: EntryLine) -> bool:
    """Whether the line's food is on the Food Traceability List (the line's own flag first)."""
    if line.food_traceability_list is not None:
        return line.food_traceability_list
    return line.is_food and line.hts10.startswith(tuple(TRACEABILITY_LIST_HTS))


def _food_lines(case: Case) -> Iterator[tuple[int, EntryLine]]:
    return ((number, line) for number, line in case.lines() if line.is_food)


@rule("food.prior_notice", family=Family.FOOD, source=_PRIOR_NOTICE)
def _prior_notice(case: Case) -> Iterator[Outcome]:
    """Imported food must have prior notice, its confirmation number on the entry."""
    for number, line in _food_lines(case):
        if line.prior_notice_number is None:
            message = f"line {number}: food entered without a prior notice confirmation number"
            yield Outcome(severity=Severity.HOLD, message=message, line=number)


def _duns(value: object) -> str:
    return "".join(char for char in str(value or "") if char.isdigit())


@rule("food.fsvp_importer", family=Family.FOOD, source=_FSVP)
def _fsvp_importer(case: Case) -> Iterator[Outcome]:
    """Food entries must name the FSVP importer and present its verified FSVP credential."""
    credentials = case.of_type(*_FSVP_TYPES)
    for number, line in _food_lines(case):
        importer = line.fsvp_importer
        if importer is None or importer.identifier is None:
            message = f"line {number}: no FSVP importer identified by DUNS number"
            yield Outcome(severity=Severity.EXAM, message=message, line=number)
            continue
        duns = _duns(importer.identifier)
        matching = [c for c in credentials if _duns(c.subject.get("importerDUNS")) == duns]
        if not any(c.verified and c.trusted for c in matching):
            found = f"{len(matching)} presented, none verified and trusted" if matching else "none"
            message = (
                f"line {number}: no verified FSVP importer credential for {importer.name} "
                f"(DUNS {importer.identifier}): {found}"
            )
            yield Outcome(
                severity=Severity.EXAM,
                message=message,
                line=number,
                credential_ids=tuple(c.id for c in matching),
                ledger_references=ledger_references(matching),
            )


def _lot_gaps(case: Case, line: EntryLine) -> list[tuple[str, tuple[str, ...]]]:
    """``(problem, event ids)`` for each traceability lot of ``line`` lacking records."""
    if not line.lot_codes:
        return [("no traceability lot code is declared", ())]
    gaps = []
    for lot in line.lot_codes:
        records = case.trace.food_records_of(lot)
        events = tuple(record.event_id for record in records if record.event_id)
        shipping = [record for record in records if record.cte == "shipping"]
        incomplete = [record for record in records if record.missing_kdes]
        if not shipping:
            gaps.append((f"lot {lot} has no shipping record", events))
        for record in incomplete:
            missing = ", ".join(record.missing_kdes)
            gaps.append((f"lot {lot}: the {record.cte} record lacks {missing}", events))
    return gaps


@rule("food.traceability_records", family=Family.FOOD, source=_FSMA_204)
def _traceability_records(case: Case) -> Iterator[Outcome]:
    """Foods on the Food Traceability List need complete FSMA 204 records for their lots."""
    enforced = case.entry.entry_date >= FSMA_204_COMPLIANCE_DATE
    severity = Severity.EXAM if enforced else Severity.WARNING
    for number, line in case.lines():
        if not on_traceability_list(line):
            continue
        for problem, events in _lot_gaps(case, line):
            note = "" if enforced else f" (required from {FSMA_204_COMPLIANCE_DATE})"
            food = TRACEABILITY_LIST_HTS.get(line.hts10[:6]) or TRACEABILITY_LIST_HTS.get(
                line.hts10[:4], "a listed food"
            )
            message = f"line {number} ({food}): {problem}{note}"
            yield Outcome(severity=severity, message=message, line=number, event_ids=events)


RULES: tuple[CheckRule, ...] = (_prior_notice, _fsvp_importer, _traceability_records)
"""The food rules, in the order they run."""
