import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.errors import InvalidDocument
from tradetrace.events import identifiers
from tradetrace.events.identifiers import EpcScheme, Gs1Identifier, KeyType


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


# --- GTIN and the other GS1 keys (GS1 General Specifications §3, §7.9) -----------------------


@pytest.mark.parametrize(
    "gtin", ["96385074", "614141000036", "0614141000036", "10614141073464", "09521234543213"]
)
def test_is_valid_gtin_accepts_gs1_examples(gtin):
    assert identifiers.is_valid_gtin(gtin)


@pytest.mark.parametrize("bad", ["9638507", "09521234543214", "0952123454321a", "٠٩٥٢١٢٣٤٥٤٣٢١٣"])
def test_is_valid_gtin_rejects_bad_length_digits_and_check_digit(bad):
    assert not identifiers.is_valid_gtin(bad)


@given(st.sampled_from([7, 11, 12, 13]), st.data())
def test_gtin_with_computed_check_digit_parses_to_gtin14(length, data):
    body = data.draw(st.text(alphabet="0123456789", min_size=length, max_size=length))
    gtin = body + str(identifiers.gs1_check_digit(body))
    assert identifiers.is_valid_gtin(gtin)
    assert identifiers.parse_gtin(gtin) == gtin.zfill(14)
    wrong = body + str((identifiers.gs1_check_digit(body) + 5) % 10)
    assert not identifiers.is_valid_gtin(wrong)


def test_parse_gtin_rejects_wrong_length():
    with pytest.raises(InvalidDocument, match="expected 8, 12, 13 or 14 digits") as info:
        identifiers.parse_gtin("123456789")
    assert info.value.code == "invalid_document"


def test_parse_gtin_names_the_expected_check_digit():
    with pytest.raises(InvalidDocument, match="check digit expected 3, got 4") as info:
        identifiers.parse_gtin("09521234543214")
    assert info.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("key_type", "value"),
    [
        (KeyType.SSCC, "106141412345678908"),
        (KeyType.GTIN, "10614141073464"),
        (KeyType.GDTI, "4012345555554"),
        (KeyType.GDTI, "4012345555554ABC-1/2"),
        (KeyType.GCN, "401234599999044"),
        (KeyType.GINC, "4012345333"),
        (KeyType.GSIN, "40123459999876541"),
        (KeyType.GLN, "4012345000115"),
        (KeyType.PARTY_GLN, "4012345000009"),
        (KeyType.GRAI, "04012345666663"),
        (KeyType.GRAI, "0401234566666387"),
        (KeyType.GIAI, "4012345AAbb"),
        (KeyType.ITIP, "040123451234560102"),
        (KeyType.CPID, "4012345ABC#/-1"),
        (KeyType.GSRNP, "401234500000987658"),
        (KeyType.GSRN, "401234598765400000"),
    ],
)
def test_validate_key_accepts_each_key_type(key_type, value):
    assert identifiers.validate_key(key_type, value) == value


@pytest.mark.parametrize(
    ("key_type", "value", "message"),
    [
        (KeyType.SSCC, "10614141234567890", r"invalid SSCC '10614141234567890': not the AI \(00\)"),
        (KeyType.SSCC, "106141412345678909", "invalid SSCC .*check digit expected 8, got 9"),
        (KeyType.GRAI, "14012345666663", r"not the AI \(8003\) format"),
        (KeyType.GRAI, "04012345666664", "invalid GRAI .*check digit expected 3, got 4"),
        (KeyType.PARTY_GLN, "4012345000008", "invalid PARTY GLN .*expected 9, got 8"),
        (KeyType.GIAI, "4012345 AA", r"not the AI \(8004\) format"),
        (KeyType.CPID, "4012345abc", r"not the AI \(8010\) format"),
        (KeyType.ITIP, "040123451234570102", "invalid ITIP .*check digit expected 6, got 7"),
    ],
)
def test_validate_key_gives_the_reason(key_type, value, message):
    with pytest.raises(InvalidDocument, match=message) as info:
        identifiers.validate_key(key_type, value)
    assert info.value.code == "invalid_document"


@given(st.sampled_from([KeyType.SSCC, KeyType.GSRN, KeyType.GSIN, KeyType.GLN]), st.data())
def test_validate_key_accepts_computed_and_rejects_altered_check_digits(key_type, data):
    length = {KeyType.SSCC: 18, KeyType.GSRN: 18, KeyType.GSIN: 17, KeyType.GLN: 13}[key_type]
    body = data.draw(st.text(alphabet="0123456789", min_size=length - 1, max_size=length - 1))
    check = identifiers.gs1_check_digit(body)
    assert identifiers.validate_key(key_type, f"{body}{check}") == f"{body}{check}"
    with pytest.raises(InvalidDocument, match=f"check digit expected {check}") as info:
        identifiers.validate_key(key_type, f"{body}{(check + 1) % 10}")
    assert info.value.code == "invalid_document"


# --- Gs1Identifier (TDS 2.x §6.3) --------------------------------------------------------------


def test_gs1_identifier_knows_its_key_type_and_level():
    item = Gs1Identifier(EpcScheme.SGTIN, "10614141073464", "2017", 7)
    assert item.key_type is KeyType.GTIN
    assert not item.is_class
    assert Gs1Identifier(EpcScheme.SGTIN, "10614141073464").is_class
    assert Gs1Identifier(EpcScheme.LGTIN, "10614141073464", "LOT1").is_class
    assert not Gs1Identifier(EpcScheme.SSCC, "106141412345678908").is_class
    assert not Gs1Identifier(EpcScheme.SGLN, "4012345000115").is_class


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ((EpcScheme.GDTI, "4012345555554X"), "invalid GDTI key '4012345555554X': expected 13"),
        ((EpcScheme.LGTIN, "10614141073464"), "invalid LGTIN: it needs a qualifier"),
        ((EpcScheme.SSCC, "106141412345678908", "1"), "invalid SSCC qualifier '1'"),
        ((EpcScheme.SGTIN, "10614141073464", "a b"), "invalid SGTIN qualifier 'a b'"),
        ((EpcScheme.SGTIN, "10614141073464", "1" * 21), "invalid SGTIN qualifier"),
        ((EpcScheme.SGCN, "4012345999990", "A1"), "invalid SGCN qualifier 'A1'"),
        ((EpcScheme.SGTIN, "10614141073464", None, 5), "company prefix length 5: expected 6"),
        ((EpcScheme.SGTIN, "10614141073465"), "check digit expected 4, got 5"),
    ],
)
def test_gs1_identifier_rejects_invalid_parts(arguments, message):
    with pytest.raises(InvalidDocument, match=message) as info:
        Gs1Identifier(*arguments)
    assert info.value.code == "invalid_document"
