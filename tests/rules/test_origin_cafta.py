"""CAFTA-DR claims (19 CFR 10.583-10.584): knit T-shirts from El Salvador.

Duties by hand (6109.10.00.12, column 1 general 16.5%, P Free; FY2026 MPF 0.3464%, minimum
33.58, maximum 651.50; vessel, HMF 0.125%): with the preference, duty 0, MPF exempt, HMF
0.125% x 20,000 = 25.00, total 25.00; without it, duty 16.5% x 20,000 = 3,300.00, MPF
0.3464% x 20,000 = 69.28, HMF 25.00, total 3,394.28.
"""

from __future__ import annotations

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import DELETE, NOW
from tradetrace import rules
from tradetrace.rules import PreferenceStatus, Recommendation


def make_case(**overrides):
    return scenarios.cafta_case(**overrides)


def test_cafta_valid_shipment_is_released_with_the_preference():
    decision = rules.assess(make_case(), now=NOW)
    assert decision.recommendation is Recommendation.RELEASE
    assert decision.lines[0].preference is PreferenceStatus.GRANTED
    assert decision.duties is not None
    amounts = decision.duties.to_json_dict()
    assert (amounts["duty"], amounts["mpf"], amounts["hmf"], amounts["total"]) == (
        "0.00",
        "0.00",
        "25.00",
        "25.00",
    )


@pytest.mark.parametrize(
    ("overrides", "rule_id", "words"),
    [
        pytest.param(
            {"edits": {"certificate": {"validUntil": "2026-02-28T23:59:59Z"}}},
            "cafta.validity",
            "does not cover 2026-03-10",
            id="expired-certificate",
        ),
        pytest.param(
            {"edits": {"certificate": {"validUntil": "2027-06-30T23:59:59Z"}}},
            "cafta.validity",
            "longer than 12 months",
            id="blanket-period-too-long",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.certificationDate": "2026-03-12"}}},
            "cafta.validity",
            "signed after the claim was made",
            id="signed-after-claim",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.goods[0].commodityCode": "610990"}}},
            "cafta.goods_match",
            "does not classify goods under 6109100012",
            id="wrong-hts",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.goods[0].originCriterion": "D"}}},
            "cafta.origin_criterion",
            "rule of origin D is not one of A, B, C",
            id="unknown-rule-of-origin",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.goods[0].countryOfOrigin": "GT"}}},
            "cafta.origin_criterion",
            "certified country GT is not the declared SV",
            id="certified-country-differs",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.exporterSameAsProducer": DELETE}}},
            "cafta.data_elements",
            "lacks exporter",
            id="missing-exporter",
        ),
        pytest.param(
            {"edits": {"certificate": {"credentialSubject.certificationStatement": "OK"}}},
            "cafta.data_elements",
            'statement beginning "I certify"',
            id="unsigned-statement",
        ),
        pytest.param(
            {"untrusted": {"certificate"}},
            "cafta.certifier_trusted",
            "not trusted to certify origin",
            id="untrusted-certifier",
        ),
        pytest.param(
            {"revoked": {"certificate"}},
            "cafta.certification_verified",
            "revoked or suspended",
            id="revoked-certificate",
        ),
        pytest.param(
            {"omit": {"certificate"}},
            "cafta.certification_held",
            "no CAFTADRCertificationOfOrigin was presented",
            id="knowledge-based-claim",
        ),
        pytest.param(
            {"entry": {"lines[0].originCountry": "MX"}},
            "cafta.party_origin",
            "country of origin MX is not a party",
            id="non-party-origin",
        ),
    ],
)
def test_cafta_claim_is_denied(overrides, rule_id, words):
    decision = rules.assess(make_case(**overrides), now=NOW)
    denied = decision.report.by_rule(rule_id)
    assert [finding.severity.label for finding in denied] == ["deny"]
    assert words in denied[0].message
    assert decision.lines[0].preference is PreferenceStatus.DENIED


def test_cafta_denied_claim_owes_duty_mpf_and_hmf():
    decision = rules.assess(make_case(revoked={"certificate"}), now=NOW)
    assert decision.recommendation is Recommendation.RELEASE_WITH_REVIEW
    assert decision.duties is not None
    amounts = decision.duties.to_json_dict()
    assert (amounts["duty"], amounts["mpf"], amounts["hmf"], amounts["total"]) == (
        "3300.00",
        "69.28",
        "25.00",
        "3394.28",
    )


def test_cafta_certificate_older_than_four_years_is_denied():
    edits = {
        "certificate": {
            "validFrom": "2021-06-01T00:00:00Z",
            "validUntil": DELETE,
            "credentialSubject.certificationDate": "2021-06-01",
        }
    }
    report = rules.evaluate(make_case(edits=edits), now=NOW)
    (finding,) = report.by_rule("cafta.validity")
    assert "more than four years old" in finding.message


def test_cafta_party_details_are_each_required():
    edits = {
        "certificate": {
            "credentialSubject.importer.phoneNumber": DELETE,
            "credentialSubject.producer": DELETE,
            "credentialSubject.responsibleOfficial": DELETE,
            "credentialSubject.certifierRole": "Agent",
        }
    }
    report = rules.evaluate(make_case(edits=edits), now=NOW)
    (finding,) = report.by_rule("cafta.data_elements")
    for gap in ("importer telephone", "producer", "responsible official", "certifier role"):
        assert gap in finding.message
