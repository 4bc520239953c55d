"""CBP user fees: the merchandise processing fee (MPF) and the harbor maintenance fee (HMF).

**MPF** (19 U.S.C. 58c; 19 CFR 24.23; customs.md §2.1). A formal entry (fee class 499) pays
0.3464% of the entered value of its non-exempt lines; the sum over the entry is held between a
minimum and a maximum that CBP adjusts for inflation every fiscal year (from 1 October; FAST Act,
19 CFR 24.22(k), Appendix B to part 24), then prorated back to the lines by value. The figures for
each fiscal year live in the ``cbp_fees_*.csv`` data file with the Federal Register notice that
published them, so a new year is a data update. An informal entry (fee class 311, automated and not
prepared by CBP) pays the flat informal fee. Lines claiming USMCA (``S``/``S+``) or CAFTA-DR
(``P``/``P+``) with the preference allowed are exempt (customs.md §2.1, §5; 19 CFR 10.583).

**HMF** (19 CFR 24.24(a); customs.md §2.2). 0.125% of the value of cargo unloaded from a commercial
vessel, no minimum or maximum, and reported as $0 when the entry's HMF is $3.00 or less and it
owes no other duty, tax or fee (CATAIR ENS, as customs.md §2.2 reports it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from tradetrace.errors import FieldProblem, InvalidDocument
from tradetrace.tariff.rates import CENT, round_cents

__all__ = [
    "FEE_COLUMNS",
    "HMF_RATE",
    "HMF_REPORTING_THRESHOLD",
    "HMF_SOURCE",
    "MPF_EXEMPT_SPI",
    "FeeSchedule",
    "FeeYear",
    "MpfAllocation",
    "allocate_cents",
    "fiscal_year",
    "formal_mpf",
    "harbor_maintenance_fee",
]

HMF_RATE = Decimal("0.00125")
HMF_REPORTING_THRESHOLD = Decimal("3.00")
HMF_SOURCE = "19 CFR 24.24(a) (0.125% ad valorem, commercial vessel cargo)"
MPF_EXEMPT_SPI = frozenset({"P", "P+", "S", "S+"})
FEE_COLUMNS = (
    "fiscal_year",
    "start_date",
    "end_date",
    "mpf_rate",
    "mpf_minimum",
    "mpf_maximum",
    "informal_mpf",
    "source",
)


def fiscal_year(on: date) -> int:
    """The U.S. government fiscal year of ``on``: FY2026 runs 1 Oct 2025 to 30 Sep 2026."""
    return on.year + 1 if on.month >= 10 else on.year


@dataclass(frozen=True, slots=True, kw_only=True)
class FeeYear:
    """The MPF figures of one fiscal year and where they were published."""

    fiscal_year: int
    start: date
    end: date
    mpf_rate: Decimal
    mpf_minimum: Decimal
    mpf_maximum: Decimal
    informal_mpf: Decimal
    source: str

    @property
    def citation(self) -> str:
        """The regulation and the notice for this year's figures."""
        return f"19 CFR 24.23; FY{self.fiscal_year} figures: {self.source}"


@dataclass(frozen=True, slots=True)
class FeeSchedule:
    """The fee years of the ``cbp_fees`` data file, in date order."""

    years: tuple[FeeYear, ...]

    @property
    def end(self) -> date:
        """The last day with known figures."""
        return self.years[-1].end

    def for_date(self, on: date, *, field: str = "entry_date") -> FeeYear:
        """The fee year containing ``on``; raises :class:`InvalidDocument` naming ``field``."""
        for year in self.years:
            if year.start <= on <= year.end:
                return year
        reason = (
            f"no MPF figures for fiscal year {fiscal_year(on)} ({on.isoformat()}); "
            f"known {self.years[0].start.isoformat()}..{self.end.isoformat()}"
        )
        raise InvalidDocument(f"invalid {field}: {reason}", problems=(FieldProblem(field, reason),))

    @classmethod
    def from_rows(cls, rows: Iterable[Mapping[str, str]], *, name: str) -> FeeSchedule:
        """Parse the ``cbp_fees`` rows; the years must be contiguous and each start on 1 Oct."""
        years: list[FeeYear] = []
        for number, row in enumerate(rows, start=2):
            where = f"{name}:{number}"
            try:
                year = FeeYear(
                    fiscal_year=int(row["fiscal_year"]),
                    start=date.fromisoformat(row["start_date"]),
                    end=date.fromisoformat(row["end_date"]),
                    mpf_rate=Decimal(row["mpf_rate"]),
                    mpf_minimum=Decimal(row["mpf_minimum"]),
                    mpf_maximum=Decimal(row["mpf_maximum"]),
                    informal_mpf=Decimal(row["informal_mpf"]),
                    source=row["source"].strip(),
                )
            except (ValueError, InvalidOperation) as exc:
                raise InvalidDocument(f"invalid {where}: malformed fee row") from exc
            if (year.start.month, year.start.day) != (10, 1) or fiscal_year(
                year.start
            ) != year.fiscal_year:
                raise InvalidDocument(
                    f"invalid {where}: FY{year.fiscal_year} must start on 1 October"
                )
            if years and year.start.toordinal() != years[-1].end.toordinal() + 1:
                raise InvalidDocument(f"invalid {where}: FY{year.fiscal_year} does not follow on")
            years.append(year)
        if not years:
            raise InvalidDocument(f"invalid {name}: no fee years")
        return cls(tuple(years))


@dataclass(frozen=True, slots=True, kw_only=True)
class MpfAllocation:
    """A formal entry's MPF: the rounded total, the raw sum, the bound applied and line shares.

    ``bound`` is ``"minimum"``, ``"maximum"`` or ``""``; ``shares[i]`` is line ``i``'s prorated
    part (zero for exempt lines) and the shares add up to ``total`` exactly.
    """

    total: Decimal
    raw: Decimal
    bound: str
    shares: tuple[Decimal, ...]
    year: FeeYear


def allocate_cents(total: Decimal, weights: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """Split ``total`` (whole cents) in proportion to ``weights``, the parts adding up exactly.

    Each part is rounded down to the cent and the cents left over go to the largest remainders
    (earlier lines first on ties), so no cent is created or lost.
    """
    total = total.quantize(CENT)
    weight = sum(weights, Decimal(0))
    if weight == 0:
        return tuple(total if index == 0 else Decimal("0.00") for index in range(len(weights)))
    exact = [total * part / weight for part in weights]
    parts = [share.quantize(CENT, rounding=ROUND_DOWN) for share in exact]
    left = int((total - sum(parts, Decimal(0))) / CENT)
    order = sorted(range(len(parts)), key=lambda index: (parts[index] - exact[index], index))
    for index in order[:left]:
        parts[index] += CENT
    return tuple(parts)


def formal_mpf(values: Sequence[Decimal | None], year: FeeYear) -> MpfAllocation:
    """The MPF of a formal entry whose lines have ``values`` (``None`` marks an exempt line).

    Sum 0.3464% of the non-exempt values, hold the sum between the year's minimum and maximum,
    round it to the cent and prorate it to the lines by value (customs.md §2.1 steps 2-3). An entry
    whose lines are all exempt pays nothing.
    """
    dutiable = [value if value is not None else Decimal(0) for value in values]
    if all(value is None for value in values):
        zero = Decimal("0.00")
        shares = tuple(zero for _ in values)
        return MpfAllocation(total=zero, raw=Decimal(0), bound="", shares=shares, year=year)
    raw = sum((value * year.mpf_rate for value in dutiable), Decimal(0))
    bound = ""
    if raw < year.mpf_minimum:
        clamped, bound = year.mpf_minimum, "minimum"
    elif raw > year.mpf_maximum:
        clamped, bound = year.mpf_maximum, "maximum"
    else:
        clamped = raw
    total = round_cents(clamped)
    weights = [value if value is not None else Decimal(0) for value in values]
    if sum(weights, Decimal(0)) == 0:  # only zero-value lines: the minimum falls on the first one
        weights = [Decimal(value is not None) for value in values]
    shares = allocate_cents(total, weights)
    return MpfAllocation(total=total, raw=raw, bound=bound, shares=shares, year=year)


def harbor_maintenance_fee(value: Decimal) -> Decimal:
    """The exact HMF on ``value`` dollars of vessel cargo (19 CFR 24.24(a)); round it later."""
    return value * HMF_RATE
