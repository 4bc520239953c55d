"""Chapter 99 measures: Section 232 steel and aluminum by date and country, Section 301 (China)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tradetrace.tariff import TariffData, additional_rates
from tradetrace.tariff.measures import MEASURES

STEEL = "7208101500"  # hot-rolled flat steel, pickled: Free; on the Section 301 list "biden_25"
ALUMINUM = "7606123015"  # aluminum alloy plate: 3%; on the Section 301 list "biden_25"


def rates(data: TariffData, hts10: str, origin: str, on: date) -> list[tuple[str, Decimal]]:
    return [
        (found.heading, found.rate)
        for found in additional_rates(data, hts10=hts10, origin=origin, on=on)
    ]


@pytest.mark.parametrize(
    ("origin", "on", "expected"),
    [
        # Proclamation 10947: 50% from 4 June 2025 (customs.md §7)
        ("DE", date(2025, 7, 1), [("9903.81.87", Decimal("0.5"))]),
        ("DE", date(2025, 6, 4), [("9903.81.87", Decimal("0.5"))]),
        # 25% for every country from 12 March 2025 until 3 June 2025
        ("DE", date(2025, 6, 3), [("9903.81.87", Decimal("0.25"))]),
        ("CA", date(2025, 4, 15), [("9903.81.87", Decimal("0.25"))]),
        # the United Kingdom stays at 25% after 4 June 2025
        ("GB", date(2025, 7, 1), [("9903.81.94", Decimal("0.25"))]),
        ("GB", date(2025, 4, 15), [("9903.81.87", Decimal("0.25"))]),
        # before 12 March 2025 the EU, Canada, Mexico, the UK ... were outside 9903.80.01
        ("DE", date(2025, 2, 1), []),
        ("MX", date(2025, 3, 11), []),
        ("IN", date(2025, 3, 11), [("9903.80.01", Decimal("0.25"))]),
    ],
)
def test_section_232_steel_rate_follows_the_entry_date_and_country(data, origin, on, expected):
    assert rates(data, STEEL, origin, on) == expected


@pytest.mark.parametrize(
    ("origin", "on", "expected"),
    [
        ("CA", date(2025, 2, 1), []),
        ("IN", date(2025, 2, 1), [("9903.85.01", Decimal("0.1"))]),
        ("CA", date(2025, 4, 1), [("9903.85.02", Decimal("0.25"))]),
        ("CA", date(2025, 7, 1), [("9903.85.02", Decimal("0.5"))]),
        ("GB", date(2025, 7, 1), [("9903.85.12", Decimal("0.25"))]),
        ("RU", date(2025, 7, 1), [("9903.85.67", Decimal("2"))]),
    ],
)
def test_section_232_aluminum_rate_follows_the_entry_date_and_country(data, origin, on, expected):
    assert rates(data, ALUMINUM, origin, on) == expected


def test_section_232_leaves_other_products_alone(data):
    assert rates(data, "8471300100", "DE", date(2025, 7, 1)) == []


def test_section_301_applies_to_china_origin_listed_products(data):
    # 6109.10.00 is on List 4A (9903.88.15, 7.5% from 14 Feb 2020)
    assert rates(data, "6109100004", "CN", date(2025, 7, 1)) == [("9903.88.15", Decimal("0.075"))]
    assert rates(data, "6109100004", "VN", date(2025, 7, 1)) == []
    (found,) = additional_rates(data, hts10="6109100004", origin="CN", on=date(2025, 7, 1))
    assert found.rate_text == "+ 7.5%"
    assert "19 U.S.C. 2411" in found.source and "note 20" in found.source
    assert found.in_force == "tariff database 2025, in force 2020-02-14..2050-12-31"


def test_section_301_takes_the_highest_listed_rate_once(data):
    # 8517.62.00 is on lists 3 (25%), 3_addl (25%), 4A (7.5%) and 4B (never in force)
    assert rates(data, "8517620010", "CN", date(2025, 7, 1)) == [("9903.88.03", Decimal("0.25"))]


def test_section_301_stacks_with_section_232(data):
    assert rates(data, STEEL, "CN", date(2025, 7, 1)) == [
        ("9903.81.87", Decimal("0.5")),
        ("9903.91.01", Decimal("0.25")),
    ]


def test_measures_cover_steel_aluminum_and_section_301():
    assert len(MEASURES) == 3
