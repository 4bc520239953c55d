"""Consistency: the conductors' invoice, bill of lading and packing list against the entry, and
every credential logged on the ledger before the entry was filed (14 Jul 2025, 16:00 UTC)."""

from __future__ import annotations

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import DELETE, NOW, at
from tradetrace import rules
from tradetrace.rules import Recommendation
from tradetrace.rules.consistency import entry_invoices

INVOICE = "urn:uuid:0b7d6c5a-4e3f-4a2b-8c1d-9e8f7a6b5c42"


def make_case(**overrides):
    return scenarios.usmca_case(**overrides)


def test_consistent_documents_raise_nothing():
    report = rules.evaluate(make_case(), now=NOW)
    assert not [finding for finding in report.findings if finding.family.value == "consistency"]
    assert [invoice.id for invoice in entry_invoices(make_case())] == [INVOICE]


def test_inconsistent_invoice_value_calls_for_an_exam():
    edits = {"invoice": {"credentialSubject.itemsShipped[0].lineItemTotalPrice.price": 58000}}
    decision = rules.assess(make_case(edits=edits), now=NOW)
    (finding,) = decision.report.by_rule("consistency.invoice_value")
    assert (finding.severity.label, finding.line) == ("exam", None)
    assert finding.message == (
        "inconsistent invoice value: the invoices total 58000 USD, the entry declares 50000.00 USD"
    )
    assert finding.evidence.credential_ids == (INVOICE,)
    assert finding.evidence.ledger_references == ("ledger.tradetrace.example/log#1",)
    assert decision.recommendation is Recommendation.EXAM
    assert decision.reasons == (finding,)


def test_invoice_value_within_one_percent_is_accepted():
    edits = {"invoice": {"credentialSubject.itemsShipped[0].lineItemTotalPrice.price": 50400}}
    assert not rules.evaluate(make_case(edits=edits), now=NOW).by_rule("consistency.invoice_value")


def test_invoice_in_another_currency_cannot_be_compared():
    edits = {
        "invoice": {"credentialSubject.itemsShipped[0].lineItemTotalPrice.priceCurrency": "MXN"}
    }
    (finding,) = rules.evaluate(make_case(edits=edits), now=NOW).by_rule(
        "consistency.invoice_value"
    )
    assert finding.severity.label == "warning"


def test_invoice_for_another_entry_is_not_compared():
    edits = {"invoice": {"credentialSubject.invoiceNumber": "CN-2025-0999"}}
    case = make_case(edits=edits)
    assert entry_invoices(case) == ()
    assert not rules.evaluate(case, now=NOW).by_rule("consistency.invoice_value")


def test_invoice_seller_must_be_the_entry_seller():
    edits = {"invoice": {"credentialSubject.seller.name": "Cables Baratos SA"}}
    (finding,) = rules.evaluate(make_case(edits=edits), now=NOW).by_rule("consistency.parties")
    assert finding.severity.label == "warning"
    assert "names the seller 'Cables Baratos SA'" in finding.message


@pytest.mark.parametrize(
    ("edits", "severity", "words"),
    [
        pytest.param(
            {"bill_of_lading": {"credentialSubject.particulars[0].netWeight.value": "5200"}},
            "exam",
            "states 5200 kg net, the entry declares 4200 kg",
            id="bill-of-lading-weight",
        ),
        pytest.param(
            {"packing_list": {"credentialSubject.totalNetWeight.value": "3900"}},
            "exam",
            "states 3900 kg net",
            id="packing-list-weight",
        ),
        pytest.param(
            {"bill_of_lading": {"credentialSubject.billOfLadingNumber": "TXMX25079999"}},
            "warning",
            "is for bill TXMX25079999, the entry for TXMX25070042",
            id="other-bill",
        ),
        pytest.param(
            {"bill_of_lading": {"credentialSubject.consignee.name": "Someone Else Inc."}},
            "warning",
            "names consignee 'Someone Else Inc.'",
            id="other-consignee",
        ),
    ],
)
def test_transport_documents_must_agree(edits, severity, words):
    findings = rules.evaluate(make_case(edits=edits), now=NOW).by_rule(
        "consistency.transport_documents"
    )
    assert [finding.severity.label for finding in findings] == [severity]
    assert words in findings[0].message


@pytest.mark.parametrize(
    ("edits", "words"),
    [
        ({"credentialSubject.itemsShipped[0].itemCount": 9000}, "state 9000 NO, the entry"),
        (
            {"credentialSubject.itemsShipped[0].netWeight.value": "4500"},
            "state 4500 KG, the entry declares 4200 KG",
        ),
    ],
)
def test_invoice_quantities_must_match_the_entry(edits, words):
    findings = rules.evaluate(make_case(edits={"invoice": edits}), now=NOW).by_rule(
        "consistency.invoice_quantities"
    )
    assert [finding.severity.label for finding in findings] == ["exam"]
    assert words in findings[0].message


def test_invoice_quantities_are_compared_only_when_both_sides_state_them():
    edits = {"invoice": {"credentialSubject.itemsShipped[0].netWeight": DELETE}}
    case = make_case(edits=edits, entry={"lines[0].quantities": [{"amount": "1", "unit": "NO"}]})
    findings = rules.evaluate(case, now=NOW).by_rule("consistency.invoice_quantities")
    assert [finding.message for finding in findings] == [
        "the invoices state 10000 NO, the entry declares 1 NO"
    ]


def test_packing_list_buyer_must_be_the_entry_buyer():
    edits = {"packing_list": {"credentialSubject.buyer.name": "Other Buyer Corp."}}
    (finding,) = rules.evaluate(make_case(edits=edits), now=NOW).by_rule("consistency.parties")
    assert "names the buyer 'Other Buyer Corp.'" in finding.message


def test_party_names_match_despite_legal_form_and_punctuation():
    edits = {"invoice": {"credentialSubject.seller.name": "CONDUCTORES DEL NORTE, SA de CV"}}
    assert not rules.evaluate(make_case(edits=edits), now=NOW).by_rule("consistency.parties")


def test_unverified_trade_document_calls_for_an_exam():
    (finding,) = rules.evaluate(make_case(revoked={"invoice"}), now=NOW).by_rule(
        "consistency.documents_verified"
    )
    assert finding.severity.label == "exam"
    assert "status invalid: credential_revoked" in finding.message


def test_credential_logged_after_filing_calls_for_an_exam():
    case = make_case(logged_at={"packing_list": at("2025-07-14T16:00:01Z")})
    (finding,) = rules.evaluate(case, now=NOW).by_rule("consistency.ledger_before_filing")
    assert finding.severity.label == "exam"
    assert "after the entry was filed at 2025-07-14T16:00:00+00:00" in finding.message
    assert finding.evidence.ledger_references == ("ledger.tradetrace.example/log#3",)


def test_credential_never_logged_is_reviewed():
    (finding,) = rules.evaluate(make_case(unlogged={"certificate"}), now=NOW).by_rule(
        "consistency.ledger_before_filing"
    )
    assert finding.severity.label == "warning"
    assert "was never logged on the ledger" in finding.message


def test_filing_time_falls_back_to_the_evaluation_time():
    case = make_case(entry={"filedAt": DELETE}, logged_at={"invoice": NOW})
    assert not rules.evaluate(case, now=NOW).by_rule("consistency.ledger_before_filing")
