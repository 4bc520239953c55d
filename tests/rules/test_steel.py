"""Steel: hot-rolled pickled sheet from Mexico, two heats, mill test report and SIMA licence.

Duties by hand (7208.10.15.00, column 1 general Free; Section 232 steel 9903.81.87 at 50% from
4 Jun 2025; FY2025 MPF 0.3464% within 32.71-634.62; truck, no HMF): duty 0.00, additional duty
50% x 100,000 = 50,000.00, MPF 0.3464% x 100,000 = 346.40, total 50,346.40.
"""

from __future__ import annotations

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import DELETE, NOW
from tradetrace import rules
from tradetrace.rules import ProductionRecord, Recommendation, Trace
from tradetrace.rules.steel import is_section_232_steel, needs_mill_certificate


def make_case(**overrides):
    return scenarios.steel_case(**overrides)


def test_steel_valid_shipment_is_released_with_section_232_duty():
    decision = rules.assess(make_case(), now=NOW)
    assert decision.recommendation is Recommendation.RELEASE
    assert decision.duties is not None
    amounts = decision.duties.to_json_dict()
    assert (amounts["duty"], amounts["additional_duties"], amounts["mpf"], amounts["total"]) == (
        "0.00",
        "50000.00",
        "346.40",
        "50346.40",
    )
    (status,) = decision.report.by_rule("steel.section_232")
    assert status.severity.label == "info"
    assert "melted and poured in MX" in status.message


def test_steel_melt_country_mismatch_with_the_trace_is_held():
    trace = Trace(
        production=(
            scenarios.STEEL_TRACE.production[0],
            ProductionRecord(
                lot="H25-4472",
                facility="Novolipetsk melt shop",
                producer="did:web:other-mill.example",
                country="RU",
                at=scenarios.at("2025-06-18T00:00:00Z"),
                event_id="ni:///sha-256;ru?ver=CBV2.0",
            ),
        )
    )
    decision = rules.assess(make_case(trace=trace), now=NOW)
    assert decision.recommendation is Recommendation.HOLD
    (finding,) = decision.report.by_rule("steel.melt_pour_consistent")
    assert finding.severity.label == "hold"
    assert "heat H25-4472 declared melted and poured in MX, but the evidence says MX, RU" in (
        finding.message
    )
    assert finding.evidence.event_ids == ("ni:///sha-256;ru?ver=CBV2.0",)
    assert not decision.lines[0].admissible


def test_steel_melt_country_mismatch_with_the_mill_test_report_is_held():
    edits = {"mill_test_report": {"credentialSubject.inspections[0].countryOfMeltAndPour": "CN"}}
    report = rules.evaluate(make_case(edits=edits), now=NOW)
    (finding,) = report.by_rule("steel.melt_pour_consistent")
    assert (finding.severity.label, finding.line) == ("hold", 1)
    assert "CN" in finding.message


@pytest.mark.parametrize(
    ("overrides", "rule_id", "severity", "words"),
    [
        pytest.param(
            {"entry": {"lines[0].meltPourCountry": DELETE}},
            "steel.melt_pour_declared",
            "reject",
            "without its melt-and-pour country",
            id="melt-country-not-declared",
        ),
        pytest.param(
            {"omit": {"mill_test_report"}},
            "steel.mill_certificate",
            "exam",
            "no mill test report was presented for heat H25-4471",
            id="no-mill-test-report",
        ),
        pytest.param(
            {"entry": {"lines[0].heatNumbers": []}},
            "steel.mill_certificate",
            "exam",
            "without heat numbers",
            id="no-heat-numbers",
        ),
        pytest.param(
            {"revoked": {"mill_test_report"}},
            "steel.mill_certificate_verified",
            "hold",
            "status invalid: credential_revoked",
            id="revoked-mill-test-report",
        ),
        pytest.param(
            {"untrusted": {"mill_test_report"}},
            "steel.mill_certificate_verified",
            "exam",
            "not an accredited mill or laboratory",
            id="untrusted-mill",
        ),
        pytest.param(
            {"entry": {"lines[0].steelLicenceNumber": DELETE}},
            "steel.import_licence",
            "reject",
            "without a SIMA licence number",
            id="no-import-licence",
        ),
        pytest.param(
            {
                "edits": {
                    "licence": {
                        "credentialSubject.productInformation[0].countryOfMeltAndPour": "KR"
                    }
                }
            },
            "steel.import_licence",
            "hold",
            "states melt country KR",
            id="licence-melt-country-differs",
        ),
        pytest.param(
            {
                "edits": {
                    "licence": {
                        "credentialSubject.productInformation[0].commodity.commodityCode": "7210"
                    }
                }
            },
            "steel.import_licence",
            "hold",
            "does not cover 7208101500",
            id="licence-for-other-goods",
        ),
    ],
)
def test_steel_failures(overrides, rule_id, severity, words):
    report = rules.evaluate(make_case(**overrides), now=NOW)
    findings = report.by_rule(rule_id)
    assert findings and {finding.severity.label for finding in findings} == {severity}
    assert any(words in finding.message for finding in findings)


def test_steel_melted_elsewhere_than_its_origin_is_reviewed():
    edits = {
        "mill_test_report": {
            "credentialSubject.inspections[0].countryOfMeltAndPour": "BR",
            "credentialSubject.inspections[1].countryOfMeltAndPour": "BR",
        },
        "licence": {"credentialSubject.productInformation[0].countryOfMeltAndPour": "BR"},
    }
    trace = Trace(
        production=tuple(
            ProductionRecord(
                lot=record.lot,
                facility="Usina Ouro Branco",
                producer="did:web:usina.example.br",
                country="BR",
                at=record.at,
            )
            for record in scenarios.STEEL_TRACE.production
        )
    )
    case = make_case(entry={"lines[0].meltPourCountry": "BR"}, edits=edits, trace=trace)
    decision = rules.assess(case, now=NOW)
    assert decision.recommendation is Recommendation.RELEASE_WITH_REVIEW
    (finding,) = decision.report.by_rule("steel.section_232")
    assert finding.severity.label == "warning"


def test_steel_melt_country_was_not_required_before_21_november_2024():
    case = make_case(
        entry={"lines[0].meltPourCountry": DELETE, "entryDate": "2024-11-20", "filedAt": DELETE}
    )
    report = rules.evaluate(case, now=NOW)
    assert not report.by_rule("steel.melt_pour_declared")


@pytest.mark.parametrize(
    ("hts10", "certificate", "section_232"),
    [
        ("7208101500", True, True),
        ("7306191000", True, True),
        ("7318150000", False, False),
        ("7201100000", True, False),
    ],
)
def test_steel_scope(hts10, certificate, section_232):
    line = make_case(entry={"lines[0].hts10": hts10}).entry.line(1)
    assert needs_mill_certificate(line) is certificate
    assert is_section_232_steel(line) is section_232
