"""USMCA claims: insulated conductors from Mexico, and each way the claim can fail.

Duties by hand (8544.42.90.90, column 1 general 2.6%, S Free; FY2025 MPF 0.3464%, minimum
32.71, maximum 634.62; truck, so no HMF): with the preference, duty 0 and MPF exempt = 0.00;
without it, duty 2.6% x 50,000 = 1,300.00 and MPF 0.3464% x 50,000 = 173.20, total 1,473.20.
"""

from __future__ import annotations

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import DELETE, NOW, rule_ids
from tradetrace import rules
from tradetrace.rules import PreferenceStatus, Recommendation


def make_case(**overrides):
    return scenarios.usmca_case(**overrides)


def test_usmca_valid_shipment_is_released_with_the_preference():
    decision = rules.assess(make_case(), now=NOW)
    assert decision.recommendation is Recommendation.RELEASE
    assert decision.reasons == ()
    (line,) = decision.lines
    assert line.preference is PreferenceStatus.GRANTED
    assert line.admissible
    assert decision.duties is not None
    assert decision.duties.to_json_dict() | {"basis": None} == {
        "duty": "0.00",
        "additional_duties": "0.00",
        "mpf": "0.00",
        "hmf": "0.00",
        "total": "0.00",
        "basis": None,
    }
    (supported,) = decision.report.by_rule("usmca.claim_supported")
    assert supported.preference_supported
    assert supported.evidence.credential_ids == ("urn:uuid:6f1c2b7e-3a4d-4f5e-9b8a-1c2d3e4f5a61",)
    assert supported.evidence.ledger_references == ("ledger.tradetrace.example/log#0",)


@pytest.mark.parametrize(
    ("overrides", "rule_id", "words"),
    [
        pytest.param(
            {"edits": {"certificate": {"validUntil": "2025-06-30T23:59:59Z"}}},
            "usmca.blanket_period",
            "does not cover the entry date 2025-07-15",
            id="expired-certificate",
        ),
        pytest.param(
            {"edits": {"certificate": {"validUntil": "2026-03-31T23:59:59Z"}}},
            "usmca.blanket_period",
            "longer than 12 months",
            id="blanket-period-too-long",
        ),
        pytest.param(
            {"edits": {"certificate": {"validFrom": "2025-07-15T00:00:00Z"}}},
            "usmca.blanket_period",
            "not held when the claim was made",
            id="certificate-issued-after-filing",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.goods[0].commodityCode": "854449"}}},
            "usmca.goods_match",
            "lists HS 854449, not 854442",
            id="wrong-hs6",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.goods[0].description": "Bread"}}},
            "usmca.goods_match",
            "do not match the line's description",
            id="wrong-description",
        ),
        pytest.param(
            {"untrusted": {"certificate"}},
            "usmca.certifier_trusted",
            "is not trusted to certify origin",
            id="untrusted-certifier",
        ),
        pytest.param(
            {"revoked": {"certificate"}},
            "usmca.certification_verified",
            "is revoked or suspended (status invalid: credential_revoked)",
            id="revoked-certificate",
        ),
        pytest.param(
            {"unverified": {"certificate"}},
            "usmca.certification_verified",
            "did not verify (proof invalid: signature_invalid)",
            id="bad-signature",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.goods[0].originCriterion": "E"}}},
            "usmca.origin_criterion",
            "origin criterion E is not one of A, B, C, D",
            id="unknown-origin-criterion",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.goods[0].countryOfOrigin": "CA"}}},
            "usmca.origin_criterion",
            "certified country of origin CA is not the declared MX",
            id="certified-country-differs",
        ),
        pytest.param(
            {"omit": {"certificate"}},
            "usmca.certification_held",
            "no USMCACertificationOfOrigin was presented",
            id="no-certificate",
        ),
        pytest.param(
            {"entry": {"lines[0].originCountry": "CN"}},
            "usmca.party_origin",
            "country of origin CN is not a party (CA, MX, US)",
            id="non-party-origin",
        ),
    ],
)
def test_usmca_claim_is_denied(overrides, rule_id, words):
    decision = rules.assess(make_case(**overrides), now=NOW)
    denied = decision.report.by_rule(rule_id)
    assert [finding.severity.label for finding in denied] == ["deny"]
    assert words in denied[0].message
    assert denied[0].line == 1
    (line,) = decision.lines
    assert line.preference is PreferenceStatus.DENIED
    assert not decision.report.by_rule("usmca.claim_supported")
    assert decision.recommendation in (Recommendation.RELEASE_WITH_REVIEW, Recommendation.EXAM)


def test_usmca_denied_claim_owes_the_general_rate_and_the_mpf():
    decision = rules.assess(make_case(untrusted={"certificate"}), now=NOW)
    assert decision.recommendation is Recommendation.RELEASE_WITH_REVIEW
    assert decision.duties is not None
    amounts = decision.duties.to_json_dict()
    assert (amounts["duty"], amounts["mpf"], amounts["total"]) == ("1300.00", "173.20", "1473.20")
    assert decision.lines[0].duty is not None
    assert f"{decision.lines[0].duty.total:.2f}" == "1473.20"


def test_usmca_missing_data_elements_are_listed():
    edits = {
        "certificate": {
            "issuer.employee": DELETE,
            "credentialSubject.importerDetails": DELETE,
            "credentialSubject.producerDetails": DELETE,
            "credentialSubject.goods[0].originCriterion": DELETE,
        }
    }
    report = rules.evaluate(make_case(edits=edits), now=NOW)
    (finding,) = report.by_rule("usmca.data_elements")
    assert finding.severity.label == "deny"
    for element in ("2 certifier telephone", "4 producer", "5 importer", "7 origin criterion"):
        assert element in finding.message
    assert "5 business days" in finding.message


def test_usmca_certifier_who_is_no_party_lacks_element_one():
    edits = {"certificate": {"issuer.name": "Someone Else", "issuer.id": "did:web:other.example"}}
    report = rules.evaluate(make_case(edits=edits), now=NOW)
    (finding,) = report.by_rule("usmca.data_elements")
    assert "1 certifier type" in finding.message


def test_usmca_certifier_role_may_be_declared_and_exporter_omitted_by_a_producer():
    edits = {
        "certificate": {
            "credentialSubject.certifierRole": "Producer",
            "credentialSubject.exporterDetails": DELETE,
        }
    }
    report = rules.evaluate(make_case(edits=edits), now=NOW)
    assert not report.by_rule("usmca.data_elements")


def test_usmca_picks_the_certificate_that_lists_the_goods():
    other = scenarios.edit(
        scenarios.load("usmca-conductors-certification.json"),
        {"id": "urn:uuid:other", "credentialSubject.goods[0].commodityCode": "940370"},
    )
    decision = rules.assess(make_case(extra={"other": other}), now=NOW)
    assert decision.lines[0].preference is PreferenceStatus.GRANTED


def test_usmca_rules_ignore_lines_without_a_claim():
    report = rules.evaluate(make_case(entry={"lines[0].spi": None}), now=NOW)
    assert not [f for f in report.findings if f.family.value == "origin_usmca"]
    assert rule_ids(report.findings) == set()
