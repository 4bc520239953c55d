"""The conditions of a relief program, one function each, each returning cited reasons.

Codes are stable (the CLI and the API carry them); messages name the values compared. The
citations come from the program data, so a corrected citation is a data change. For
``us-covid-2020`` (customs.md §1.2): entry period and entry types 19 CFR 24.1a(a); trade
remedies 24.1a(c) and EO 13916; hardship 24.1a(b) and CSMS #42423171; due dates CSMS #42421561
and #43324033; no refunds CBP Dec. 20-05.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tradetrace.facilitation.relief.program import (
    EntryTreatment,
    EntryTypeRule,
    ExcludedDuty,
    PaymentMethod,
    ReliefProgram,
)

__all__ = [
    "Reason",
    "TradeRemedyLine",
    "due_date_reasons",
    "entry_period_reason",
    "entry_type_reason",
    "hardship_reasons",
    "trade_remedy_reasons",
]


@dataclass(frozen=True, slots=True)
class Reason:
    """One condition of a program, whether it was met, and the rule it comes from."""

    code: str
    message: str
    citation: str
    met: bool

    def to_json_dict(self) -> dict[str, object]:
        """The reason as JSON-ready values."""
        return {
            "code": self.code,
            "message": self.message,
            "citation": self.citation,
            "met": self.met,
        }


@dataclass(frozen=True, slots=True)
class TradeRemedyLine:
    """An entry line subject to a trade-remedy duty, and when an exclusion took effect (if any).

    An exclusion in effect on the entry date means the line does not taint the entry; one
    that took effect later (retroactively) does not help (CBP FAQ; customs.md §1.2).
    """

    duty: ExcludedDuty
    exclusion_effective: date | None = None


def entry_period_reason(program: ReliefProgram, entry_date: date) -> Reason:
    """Was the merchandise entered (or withdrawn) within the program's period?"""
    period = program.entry_period
    inside = entry_date in period
    where = "within" if inside else "outside"
    return Reason(
        "entry_date_in_period" if inside else "entry_date_outside_period",
        f"entry date {entry_date} is {where} the program period {period.start} to {period.end}",
        program.entry_period_citation,
        inside,
    )


def entry_type_reason(program: ReliefProgram, rule: EntryTypeRule) -> Reason:
    """Is the entry type one the program covers?"""
    types = program.entry_types
    label = f"entry type {rule.code} ({rule.name})"
    if rule.treatment is EntryTreatment.ELIGIBLE:
        return Reason("entry_type_eligible", f"{label} is covered", types.citation, True)
    if rule.treatment is EntryTreatment.INFORMAL:
        message = f"{label} is an informal entry; informal entries are excluded"
        return Reason("entry_type_informal", message, types.informal_citation, False)
    if rule.treatment is EntryTreatment.TRADE_REMEDY:
        message = f"{label} declares antidumping or countervailing duties"
        return Reason("entry_type_trade_remedy", message, program.trade_remedies.citation, False)
    message = f"{label} is not a consumption, warehouse-withdrawal or FTZ consumption entry"
    return Reason("entry_type_not_covered", message, types.citation, False)


def trade_remedy_reasons(
    program: ReliefProgram, entry_date: date, lines: Iterable[TradeRemedyLine]
) -> list[Reason]:
    """One reason per distinct excluded duty on the entry, or one saying there is none."""
    remedies = program.trade_remedies
    reasons: dict[tuple[str, str], Reason] = {}
    for line in lines:
        rule = remedies.get(line.duty)
        if rule is None:
            continue
        what = f"{rule.name} ({rule.statute})"
        exclusion = line.exclusion_effective
        if exclusion is not None and exclusion <= entry_date:
            code = "trade_remedy_exclusion_in_effect"
            message = f"a line's {what} exclusion took effect on {exclusion}, before entry"
            reason = Reason(code, message, remedies.exclusion_citation, True)
        elif exclusion is not None:
            code = "trade_remedy_exclusion_retroactive"
            message = (
                f"a line's {what} exclusion took effect on {exclusion}, after the entry date "
                f"{entry_date}; a retroactive exclusion does not qualify the entry"
            )
            reason = Reason(code, message, remedies.exclusion_citation, False)
        elif remedies.whole_entry_summary:
            code = f"excluded_duty_{line.duty.name.lower()}"
            message = f"a line is subject to {what}; the whole entry summary is ineligible"
            reason = Reason(code, message, remedies.citation, False)
        else:
            code = f"excluded_duty_{line.duty.name.lower()}"
            message = f"a line is subject to {what}; that duty is not postponed"
            reason = Reason(code, message, remedies.citation, True)
        reasons.setdefault((reason.code, reason.message), reason)
    if not reasons:
        message = "no line is subject to " + ", ".join(rule.name for rule in remedies.duties)
        return [Reason("no_excluded_duty", message, remedies.citation, True)]
    return list(reasons.values())


def _percent(part: Decimal, whole: Decimal) -> str:
    return f"{(part * 100 / whole).quantize(Decimal('0.1'))}%"


def hardship_reasons(
    program: ReliefProgram, receipts_before: Decimal, receipts_during: Decimal, *, suspended: bool
) -> list[Reason]:
    """The importer test: operations suspended by order, and receipts below the threshold."""
    test = program.hardship
    window = f"from {test.suspension.start} to {test.suspension.end}"
    if suspended:
        suspension = Reason(
            "operations_suspended",
            f"operations were fully or partially suspended by government order {window}",
            test.suspension_citation,
            True,
        )
    else:
        suspension = Reason(
            "operations_not_suspended",
            f"operations were not suspended by government order {window}",
            test.suspension_citation,
            False,
        )
    threshold = f"{test.threshold_percent.normalize():f}%"
    periods = " or ".join(test.periods)
    baseline = f"{test.baseline_year} gross receipts"
    if receipts_before == 0:
        message = f"no {baseline} to compare with: receipts cannot fall below {threshold} of zero"
        return [
            suspension,
            Reason("gross_receipts_no_baseline", message, test.receipts_citation, False),
        ]
    share = _percent(receipts_during, receipts_before)
    compared = (
        f"gross receipts for {periods} of {receipts_during} are {share} of the {baseline} "
        f"of {receipts_before}"
    )
    if receipts_during * 100 < receipts_before * test.threshold_percent:
        below = Reason(
            "gross_receipts_below_threshold",
            f"{compared}: below {threshold}",
            test.receipts_citation,
            True,
        )
    else:
        below = Reason(
            "gross_receipts_not_below_threshold",
            f"{compared}: not below {threshold}",
            test.receipts_citation,
            False,
        )
    return [suspension, below]


def due_date_reasons(
    program: ReliefProgram, payment: PaymentMethod, original: date, postponed: date
) -> list[Reason]:
    """Where the due date moved to, and the no-refund rule when the deposit was due earlier."""
    rules = program.payment
    rule = rules.rule(payment)
    message = (
        f"{payment.label} deposit originally due {original} is postponed to {postponed} "
        f"({rules.deferral_days} days)"
    )
    citation = f"{rules.deferral_citation}; {rule.citation}"
    reasons = [Reason("due_date_postponed", message, citation, True)]
    if original < program.effective_date:
        message = (
            f"the deposit was due on {original}, before the rule took effect on "
            f"{program.effective_date}; a deposit already paid is not returned"
        )
        reasons.append(
            Reason("paid_deposits_not_refunded", message, rules.no_refund_citation, True)
        )
    return reasons
