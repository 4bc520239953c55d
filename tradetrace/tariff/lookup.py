"""Look an HTSUS number up: its tariff line, rates, special programmes and chapter 99 links.

Backs ``tradetrace tariff lookup HTS``. An 8-digit number gives the tariff line and its
statistical lines; a 10-digit number gives that statistical line and its parent tariff line.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tradetrace.errors import NotFound
from tradetrace.tariff.chapter99 import Chapter99Period, chapter99_periods
from tradetrace.tariff.codes import format_hts, parse_hts
from tradetrace.tariff.model import Section301Listing, StatisticalLine, TariffLine
from tradetrace.tariff.rates import Rate, format_percent
from tradetrace.tariff.schedule import TariffData, load_tariff_data
from tradetrace.types import HsCode

__all__ = [
    "LookupResult",
    "lookup",
]


def _rate_json(rate: Rate) -> dict[str, object]:
    return {"text": rate.text, "kind": rate.kind.value, "computable": not rate.problem}


def _line_json(line: TariffLine) -> dict[str, object]:
    return {
        "begin": line.period.begin.isoformat(),
        "end": line.period.end.isoformat(),
        "description": line.description,
        "units": [unit for unit in (line.quantity_1, line.quantity_2) if unit],
        "general": _rate_json(line.mfn),
        "column2": _rate_json(line.column2),
        "special": [
            {"program": entry.program, "indicator": entry.indicator, **_rate_json(entry.rate)}
            for entry in line.programs
        ],
    }


def _period_json(period: Chapter99Period) -> dict[str, object]:
    return {
        "begin": period.begin.isoformat(),
        "end": period.end.isoformat() if period.end else None,
        "rate": format_percent(period.rate) if period.rate is not None else None,
        "source": period.source,
    }


@dataclass(frozen=True, slots=True, kw_only=True)
class LookupResult:
    """What the data says about one HTSUS number.

    ``lines`` are the tariff line's effective periods (only the one in force when the lookup
    gave a date); ``statistical`` the 10-digit line asked for, or the 8-digit line's children;
    ``section301`` the Section 301 lists naming the line, each with its heading's periods in force
    (rate and dates, :func:`~tradetrace.tariff.chapter99.chapter99_periods`).
    """

    code: HsCode
    lines: tuple[TariffLine, ...]
    statistical: tuple[StatisticalLine, ...]
    section301: tuple[tuple[Section301Listing, tuple[Chapter99Period, ...]], ...]

    def to_json_dict(self) -> dict[str, object]:
        """The lookup as JSON-ready values for ``tradetrace tariff lookup --json``."""
        refs = sorted({ref for line in self.statistical for ref in line.chapter99_refs})
        return {
            "hts": format_hts(self.code),
            "tariff_line": format_hts(self.code[:8]),
            "periods": [_line_json(line) for line in self.lines],
            "statistical_lines": [
                {
                    "hts10": format_hts(line.hts10),
                    "description": line.description,
                    "rate_text": line.rate_text,
                }
                for line in self.statistical
            ],
            "chapter99_refs": refs,
            "section301": [
                {
                    "list": listing.list_name,
                    "heading": listing.heading,
                    "in_force": [_period_json(period) for period in periods],
                }
                for listing, periods in self.section301
            ],
        }


def lookup(hts: str, *, on: date | None = None, data: TariffData | None = None) -> LookupResult:
    """Look up an 8- or 10-digit HTSUS number, optionally as in force on ``on``.

    Raises :class:`InvalidDocument` (field ``hts``) for a malformed number and :class:`NotFound`
    for one the data does not have (or has not in force on ``on``).
    """
    data = data or load_tariff_data()
    code = parse_hts(hts, field="hts")
    hts8 = code[:8]
    lines = (data.tariff_line(hts8, on),) if on is not None else data.tariff_lines(hts8)
    if not lines:
        raise NotFound(f"hts {format_hts(hts8)}: no such tariff line in the tariff data")
    if len(code) == 10:
        statistical: tuple[StatisticalLine, ...] = (data.statistical_line(code, field="hts"),)
    else:
        statistical = data.statistical_lines(hts8)
    section301 = tuple(
        (listing, chapter99_periods(data, listing.heading))
        for listing in data.section301_listings(hts8)
    )
    return LookupResult(code=code, lines=lines, statistical=statistical, section301=section301)
