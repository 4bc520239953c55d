"""Food: fresh cucumbers from Mexico, a Food Traceability List food, at Nogales on 10 Feb 2026.

Duties by hand (0707.00.20.45, 4.2 cents/kg; FY2026 MPF 0.3464% within 33.58-651.50; truck,
no HMF): duty 0.042 x 20,000 kg = 840.00, MPF 0.3464% x 16,000 = 55.42 (55.424), total 895.42.
"""

from __future__ import annotations

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import DELETE, NOW
from tradetrace import rules
from tradetrace.rules import Recommendation
from tradetrace.rules.food import on_traceability_list


def make_case(**overrides):
    return scenarios.food_case(**overrides)


def test_food_valid_shipment_is_released():
    decision = rules.assess(make_case(), now=NOW)
    assert decision.recommendation is Recommendation.RELEASE
    assert decision.report.findings == ()
    assert decision.duties is not None
    amounts = decision.duties.to_json_dict()
    assert (amounts["duty"], amounts["mpf"], amounts["total"]) == ("840.00", "55.42", "895.42")


def test_food_missing_kde_is_reviewed_before_the_compliance_date():
    trace = scenarios.food_trace(missing=("referenceDocument",))
    decision = rules.assess(make_case(trace=trace), now=NOW)
    (finding,) = decision.report.by_rule("food.traceability_records")
    assert (finding.severity.label, finding.line) == ("warning", 1)
    assert "the shipping record lacks referenceDocument" in finding.message
    assert "(required from 2028-07-20)" in finding.message
    assert finding.evidence.event_ids == ("f-1", "f-2")
    assert decision.recommendation is Recommendation.RELEASE_WITH_REVIEW


def test_food_missing_kde_calls_for_an_exam_once_fsma_204_applies():
    case = make_case(
        trace=scenarios.food_trace(missing=("referenceDocument",)),
        entry={"entryDate": "2028-08-01", "filedAt": "2028-07-31T20:00:00Z"},
    )
    decision = rules.assess(case, now=NOW)
    (finding,) = decision.report.by_rule("food.traceability_records")
    assert finding.severity.label == "exam"
    assert decision.recommendation is Recommendation.EXAM
    assert decision.duties is None  # the bundled tariff data ends in FY2026
    assert "outside the data coverage" in decision.duty_note


@pytest.mark.parametrize(
    ("overrides", "rule_id", "severity", "words"),
    [
        pytest.param(
            {"entry": {"lines[0].priorNoticeNumber": DELETE}},
            "food.prior_notice",
            "hold",
            "without a prior notice confirmation number",
            id="no-prior-notice",
        ),
        pytest.param(
            {"omit": {"fsvp"}},
            "food.fsvp_importer",
            "exam",
            "no verified FSVP importer credential for Desert Fresh Imports LLC",
            id="no-fsvp-credential",
        ),
        pytest.param(
            {"revoked": {"fsvp"}},
            "food.fsvp_importer",
            "exam",
            "1 presented, none verified and trusted",
            id="revoked-fsvp-credential",
        ),
        pytest.param(
            {"entry": {"lines[0].fsvpImporter": DELETE}},
            "food.fsvp_importer",
            "exam",
            "no FSVP importer identified by DUNS number",
            id="no-fsvp-importer",
        ),
        pytest.param(
            {"trace": scenarios.Trace()},
            "food.traceability_records",
            "warning",
            "lot AVS-CUC-260205-07 has no shipping record",
            id="no-records",
        ),
        pytest.param(
            {"entry": {"lines[0].lotCodes": []}},
            "food.traceability_records",
            "warning",
            "no traceability lot code is declared",
            id="no-lot-code",
        ),
    ],
)
def test_food_failures(overrides, rule_id, severity, words):
    findings = rules.evaluate(make_case(**overrides), now=NOW).by_rule(rule_id)
    assert [finding.severity.label for finding in findings] == [severity]
    assert words in findings[0].message


@pytest.mark.parametrize(
    ("changes", "listed"),
    [
        ({}, True),
        ({"lines[0].hts10": "0709510000"}, False),
        ({"lines[0].hts10": "0709510000", "lines[0].foodTraceabilityList": True}, True),
        ({"lines[0].foodTraceabilityList": False}, False),
        ({"lines[0].food": False, "lines[0].fdaProductCode": DELETE}, False),
    ],
)
def test_food_traceability_list_membership(changes, listed):
    assert on_traceability_list(make_case(entry=changes).entry.line(1)) is listed
