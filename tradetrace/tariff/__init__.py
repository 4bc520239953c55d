"""The tariff domain: U.S. duty rates, chapter 99 additional duties and CBP fees.

- :mod:`.sources`, :mod:`.schedule`: the bundled USITC/HTS data (or a newer set), loaded lazily.
- :mod:`.model`, :mod:`.rows`: typed HTS-8 lines, statistical lines, chapter 99, Section 301.
- :mod:`.rates`: ad valorem, specific and compound rates; cent rounding.
- :mod:`.programs`: column 1 general, special programmes (SPI) and column 2 (HTSUS GN 3).
- :mod:`.chapter99`: chapter 99 headings over time; :mod:`.measures`: Section 232 steel and
  aluminum, Section 301 (China).
- :mod:`.fees`: MPF (19 CFR 24.23) and HMF (19 CFR 24.24). :mod:`.deminimis`: Section 321.
- :mod:`.entry`, :mod:`.duty`, :mod:`.results`: compute an entry. :mod:`.lookup`: look a code up.

Example::

    from tradetrace import tariff

    result = tariff.compute_line(
        hts10="7208101500", value="10000", origin="DE", entry_date="2025-07-01", mode="vessel"
    )
    result.to_json_dict()["total"]  # "5047.14": Section 232 5000.00 + MPF 34.64 + HMF 12.50
"""

from __future__ import annotations

from tradetrace.tariff.chapter99 import Chapter99Period
from tradetrace.tariff.codes import format_hts, parse_country, parse_hts
from tradetrace.tariff.deminimis import DeMinimisStatus, de_minimis_status
from tradetrace.tariff.duty import compute_entry, compute_line
from tradetrace.tariff.entry import Entry, EntryLine, EntryType, TransportMode
from tradetrace.tariff.fees import FeeSchedule, FeeYear, fiscal_year
from tradetrace.tariff.lookup import LookupResult, lookup
from tradetrace.tariff.measures import AdditionalRate, additional_rates
from tradetrace.tariff.model import (
    Chapter99Heading,
    Coverage,
    ProgramRate,
    Section301Listing,
    StatisticalLine,
    TariffLine,
)
from tradetrace.tariff.programs import BaseRate, select_base_rate
from tradetrace.tariff.rates import Rate, RateKind, SpecificRate, round_cents
from tradetrace.tariff.results import BasisItem, EntryResult, LineResult
from tradetrace.tariff.schedule import TariffData, load_tariff_data
from tradetrace.tariff.sources import TariffFiles

__all__ = [
    "AdditionalRate",
    "BaseRate",
    "BasisItem",
    "Chapter99Heading",
    "Chapter99Period",
    "Coverage",
    "DeMinimisStatus",
    "Entry",
    "EntryLine",
    "EntryResult",
    "EntryType",
    "FeeSchedule",
    "FeeYear",
    "LineResult",
    "LookupResult",
    "ProgramRate",
    "Rate",
    "RateKind",
    "Section301Listing",
    "SpecificRate",
    "StatisticalLine",
    "TariffData",
    "TariffFiles",
    "TariffLine",
    "TransportMode",
    "additional_rates",
    "compute_entry",
    "compute_line",
    "de_minimis_status",
    "fiscal_year",
    "format_hts",
    "load_tariff_data",
    "lookup",
    "parse_country",
    "parse_hts",
    "round_cents",
    "select_base_rate",
]
