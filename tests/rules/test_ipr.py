"""IPR: STRIDE sneakers, a recorded trademark, made in Viet Nam under a sub-licence.

The chain: Stride Athletics (rights holder, recordation TMK 24-00123) licenses Stride Asia
Pacific (sub-licensing permitted, territory VN/ID/SG), which sub-licenses Saigon Footwear, the
manufacturer (territory VN).

Duties by hand (6404.19.90.60, 9%; FY2025 MPF 0.3464%; vessel, HMF 0.125%): duty
9% x 30,000 = 2,700.00, MPF 0.3464% x 30,000 = 103.92, HMF 0.125% x 30,000 = 37.50,
total 2,841.42.
"""

from __future__ import annotations

import dataclasses

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import DELETE, NOW
from tradetrace import rules
from tradetrace.rules import Recommendation
from tradetrace.rules.ipr import licence_chain

APAC = "urn:uuid:5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c81"
SAIGON = "urn:uuid:5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c82"


def make_case(**overrides):
    return scenarios.ipr_case(**overrides)


def test_ipr_licensed_goods_are_released():
    decision = rules.assess(make_case(), now=NOW)
    assert decision.recommendation is Recommendation.RELEASE
    (licensed,) = decision.report.by_rule("ipr.licensed")
    assert licensed.severity.label == "info"
    assert licensed.evidence.credential_ids == (APAC, SAIGON)
    assert "did:web:stride-apac.example.sg -> did:web:saigon-footwear" in licensed.message
    assert decision.duties is not None
    amounts = decision.duties.to_json_dict()
    assert (amounts["duty"], amounts["mpf"], amounts["hmf"], amounts["total"]) == (
        "2700.00",
        "103.92",
        "37.50",
        "2841.42",
    )


@pytest.mark.parametrize(
    ("overrides", "rule_id", "words"),
    [
        pytest.param(
            {"revoked": {"sublicence"}},
            "ipr.licence_status",
            f"licence {SAIGON} is revoked",
            id="revoked-licence",
        ),
        pytest.param(
            {"untrusted": {"licence"}},
            "ipr.licence_status",
            "licensor did:web:stride-athletics.example.com is not trusted",
            id="untrusted-licensor",
        ),
        pytest.param(
            {"edits": {"licence": {"credentialSubject.sublicensingPermitted": False}}},
            "ipr.sublicence_permitted",
            "does not permit sub-licensing",
            id="sublicence-not-allowed",
        ),
        pytest.param(
            {"edits": {"sublicence": {"validUntil": "2025-06-30T23:59:59Z"}}},
            "ipr.licence_validity",
            f"licence {SAIGON} is not valid on 2025-07-15",
            id="expired-licence",
        ),
        pytest.param(
            {"entry": {"lines[0].originCountry": "KH"}},
            "ipr.licence_scope",
            "allows manufacture in VN, ID, SG, not KH",
            id="outside-territory",
        ),
        pytest.param(
            {
                "edits": {
                    "sublicence": {
                        "credentialSubject.intellectualPropertyRightsProduct": {
                            "type": ["Product"],
                            "name": "Hiking backpacks",
                        }
                    }
                },
                "entry": {"lines[0].gtin": DELETE},
            },
            "ipr.licence_scope",
            "covers 'Hiking backpacks', not these goods",
            id="other-product",
        ),
        pytest.param(
            {"omit": {"sublicence"}},
            "ipr.licence_chain",
            "no licence chain leads from did:web:stride-athletics.example.com",
            id="no-licence-to-the-manufacturer",
        ),
        pytest.param(
            {"entry": {"lines[0].manufacturer.did": DELETE}},
            "ipr.licence_chain",
            "not identified by a DID",
            id="anonymous-manufacturer",
        ),
        pytest.param(
            {"edits": {"sublicence": {"credentialSubject.extendsCredential": "urn:uuid:other"}}},
            "ipr.licence_chain",
            "no licence chain",
            id="sublicence-of-another-licence",
        ),
    ],
)
def test_ipr_suspected_infringing_goods_are_held(overrides, rule_id, words):
    decision = rules.assess(make_case(**overrides), now=NOW)
    findings = decision.report.by_rule(rule_id)
    assert [finding.severity.label for finding in findings] == ["hold"]
    assert findings[0].message.startswith("suspected infringing: line 1 bears the recorded ")
    assert "(recordation TMK 24-00123, Stride Athletics Inc.)" in findings[0].message
    assert words in findings[0].message
    assert decision.recommendation is Recommendation.HOLD
    assert not decision.lines[0].admissible
    assert not decision.report.by_rule("ipr.licensed")


def test_ipr_goods_made_by_the_rights_holder_need_no_licence():
    case = make_case(
        entry={"lines[0].manufacturer.did": "did:web:stride-athletics.example.com"},
        omit={"licence", "sublicence"},
    )
    decision = rules.assess(case, now=NOW)
    assert decision.recommendation is Recommendation.RELEASE
    (finding,) = decision.report.by_rule("ipr.licence_chain")
    assert "made by the rights holder" in finding.message


def test_ipr_unrecorded_or_expired_recordations_are_not_enforced():
    expired = dataclasses.replace(scenarios.STRIDE, valid_until=scenarios.at("2025-01-01").date())
    case = make_case(omit={"sublicence"}, recordations=(expired,))
    assert not rules.evaluate(case, now=NOW).by_rule("ipr.licence_chain")
    other_goods = dataclasses.replace(scenarios.STRIDE, goods=("4202",))
    case = make_case(omit={"sublicence"}, recordations=(other_goods,))
    assert not rules.evaluate(case, now=NOW).by_rule("ipr.licence_chain")


def test_ipr_picks_the_chain_with_the_fewest_problems():
    revoked = scenarios.edit(
        scenarios.load("ipr-stride-sublicence-to-saigon.json"),
        {"id": "urn:uuid:old-sublicence", "validUntil": "2025-03-31T23:59:59Z"},
    )
    case = make_case(extra={"old": revoked})
    line = case.entry.line(1)
    chain = licence_chain(case, line, scenarios.STRIDE)
    assert chain is not None
    assert [licence.id for licence in chain] == [APAC, SAIGON]
    assert rules.assess(case, now=NOW).recommendation is Recommendation.RELEASE
