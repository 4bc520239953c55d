"""Chapter 99 headings over time: when each is in force and at what additional rate.

A chapter 99 heading adds its rate to the chapter 1-97 duty (customs.md §2.3: "The duty provided
in the applicable subheading + 25%"). The rate and the days a heading is in force come from the
data, not from code: the heading's rows in the USITC tariff database, which carry begin and end
dates, or, for a heading that database lacks, the HTS chapter 99 extract when its legal text says
from when it applies ("on or after <date>"). A heading in force nowhere in the data is never
applied (Section 301 List 4B, 9903.88.16, was suspended before it took effect and has no rows).
Which products and countries a heading covers is the business of :mod:`tradetrace.tariff.measures`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from tradetrace.errors import InvalidDocument
from tradetrace.tariff.schedule import TariffData

__all__ = [
    "Chapter99Period",
    "chapter99_periods",
    "chapter99_rate",
]

_ADDITIONAL = re.compile(
    r"The duty provided in the applicable subheading\s*(?:\+|plus)\s*(\d+(?:\.\d+)?)\s*%\.?"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class Chapter99Period:
    """A period in which a chapter 99 heading is in force, its rate and where that was read.

    ``end`` is the last day (``None``: open-ended); ``rate`` is the additional ad valorem rate,
    or ``None`` when the text is not "the applicable subheading + N%".
    """

    begin: date
    end: date | None
    rate: Decimal | None
    text: str
    source: str

    def contains(self, on: date) -> bool:
        """Whether ``on`` falls inside the period."""
        return self.begin <= on and (self.end is None or on <= self.end)


def chapter99_periods(data: TariffData, heading: str) -> tuple[Chapter99Period, ...]:
    """Every period the data gives for ``heading`` (``9903.88.03``), oldest first.

    The tariff database's rows win; the chapter 99 extract is used for a heading the database
    lacks, and only when its text says from when it applies ("on or after <date>").
    """
    lines = data.tariff_lines(heading.replace(".", ""))
    if lines:
        where = f"tariff database {data.files.stamp('tariff_database')}"
        periods = []
        for line in lines:
            match = _ADDITIONAL.fullmatch(line.mfn.text)
            periods.append(
                Chapter99Period(
                    begin=line.period.begin,
                    end=line.period.end,
                    rate=Decimal(match[1]) / 100 if match else None,
                    text=line.mfn.text,
                    source=f"{where}, in force {line.period.begin}..{line.period.end}",
                )
            )
        return tuple(periods)
    extract = data.chapter99_heading(heading)
    if extract is None or extract.effective_from is None:
        return ()
    before = extract.effective_before
    stamp = data.files.stamp("chapter99_headings")
    period = Chapter99Period(
        begin=extract.effective_from,
        end=before - timedelta(days=1) if before else None,
        rate=extract.rate,
        text=extract.general_text,
        source=f"chapter 99 headings {stamp}, in force from {extract.effective_from}",
    )
    return (period,)


def chapter99_rate(data: TariffData, heading: str, *, on: date) -> tuple[Decimal, str] | None:
    """The additional ad valorem rate of ``heading`` in force on ``on`` and where it was read.

    Returns ``None`` when the data has the heading in force on no such day. Raises
    :class:`InvalidDocument` if the period in force is not "the applicable subheading + N%".
    """
    for period in chapter99_periods(data, heading):
        if period.contains(on):
            if period.rate is None:
                raise InvalidDocument(
                    f"invalid {heading}: cannot read additional rate {period.text!r}"
                )
            return period.rate, period.source
    return None
