"""Relief programs over HTTP: evaluation, attestations, the ledger, statements, the report."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.api.desk import OPERATOR, Clock, desk_client

NOW = datetime(2020, 4, 20, 12, 0, tzinfo=UTC)
ATTESTATION = {
    "ior": "12-345678900",
    "importer_name": "Acme Imports",
    "comparison_period": "April 2020",
    "receipts_2019": "100000",
    "receipts_2020": "40000",
    "suspended": True,
    "documents": [{"title": "April 2020 P&L", "reference": "books/2020-04.pdf"}],
}
ENTRY = {
    "entry_number": "ABC-1234567-8",
    "ior": "12-345678900",
    "port": "2704",
    "entry_date": "2020-04-16",
    "entry_type": "01",
    "payment": "daily",
    "charges": {"duty": "1200.00", "mpf": "41.57", "hmf": "15.00"},
}


@pytest.fixture
def desk(settings, engine):
    with desk_client(settings, engine, Clock(NOW)) as client:
        yield client


def test_evaluate_is_public_and_explains_the_verdict(desk):
    body = {
        "entry_date": "2020-04-16",
        "entry_type": "01",
        "excluded_duties": ["232"],
        "receipts_2019": "100000",
        "receipts_2020": "40000",
        "suspended": True,
    }

    result = desk.post("/api/relief/evaluate", json=body).json()

    assert result["eligible"] is False
    assert result["due_date"] is None
    assert result["original_due_date"] == "2020-04-30"
    assert [r["code"] for r in result["reasons"] if not r["met"]] == ["excluded_duty_section_232"]


def test_evaluate_bad_input_is_400_naming_fields(desk):
    body = {
        "entry_date": "2020-04-16",
        "entry_type": "99",
        "receipts_2019": "x",
        "receipts_2020": "1",
        "payment": "weekly",
    }

    response = desk.post("/api/relief/evaluate", json=body)

    assert response.status_code == 400
    fields = {item["field"] for item in response.json()["errors"]}
    assert fields == {"entry_type", "receipts_2019", "payment"}


def test_attest_record_entry_explain_statement_pay_and_report(desk):
    attested = desk.post("/api/relief/attestations", json=ATTESTATION, headers=OPERATOR)
    assert attested.status_code == 201, attested.text
    assert attested.json()["attested_by"] == "officer-7"
    assert attested.json()["documents"] == ATTESTATION["documents"]

    recorded = desk.post("/api/relief/entries", json=ENTRY, headers=OPERATOR)
    assert recorded.status_code == 201, recorded.text
    assert recorded.json()["total_deferred"] == "1256.57"
    assert recorded.json()["due_date"] == "2020-07-29"

    explained = desk.get("/api/relief/entries/ABC-1234567-8", headers=OPERATOR).json()
    assert explained["payment_status"] == "deferred"
    assert explained["eligibility"]["reasons"][0]["citation"].startswith("19 CFR 24.1a(a)")
    statement = desk.get("/api/relief/statements/12-345678900", headers=OPERATOR).json()
    assert statement["total"] == "1256.57"
    assert statement["lines"][0]["original_due_date"] == "2020-04-30"

    paid = desk.post("/api/relief/entries/ABC-1234567-8/payment", json={}, headers=OPERATOR)
    assert paid.json()["payment_status"] == "paid"
    assert paid.json()["paid_date"] == "2020-04-20"
    again = desk.post("/api/relief/entries/ABC-1234567-8/payment", json={}, headers=OPERATOR)
    assert again.status_code == 409

    report = desk.get("/api/relief/report").json()
    assert (report["importers_deferring"], report["entries_deferred"]) == (1, 1)
    assert report["by_port"] == {"2704": {"importers": 1, "entries": 1, "deferred": "1256.57"}}


def test_an_entry_with_a_301_line_is_recorded_but_nothing_is_deferred(desk):
    desk.post("/api/relief/attestations", json=ATTESTATION, headers=OPERATOR)
    entry = {**ENTRY, "charges": {**ENTRY["charges"], "301": "300.00"}}

    recorded = desk.post("/api/relief/entries", json=entry, headers=OPERATOR).json()

    assert recorded["total_deferred"] == "0.00"
    assert recorded["due_on_original"]["301"] == "300.00"
    assert recorded["eligibility"]["eligible"] is False
    assert desk.get("/api/relief/report").json()["ineligible_reasons"] == {
        "excluded_duty_section_301": 1
    }


def test_attestation_fields_are_checked(desk):
    bad = {**ATTESTATION, "ior": "?", "comparison_period": "May 2020", "receipts_2019": "-1"}

    response = desk.post("/api/relief/attestations", json=bad, headers=OPERATOR)

    assert response.status_code == 400
    fields = {item["field"] for item in response.json()["errors"]}
    assert fields == {"ior", "comparison_period", "receipts_2019"}


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/api/relief/attestations", ATTESTATION),
        ("post", "/api/relief/entries", ENTRY),
        ("get", "/api/relief/entries/ABC-1234567-8", None),
        ("get", "/api/relief/statements/12-345678900", None),
        ("post", "/api/relief/entries/ABC-1234567-8/payment", {}),
    ],
)
def test_importer_data_needs_an_operator_token(desk, method, path, body):
    response = getattr(desk, method)(path, **({"json": body} if body is not None else {}))

    assert response.status_code == 401
    assert response.json()["code"] == "unauthorized"
