"""The chapter 99 measures applied here: Section 232 steel and aluminum, Section 301 (China).

Each measure says which products and countries its headings cover; the rates and the days they
are in force come from the data (:mod:`tradetrace.tariff.chapter99`).

- **Section 232 steel** (19 U.S.C. 1862; HTSUS ch. 99 subch. III U.S. note 16): the steel
  articles of customs.md §7 (HS-6 7206.10-7216.50, 7216.99-7301.10, 7302.10, 7302.40-7302.90,
  7304.10-7306.90). 9903.80.01 (25%, Proclamation 9705, 83 FR 11625) until 11 Mar 2025 with its
  country exemptions; 9903.81.87 from 12 Mar 2025 (Proclamation 10896, 90 FR 9817), 50% from
  4 Jun 2025 (customs.md §7; Proclamation 10947); 9903.81.94 keeps the U.K. at 25% from 4 Jun 2025.
- **Section 232 aluminum** (U.S. note 19): headings 7601, 7604-7609 and 7616.99.51 (the scope
  in 9903.85.05/.06 of the chapter 99 extract). 9903.85.01 (10%, Proclamation 9704, 83 FR 11619)
  until 11 Mar 2025; 9903.85.02 from 12 Mar 2025 (Proclamation 10895, 90 FR 9807), 50% from
  4 Jun 2025; 9903.85.12 (U.K., 25%); 9903.85.67 (Russia, 200%, Proclamation 10522).
- **Section 301** (19 U.S.C. 2411; U.S. notes 20 and 31): goods of China on the lists of the
  Section 301 file. Where an HTS-8 line is on several lists the highest rate in force applies
  once: the four-year-review headings (9903.91.xx, 89 FR 76581) raise the earlier rate rather
  than add to it.

Derivative products, content-value duties (9903.81.91), quotas, exclusions and melt-and-pour
rules are not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

from tradetrace.tariff.chapter99 import chapter99_rate
from tradetrace.tariff.codes import EUROPEAN_UNION
from tradetrace.tariff.rates import format_percent
from tradetrace.tariff.schedule import TariffData

__all__ = [
    "MEASURES",
    "AdditionalRate",
    "Measure",
    "Section232Measure",
    "Section301Measure",
    "additional_rates",
]

_STEEL_HS6 = (
    ("720610", "721650"),
    ("721699", "730110"),
    ("730210", "730210"),
    ("730240", "730290"),
    ("730410", "730690"),
)
_ALUMINUM_PREFIXES = ("7601", "7604", "7605", "7606", "7607", "7608", "7609", "76169951")
_SECTION301_SOURCES = {
    "9903.88.01": "USTR 83 FR 28710 (List 1)",
    "9903.88.02": "USTR 83 FR 40823 (List 2)",
    "9903.88.03": "USTR 83 FR 47974 and 84 FR 20459 (List 3)",
    "9903.88.04": "USTR 84 FR 20459 (List 3)",
    "9903.88.15": "USTR 84 FR 43304 and 85 FR 3741 (List 4A)",
    "9903.88.16": "USTR 84 FR 43304 (List 4B)",
}


@dataclass(frozen=True, slots=True, kw_only=True)
class AdditionalRate:
    """A chapter 99 heading that applies to a line, its ad valorem rate and its sources."""

    heading: str
    authority: str
    rate: Decimal
    source: str
    in_force: str

    @property
    def rate_text(self) -> str:
        """The rate as ``+ 50%``."""
        return f"+ {format_percent(self.rate)}"


class Measure(Protocol):
    """One family of chapter 99 headings: what it adds to a line, if anything."""

    def assess(
        self, data: TariffData, *, hts10: str, origin: str, on: date
    ) -> AdditionalRate | None:
        """The additional rate for goods of ``origin`` under ``hts10`` entered on ``on``."""
        ...


@dataclass(frozen=True, slots=True)
class _Heading232:
    heading: str
    only: frozenset[str] | None
    excluded: frozenset[str]
    source: str


@dataclass(frozen=True, slots=True)
class Section232Measure:
    """Section 232 on one metal: the first heading in force whose countries match applies."""

    metal: str
    headings: tuple[_Heading232, ...]

    def covers(self, hts10: str) -> bool:
        """Whether the product is a steel (aluminum) article of the measure's scope."""
        if self.metal == "steel":
            return any(low <= hts10[:6] <= high for low, high in _STEEL_HS6)
        return hts10.startswith(_ALUMINUM_PREFIXES)

    def assess(
        self, data: TariffData, *, hts10: str, origin: str, on: date
    ) -> AdditionalRate | None:
        """The Section 232 rate for ``origin`` on ``on``, or ``None``."""
        if not self.covers(hts10):
            return None
        for entry in self.headings:
            if entry.only is not None and origin not in entry.only:
                continue
            found = chapter99_rate(data, entry.heading, on=on)
            if found is None:
                continue
            if origin in entry.excluded:
                return None
            rate, in_force = found
            authority = f"Section 232 ({self.metal})"
            return AdditionalRate(
                heading=entry.heading,
                authority=authority,
                rate=rate,
                source=entry.source,
                in_force=in_force,
            )
        return None


@dataclass(frozen=True, slots=True)
class Section301Measure:
    """Section 301 on goods of China: the highest listed heading in force applies."""

    def assess(
        self, data: TariffData, *, hts10: str, origin: str, on: date
    ) -> AdditionalRate | None:
        """The Section 301 rate for ``hts10`` of China on ``on``, or ``None``."""
        if origin != "CN":
            return None
        best: AdditionalRate | None = None
        for listing in data.section301_listings(hts10[:8]):
            found = chapter99_rate(data, listing.heading, on=on)
            if found is None:
                continue
            rate, in_force = found
            origin_note = _SECTION301_SOURCES.get(
                listing.heading, "USTR 89 FR 76581 (four-year review)"
            )
            note = "31" if listing.heading.startswith("9903.9") else "20"
            source = (
                f"Section 301 (19 U.S.C. 2411); {origin_note}; "
                f"HTSUS ch. 99 subch. III U.S. note {note}"
            )
            candidate = AdditionalRate(
                heading=listing.heading,
                authority=f"Section 301 (list {listing.list_name})",
                rate=rate,
                source=source,
                in_force=in_force,
            )
            if best is None or candidate.rate > best.rate:
                best = candidate
        return best


def _h(
    heading: str, source: str, *, only: str = "", excluded: frozenset[str] = frozenset()
) -> _Heading232:
    return _Heading232(heading, frozenset(only.split()) if only else None, excluded, source)


_NOTE16 = "Section 232 (19 U.S.C. 1862); HTSUS ch. 99 subch. III U.S. note 16"
_NOTE19 = "Section 232 (19 U.S.C. 1862); HTSUS ch. 99 subch. III U.S. note 19"
_JUNE_2025 = "Proclamation 10947, 50% from 4 Jun 2025 (customs.md §7)"

MEASURES: tuple[Measure, ...] = (
    Section232Measure(
        "steel",
        (
            _h("9903.81.94", f"{_NOTE16}(q); {_JUNE_2025}, U.K. at 25%", only="GB"),
            _h("9903.81.87", f"{_NOTE16}(j); Proclamation 10896 (90 FR 9817); {_JUNE_2025}"),
            _h(
                "9903.80.01",
                f"{_NOTE16}; Proclamation 9705 (83 FR 11625)",
                excluded=EUROPEAN_UNION | {"AR", "AU", "BR", "CA", "GB", "JP", "KR", "MX", "UA"},
            ),
        ),
    ),
    Section232Measure(
        "aluminum",
        (
            _h("9903.85.67", f"{_NOTE19}; Proclamation 10522 (Russia, 200%)", only="RU"),
            _h("9903.85.12", f"{_NOTE19}(o); {_JUNE_2025}, U.K. at 25%", only="GB"),
            _h("9903.85.02", f"{_NOTE19}(g); Proclamation 10895 (90 FR 9807); {_JUNE_2025}"),
            _h(
                "9903.85.01",
                f"{_NOTE19}; Proclamation 9704 (83 FR 11619)",
                excluded=EUROPEAN_UNION | {"AR", "AU", "CA", "GB", "MX", "RU"},
            ),
        ),
    ),
    Section301Measure(),
)


def additional_rates(
    data: TariffData, *, hts10: str, origin: str, on: date, measures: tuple[Measure, ...] = MEASURES
) -> tuple[AdditionalRate, ...]:
    """Every chapter 99 rate that applies to goods of ``origin`` under ``hts10`` on ``on``."""
    found = (measure.assess(data, hts10=hts10, origin=origin, on=on) for measure in measures)
    return tuple(rate for rate in found if rate is not None)
