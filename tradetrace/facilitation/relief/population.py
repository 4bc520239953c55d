"""A synthetic, reproducible population of importers and March-April 2020 entries.

For tests, benchmarks and the demo: thousands of importers of record and tens of thousands of
entries with realistic ports, entry types, payment methods, duty mixes (Section 301 on a quarter
of the entries, some Section 232, AD/CVD and 201) and gross receipts. None of it is real data.
Shapes follow customs.md: MPF 0.3464% within the FY2020 minimum and maximum ($26.79, $519.76;
§2.1), informal MPF $2.14, HMF 0.125% on vessel cargo only (§2.2). Single-pay and daily-statement
deposits that fell due before 20 Apr 2020 are marked paid, as CSMS #42161666 required payments
due 20-26 March to be made by 27 March (customs.md §1.1).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import TypeVar

from tradetrace.facilitation import workdays
from tradetrace.facilitation.parsing import to_cents
from tradetrace.facilitation.relief.deferral import Charge, EntryRecord, ImporterRecord
from tradetrace.facilitation.relief.program import PaymentMethod

__all__ = [
    "PORTS",
    "Population",
    "generate_population",
]

PORTS: tuple[tuple[str, str, str, int], ...] = (
    # (CBP port code, name, mode, relative weight); an illustrative subset of Schedule D.
    ("2704", "Los Angeles, CA", "vessel", 14),
    ("2709", "Long Beach, CA", "vessel", 12),
    ("1001", "New York, NY", "vessel", 6),
    ("4601", "Newark, NJ", "vessel", 9),
    ("5301", "Houston, TX", "vessel", 6),
    ("1703", "Savannah, GA", "vessel", 7),
    ("3002", "Tacoma, WA", "vessel", 4),
    ("4701", "JFK International Airport, NY", "air", 7),
    ("2720", "Los Angeles International Airport, CA", "air", 6),
    ("3901", "Chicago, IL", "air", 8),
    ("5206", "Miami International Airport, FL", "air", 4),
    ("2304", "Laredo, TX", "truck", 8),
    ("3801", "Detroit, MI", "truck", 5),
    ("0901", "Buffalo, NY", "truck", 4),
)

_PORT_WEIGHTS = [weight for *_, weight in PORTS]
_ENTRY_TYPES = (("01", 80), ("11", 6), ("06", 3), ("31", 3), ("03", 2), ("21", 2), ("86", 4))
_PAYMENTS = ((PaymentMethod.SINGLE, 30), (PaymentMethod.DAILY, 40), (PaymentMethod.MONTHLY, 30))
_RATE_MIX = (("0", 40), ("0.025", 15), ("0.039", 15), ("0.05", 15), ("0.065", 10), ("0.12", 5))
_DUTY_RATES = tuple((Decimal(rate), weight) for rate, weight in _RATE_MIX)
_MPF_RATE, _MPF_MIN, _MPF_MAX = Decimal("0.003464"), Decimal("26.79"), Decimal("519.76")
_INFORMAL_MPF, _HMF_RATE = Decimal("2.14"), Decimal("0.00125")
_PAID_BEFORE = date(2020, 4, 20)

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class Population:
    """Importers of record and their entries; every entry's IOR is among the importers."""

    importers: tuple[ImporterRecord, ...]
    entries: tuple[EntryRecord, ...]


def _pick(rng: random.Random, options: tuple[tuple[_T, int], ...]) -> _T:
    return rng.choices([value for value, _ in options], [weight for _, weight in options])[0]


def _importer(rng: random.Random, number: int) -> ImporterRecord:
    before = to_cents(Decimal(str(rng.lognormvariate(14.5, 1.2))))
    suspended = rng.random() < 0.45
    share = rng.uniform(0.1, 0.95) if suspended else rng.uniform(0.5, 1.2)
    return ImporterRecord(
        ior=f"{rng.randrange(10, 99)}-{number:07d}00",
        name=f"Synthetic Importer {number:04d}",
        receipts_2019=before,
        receipts_2020=to_cents(before * Decimal(str(share))),
        suspended=suspended,
    )


def _charges(rng: random.Random, entry_type: str, mode: str) -> dict[Charge, Decimal]:
    informal = entry_type in {"11", "86"}
    value = Decimal(str(rng.uniform(50, 2500) if informal else rng.lognormvariate(10, 1.3)))
    if entry_type == "86":
        return {}
    charges = {Charge.DUTY: to_cents(value * _pick(rng, _DUTY_RATES))}
    if informal:
        charges[Charge.MPF] = _INFORMAL_MPF
        return charges
    charges[Charge.MPF] = min(max(to_cents(value * _MPF_RATE), _MPF_MIN), _MPF_MAX)
    if mode == "vessel":
        charges[Charge.HMF] = to_cents(value * _HMF_RATE)
    remedy = rng.random()
    if remedy < 0.25:
        charges[Charge.SECTION_301] = to_cents(value * Decimal(rng.choice(("0.25", "0.075"))))
    elif remedy < 0.27:
        charges[Charge.SECTION_232] = to_cents(value * Decimal(rng.choice(("0.25", "0.10"))))
    elif remedy < 0.273:
        charges[Charge.SECTION_201] = to_cents(value * Decimal("0.20"))
    if entry_type == "03" or (entry_type == "01" and rng.random() < 0.01):
        charges[rng.choice((Charge.ANTIDUMPING, Charge.COUNTERVAILING))] = to_cents(value / 3)
    if rng.random() < 0.01:
        charges[Charge.TAX] = to_cents(value * Decimal("0.05"))
    return charges


def _entry(
    rng: random.Random, number: int, importer: ImporterRecord, entry_date: date
) -> EntryRecord:
    port, _, mode, _ = rng.choices(PORTS, _PORT_WEIGHTS)[0]
    entry_type = _pick(rng, _ENTRY_TYPES)
    payment = _pick(rng, _PAYMENTS)
    charges = _charges(rng, entry_type, mode)
    due = workdays.add_working_days(entry_date, 10)
    paid_early = payment is not PaymentMethod.MONTHLY and due < _PAID_BEFORE
    filer = "ABCDEFGHJK"[number % 10] + "T" + str(number % 7)
    return EntryRecord(
        # Format only (filer code, 7-digit number, check digit): the check digit is not computed.
        entry_number=f"{filer}-{number:07d}-{number % 10}",
        ior=importer.ior,
        port=port,
        entry_date=entry_date,
        entry_type=entry_type,
        payment=payment,
        charges=charges,
        paid=dict(charges) if paid_early else {},
    )


def generate_population(seed: int, *, importers: int = 3000, entries: int = 30000) -> Population:
    """Generate ``importers`` importers and ``entries`` entries dated 1 March to 30 April 2020.

    The same ``seed`` always gives the same population. A few large importers file many entries
    (weights fall as 1/rank), as at real ports.
    """
    rng = random.Random(seed)  # noqa: S311 - synthetic test data, not security
    people = tuple(_importer(rng, number) for number in range(1, importers + 1))
    weights = [1 / (rank**0.8) for rank in range(1, importers + 1)]
    days = [date(2020, 3, 1) + timedelta(days=offset) for offset in range(61)]
    working = [day for day in days if workdays.is_working_day(day)]
    chosen = rng.choices(people, weights, k=entries)
    records = tuple(
        _entry(rng, number, importer, rng.choice(working))
        for number, importer in enumerate(chosen, start=1)
    )
    return Population(people, records)
