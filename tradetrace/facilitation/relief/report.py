"""Per-importer statements and the program report, as pure functions over deferrals.

CBP reported the 2020 postponement as importers and dollars: "more than 2,600 importers have
deferred payment on $574 million" (CBP May 2020 Operational Update, via CT Strategies; customs.md
§1.4). :func:`build_report` gives those figures, by entry month and by port, for any set of
:class:`~tradetrace.facilitation.relief.deferral.Deferral` records. Every breakdown sums to the
total, and the statements of :func:`importer_statements` sum to it too.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tradetrace.facilitation.relief.deferral import Deferral
from tradetrace.facilitation.relief.program import PaymentMethod

__all__ = [
    "Breakdown",
    "ImporterStatement",
    "ProgramReport",
    "StatementLine",
    "build_report",
    "importer_statements",
]

_ZERO = Decimal("0.00")


@dataclass(frozen=True, slots=True)
class StatementLine:
    """One postponed entry on an importer's statement."""

    entry_number: str
    entry_date: date
    port: str
    payment: PaymentMethod
    original_due_date: date
    due_date: date
    amount: Decimal


@dataclass(frozen=True, slots=True)
class ImporterStatement:
    """What one importer of record owes on which postponed due date."""

    ior: str
    lines: tuple[StatementLine, ...]

    @property
    def total(self) -> Decimal:
        """Every postponed dollar on the statement."""
        return sum((line.amount for line in self.lines), _ZERO)

    def by_due_date(self) -> dict[date, Decimal]:
        """The amounts falling due on each postponed due date, in date order."""
        totals: dict[date, Decimal] = defaultdict(lambda: _ZERO)
        for line in self.lines:
            totals[line.due_date] += line.amount
        return dict(sorted(totals.items()))


@dataclass(frozen=True, slots=True)
class Breakdown:
    """Importers, entries and dollars postponed within one month or port."""

    importers: int
    entries: int
    deferred: Decimal


@dataclass(frozen=True, slots=True)
class ProgramReport:
    """The program's totals, with breakdowns by entry month (``YYYY-MM``) and by port.

    ``ineligible_reasons`` counts, per reason code, the entries that failed that condition;
    an entry that failed several conditions counts under each.
    """

    program_id: str
    entries_evaluated: int
    entries_eligible: int
    entries_deferred: int
    importers_deferring: int
    total_deferred: Decimal
    by_month: dict[str, Breakdown]
    by_port: dict[str, Breakdown]
    ineligible_reasons: dict[str, int]

    def to_json_dict(self) -> dict[str, object]:
        """The report as JSON-ready values, amounts as two-place strings."""

        def breakdowns(items: dict[str, Breakdown]) -> dict[str, object]:
            return {
                key: {"importers": b.importers, "entries": b.entries, "deferred": f"{b.deferred}"}
                for key, b in items.items()
            }

        return {
            "program": self.program_id,
            "entries_evaluated": self.entries_evaluated,
            "entries_eligible": self.entries_eligible,
            "entries_deferred": self.entries_deferred,
            "importers_deferring": self.importers_deferring,
            "total_deferred": f"{self.total_deferred}",
            "by_month": breakdowns(self.by_month),
            "by_port": breakdowns(self.by_port),
            "ineligible_reasons": dict(self.ineligible_reasons),
        }


def importer_statements(deferrals: Iterable[Deferral]) -> tuple[ImporterStatement, ...]:
    """One statement per importer with postponed dollars, by IOR; lines by due date and entry."""
    lines: dict[str, list[StatementLine]] = defaultdict(list)
    for deferral in deferrals:
        amount = deferral.total_deferred
        if deferral.due_date is None or amount <= 0:
            continue
        entry = deferral.entry
        lines[entry.ior].append(
            StatementLine(
                entry_number=entry.entry_number,
                entry_date=entry.entry_date,
                port=entry.port,
                payment=entry.payment,
                original_due_date=deferral.eligibility.original_due_date,
                due_date=deferral.due_date,
                amount=amount,
            )
        )
    return tuple(
        ImporterStatement(ior, tuple(sorted(items, key=lambda x: (x.due_date, x.entry_number))))
        for ior, items in sorted(lines.items())
    )


def _breakdowns(groups: dict[str, list[Deferral]]) -> dict[str, Breakdown]:
    return {
        key: Breakdown(
            importers=len({d.entry.ior for d in items}),
            entries=len(items),
            deferred=sum((d.total_deferred for d in items), _ZERO),
        )
        for key, items in sorted(groups.items())
    }


def build_report(program_id: str, deferrals: Iterable[Deferral]) -> ProgramReport:
    """Aggregate ``deferrals`` into the program's report (a pure function: no I/O, no clock)."""
    evaluated = eligible = 0
    postponed: list[Deferral] = []
    failures: Counter[str] = Counter()
    for deferral in deferrals:
        evaluated += 1
        if deferral.eligibility.eligible:
            eligible += 1
        failures.update(reason.code for reason in deferral.eligibility.failed)
        if deferral.total_deferred > 0:
            postponed.append(deferral)
    by_month: dict[str, list[Deferral]] = defaultdict(list)
    by_port: dict[str, list[Deferral]] = defaultdict(list)
    for deferral in postponed:
        by_month[deferral.entry.entry_date.strftime("%Y-%m")].append(deferral)
        by_port[deferral.entry.port].append(deferral)
    return ProgramReport(
        program_id=program_id,
        entries_evaluated=evaluated,
        entries_eligible=eligible,
        entries_deferred=len(postponed),
        importers_deferring=len({d.entry.ior for d in postponed}),
        total_deferred=sum((d.total_deferred for d in postponed), _ZERO),
        by_month=_breakdowns(by_month),
        by_port=_breakdowns(by_port),
        ineligible_reasons=dict(sorted(failures.items())),
    )
