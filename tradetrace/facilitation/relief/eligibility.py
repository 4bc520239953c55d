"""Is an entry eligible for a relief program, and why: one reason per condition, each cited.

:func:`evaluate_entry` backs ``tradetrace relief evaluate``; :meth:`Eligibility.to_json_dict`
is its ``--json`` document::

    {"eligible": true, "reasons": [{"code": ..., "message": ..., "citation": ..., "met": true}],
     "due_date": "2020-07-29"}

For ``us-covid-2020`` the conditions are those of 19 CFR 24.1a and CBP's FAQ (customs.md §1.2):
entered in March or April 2020; a formal consumption, warehouse-withdrawal or FTZ consumption
entry; no line subject to AD, CVD, Section 201, 232 or 301 duties unless an exclusion was in
effect on the entry date; and an importer whose operations were suspended by government order
and whose gross receipts fell below 60% of the same period of 2019. A failed condition is a
business outcome and comes back as a reason; only malformed input raises.

Due dates (customs.md §1.3): single pay and daily statement deposits are due on the 10th working
day after entry (19 CFR 142.12(b), 141.103, 24.25) and postponed by 90 calendar days (19 CFR
24.1a(a); CSMS #42421561): entered 16 Apr 2020, due 30 Apr 2020, postponed to 29 Jul 2020.
Periodic monthly statements are due on the 15th working day of the month after entry and are
postponed to the first statement date on or after that day plus 90 days, which gives CBP's
published dates (CSMS #43324033): March entries 22 Jul 2020, April entries 21 Aug 2020.
Published dates in the program data win over the computation.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.facilitation import workdays
from tradetrace.facilitation.parsing import parse_amount, parse_enum
from tradetrace.facilitation.relief import checks
from tradetrace.facilitation.relief.checks import Reason, TradeRemedyLine
from tradetrace.facilitation.relief.program import (
    ExcludedDuty,
    PaymentMethod,
    PaymentRule,
    ReliefProgram,
)

__all__ = [
    "Eligibility",
    "deferred_due_date",
    "evaluate_entry",
    "monthly_statement_date",
    "original_due_date",
]


def monthly_statement_date(rule: PaymentRule, year: int, month: int) -> date:
    """The statement payment date in a month: its ``rule.working_days``-th working day."""
    return workdays.nth_working_day(year, month, rule.working_days)


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def original_due_date(program: ReliefProgram, entry_date: date, payment: PaymentMethod) -> date:
    """The day the deposit would have been due without the postponement."""
    rule = program.payment.rule(payment)
    if rule.original == "working_days_after_entry":
        return workdays.add_working_days(entry_date, rule.working_days)
    return monthly_statement_date(rule, *_next_month(entry_date.year, entry_date.month))


def deferred_due_date(program: ReliefProgram, entry_date: date, payment: PaymentMethod) -> date:
    """The postponed due date of an eligible entry (19 CFR 24.1a(a) for ``us-covid-2020``).

    A published date for the entry's month (CSMS #43324033) is returned as published.
    """
    rule = program.payment.rule(payment)
    published = rule.published.get(f"{entry_date.year:04d}-{entry_date.month:02d}")
    if published is not None:
        return published
    earliest = original_due_date(program, entry_date, payment) + timedelta(
        days=program.payment.deferral_days
    )
    if rule.deferred == "add_days":
        return earliest
    year, month = earliest.year, earliest.month
    statement = monthly_statement_date(rule, year, month)
    if statement < earliest:
        statement = monthly_statement_date(rule, *_next_month(year, month))
    return statement


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The verdict on one entry: every condition checked, and the postponed due date if any.

    ``reasons`` lists each condition with ``met`` saying whether it held; ``due_date`` is the
    postponed due date of an eligible entry and ``None`` otherwise; ``original_due_date`` is
    the date the deposit is (or was) due without relief.
    """

    eligible: bool
    reasons: tuple[Reason, ...]
    due_date: date | None
    original_due_date: date

    @property
    def failed(self) -> tuple[Reason, ...]:
        """The conditions that did not hold."""
        return tuple(reason for reason in self.reasons if not reason.met)

    def to_json_dict(self) -> dict[str, object]:
        """The ``relief evaluate --json`` document (dates as ``YYYY-MM-DD``)."""
        return {
            "eligible": self.eligible,
            "reasons": [reason.to_json_dict() for reason in self.reasons],
            "due_date": self.due_date.isoformat() if self.due_date else None,
        }


def _trade_remedy_lines(
    raw: Iterable[ExcludedDuty | str | TradeRemedyLine], problems: list[FieldProblem]
) -> list[TradeRemedyLine]:
    lines: list[TradeRemedyLine] = []
    for index, item in enumerate(raw):
        if isinstance(item, TradeRemedyLine):
            lines.append(item)
            continue
        duty = parse_enum(ExcludedDuty, item, f"excluded_duties[{index}]", problems)
        if duty is not None:
            lines.append(TradeRemedyLine(duty))
    return lines


def evaluate_entry(
    program: ReliefProgram,
    *,
    entry_date: date,
    entry_type: str,
    excluded_duties: Iterable[ExcludedDuty | str | TradeRemedyLine] = (),
    receipts_2019: Decimal | int | str,
    receipts_2020: Decimal | int | str,
    suspended: bool,
    payment: PaymentMethod | str = PaymentMethod.SINGLE,
) -> Eligibility:
    """Evaluate one entry summary and its importer of record against ``program``.

    ``excluded_duties`` names the trade-remedy duty of each line that carries one, as an
    :class:`ExcludedDuty`, its code (``ad``, ``cvd``, ``201``, ``232``, ``301``) or a
    :class:`TradeRemedyLine` with the date an exclusion took effect. ``receipts_2019`` and
    ``receipts_2020`` are the importer's gross receipts for the same comparison period (13-31
    March or April); ``suspended`` says whether a government order suspended its operations.

    Raises :class:`~tradetrace.errors.InvalidDocument` naming every malformed field.
    """
    problems: list[FieldProblem] = []
    type_rule = program.entry_types.get(str(entry_type).strip())
    if type_rule is None:
        known = ", ".join(rule.code for rule in program.entry_types.types)
        problems.append(
            FieldProblem(
                "entry_type", f"unknown entry type {entry_type!r}: expected one of {known}"
            )
        )
    lines = _trade_remedy_lines(excluded_duties, problems)
    before = parse_amount(receipts_2019, "receipts_2019", problems)
    during = parse_amount(receipts_2020, "receipts_2020", problems)
    method = parse_enum(PaymentMethod, payment, "payment", problems)
    if problems or type_rule is None or method is None or before is None or during is None:
        raise InvalidDocument.from_problems("relief evaluation request", problems)

    reasons = [
        checks.entry_period_reason(program, entry_date),
        checks.entry_type_reason(program, type_rule),
        *checks.trade_remedy_reasons(program, entry_date, lines),
        *checks.hardship_reasons(program, before, during, suspended=suspended),
    ]
    original = original_due_date(program, entry_date, method)
    eligible = all(reason.met for reason in reasons)
    if not eligible:
        return Eligibility(False, tuple(reasons), None, original)
    postponed = deferred_due_date(program, entry_date, method)
    reasons.extend(checks.due_date_reasons(program, method, original, postponed))
    return Eligibility(True, tuple(reasons), postponed, original)
