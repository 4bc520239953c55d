"""The decision: recommendation, per-line preference and admissibility, duties, explanation."""

from __future__ import annotations

import json

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import NOW
from tradetrace import rules
from tradetrace.rules import (
    PreferenceStatus,
    Recommendation,
    Severity,
    decide,
    evaluate,
    explain,
)
from tradetrace.rules.decision import recommendation_for


@pytest.mark.parametrize(
    ("severity", "recommendation"),
    [
        (Severity.INFO, Recommendation.RELEASE),
        (Severity.WARNING, Recommendation.RELEASE_WITH_REVIEW),
        (Severity.DENY, Recommendation.RELEASE_WITH_REVIEW),
        (Severity.EXAM, Recommendation.EXAM),
        (Severity.HOLD, Recommendation.HOLD),
        (Severity.REJECT, Recommendation.REFUSE),
    ],
)
def test_recommendation_follows_the_highest_severity(severity, recommendation):
    assert recommendation_for(severity) is recommendation


def test_decision_is_json_with_duties_and_the_report():
    decision = rules.assess(scenarios.cafta_case(), now=NOW)
    document = decision.to_json_dict()
    assert json.loads(json.dumps(document)) == document
    assert document["recommendation"] == "release"
    assert document["lines"][0] == {
        "line": 1,
        "hts10": "6109100012",
        "origin_country": "SV",
        "spi": "P",
        "preference": "granted",
        "admissible": True,
        "recommendation": "release",
        "reasons": [],
        "total": "25.00",
    }
    assert document["duties"]["total"] == "25.00"
    assert document["report"]["findings"][0]["rule_id"] == "cafta.claim_supported"


def test_decision_without_a_supporting_rule_never_grants_a_preference():
    case = scenarios.usmca_case()
    without_support = [r for r in rules.DEFAULT_RULES if r.id != "usmca.claim_supported"]
    decision = decide(case, evaluate(case, rules=without_support, now=NOW))
    assert decision.lines[0].preference is PreferenceStatus.DENIED
    assert decision.duties is not None and decision.duties.to_json_dict()["total"] == "1473.20"


def test_decision_on_a_line_without_claim():
    decision = rules.assess(scenarios.usmca_case(entry={"lines[0].spi": None}), now=NOW)
    assert decision.lines[0].preference is PreferenceStatus.NOT_CLAIMED
    assert decision.recommendation is Recommendation.RELEASE


def test_warehouse_entry_deposits_no_duties():
    decision = rules.assess(scenarios.steel_case(entry={"entryType": "21"}), now=NOW)
    assert decision.duties is None
    assert decision.duty_note == "entry type 21 deposits no duties at entry"
    assert decision.lines[0].duty is None
    assert decision.recommendation is Recommendation.RELEASE


def test_entry_whose_duties_cannot_be_computed_is_reviewed():
    # 8544.42.90.99 is a well-formed number the HTS-10 list does not have: tariff raises NotFound.
    case = scenarios.usmca_case(entry={"lines[0].hts10": "8544429099", "lines[0].spi": None})
    decision = rules.assess(case, now=NOW)
    assert decision.duties is None
    assert decision.duty_note.startswith("duties not computed: ")
    assert decision.recommendation is Recommendation.RELEASE_WITH_REVIEW


def test_explain_a_released_entry():
    text = explain(rules.assess(scenarios.usmca_case(), now=NOW))
    assert text.splitlines() == [
        "Entry B76-0251001-1 (type 01): release.",
        "Line 1, 8544.42.90.90 from MX: preference S granted; admissible; release.",
        "Duties and fees: duty 0.00, additional duties 0.00, MPF 0.00, HMF 0.00; total 0.00.",
    ]


def test_explain_a_denied_claim_and_other_findings():
    case = scenarios.usmca_case(untrusted={"certificate"}, unlogged={"invoice"})
    text = explain(rules.assess(case, now=NOW))
    lines = text.splitlines()
    assert lines[0] == "Entry B76-0251001-1 (type 01): release with review."
    assert lines[1].startswith("Why: USMCA preference (S) on line 1 denied: the certifier")
    assert lines[1].endswith(
        "[usmca.certifier_trusted; USMCA Art. 5.2.1; trust registry (MISSION.md)]"
    )
    assert lines[2] == (
        "Line 1, 8544.42.90.90 from MX: preference S denied; admissible; release with review."
    )
    assert "total 1473.20" in lines[3]
    assert lines[4] == "Also found:"
    assert lines[5].startswith("- warning: credential urn:uuid:0b7d6c5a")


def test_explain_a_refused_entry_without_duties():
    case = scenarios.ecommerce_case(
        entry={"entryDate": "2025-09-15", "filedAt": "2025-09-14T10:00:00Z"}
    )
    text = explain(rules.assess(case, now=NOW))
    assert text.startswith("Entry ZX9-1000586-3 (type 86): refuse.\nWhy: entry type 86 filed")
    assert "not admissible as presented; refuse." in text
    assert "Duties and fees: none computed (duties not computed: invalid entry_type" in text
