"""Entry numbers and their check digit (CATAIR Appendix E), filer codes and port codes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.entries import (
    entry_check_digit,
    parse_entry_number,
    parse_filer_code,
    parse_port_code,
)
from tradetrace.errors import InvalidDocument

# Each vector worked by hand. Letters: A-I -> 1-9, J-R -> 1-9, S-Z -> 2-9. Digits in the even
# positions are doubled (a two-digit product counts as the sum of its digits); the check digit
# brings the total up to a multiple of ten.
VECTORS = [
    # CATAIR Appendix E's own example: B=2 -> 2760324527; even 7,0,2,5,7 -> 5+0+4+1+5 = 15;
    # odd 2,6,3,4,2 = 17; total 32 -> 8.
    ("B76", "0324527", 8),
    # 2760251001: even 7,0,5,0,1 -> 5+0+1+0+2 = 8; odd 2,6,2,1,0 = 11; total 19 -> 1.
    ("B76", "0251001", 1),
    # Z=9, X=7 -> 9791000586: even 7,1,0,5,6 -> 5+2+0+1+3 = 11; odd 9,9,0,0,8 = 26; 37 -> 3.
    ("ZX9", "1000586", 3),
    # 1234512345: even 2,4,1,3,5 -> 4+8+2+6+1 = 21; odd 1,3,5,2,4 = 15; total 36 -> 4.
    ("123", "4512345", 4),
    # A=1, K=2 -> 1220000000: even 2,0,0,0,0 -> 4; odd 1,2,0,0,0 = 3; total 7 -> 3.
    ("A2K", "0000000", 3),
    # S=2 (the third group starts at 2): 2000000000 -> odd 2; total 2 -> 8.
    ("S00", "0000000", 8),
    # 9990000000: even 9 -> 18 -> 9; odd 9,9 = 18; total 27 -> 3.
    ("999", "0000000", 3),
]


@pytest.mark.parametrize(("filer", "transaction", "check"), VECTORS)
def test_entry_check_digit_matches_hand_worked_vectors(filer, transaction, check):
    assert entry_check_digit(filer, transaction) == check
    assert parse_entry_number(f"{filer}{transaction}{check}") == f"{filer}-{transaction}-{check}"


def test_entry_check_digit_of_a_total_already_a_multiple_of_ten_is_zero():
    # 2760251006: even 7,0,5,0,6 -> 5+0+1+0+3 = 9; odd 2,6,2,1,0 = 11; total 20 -> 0.
    assert entry_check_digit("B76", "0251006") == 0


def test_parse_entry_number_accepts_lower_case_and_hyphens():
    assert parse_entry_number(" b76-0324527-8 ") == "B76-0324527-8"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("B76-0324527-9", "check digit should be 8"),
        ("B76-032452-8", "expected an entry number like"),
        ("B7-03245278", "expected an entry number like"),
        ("B76_0324527_8", "expected an entry number like"),
        ("000-1234567-4", "filer code 000 is never assigned"),
    ],
)
def test_parse_entry_number_rejects_bad_numbers(text, reason):
    with pytest.raises(InvalidDocument, match=reason) as caught:
        parse_entry_number(text, field="entryNumber")
    assert caught.value.code == "invalid_document"
    assert caught.value.problems[0].field == "entryNumber"


def test_vocabulary_examples_have_wrong_check_digits():
    # CBPEntryType86.yml gives 12345123456 (should end in 4); CBPEntrySummary.yml 73461882610
    # (7346188261: even 3,6,8,2,1 -> 6+3+7+4+2 = 22; odd 7,4,1,8,6 = 26; 48 -> 2).
    with pytest.raises(InvalidDocument, match="should be 4") as caught:
        parse_entry_number("12345123456")
    assert caught.value.code == "invalid_document"
    assert entry_check_digit("734", "6188261") == 2


def test_entry_check_digit_rejects_bad_parts():
    with pytest.raises(InvalidDocument, match="3-character filer code and 7 digits") as caught:
        entry_check_digit("B7", "0324527")
    assert caught.value.code == "invalid_document"


@given(
    filer=st.text(alphabet="0123456789", min_size=3, max_size=3),
    transaction=st.text(alphabet="0123456789", min_size=7, max_size=7),
    position=st.integers(min_value=0, max_value=9),
    shift=st.integers(min_value=1, max_value=9),
)
def test_entry_check_digit_detects_every_single_digit_error(filer, transaction, position, shift):
    digits = list(filer + transaction)
    digits[position] = str((int(digits[position]) + shift) % 10)
    changed = "".join(digits)
    assert entry_check_digit(filer, transaction) != entry_check_digit(changed[:3], changed[3:])


@pytest.mark.parametrize("code", ["B76", "b76", "999", "ZZZ", "0A0"])
def test_parse_filer_code_accepts_the_eight_patterns(code):
    assert parse_filer_code(code) == code.upper()


@pytest.mark.parametrize(("code", "reason"), [("000", "never assigned"), ("B7", "3 letters")])
def test_parse_filer_code_rejects(code, reason):
    with pytest.raises(InvalidDocument, match=reason) as caught:
        parse_filer_code(code)
    assert caught.value.code == "invalid_document"


@pytest.mark.parametrize("code", ["2304", "2704", "3401", "5201"])
def test_parse_port_code_accepts_schedule_d_codes(code):
    assert parse_port_code(f" {code} ") == code


@pytest.mark.parametrize("code", ["230", "23045", "0012", "LAX1"])
def test_parse_port_code_rejects(code):
    with pytest.raises(InvalidDocument, match="4-digit CBP port code") as caught:
        parse_port_code(code, field="portOfEntry")
    assert caught.value.code == "invalid_document"
    assert caught.value.problems[0].field == "portOfEntry"
