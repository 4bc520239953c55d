"""Pipeline crude: two Canadian batches entered at Pembina, custody from the field to the refiner.

Duties by hand (2709.00.20.90, column 1 general 10.5 cents/bbl, S Free; FY2025 MPF maximum
634.62): with the USMCA preference, duty 0 and MPF exempt = 0.00; without it, duty
0.105 x 100,000 bbl = 10,500.00, MPF 0.3464% x 6,500,000 = 22,516.00 lowered to the maximum
634.62, total 11,134.62.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import NOW
from tradetrace import rules
from tradetrace.rules import PreferenceStatus, Recommendation, Trace
from tradetrace.rules.pipeline import metered_volume


def make_case(**overrides):
    return scenarios.pipeline_case(**overrides)


def test_pipeline_valid_shipment_is_released_with_the_preference():
    decision = rules.assess(make_case(), now=NOW)
    assert decision.recommendation is Recommendation.RELEASE
    assert decision.lines[0].preference is PreferenceStatus.GRANTED
    assert decision.duties is not None
    assert decision.duties.to_json_dict()["total"] == "0.00"


def test_pipeline_custody_gap_denies_the_origin_claim():
    case = make_case(trace=scenarios.pipeline_trace(skip_step="evt-0201"))
    decision = rules.assess(case, now=NOW)
    (finding,) = decision.report.by_rule("pipeline.custody_chain")
    assert finding.severity.label == "deny"
    assert "custody gap in batch CDB-2507-02" in finding.message
    assert "urn:uuid:evt-0202" in finding.evidence.event_ids
    assert decision.lines[0].preference is PreferenceStatus.DENIED
    assert decision.recommendation is Recommendation.RELEASE_WITH_REVIEW
    assert decision.duties is not None
    amounts = decision.duties.to_json_dict()
    assert (amounts["duty"], amounts["mpf"], amounts["total"]) == (
        "10500.00",
        "634.62",
        "11134.62",
    )


def test_pipeline_custody_that_stops_short_of_the_importer_is_a_gap():
    case = make_case(trace=scenarios.pipeline_trace(skip_step="evt-0102"))
    (finding,) = rules.evaluate(case, now=NOW).by_rule("pipeline.custody_chain")
    assert "ends with did:web:prairie-pipeline.example.ca, not the importer" in finding.message


def test_pipeline_batch_without_a_producing_field_is_denied():
    trace = scenarios.pipeline_trace()
    trace = Trace(production=trace.production[:1], custody=trace.custody)
    (finding,) = rules.evaluate(make_case(trace=trace), now=NOW).by_rule("pipeline.custody_chain")
    assert "batch CDB-2507-02 has no production record" in finding.message


def test_pipeline_field_in_another_country_is_denied():
    case = make_case(trace=scenarios.pipeline_trace(field_country="US"))
    findings = rules.evaluate(case, now=NOW).by_rule("pipeline.producing_field_country")
    assert [finding.severity.label for finding in findings] == ["deny", "deny"]
    assert "produced at Cold Lake field" in findings[0].message
    assert "in US, not the declared CA" in findings[0].message


@pytest.mark.parametrize(
    ("overrides", "rule_id", "severity", "words"),
    [
        pytest.param(
            {
                "edits": {
                    "ticket_2": {"credentialSubject.observation[3].measurement.value": "45000"}
                }
            },
            "pipeline.delivery_tickets",
            "exam",
            "delivery tickets meter 94980 BBL, declared 100000 BBL",
            id="tickets-short",
        ),
        pytest.param(
            {"omit": {"ticket_2"}},
            "pipeline.delivery_tickets",
            "exam",
            "no delivery ticket reconciles CDB-2507-02",
            id="ticket-missing",
        ),
        pytest.param(
            {"omit": {"manifest"}},
            "pipeline.monthly_manifest",
            "warning",
            "no monthly advance manifest",
            id="no-manifest",
        ),
        pytest.param(
            {
                "edits": {
                    "manifest": {
                        "credentialSubject.scheduledDeliveries[0]"
                        ".sumOfScheduledDeliveries[1].value": "80000"
                    }
                }
            },
            "pipeline.monthly_manifest",
            "exam",
            "schedule 80000 BBL through port 3401",
            id="manifest-short",
        ),
    ],
)
def test_pipeline_quantities_must_reconcile(overrides, rule_id, severity, words):
    findings = rules.evaluate(make_case(**overrides), now=NOW).by_rule(rule_id)
    assert [finding.severity.label for finding in findings] == [severity]
    assert words in findings[0].message


def test_pipeline_tickets_reconcile_in_cubic_metres_too():
    # nsv_m3 7946.2 + 7950.9 = 15897.1 m3, within 0.5% of 15898.7 declared
    case = make_case(entry={"lines[0].quantities": [{"amount": "15898.7", "unit": "M3"}]})
    report = rules.evaluate(case, now=NOW)
    assert not report.by_rule("pipeline.delivery_tickets")
    assert [f.severity.label for f in report.by_rule("pipeline.monthly_manifest")] == []


def test_pipeline_rules_apply_only_to_pipeline_entries():
    case = make_case(entry={"modeOfTransport": "20"}, omit={"ticket_1", "ticket_2", "manifest"})
    report = rules.evaluate(case, now=NOW)
    assert not [finding for finding in report.findings if finding.family.value == "pipeline"]


def test_metered_volume_prefers_net_to_gross():
    ticket = make_case().credentials[1]
    assert metered_volume(ticket, "BBL") == Decimal("49980")
    assert metered_volume(ticket, "L") is None
