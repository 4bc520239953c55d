"""``lookup(hts)``: the tariff line, its rates, programmes, statistical lines and Section 301."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tradetrace.errors import InvalidDocument, NotFound
from tradetrace.tariff import lookup


def test_lookup_of_a_tariff_line_lists_rates_programmes_and_children(data):
    result = lookup("6109.10.00", data=data)
    document = json.loads(json.dumps(result.to_json_dict()))
    assert document == result.to_json_dict()
    assert document["hts"] == "6109.10.00"
    (period,) = document["periods"]
    assert period["general"] == {"text": "16.5%", "kind": "ad_valorem", "computable": True}
    assert period["column2"]["text"] == "90%"
    assert period["units"] == ["DOZ", "KG"]
    special = {entry["indicator"]: entry["text"] for entry in period["special"]}
    assert special["S"] == "Free"
    assert special["P"] == "Free"
    assert len(document["statistical_lines"]) > 5
    assert document["section301"] == [
        {
            "list": "4A",
            "heading": "9903.88.15",
            "in_force": [
                {
                    "begin": "2020-02-14",
                    "end": "2050-12-31",
                    "rate": "7.5%",
                    "source": "tariff database 2025, in force 2020-02-14..2050-12-31",
                }
            ],
        }
    ]


def test_lookup_gives_section_301_periods_from_the_extract_or_none(data):
    listings = {
        listing.heading: periods for listing, periods in lookup("85176200", data=data).section301
    }
    assert listings["9903.88.16"] == ()  # List 4B: never in force
    # natural graphite 2504.10.10: note 31(g) heading 9903.91.06, only in the 2026 extract
    listings = {
        listing.heading: periods for listing, periods in lookup("25041010", data=data).section301
    }
    (period,) = listings["9903.91.06"]
    assert (period.begin, period.end, period.rate) == (date(2026, 1, 1), None, Decimal("0.25"))


def test_lookup_of_a_statistical_line_gives_it_and_its_parent(data):
    document = json.loads(json.dumps(lookup("7208101500", data=data).to_json_dict()))
    assert document["tariff_line"] == "7208.10.15"
    assert document["statistical_lines"] == [
        {"hts10": "7208.10.15.00", "description": "Pickled", "rate_text": "Free"}
    ]
    assert document["chapter99_refs"] == ["9903.91.01"]


def test_lookup_on_a_date_keeps_the_period_in_force(data):
    steel = lookup("99038187", on=date(2025, 7, 1), data=data)
    assert [line.mfn.text for line in steel.lines] == [
        "The duty provided in the applicable subheading + 50%"
    ]
    assert len(lookup("99038187", data=data).lines) == 2


def test_lookup_uses_the_bundled_data_by_default():
    assert lookup("8471300100").lines[0].mfn.text == "Free"


@pytest.mark.parametrize(
    ("hts", "error", "pattern"),
    [
        ("72A8", InvalidDocument, r"hts: expected an HTSUS number of 8 or 10 digits"),
        ("720810", InvalidDocument, r"hts: expected 8 or 10 digits, got 6"),
        ("00000000", NotFound, r"hts 0000\.00\.00: no such tariff line"),
        ("7208101599", NotFound, r"hts 7208\.10\.15\.99: no such statistical reporting number"),
    ],
)
def test_lookup_refuses_bad_or_unknown_codes(data, hts, error, pattern):
    with pytest.raises(error, match=pattern) as info:
        lookup(hts, data=data)
    assert info.value.code == error.code
