"""The edge parsers shared by the facilitation domains."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.facilitation.parsing import parse_amount, parse_enum, require_utc, to_cents
from tradetrace.facilitation.relief import PaymentMethod


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (Decimal("1.50"), Decimal("1.50")),
        (7, Decimal(7)),
        (" 12.5 ", Decimal("12.5")),
        ("0", Decimal(0)),
    ],
)
def test_parse_amount_accepts_decimals_integers_and_numeric_strings(raw, expected):
    problems = []

    assert parse_amount(raw, "amount", problems) == expected
    assert problems == []


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1e", "expected a decimal amount, got '1e'"),
        (None, "expected a decimal amount, got None"),
        (False, "expected a decimal amount, got False"),
        ("-0.01", "expected an amount of zero or more, got -0.01"),
        ("Infinity", "expected a finite amount, got 'Infinity'"),
    ],
)
def test_parse_amount_reports_the_field_and_returns_none(raw, reason):
    problems = []

    assert parse_amount(raw, "amount", problems) is None
    assert [(p.field, p.reason) for p in problems] == [("amount", reason)]


def test_parse_enum_accepts_members_and_values_in_any_case():
    problems = []

    assert (
        parse_enum(PaymentMethod, PaymentMethod.DAILY, "payment", problems) is PaymentMethod.DAILY
    )
    assert parse_enum(PaymentMethod, " Monthly ", "payment", problems) is PaymentMethod.MONTHLY
    assert parse_enum(PaymentMethod, "cash", "payment", problems) is None
    assert problems[0].reason == "unknown value 'cash': expected one of single, daily, monthly"


def test_to_cents_rounds_half_up():
    assert to_cents(Decimal("0.125")) == Decimal("0.13")
    assert str(to_cents(Decimal(5))) == "5.00"


def test_require_utc_accepts_utc():
    moment = datetime(2020, 4, 20, tzinfo=UTC)

    assert require_utc(moment, "now") is moment


@pytest.mark.parametrize(
    "moment",
    [datetime(2020, 4, 20), datetime(2020, 4, 20, tzinfo=timezone(timedelta(hours=2)))],
)
def test_require_utc_rejects_naive_and_offset_times(moment):
    with pytest.raises(
        InvalidDocument, match=r"^invalid now: expected a timezone-aware UTC datetime"
    ) as info:
        require_utc(moment, "now")

    assert info.value.code == "invalid_document"
    assert info.value.problems[0].field == "now"
