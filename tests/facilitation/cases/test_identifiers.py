"""Entry numbers (CBP CATAIR Appendix E, format only) and air waybills (IATA mod 7)."""

from __future__ import annotations

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.facilitation.cases import parse_air_waybill, parse_entry_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ABC-1234567-8", "ABC-1234567-8"),
        ("abc12345678", "ABC-1234567-8"),
        (" 1A2-0000001-0 ", "1A2-0000001-0"),
        ("001-9999999-9", "001-9999999-9"),
    ],
)
def test_parse_entry_number_normalises_the_catair_format(text, expected):
    assert parse_entry_number(text) == expected


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("AB-1234567-8", "expected an entry number like ABC-1234567-8"),
        ("ABC-123456-7", "expected an entry number like ABC-1234567-8"),
        ("ABC-1234567-X", "expected an entry number like ABC-1234567-8"),
        ("AB$-1234567-8", "expected an entry number like ABC-1234567-8"),
        ("000-1234567-1", "filer code 000 is not assigned"),
    ],
)
def test_parse_entry_number_rejects_malformed_numbers(text, reason):
    with pytest.raises(
        InvalidDocument, match=rf"^invalid entry_number: entry_number: {reason}"
    ) as info:
        parse_entry_number(text)

    assert info.value.code == "invalid_document"


@pytest.mark.parametrize("text", ["589-81140743", "58981140743", "589 81140743"])
def test_parse_air_waybill_checks_the_mod_7_digit(text):
    # 8114074 = 7 x 1159153 + 3: the check digit is 3.
    assert parse_air_waybill(text) == "589-81140743"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("589-81140744", "check digit of '589-81140744' should be 3, got 4"),
        ("589-8114074", "expected an air waybill number like 589-81140743"),
        ("ABC-81140743", "expected an air waybill number like 589-81140743"),
    ],
)
def test_parse_air_waybill_rejects_wrong_check_digits_and_formats(text, reason):
    with pytest.raises(InvalidDocument, match=reason) as info:
        parse_air_waybill(text)

    assert info.value.code == "invalid_document"
    assert info.value.problems[0].field == "air_waybill_number"
