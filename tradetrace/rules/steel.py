"""Steel: mill test reports per heat, the melt-and-pour country, the import licence, Section 232.

Section 232 coverage turns on where the steel was first melted and poured (customs.md §7). Since
21 Nov 2024 covered steel must report that country on the entry summary (Importer's Additional
Declaration type 08; CSMS #62095799, #62582900; Proclamation 10783). A steel mill certificate is
required for chapter 72 and headings 7301-7307, and steel mill products need a Steel Import
Monitoring and Analysis (SIMA) licence (19 CFR 360.101-360.105). The rules:

- ``steel.melt_pour_declared`` (reject): covered steel entered from 21 Nov 2024 lacks the country;
- ``steel.mill_certificate`` (exam): a ``MillTestReportCredential`` for every declared heat;
- ``steel.mill_certificate_verified`` (hold if revoked, else exam): it verifies and its issuer
  is accredited as a steel mill or laboratory;
- ``steel.melt_pour_consistent`` (hold): the declared country agrees with every mill test report
  and with the trace's production records of the heats;
- ``steel.import_licence`` (reject if missing, hold if inconsistent): the SIMA licence number,
  and any ``SIMASteelImportLicenseCredential`` presented for it, agree with the line;
- ``steel.section_232`` (info, or warning when the melt country is not the origin): the line's
  Section 232 status, as the duty computation will apply it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from tradetrace.entries import EntryLine
from tradetrace.entries import vocabulary as vocab
from tradetrace.rules.base import CheckRule, Family, Outcome, Severity, rule
from tradetrace.rules.case import Case, PresentedCredential
from tradetrace.rules.matching import ledger_references
from tradetrace.tariff import measures

__all__ = [
    "MELT_POUR_REQUIRED_FROM",
    "RULES",
    "is_section_232_steel",
    "mill_test_reports",
    "needs_mill_certificate",
]

MELT_POUR_REQUIRED_FROM = date(2024, 11, 21)
"""First entry date on which covered steel must declare its melt-and-pour country."""

_MTR = "MillTestReportCredential"
_SIMA = "SIMASteelImportLicenseCredential"
_DECLARATION = "Proclamation 10783; CSMS #62095799, #62582900; customs.md §7"
_SIMA_RULE = "19 CFR 360.101-360.105 (SIMA steel import licence)"
_STEEL_232 = next(
    m for m in measures.MEASURES if isinstance(m, measures.Section232Measure) and m.metal == "steel"
)


def is_section_232_steel(line: EntryLine) -> bool:
    """Whether the line is a Section 232 steel article (the HS-6 ranges of customs.md §7)."""
    return _STEEL_232.covers(line.hts10)


def needs_mill_certificate(line: EntryLine) -> bool:
    """Whether a steel mill certificate is required: chapter 72 or headings 7301-7307."""
    return line.hts10.startswith("72") or "7301" <= line.hts10[:4] <= "7307"


def mill_test_reports(case: Case, heat: str) -> tuple[tuple[PresentedCredential, str | None], ...]:
    """Each mill test report inspecting ``heat``, with the melt-and-pour country it states."""
    found = []
    for report in case.of_type(_MTR):
        inspections = report.subject.get("inspections")
        for item in inspections if isinstance(inspections, list) else []:
            if vocab.text(vocab.mapping(item).get("heatNumber")) == heat:
                country = vocab.country_code(vocab.mapping(item).get("countryOfMeltAndPour"))
                found.append((report, country))
    return tuple(found)


def _steel_lines(case: Case) -> Iterator[tuple[int, EntryLine]]:
    return ((n, line) for n, line in case.lines() if needs_mill_certificate(line))


@rule("steel.melt_pour_declared", family=Family.STEEL, source=_DECLARATION)
def _melt_pour_declared(case: Case) -> Iterator[Outcome]:
    """Covered steel entered from 21 Nov 2024 must declare its melt-and-pour country."""
    if case.entry.entry_date < MELT_POUR_REQUIRED_FROM:
        return
    for number, line in case.lines():
        if is_section_232_steel(line) and line.melt_pour_country is None:
            message = f"line {number}: steel entered without its melt-and-pour country"
            yield Outcome(severity=Severity.REJECT, message=message, line=number)


@rule("steel.mill_certificate", family=Family.STEEL, source=f"{_DECLARATION}; EN 10204")
def _mill_certificate(case: Case) -> Iterator[Outcome]:
    """Every heat of a steel line must have a mill test report, and the line must name heats."""
    for number, line in _steel_lines(case):
        if not line.heat_numbers:
            message = f"line {number}: steel declared without heat numbers to trace"
            yield Outcome(severity=Severity.EXAM, message=message, line=number)
        for heat in line.heat_numbers:
            if not mill_test_reports(case, heat):
                message = f"line {number}: no mill test report was presented for heat {heat}"
                yield Outcome(severity=Severity.EXAM, message=message, line=number)


@rule("steel.mill_certificate_verified", family=Family.STEEL, source="EN 10204 3.1; trust registry")
def _mill_certificate_verified(case: Case) -> Iterator[Outcome]:
    """Each mill test report must verify and come from an accredited mill or laboratory."""
    for number, line in _steel_lines(case):
        reports = {r.id: r for heat in line.heat_numbers for r, _ in mill_test_reports(case, heat)}
        for report in reports.values():
            if report.revoked or not report.verified:
                severity = Severity.HOLD if report.revoked else Severity.EXAM
                message = f"line {number}: mill test report {report.id}: {report.failure}"
            elif not report.trusted:
                severity = Severity.EXAM
                message = (
                    f"line {number}: mill test report {report.id} comes from {report.issuer}, "
                    f"not an accredited mill or laboratory ({report.trust.code})"
                )
            else:
                continue
            yield Outcome(
                severity=severity, message=message, line=number, credential_ids=(report.id,)
            )


@rule("steel.melt_pour_consistent", family=Family.STEEL, source=_DECLARATION)
def _melt_pour_consistent(case: Case) -> Iterator[Outcome]:
    """The declared melt-and-pour country must agree with the mill test reports and the trace."""
    for number, line in _steel_lines(case):
        declared = line.melt_pour_country
        for heat in line.heat_numbers:
            reports = mill_test_reports(case, heat)
            records = case.trace.production_of(heat)
            stated = sorted(
                {country or "none" for _, country in reports}
                | {record.country for record in records}
            )
            if declared is not None and any(country != declared for country in stated):
                message = (
                    f"line {number}: heat {heat} declared melted and poured in {declared}, "
                    f"but the evidence says {', '.join(stated)}"
                )
                yield Outcome(
                    severity=Severity.HOLD,
                    message=message,
                    line=number,
                    credential_ids=tuple(r.id for r, _ in reports),
                    event_ids=tuple(r.event_id for r in records if r.event_id),
                    ledger_references=ledger_references(r for r, _ in reports),
                )


def _licence_problem(line: EntryLine, licence: PresentedCredential) -> str | None:
    subject = licence.subject
    products = subject.get("productInformation")
    for item in products if isinstance(products, list) else []:
        code = vocab.digits(vocab.field(item, "commodity", "commodityCode")) or ""
        if code and line.hts10.startswith(code):
            melt = vocab.country_code(vocab.mapping(item).get("countryOfMeltAndPour"))
            if melt is not None and line.melt_pour_country not in (None, melt):
                return f"licence {licence.id} states melt country {melt}"
            return None
    return f"licence {licence.id} does not cover {line.hts10}"


@rule("steel.import_licence", family=Family.STEEL, source=_SIMA_RULE)
def _import_licence(case: Case) -> Iterator[Outcome]:
    """Steel mill products need a SIMA licence number, consistent with any licence presented."""
    for number, line in _steel_lines(case):
        if line.steel_licence_number is None:
            message = f"line {number}: steel mill product entered without a SIMA licence number"
            yield Outcome(severity=Severity.REJECT, message=message, line=number)
            continue
        for licence in case.of_type(_SIMA):
            if vocab.text(licence.subject.get("licenseNumber")) != line.steel_licence_number:
                continue
            problem = _licence_problem(line, licence)
            if problem is not None:
                yield Outcome(
                    severity=Severity.HOLD,
                    message=f"line {number}: {problem}",
                    line=number,
                    credential_ids=(licence.id,),
                )


@rule("steel.section_232", family=Family.STEEL, source="19 U.S.C. 1862; HTSUS ch. 99 note 16")
def _section_232(case: Case) -> Iterator[Outcome]:
    """Record each steel article's Section 232 status and its melt-and-pour country."""
    for number, line in case.lines():
        if not is_section_232_steel(line):
            continue
        melt = line.melt_pour_country or "not declared"
        message = (
            f"line {number}: Section 232 steel article of {line.origin_country} origin, melted "
            f"and poured in {melt}; the additional duty is computed by country of origin"
        )
        differs = line.melt_pour_country not in (None, line.origin_country)
        severity = Severity.WARNING if differs else Severity.INFO
        yield Outcome(severity=severity, message=message, line=number)


RULES: tuple[CheckRule, ...] = (
    _melt_pour_declared,
    _mill_certificate,
    _mill_certificate_verified,
    _melt_pour_consistent,
    _import_licence,
    _section_232,
)
"""The steel rules, in the order they run."""
