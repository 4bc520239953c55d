"""Entries from the vocabulary's entry credentials (CBPEntryType86, CBP7501EntrySummary)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.rules.scenarios import ASSETS, DELETE, edit, load
from tradetrace.entries import EntryType, TransportCode, vocabulary
from tradetrace.entries.credentials import (
    entry_from_entry_summary_credential,
    entry_from_type86_credential,
)
from tradetrace.errors import InvalidDocument


def test_type86_credential_becomes_a_one_line_type_86_entry():
    entry = entry_from_type86_credential(load("ecommerce-sneakers-type86-credential.json"))
    assert entry.entry_number == "ZX9-1000586-3"
    assert entry.entry_type is EntryType.SECTION_321
    assert entry.importer_of_record_number == "77-1234567"
    assert entry.port_of_entry == "4701"
    assert entry.entry_date == date(2025, 6, 14)
    assert entry.filed_at == datetime(2025, 6, 14, 22, 0, tzinfo=UTC)
    assert entry.bill_of_lading == "176-12345675"
    assert entry.shipper is not None and entry.shipper.country == "VN"
    assert entry.consignee is not None and entry.consignee.name == "Jordan Lee"
    (line,) = entry.lines
    assert (line.hts10, line.origin_country, line.value) == ("6404199060", "VN", Decimal("95"))
    assert line.quantity_map() == {"PRS": Decimal("1")}


def test_type86_credential_matches_the_entry_filed_as_json():
    mapped = entry_from_type86_credential(load("ecommerce-sneakers-type86-credential.json"))
    filed = load("ecommerce-sneakers-type86-entry.json")
    assert mapped.entry_number == filed["entryNumber"]
    assert mapped.lines[0].hts10 == filed["lines"][0]["hts10"]


def test_vocabulary_type86_example_is_refused_by_credential_path():
    example = json.loads((ASSETS / "vc/content/valid-cbp-entry-type-86.json").read_text())
    with pytest.raises(InvalidDocument, match="invalid CBPEntryType86Credential") as caught:
        entry_from_type86_credential(example)
    assert caught.value.code == "invalid_document"
    fields = {problem.field: problem.reason for problem in caught.value.problems}
    assert fields["credentialSubject.entryNumber"].startswith("check digit should be 4")
    assert "19 CFR 24.5" in fields["credentialSubject.importerOfRecord.number"]


def test_type86_credential_problems_name_credential_fields():
    document = edit(
        load("ecommerce-sneakers-type86-credential.json"),
        {
            "credentialSubject.htsusNumber.commodityCode": "6404.19",
            "credentialSubject.fairRetailValue.currency": "EUR",
            "credentialSubject.portOfEntry": DELETE,
            "credentialSubject.countryOfOrigin": "Atlantis",
        },
    )
    with pytest.raises(InvalidDocument, match="invalid CBPEntryType86Credential") as caught:
        entry_from_type86_credential(document)
    assert caught.value.code == "invalid_document"
    fields = {problem.field for problem in caught.value.problems}
    assert fields == {
        "credentialSubject.fairRetailValue",
        "credentialSubject.htsusNumber.commodityCode",
        "credentialSubject.portOfEntry.usPortCode",
        "credentialSubject.countryOfOrigin",
    }


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        (
            {"credentialSubject.fairRetailValue.currency": "EUR"},
            ["credentialSubject.fairRetailValue"],
        ),
        ({"validFrom": DELETE}, ["validFrom"]),
        ({"validFrom": "yesterday"}, ["validFrom"]),
        (
            {"credentialSubject.quantity": DELETE, "credentialSubject.bolNumber": "#1"},
            ["credentialSubject.bolNumber"],
        ),
    ],
)
def test_type86_credential_reports_one_problem_each(changes, fields):
    document = edit(load("ecommerce-sneakers-type86-credential.json"), changes)
    with pytest.raises(InvalidDocument, match="invalid CBPEntryType86Credential") as caught:
        entry_from_type86_credential(document)
    assert caught.value.code == "invalid_document"
    assert [problem.field for problem in caught.value.problems] == fields


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"type": ["VerifiableCredential"]}, "type"),
        ({"credentialSubject": "x"}, "credentialSubject"),
    ],
)
def test_type86_mapping_needs_the_type_and_a_subject(changes, field):
    document = edit(load("ecommerce-sneakers-type86-credential.json"), changes)
    with pytest.raises(InvalidDocument, match="invalid credential") as caught:
        entry_from_type86_credential(document)
    assert caught.value.code == "invalid_document"
    assert caught.value.problems[0].field == field


def test_entry_summary_credential_becomes_the_entry():
    entry = entry_from_entry_summary_credential(load("entry-summary-credential.json"))
    assert entry.entry_number == "B76-0251001-1"
    assert entry.entry_type is EntryType.FREE_AND_DUTIABLE
    assert entry.mode_of_transport is TransportCode.TRUCK
    assert (
        entry.importer is not None and entry.importer.did == "did:web:harbor-electric.example.com"
    )
    assert entry.port_of_unlading == "2304"
    assert entry.import_date == date(2025, 7, 14)
    (line,) = entry.lines
    assert (line.hts10, line.origin_country, line.export_country) == ("8544429090", "MX", "MX")
    assert line.mid == "MXCONNOR1200MON"
    assert line.quantity_map() == {"NO": Decimal("10000")}
    assert line.value == Decimal("50000")


def test_entry_summary_credential_with_multi_origin_is_refused():
    document = edit(
        load("entry-summary-credential.json"), {"credentialSubject.countryOfOrigin": "MULTI"}
    )
    with pytest.raises(InvalidDocument, match="MULTI cannot be mapped") as caught:
        entry_from_entry_summary_credential(document)
    assert caught.value.code == "invalid_document"


def test_vocabulary_entry_summary_example_is_refused_field_by_field():
    with pytest.raises(InvalidDocument, match="CBP7501EntrySummaryCredential") as caught:
        entry_from_entry_summary_credential(load("vocabulary-entry-summary-example.json"))
    assert caught.value.code == "invalid_document"
    fields = {problem.field for problem in caught.value.problems}
    assert fields == {
        "credentialSubject.entryNumber",
        "credentialSubject.importerNumber.number",
        "credentialSubject.manufacturerId",
        "credentialSubject.descriptionOfMerchandise[0].adCvdNumber",
    }


@pytest.mark.parametrize(
    ("value", "code"),
    [("MX", "MX"), ("mexico", "MX"), ("United States", "US"), ("Atlantis", None), (7, None)],
)
def test_vocabulary_country_code_reads_codes_and_names(value, code):
    assert vocabulary.country_code(value) == code


@pytest.mark.parametrize(
    ("value", "unit"), [("KGM", "KG"), ("kg", "KG"), ("bbl", "BBL"), ("C62", "NO"), (None, None)]
)
def test_vocabulary_hts_unit(value, unit):
    assert vocabulary.hts_unit(value) == unit


@pytest.mark.parametrize(
    ("value", "amount"),
    [(12, Decimal(12)), ("3.50", Decimal("3.50")), ("x", None), (True, None), ("NaN", None)],
)
def test_vocabulary_amount(value, amount):
    assert vocabulary.amount(value) == amount


def test_vocabulary_party_reads_person_names_and_places():
    person = {"type": ["Person"], "firstName": "Ana", "lastName": "Martinez"}
    assert vocabulary.party_name(person) == "Ana Martinez"
    assert vocabulary.party_json({}) is None
    entity = {"name": "James Smith", "address": {"addressCountry": "US", "streetAddress": "1 A"}}
    assert vocabulary.party_json(entity) == {
        "name": "James Smith",
        "address": {"street": "1 A", "country": "US"},
    }
    assert vocabulary.field({"a": [1]}, "a", "b") is None
