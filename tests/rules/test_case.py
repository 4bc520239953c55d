"""The rule engine's input: presented credentials, ledger records, trace facts, recordations."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import NOW, at, load, present, report, trust
from tradetrace.errors import InvalidDocument
from tradetrace.rules import (
    Case,
    CustodyStep,
    FoodRecord,
    LedgerRecord,
    PresentedCredential,
    ProductionRecord,
)
from tradetrace.rules.case import parse_time


def test_presented_credential_reads_its_envelope():
    credential = present(load("usmca-conductors-certification.json"), index=4)
    assert credential.id == "urn:uuid:6f1c2b7e-3a4d-4f5e-9b8a-1c2d3e4f5a61"
    assert credential.types == ("VerifiableCredential", "USMCACertificationOfOrigin")
    assert credential.issuer == "did:web:conductores-norte.example.mx"
    assert credential.issuer_document["name"] == "Conductores del Norte S.A. de C.V."
    assert credential.valid_from == datetime(2025, 1, 1, tzinfo=UTC)
    assert credential.valid_until == datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC)
    assert credential.covers(date(2025, 12, 31)) and not credential.covers(date(2026, 1, 1))
    assert credential.verified and credential.trusted and not credential.revoked
    assert credential.failure is None
    assert credential.ledger is not None
    assert credential.ledger.reference == "ledger.tradetrace.example/log#4"
    assert credential.has_type("USMCACertificationOfOrigin", "Other")


def test_presented_credential_reads_a_string_issuer_and_vc_1_1_dates():
    document = {
        "@context": ["https://www.w3.org/2018/credentials/v1"],
        "id": "urn:uuid:1",
        "type": "VerifiableCredential",
        "issuer": "did:web:issuer.example",
        "issuanceDate": "2025-01-01T00:00:00",
        "expirationDate": "2025-02-01T00:00:00Z",
        "credentialSubject": {"id": "did:web:subject.example"},
    }
    credential = present(document, revoked=True)
    assert credential.types == ("VerifiableCredential",)
    assert credential.issuer == "did:web:issuer.example"
    assert credential.issuer_document == {}
    assert credential.valid_from == datetime(2025, 1, 1, tzinfo=UTC)
    assert credential.revoked and credential.failure == "status invalid: credential_revoked"


def test_presented_credential_without_an_envelope_is_refused():
    document = {"issuer": {"name": "no id"}, "credentialSubject": []}
    with pytest.raises(InvalidDocument, match="invalid presented credential") as caught:
        PresentedCredential(
            document=document, report=report(document), trust=trust("did:web:x.example")
        )
    assert caught.value.code == "invalid_document"
    assert {p.field for p in caught.value.problems} == {
        "id",
        "type",
        "issuer",
        "credentialSubject",
    }


def test_case_refuses_a_credential_presented_twice_and_a_naive_now():
    case = scenarios.usmca_case()
    with pytest.raises(InvalidDocument, match="invalid case") as caught:
        Case(
            entry=case.entry,
            credentials=(case.credentials[0], case.credentials[0]),
            now=datetime(2026, 1, 1),
        )
    assert caught.value.code == "invalid_document"
    assert [p.field for p in caught.value.problems] == ["credentials[1]", "now"]


def test_case_lookups():
    case = scenarios.usmca_case()
    assert [c.id for c in case.of_type("CommercialInvoiceCredential")] == [
        "urn:uuid:0b7d6c5a-4e3f-4a2b-8c1d-9e8f7a6b5c42"
    ]
    assert case.by_id("urn:uuid:0b7d6c5a-4e3f-4a2b-8c1d-9e8f7a6b5c42") is case.credentials[1]
    assert case.by_id("urn:uuid:none") is None
    assert case.filed_at == at("2025-07-14T16:00:00Z")


def test_case_filing_time_without_filed_at_or_now_is_the_entry_date():
    case = scenarios.usmca_case(entry={"filedAt": scenarios.DELETE})
    assert case.filed_at == datetime(2025, 7, 15, tzinfo=UTC)
    assert case.at(NOW).filed_at == NOW


def test_ledger_record_must_be_aware_and_indexed():
    with pytest.raises(InvalidDocument, match="invalid ledger record") as caught:
        LedgerRecord(log_origin="log", index=-1, logged_at=NOW)
    assert caught.value.code == "invalid_document"


@pytest.mark.parametrize(
    "make",
    [
        lambda: ProductionRecord(lot="1", facility="f", producer="p", country="XX", at=NOW),
        lambda: CustodyStep(
            lot="1",
            from_party="a",
            to_party="b",
            country="CA",
            at=datetime(2025, 1, 1),
        ),
        lambda: FoodRecord(lot_code="1", cte="shipping", at=datetime(2025, 1, 1)),
    ],
)
def test_trace_facts_are_checked(make):
    with pytest.raises(
        InvalidDocument, match=r"invalid (production record|custody step|food)"
    ) as e:
        make()
    assert e.value.code == "invalid_document"


def test_trace_sorts_custody_and_food_records_by_time():
    trace = scenarios.pipeline_trace()
    steps = trace.custody_of("CDB-2507-01")
    assert [step.event_id for step in steps] == ["urn:uuid:evt-0101", "urn:uuid:evt-0102"]
    assert trace.production_of("CDB-2507-02")[0].quantity == Decimal("50000")
    assert [r.cte for r in scenarios.food_trace().food_records_of(scenarios.LOT)] == [
        "initial_packing",
        "shipping",
    ]


@pytest.mark.parametrize(
    ("text", "moment"),
    [
        ("2025-07-01T10:00:00Z", datetime(2025, 7, 1, 10, tzinfo=UTC)),
        ("2025-07-01", datetime(2025, 7, 1, tzinfo=UTC)),
        ("yesterday", None),
        (None, None),
    ],
)
def test_parse_time(text, moment):
    assert parse_time(text) == moment
