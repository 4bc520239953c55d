"""The output of a duty computation: amounts, each with its basis and its source.

:meth:`EntryResult.to_json_dict` is the JSON document of ``tradetrace duty compute --json``::

    {"duty": "12.34", "additional_duties": "0.00", "mpf": "33.58", "hmf": "0.00",
     "total": "45.92", "basis": [{"line": 1, "component": "duty", ...}, ...]}

Amounts are decimal strings with two places.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from tradetrace.tariff.rates import CENT
from tradetrace.types import HsCode

__all__ = [
    "BasisItem",
    "EntryResult",
    "LineResult",
    "money",
]


def money(amount: Decimal) -> str:
    """Write an amount in dollars with exactly two places (``"0.00"``, never ``"-0.00"``)."""
    return format(amount.quantize(CENT) + Decimal("0.00"), "f")


@dataclass(frozen=True, slots=True, kw_only=True)
class BasisItem:
    """How one amount was reached.

    ``component`` is ``duty``, ``additional_duty``, ``mpf``, ``hmf`` or ``de_minimis``; ``code``
    the HTS number, chapter 99 heading or fee class; ``rate`` the rate applied and ``applied_to``
    the value or quantities it was applied to; ``source`` the CFR section, HTSUS note or Federal
    Register notice; ``note`` anything the reader should know (a preference denied, a minimum
    applied). ``line`` is the 1-based entry line, or ``None`` for an entry-level amount.
    """

    line: int | None
    component: str
    code: str
    rate: str
    applied_to: str
    amount: Decimal
    source: str
    note: str = ""

    def to_json_dict(self) -> dict[str, object]:
        """The item as JSON-ready values, the amount as a two-place string."""
        return {
            "line": self.line,
            "component": self.component,
            "code": self.code,
            "rate": self.rate,
            "applied_to": self.applied_to,
            "amount": money(self.amount),
            "source": self.source,
            "note": self.note,
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class LineResult:
    """One line's amounts; ``mpf`` is its prorated share of the entry's MPF."""

    line: int
    hts10: HsCode
    duty: Decimal
    additional_duties: Decimal
    mpf: Decimal
    hmf: Decimal
    basis: tuple[BasisItem, ...]

    @property
    def total(self) -> Decimal:
        """Duty, additional duties and fees of the line."""
        return self.duty + self.additional_duties + self.mpf + self.hmf


@dataclass(frozen=True, slots=True, kw_only=True)
class EntryResult:
    """An entry's amounts: the sums over its lines, the basis of each, and the lines."""

    duty: Decimal
    additional_duties: Decimal
    mpf: Decimal
    hmf: Decimal
    basis: tuple[BasisItem, ...]
    lines: tuple[LineResult, ...]

    @property
    def total(self) -> Decimal:
        """Everything the entry owes: duty, additional duties, MPF and HMF."""
        return self.duty + self.additional_duties + self.mpf + self.hmf

    def to_json_dict(self) -> dict[str, object]:
        """``{"duty", "additional_duties", "mpf", "hmf", "total", "basis"}``, amounts as strings."""
        return {
            "duty": money(self.duty),
            "additional_duties": money(self.additional_duties),
            "mpf": money(self.mpf),
            "hmf": money(self.hmf),
            "total": money(self.total),
            "basis": [item.to_json_dict() for item in self.basis],
        }
