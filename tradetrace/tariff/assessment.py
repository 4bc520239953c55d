"""The assessment of one entry line: base duty, chapter 99 additional duties and HMF.

The base duty is computed at the rate :func:`~tradetrace.tariff.programs.select_base_rate` picks
(HTSUS General Note 3), the additional duties are those :mod:`tradetrace.tariff.chapter99` finds
in force, and vessel cargo owes the HMF (19 CFR 24.24(a)). A line whose USMCA or CAFTA-DR
preference is allowed is marked exempt from the MPF (customs.md §2.1; 19 CFR 10.583); the MPF
itself is an entry-level amount (:mod:`tradetrace.tariff.duty`). Each amount is rounded to the cent
once, half up.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from tradetrace.tariff.codes import format_hts
from tradetrace.tariff.deminimis import de_minimis_status
from tradetrace.tariff.entry import Entry, EntryLine, EntryType, TransportMode
from tradetrace.tariff.fees import HMF_RATE, HMF_SOURCE, MPF_EXEMPT_SPI, harbor_maintenance_fee
from tradetrace.tariff.measures import additional_rates
from tradetrace.tariff.programs import program_for_spi, select_base_rate
from tradetrace.tariff.rates import Rate, format_percent, round_cents
from tradetrace.tariff.results import BasisItem, money
from tradetrace.tariff.schedule import TariffData

__all__ = [
    "LineAssessment",
    "assess_line",
]

_ZERO = Decimal("0.00")


@dataclass(slots=True, kw_only=True)
class LineAssessment:
    """A line's amounts and basis while its entry is computed (mutable until the entry is done).

    ``number`` is the 1-based line number; ``mpf_exempt`` marks a line whose MPF is waived.
    """

    number: int
    source: EntryLine
    duty: Decimal = _ZERO
    additional: Decimal = _ZERO
    hmf: Decimal = _ZERO
    mpf_exempt: bool = False
    basis: list[BasisItem] = field(default_factory=list)


def _applied_to(rate: Rate, value: Decimal, quantities: Mapping[str, Decimal]) -> str:
    parts = [f"value {money(value)} USD"] if rate.ad_valorem or not rate.specific else []
    parts += [f"{quantities[unit]} {unit}" for unit in rate.units if unit in quantities]
    return " + ".join(parts)


def assess_line(data: TariffData, entry: Entry, *, number: int) -> LineAssessment:
    """Assess line ``number`` (1-based) of ``entry`` against ``data``.

    Raises :class:`~tradetrace.errors.NotFound` for an HTS number without a statistical line or a
    tariff line in force on the entry date, and :class:`~tradetrace.errors.InvalidDocument` for
    an SPI that cannot apply or a quantity the rate needs and the line lacks.
    """
    line = LineAssessment(number=number, source=entry.lines[number - 1])
    source = line.source
    prefix = f"lines[{line.number - 1}]." if len(entry.lines) > 1 else ""
    code = format_hts(source.hts10)
    data.statistical_line(source.hts10, field=f"{prefix}hts10")
    tariff_line = data.tariff_line(source.hts10[:8], entry.entry_date, field=f"{prefix}hts10")
    if entry.entry_type is EntryType.SECTION_321:
        status = de_minimis_status(entry.entry_date)
        note = "Section 321 duty-free de minimis, entry type 86: no duties, taxes or fees"
        item = BasisItem(
            line=line.number,
            component="de_minimis",
            code=code,
            rate="Free",
            applied_to=f"value {money(source.value)} USD",
            amount=_ZERO,
            source=status.source,
            note=note,
        )
        line.basis.append(item)
        return line
    base = select_base_rate(
        tariff_line,
        origin=source.origin,
        on=entry.entry_date,
        spi=source.spi,
        preference_allowed=source.preference_allowed,
    )
    quantities = source.quantity_map
    exact = base.rate.duty(value=source.value, quantities=quantities, field=f"{prefix}hts10")
    line.duty = round_cents(exact)
    period = tariff_line.period
    where = f"tariff database {data.files.stamp('tariff_database')}, {period.begin}..{period.end}"
    line.basis.append(
        BasisItem(
            line=line.number,
            component="duty",
            code=code,
            rate=base.rate.text,
            applied_to=_applied_to(base.rate, source.value, quantities),
            amount=line.duty,
            source=f"{base.source}; {where}",
            note=base.note,
        )
    )
    for extra in additional_rates(
        data, hts10=source.hts10, origin=source.origin, on=entry.entry_date
    ):
        amount = round_cents(extra.rate * source.value)
        line.additional += amount
        applied = f"value {money(source.value)} USD"
        line.basis.append(
            BasisItem(
                line=line.number,
                component="additional_duty",
                code=extra.heading,
                rate=extra.rate_text,
                applied_to=applied,
                amount=amount,
                source=extra.source,
                note=f"{extra.authority}; {extra.in_force}",
            )
        )
    if entry.mode is TransportMode.VESSEL:
        line.hmf = round_cents(harbor_maintenance_fee(source.value))
        applied = f"value {money(source.value)} USD"
        line.basis.append(
            BasisItem(
                line=line.number,
                component="hmf",
                code="HMF",
                rate=format_percent(HMF_RATE),
                applied_to=applied,
                amount=line.hmf,
                source=HMF_SOURCE,
            )
        )
    if source.spi in MPF_EXEMPT_SPI and source.preference_allowed:
        line.mpf_exempt = True
        program = program_for_spi(source.spi)
        line.basis.append(
            BasisItem(
                line=line.number,
                component="mpf",
                code="MPF",
                rate="exempt",
                applied_to=f"value {money(source.value)} USD",
                amount=_ZERO,
                source=f"{program.general_note}; customs.md §2.1",
                note=f"{program.name} preference ({source.spi}) allowed",
            )
        )
    return line
