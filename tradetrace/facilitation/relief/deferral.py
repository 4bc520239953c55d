"""What a relief program postpones on one entry, and each importer's statement of it.

The amounts come from the duty and fee computation (:mod:`tradetrace.tariff`), by charge. For
``us-covid-2020`` (customs.md §1.2-1.3): an eligible entry's duties, taxes and fees move to the
postponed due date; trade-remedy duties are never postponed (19 CFR 24.1a(c)), and a line with
one makes the whole entry ineligible; what was already paid stays paid, "no refunds" (CBP Dec.
20-05). For every charge ``deferred + due_on_original + already_paid == amount``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from tradetrace.errors import FieldProblem, InvalidDocument, NotFound
from tradetrace.facilitation.parsing import parse_amount
from tradetrace.facilitation.relief.checks import TradeRemedyLine
from tradetrace.facilitation.relief.eligibility import Eligibility, evaluate_entry
from tradetrace.facilitation.relief.program import ExcludedDuty, PaymentMethod, ReliefProgram

__all__ = [
    "Charge",
    "Deferral",
    "EntryRecord",
    "ImporterRecord",
    "compute_deferral",
    "compute_deferrals",
]


class Charge(StrEnum):
    """A kind of estimated duty, tax or fee on an entry summary."""

    DUTY = "duty"
    TAX = "tax"
    MPF = "mpf"
    HMF = "hmf"
    OTHER_FEE = "other_fee"
    ANTIDUMPING = "ad"
    COUNTERVAILING = "cvd"
    SECTION_201 = "201"
    SECTION_232 = "232"
    SECTION_301 = "301"

    @property
    def excluded_duty(self) -> ExcludedDuty | None:
        """The trade-remedy duty this charge is, or ``None`` for ordinary charges."""
        return _TRADE_REMEDIES.get(self.value)


_TRADE_REMEDIES = {duty.value: duty for duty in ExcludedDuty}


@dataclass(frozen=True, slots=True, kw_only=True)
class ImporterRecord:
    """An importer of record (by IOR number) and its hardship facts (19 CFR 24.1a(b))."""

    ior: str
    name: str
    receipts_2019: Decimal
    receipts_2020: Decimal
    suspended: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryRecord:
    """One entry summary: who, where, when, how it is paid, and its estimated charges."""

    entry_number: str
    ior: str
    port: str
    entry_date: date
    entry_type: str
    payment: PaymentMethod
    charges: Mapping[Charge, Decimal]
    paid: Mapping[Charge, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True, kw_only=True)
class Deferral:
    """The outcome for one entry: the verdict and where each dollar goes."""

    entry: EntryRecord
    eligibility: Eligibility
    deferred: Mapping[Charge, Decimal]
    due_on_original: Mapping[Charge, Decimal]
    already_paid: Mapping[Charge, Decimal]

    @property
    def total_deferred(self) -> Decimal:
        """Dollars postponed to :attr:`due_date`."""
        return sum(self.deferred.values(), Decimal("0.00"))

    @property
    def total_due_on_original(self) -> Decimal:
        """Dollars still due on the original due date."""
        return sum(self.due_on_original.values(), Decimal("0.00"))

    @property
    def due_date(self) -> date | None:
        """The postponed due date, or ``None`` when the entry is not eligible."""
        return self.eligibility.due_date


def _checked_amounts(entry: EntryRecord) -> list[FieldProblem]:
    problems: list[FieldProblem] = []
    for name, amounts in (("charges", entry.charges), ("paid", entry.paid)):
        for charge, amount in amounts.items():
            parse_amount(amount, f"{name}.{charge.value}", problems)
    for charge, paid in entry.paid.items():
        owed = entry.charges.get(charge, Decimal(0))
        if paid > owed:
            reason = f"paid {paid} is more than the {owed} charged"
            problems.append(FieldProblem(f"paid.{charge.value}", reason))
    return problems


def compute_deferral(
    program: ReliefProgram, entry: EntryRecord, importer: ImporterRecord
) -> Deferral:
    """Evaluate ``entry`` and split each charge into deferred, due now and already paid.

    Raises :class:`~tradetrace.errors.InvalidDocument` for negative amounts, payments above
    the charge, an importer that is not the entry's IOR, or anything
    :func:`~tradetrace.facilitation.relief.eligibility.evaluate_entry` rejects.
    """
    problems = _checked_amounts(entry)
    if importer.ior != entry.ior:
        reason = f"importer {importer.ior} is not the entry's importer of record {entry.ior}"
        problems.append(FieldProblem("ior", reason))
    if problems:
        raise InvalidDocument.from_problems(f"entry {entry.entry_number}", problems)
    lines = [
        TradeRemedyLine(duty)
        for charge, amount in entry.charges.items()
        if amount > 0 and (duty := charge.excluded_duty) is not None
    ]
    eligibility = evaluate_entry(
        program,
        entry_date=entry.entry_date,
        entry_type=entry.entry_type,
        excluded_duties=lines,
        receipts_2019=importer.receipts_2019,
        receipts_2020=importer.receipts_2020,
        suspended=importer.suspended,
        payment=entry.payment,
    )
    deferred: dict[Charge, Decimal] = {}
    due_now: dict[Charge, Decimal] = {}
    paid: dict[Charge, Decimal] = {}
    for charge, amount in entry.charges.items():
        paid[charge] = entry.paid.get(charge, Decimal(0))
        unpaid = amount - paid[charge]
        postponable = eligibility.eligible and charge.excluded_duty is None
        deferred[charge] = unpaid if postponable else Decimal(0)
        due_now[charge] = Decimal(0) if postponable else unpaid
    return Deferral(
        entry=entry,
        eligibility=eligibility,
        deferred=deferred,
        due_on_original=due_now,
        already_paid=paid,
    )


def compute_deferrals(
    program: ReliefProgram, importers: Iterable[ImporterRecord], entries: Iterable[EntryRecord]
) -> tuple[Deferral, ...]:
    """:func:`compute_deferral` for every entry, each joined to its importer by IOR number.

    Raises :class:`~tradetrace.errors.NotFound` for an entry whose IOR is not listed.
    """
    by_ior = {importer.ior: importer for importer in importers}
    results = []
    for entry in entries:
        importer = by_ior.get(entry.ior)
        if importer is None:
            raise NotFound(
                f"importer of record {entry.ior} of entry {entry.entry_number} not found"
            )
        results.append(compute_deferral(program, entry, importer))
    return tuple(results)
