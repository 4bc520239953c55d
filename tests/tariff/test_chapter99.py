"""Chapter 99 headings over time: rates and periods read from the tariff database or extract."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.tariff.chapter99 import chapter99_periods, chapter99_rate


def test_chapter99_periods_come_from_the_tariff_database(data):
    periods = chapter99_periods(data, "9903.85.02")
    assert [(period.begin, period.end, period.rate) for period in periods] == [
        (date(2025, 3, 12), date(2025, 6, 3), Decimal("0.25")),
        (date(2025, 6, 4), date(2050, 12, 31), Decimal("0.5")),
    ]
    assert chapter99_periods(data, "9903.99.99") == ()


def test_chapter99_periods_prefer_the_database_to_the_extract(data):
    # the extract says "before January 1, 2026"; the database row (inclusive end) wins
    (period,) = chapter99_periods(data, "9903.91.04")
    assert (period.end, period.rate) == (date(2026, 1, 1), Decimal("0.25"))


def test_chapter99_periods_from_the_extract_end_the_day_before_its_before_date(data):
    # 9903.88.66 (COVID-19 exclusions, customs.md §3.3): "on or after December 1, 2021 ... before
    # June 1, 2023" in the extract only; no additional rate (an exclusion)
    (period,) = chapter99_periods(data, "9903.88.66")
    assert (period.begin, period.end, period.rate) == (date(2021, 12, 1), date(2023, 5, 31), None)


def test_chapter99_rate_reads_the_extract_for_headings_the_database_lacks(data):
    # 9903.91.06 (note 31(g)) starts on 1 January 2026 and is only in the 2026 extract
    assert chapter99_rate(data, "9903.91.06", on=date(2025, 12, 31)) is None
    assert chapter99_rate(data, "9903.91.06", on=date(2026, 1, 1)) == (
        Decimal("0.25"),
        "chapter 99 headings 2026-02, in force from 2026-01-01",
    )
    # List 4B (9903.88.16) has no effective date anywhere: never applied
    assert chapter99_rate(data, "9903.88.16", on=date(2025, 7, 1)) is None


def test_chapter99_rate_refuses_a_row_it_cannot_read(data):
    # 9903.81.91 is 50% "upon the value of the steel content", not of the goods
    with pytest.raises(InvalidDocument, match=r"9903\.81\.91: cannot read additional rate") as info:
        chapter99_rate(data, "9903.81.91", on=date(2025, 7, 1))
    assert info.value.code == "invalid_document"
