"""Typed records of the tariff data: HTS-8 lines, statistical lines, chapter 99 and Section 301.

These are the frozen values :mod:`tradetrace.tariff.schedule` builds from the bundled (or
supplied) USITC and HTS files; see ``tradetrace/tariff/data/README.md`` for the files.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from tradetrace.tariff.codes import format_hts
from tradetrace.tariff.rates import Rate
from tradetrace.types import HsCode

__all__ = [
    "Chapter99Heading",
    "Coverage",
    "EffectivePeriod",
    "ProgramRate",
    "Section301Listing",
    "StatisticalLine",
    "TariffLine",
]


@dataclass(frozen=True, slots=True)
class EffectivePeriod:
    """The days a row is in force, both ends included (USITC ``begin``/``end`` dates)."""

    begin: date
    end: date

    def contains(self, on: date) -> bool:
        """Whether ``on`` falls inside the period."""
        return self.begin <= on <= self.end


@dataclass(frozen=True, slots=True)
class Coverage:
    """The entry dates the loaded data answers for, both ends included.

    ``start`` is 1 January of the tariff database's year; ``end`` is the last day of the last
    fiscal year in the fee table (MPF figures beyond it are unknown, customs.md §2.1).
    """

    start: date
    end: date

    def contains(self, on: date) -> bool:
        """Whether ``on`` falls inside the coverage."""
        return self.start <= on <= self.end


@dataclass(frozen=True, slots=True, kw_only=True)
class ProgramRate:
    """A special programme listed on an HTS-8 line, with its preferential rate.

    ``program`` is the USITC column prefix (``usmca``, ``dr_cafta``, ``korea`` ...; the
    Mexico-specific USMCA rate is ``usmca_mexico``); ``indicator`` is the special programme
    indicator printed in the schedule (``S``, ``P``, ``KR``, ``A+`` ...).
    """

    program: str
    indicator: str
    rate: Rate


@dataclass(frozen=True, slots=True, kw_only=True)
class TariffLine:
    """One HTS-8 line of the USITC tariff database for one effective period.

    ``mfn`` is column 1 general (HTSUS General Note 3(a)), ``column2`` the column 2 rate
    (General Note 3(b)) and ``programs`` the column 1 special programmes listed for the line.
    ``quantity_1``/``quantity_2`` are the HTS units of quantity (``KG``, ``NO`` ...).
    """

    hts8: HsCode
    description: str
    period: EffectivePeriod
    quantity_1: str
    quantity_2: str
    wto_binding: str
    mfn: Rate
    column2: Rate
    column2_countries: tuple[str, ...]
    programs: tuple[ProgramRate, ...]
    additional_duty: str
    footnote: str

    @property
    def display_code(self) -> str:
        """The code with its dots, ``7208.10.15``."""
        return format_hts(self.hts8)

    def program(self, name: str) -> ProgramRate | None:
        """The listed programme called ``name`` (a USITC column prefix), if any."""
        return next((entry for entry in self.programs if entry.program == name), None)


@dataclass(frozen=True, slots=True, kw_only=True)
class StatisticalLine:
    """A 10-digit statistical reporting number and its 8-digit parent tariff line.

    ``rate_text`` is the general rate where the HTS prints it on this line (often empty: the
    line then takes the parent's rates); ``chapter99_refs`` are the 9903 headings its footnotes
    name. The source extract carries no units of quantity: use the parent line's.
    """

    hts10: HsCode
    description: str
    rate_text: str
    chapter99_refs: tuple[str, ...]

    @property
    def hts8(self) -> HsCode:
        """The parent tariff line."""
        return HsCode(self.hts10[:8])


@dataclass(frozen=True, slots=True, kw_only=True)
class Chapter99Heading:
    """A chapter 99 heading (9903.xx.xx) as summarised in the HTS chapter 99 extract.

    ``rate`` is the additional ad valorem rate (``0.25`` for "+ 25%") or ``None``;
    ``effective_from``/``effective_before`` are read from the legal text where it says
    "on or after <date>" / "before <date>" and are ``None`` otherwise.
    """

    code: str
    rate: Decimal | None
    authority: str
    country_type: str
    countries: tuple[str, ...]
    general_text: str
    column2_text: str
    description: str
    effective_from: date | None
    effective_before: date | None


@dataclass(frozen=True, slots=True, kw_only=True)
class Section301Listing:
    """An HTS-8 line on a Section 301 (China) list and the 9903 heading that lists it."""

    hts8: HsCode
    list_name: str
    heading: str
