"""Compute what an entry owes: duty, chapter 99 additional duties, MPF and HMF, with their basis.

Each line is assessed by :mod:`tradetrace.tariff.assessment` (base duty per HTSUS General Note 3,
chapter 99 additional duties, HMF on vessel cargo per 19 CFR 24.24). For the entry: the
MPF of a formal entry, held between the fiscal year's minimum and maximum and prorated to the lines,
or the informal entry fee (19 CFR 24.23; :mod:`tradetrace.tariff.fees`). An Entry Type 86 owes
nothing while Section 321 duty-free de minimis applies (:mod:`tradetrace.tariff.deminimis`).

Every amount is rounded to the cent once, half up (:func:`~tradetrace.tariff.rates.round_cents`).
These functions are pure: the tariff data comes in as an argument (the bundled data by default).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.tariff.assessment import LineAssessment, assess_line
from tradetrace.tariff.deminimis import de_minimis_status
from tradetrace.tariff.entry import Entry, EntryLine, EntryType, TransportMode
from tradetrace.tariff.fees import (
    HMF_REPORTING_THRESHOLD,
    FeeYear,
    allocate_cents,
    formal_mpf,
)
from tradetrace.tariff.rates import format_percent, round_cents
from tradetrace.tariff.results import BasisItem, EntryResult, LineResult, money
from tradetrace.tariff.schedule import TariffData, load_tariff_data

__all__ = [
    "INFORMAL_ENTRY_LIMIT",
    "compute_entry",
    "compute_line",
]

INFORMAL_ENTRY_LIMIT = Decimal("2500")  # 19 CFR 143.21(a)
_ZERO = Decimal("0.00")


def _invalid(name: str, reason: str) -> InvalidDocument:
    return InvalidDocument(f"invalid {name}: {reason}", problems=(FieldProblem(name, reason),))


def _mpf(
    entry: Entry, lines: list[LineAssessment], year: FeeYear
) -> tuple[tuple[Decimal, ...], list[BasisItem]]:
    """The lines' MPF shares and the entry-level basis for the entry's type."""
    count = len(lines)
    if entry.entry_type is EntryType.SECTION_321 or all(line.mpf_exempt for line in lines):
        return tuple(_ZERO for _ in lines), []
    values = [None if line.mpf_exempt else line.source.value for line in lines]
    base = sum((value for value in values if value is not None), Decimal(0))
    applied = f"value {money(base)} USD of {count - values.count(None)} non-exempt line(s)"
    if entry.entry_type is EntryType.INFORMAL:
        weights = [value if value is not None else Decimal(0) for value in values]
        if base == 0:
            weights = [Decimal(value is not None) for value in values]
        shares = allocate_cents(year.informal_mpf, weights)
        source = (
            f"19 CFR 24.23 (informal entry, fee class 311); FY{year.fiscal_year}: {year.source}"
        )
        item = BasisItem(
            line=None,
            component="mpf",
            code="fee class 311",
            rate=f"{money(year.informal_mpf)} per entry",
            applied_to=applied,
            amount=year.informal_mpf,
            source=source,
            note="informal entry fee (automated, not CBP-prepared)",
        )
        return shares, [item]
    allocation = formal_mpf(values, year)
    note = (
        f"{format_percent(year.mpf_rate)} of {money(base)} = {money(round_cents(allocation.raw))}"
    )
    if allocation.bound:
        note += (
            f"; raised to the FY{year.fiscal_year} minimum"
            if allocation.bound == "minimum"
            else f"; lowered to the FY{year.fiscal_year} maximum"
        )
        note += f" {money(allocation.total)}"
    if count > 1:
        note += "; prorated to the lines by value"
    item = BasisItem(
        line=None,
        component="mpf",
        code="fee class 499",
        rate=format_percent(year.mpf_rate),
        applied_to=applied,
        amount=allocation.total,
        source=year.citation,
        note=note,
    )
    return allocation.shares, [item]


def compute_entry(entry: Entry, *, data: TariffData | None = None) -> EntryResult:
    """Compute an entry's duty, additional duties, MPF and HMF, line by line and in total.

    Raises :class:`InvalidDocument` for a date outside the data's coverage, an entry type the
    date or value does not allow (informal over $2,500, 19 CFR 143.21(a); Type 86 over $800 or on
    or after 29 Aug 2025), an SPI that cannot apply or a missing quantity; :class:`NotFound` for an
    HTS number the data does not have on that date.
    """
    data = data or load_tariff_data()
    coverage = data.coverage
    if not coverage.contains(entry.entry_date):
        raise _invalid(
            "entry_date",
            f"{entry.entry_date} is outside the data coverage {coverage.start}..{coverage.end}",
        )
    year = data.fees.for_date(entry.entry_date)
    if entry.entry_type is EntryType.INFORMAL and entry.value > INFORMAL_ENTRY_LIMIT:
        raise _invalid(
            "entry_type",
            f"informal entry (11) for {money(entry.value)} USD is over the $2,500 limit "
            "of 19 CFR 143.21(a)",
        )
    if entry.entry_type is EntryType.SECTION_321:
        status = de_minimis_status(entry.entry_date)
        if not status.applies:
            raise _invalid(
                "entry_type",
                f"type 86 needs duty-free de minimis, suspended on {entry.entry_date} "
                f"({status.source}); file type 01 or 11",
            )
        if entry.value > status.limit:
            raise _invalid(
                "entry_type",
                f"type 86 for {money(entry.value)} USD is over the ${status.limit} de minimis "
                f"limit ({status.source})",
            )
    lines = [assess_line(data, entry, number=number) for number in range(1, len(entry.lines) + 1)]
    shares, entry_basis = _mpf(entry, lines, year)
    duty = sum((line.duty + line.additional for line in lines), Decimal(0))
    hmf = sum((line.hmf for line in lines), Decimal(0))
    if hmf and hmf <= HMF_REPORTING_THRESHOLD and duty + sum(shares, Decimal(0)) == 0:
        note = (
            f"entry HMF of {money(hmf)} is $3.00 or less and the entry owes no other duty, tax "
            "or fee: reported as $0 (CATAIR ENS, customs.md §2.2)"
        )
        for line in lines:
            line.hmf = _ZERO
            line.basis = [
                replace(item, amount=_ZERO, note=note) if item.component == "hmf" else item
                for item in line.basis
            ]
    results = tuple(
        LineResult(
            line=line.number,
            hts10=line.source.hts10,
            duty=line.duty,
            additional_duties=line.additional,
            mpf=share,
            hmf=line.hmf,
            basis=tuple(line.basis),
        )
        for line, share in zip(lines, shares, strict=True)
    )
    return EntryResult(
        duty=sum((result.duty for result in results), _ZERO),
        additional_duties=sum((result.additional_duties for result in results), _ZERO),
        mpf=sum(shares, _ZERO),
        hmf=sum((result.hmf for result in results), _ZERO),
        basis=tuple(item for result in results for item in result.basis) + tuple(entry_basis),
        lines=results,
    )


def compute_line(
    *,
    hts10: str,
    value: Decimal | int | str,
    origin: str,
    entry_date: date | str,
    mode: TransportMode | str | None = None,
    spi: str | None = None,
    preference_allowed: bool = False,
    entry_type: EntryType | str = EntryType.FORMAL,
    quantities: Mapping[str, Decimal | int | str] | None = None,
    data: TariffData | None = None,
) -> EntryResult:
    """Compute a one-line entry (the ``tradetrace duty compute`` contract).

    The line is the whole entry, so the MPF minimum and maximum apply to it. Inputs are parsed as
    by :meth:`EntryLine.parse` and :meth:`Entry.parse`; errors as for :func:`compute_entry`.
    """
    line = EntryLine.parse(
        hts10=hts10,
        origin=origin,
        value=value,
        quantities=quantities,
        spi=spi,
        preference_allowed=preference_allowed,
    )
    entry = Entry.parse(entry_date=entry_date, lines=[line], entry_type=entry_type, mode=mode)
    return compute_entry(entry, data=data)
