"""The entry model: parsed from JSON once, every field checked, camelCase or snake_case in."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.rules.scenarios import DELETE, edit, load
from tradetrace import tariff
from tradetrace.entries import Entry, EntryType, TransportCode
from tradetrace.errors import InvalidDocument


def make_entry(**changes):
    """The USMCA conductors entry with ``changes`` (paths as in the JSON) applied."""
    return edit(load("usmca-conductors-entry.json"), changes)


def problems_of(document) -> dict[str, str]:
    with pytest.raises(InvalidDocument, match="invalid entry") as caught:
        Entry.from_json(document)
    assert caught.value.code == "invalid_document"
    return {problem.field: problem.reason for problem in caught.value.problems}


def test_entry_from_json_reads_every_form_field():
    entry = Entry.from_json(make_entry())
    assert entry.entry_number == "B76-0251001-1"
    assert entry.filer_code == "B76"
    assert entry.entry_type is EntryType.FREE_AND_DUTIABLE
    assert entry.port_of_entry == "2304"
    assert entry.entry_date == date(2025, 7, 15)
    assert entry.filed_at == datetime(2025, 7, 14, 16, 0, tzinfo=UTC)
    assert entry.mode_of_transport is TransportCode.TRUCK
    assert entry.importer is not None and entry.importer.country == "US"
    line = entry.line(1)
    assert (line.hts10, line.hts6, line.spi) == ("8544429090", "854442", "S")
    assert line.quantity("NO") == Decimal("10000")
    assert line.quantity("BBL") is None
    assert line.quantity_map() == {"NO": Decimal("10000"), "KG": Decimal("4200")}
    assert entry.value == Decimal("50000.00")
    assert entry.numbered_lines() == ((1, line),)


def test_entry_accepts_snake_case_and_json_text():
    camel = make_entry()
    snake = {
        "entry_number": camel["entryNumber"],
        "entry_type": "01",
        "importer_of_record_number": camel["importerOfRecordNumber"],
        "importer": camel["importer"],
        "port_of_entry": "2304",
        "entry_date": "2025-07-15",
        "lines": [{"hts10": "8544.42.90.90", "origin_country": "mx", "value": 50000, "spi": "s"}],
    }
    entry = Entry.from_json(json.dumps(snake))
    assert entry.line(1).hts10 == "8544429090"
    assert entry.line(1).origin_country == "MX"
    assert entry.line(1).spi == "S"


def test_entry_round_trips_through_camel_case_json():
    entry = Entry.from_json(make_entry())
    document = entry.to_json_dict()
    assert document["entryNumber"] == "B76-0251001-1"
    assert document["lines"][0]["originCountry"] == "MX"
    assert "melt_pour_country" not in document["lines"][0]
    assert Entry.from_json(document) == entry


def test_entry_names_every_field_at_fault():
    document = make_entry(
        **{
            "entryNumber": "B76-0251001-9",
            "portOfEntry": "23",
            "entryDate": "2025-13-01",
            "filedAt": "2025-07-14T16:00:00",
            "modeOfTransport": "99",
            "lines[0].hts10": "85444290",
            "lines[0].originCountry": "XX",
            "lines[0].value": "-1",
            "lines[0].spi": "Q",
            "lines[0].mid": "12",
            "lines[0].bogus": True,
        }
    )
    problems = problems_of(document)
    assert problems["entry_number"].startswith("check digit should be 1")
    assert problems["port_of_entry"].startswith("expected a 4-digit CBP port code")
    assert "month value is outside" in problems["entry_date"]
    assert problems["filed_at"] == "input should have timezone info"
    assert "mode_of_transport" in problems
    assert problems["lines[0].hts10"] == "expected 10 digits, got 8 in '85444290'"
    assert problems["lines[0].origin_country"].startswith("unknown ISO 3166-1")
    assert problems["lines[0].value"] == "expected a non-negative amount, got -1"
    assert problems["lines[0].spi"] == "unknown special programme indicator 'Q'"
    assert problems["lines[0].mid"].startswith("expected a country code")
    assert problems["lines[0].bogus"] == "extra inputs are not permitted"


def test_entry_requires_the_importer_except_on_type_86():
    document = make_entry(importerOfRecordNumber=DELETE, importer=DELETE)
    assert problems_of(document) == {
        "importer_of_record_number": "required on an entry of type 01",
        "importer": "required on an entry of type 01",
    }
    entry = Entry.from_json(edit(document, {"entryType": "86"}))
    assert entry.importer is None


def test_entry_needs_lines_and_refuses_a_bad_line_only_once():
    assert problems_of(make_entry(lines=[])) == {
        "lines": "tuple should have at least 1 item after validation, not 0"
    }
    problems = problems_of(make_entry(**{"lines[0].hts10": "12"}))
    assert list(problems) == ["lines[0].hts10"]


def test_entry_refuses_a_field_given_twice():
    document = make_entry(entry_date="2025-07-15")
    assert problems_of(document) == {"entry_date": "given twice, as entry_date and in camelCase"}


def test_entry_line_quantities_take_one_amount_per_unit():
    quantities = [{"amount": "1", "unit": "kg"}, {"amount": "2", "unit": "KG"}]
    problems = problems_of(make_entry(**{"lines[0].quantities": quantities}))
    assert problems == {"lines[0].quantities": "unit KG given more than once"}


@pytest.mark.parametrize(
    ("path", "value", "reason"),
    [
        ("lines[0].meltPourCountry", "ZZ", "or OTH when unknown"),
        ("lines[0].fdaProductCode", "cucumber", "7-character FDA product code"),
        ("lines[0].adcvdCaseNumber", "A123-234-345", "AD/CVD case number"),
        ("lines[0].heatNumbers", ["heat 1!"], "letters, digits"),
        ("importer.did", "web:harbor", "a DID"),
        ("lines[0].description", "", "1 to 200 characters"),
        ("importerOfRecordNumber", "10025672", "19 CFR 24.5"),
    ],
)
def test_entry_fields_are_checked(path, value, reason):
    problems = problems_of(make_entry(**{path: value}))
    assert len(problems) == 1
    (message,) = problems.values()
    assert reason in message


def test_entry_accepts_unknown_melt_country_as_oth():
    entry = Entry.from_json(make_entry(**{"lines[0].meltPourCountry": "oth"}))
    assert entry.line(1).melt_pour_country == "OTH"


def test_entry_refuses_what_is_not_an_object():
    assert problems_of("[1]") == {"(document)": "input should be an object"}
    assert list(problems_of("{")) == ["(document)"]


def test_entry_models_are_frozen_and_hashable():
    entry = Entry.from_json(make_entry())
    assert entry.model_config["frozen"] is True
    assert hash(entry) == hash(Entry.from_json(make_entry()))


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("01", tariff.EntryType.FORMAL),
        ("03", tariff.EntryType.FORMAL),
        ("06", tariff.EntryType.FORMAL),
        ("31", tariff.EntryType.FORMAL),
        ("11", tariff.EntryType.INFORMAL),
        ("12", tariff.EntryType.INFORMAL),
        ("86", tariff.EntryType.SECTION_321),
        ("21", None),
        ("23", None),
        ("61", None),
    ],
)
def test_entry_type_says_how_duties_are_computed(code, kind):
    assert EntryType(code).tariff_type is kind


def test_entry_type_flags():
    assert EntryType("03").antidumping and not EntryType("01").antidumping
    assert EntryType("02").quota and not EntryType("03").quota


@pytest.mark.parametrize(
    ("code", "mode"),
    [
        ("11", tariff.TransportMode.VESSEL),
        ("12", tariff.TransportMode.VESSEL),
        ("21", tariff.TransportMode.RAIL),
        ("31", tariff.TransportMode.TRUCK),
        ("41", tariff.TransportMode.AIR),
        ("50", tariff.TransportMode.MAIL),
        ("70", tariff.TransportMode.PIPELINE),
        ("60", None),
    ],
)
def test_transport_code_maps_to_the_tariff_mode(code, mode):
    assert TransportCode(code).tariff_mode is mode
    assert TransportCode(code).pipeline is (code == "70")
