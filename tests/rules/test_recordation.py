"""IPR recordations are checked field by field when built or parsed (19 CFR Part 133)."""

from datetime import date, datetime

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.rules import Recordation, RightKind

STRIDE = {
    "number": "TMK 24-00123",
    "kind": "trademark",
    "mark": "STRIDE",
    "owner": "Stride Athletics Inc.",
    "owner_did": "did:web:stride-athletics.example.com",
    "valid_until": "2034-10-31",
    "goods": ["6402", "6403.99", "6402"],
}


def test_parse_reads_loose_input():
    recordation = Recordation.parse(**{**STRIDE, "number": " tmk 24-00123", "mark": "STRIDE "})
    assert recordation == Recordation(
        number="TMK 24-00123",
        kind=RightKind.TRADEMARK,
        mark="STRIDE",
        owner="Stride Athletics Inc.",
        owner_did="did:web:stride-athletics.example.com",
        valid_until=date(2034, 10, 31),
        goods=("6402", "640399"),
    )


def test_parse_names_every_field_at_fault():
    bad = {
        **STRIDE,
        "number": "COP 24-00123",
        "mark": " ",
        "owner_did": "stride",
        "valid_until": "2034-13-01",
        "goods": ["640", "ninety"],
    }
    with pytest.raises(InvalidDocument, match="invalid recordation") as caught:
        Recordation.parse(**bad)
    assert caught.value.code == "invalid_document"
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("mark", "expected a non-empty string"),
        ("number", "a COP number is a copyright recordation, not trademark"),
        ("owner_did", "expected a DID such as did:web:example.com"),
        ("valid_until", "expected a date (YYYY-MM-DD)"),
        ("goods[0]", "expected an HS chapter, heading or subheading: 2 to 10 digits, even"),
        ("goods[1]", "expected an HS chapter, heading or subheading: 2 to 10 digits, even"),
    ]


def test_constructor_rejects_an_unknown_kind_and_a_time():
    with pytest.raises(InvalidDocument, match="kind: expected trademark or copyright") as caught:
        Recordation.parse(**{**STRIDE, "kind": "patent"})
    assert caught.value.code == "invalid_document"
    fields = {**STRIDE, "kind": RightKind.TRADEMARK, "goods": ("6402", "6402")}
    fields["valid_until"] = datetime(2034, 10, 31)
    with pytest.raises(InvalidDocument, match=r"valid_until: .*goods\[1\]: 6402 is listed twice"):
        Recordation(**fields)


def test_in_force_until_the_last_day_of_the_term():
    recordation = Recordation.parse(**STRIDE)
    assert recordation.in_force(date(2034, 10, 31))
    assert not recordation.in_force(date(2034, 11, 1))
    assert recordation.covers("stride", "6403991000", date(2030, 1, 1))
    assert not recordation.covers("stride", "6401000000", date(2030, 1, 1))


def test_constructor_takes_no_untrimmed_or_lower_case_text():
    fields = {**STRIDE, "kind": RightKind.TRADEMARK, "valid_until": date(2034, 10, 31)}
    fields.update(number="tmk 24-00123", mark=" STRIDE", goods=())
    with pytest.raises(InvalidDocument, match="mark: expected at most 200 characters") as caught:
        Recordation(**fields)
    assert [p.field for p in caught.value.problems] == ["mark", "number"]
    assert "expected upper-case letters" in caught.value.problems[1].reason
