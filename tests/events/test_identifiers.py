import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.events import identifiers


@pytest.mark.parametrize(
    ("body", "check"),
    [("629104150021", 3), ("061414100001", 2), ("0061414100001", 2), ("12345678901", 2)],
)
def test_gs1_check_digit_matches_gs1_examples(body, check):
    assert identifiers.gs1_check_digit(body) == check


@given(st.text(alphabet="0123456789", min_size=12, max_size=12))
def test_gln_with_computed_check_digit_is_valid(body):
    gln = body + str(identifiers.gs1_check_digit(body))
    assert identifiers.is_valid_gln(gln)
    assert identifiers.parse_gln(gln) == gln
    wrong = body + str((identifiers.gs1_check_digit(body) + 1) % 10)
    assert not identifiers.is_valid_gln(wrong)


@pytest.mark.parametrize("bad", ["", "12a", "١٢٣"])
def test_gs1_check_digit_rejects_non_digits(bad):
    with pytest.raises(ValueError, match="expected decimal digits"):
        identifiers.gs1_check_digit(bad)


def test_parse_gln_rejects_wrong_length():
    with pytest.raises(ValueError, match="not a valid GLN"):
        identifiers.parse_gln("061414100001")
