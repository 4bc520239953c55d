"""How rules compare names, descriptions, amounts and dates."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tradetrace.rules.matching import add_months, same_name, share_words, within_tolerance


@pytest.mark.parametrize(
    ("first", "second", "same"),
    [
        ("Harbor Apparel Imports LLC", "HARBOR APPAREL IMPORTS, L.L.C.", True),
        ("Conductores del Norte S.A. de C.V.", "Conductores del Norte, SA de CV", True),
        ("Stride Asia Pacific Pte. Ltd.", "Stride Asia Pacific", True),
        ("Harbor Apparel Imports LLC", "Harbor Electric Supply LLC", False),
        ("Inc.", "LLC", False),
        (None, "Harbor", False),
    ],
)
def test_same_name(first, second, same):
    assert same_name(first, second) is same


@pytest.mark.parametrize(
    ("first", "second", "shared"),
    [
        ("Men's cotton knit T-shirts", "Cotton knit shirt, crew neck", True),
        ("Non-alloy steel rolls", "steel roll", True),
        ("Crude petroleum oil", "Insulated conductors", False),
        ("of and the", "the and of", False),
        ("", "anything", False),
    ],
)
def test_share_words(first, second, shared):
    assert share_words(first, second) is shared


def test_within_tolerance():
    assert within_tolerance(Decimal(100), Decimal("100.5"), Decimal("0.005"))
    assert not within_tolerance(Decimal(100), Decimal("100.6"), Decimal("0.005"))
    assert within_tolerance(Decimal(0), Decimal(0), Decimal("0.01"))
    assert not within_tolerance(Decimal(0), Decimal(1), Decimal("0.01"))


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        (date(2025, 1, 1), 12, date(2026, 1, 1)),
        (date(2025, 1, 31), 1, date(2025, 2, 28)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),
        (date(2025, 11, 15), 3, date(2026, 2, 15)),
    ],
)
def test_add_months(start, months, end):
    assert add_months(start, months) == end
