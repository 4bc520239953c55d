"""E-commerce: one pair of STRIDE sneakers as an Entry Type 86, before and after 29 Aug 2025.

Duties by hand: a Type 86 entry while duty-free de minimis applies owes no duty, tax or fee
(19 U.S.C. 1321; customs.md §7.1), so every amount is 0.00. From 29 Aug 2025 (EO 14324) the
entry is refused and no duties are computed for it as filed.
"""

from __future__ import annotations

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import DELETE, NOW
from tradetrace import rules
from tradetrace.rules import Recommendation


def make_case(**overrides):
    return scenarios.ecommerce_case(**overrides)


def test_ecommerce_type86_before_the_suspension_is_released_free():
    decision = rules.assess(make_case(), now=NOW)
    assert decision.recommendation is Recommendation.RELEASE
    assert decision.duties is not None
    assert decision.duties.to_json_dict() | {"basis": None} == {
        "duty": "0.00",
        "additional_duties": "0.00",
        "mpf": "0.00",
        "hmf": "0.00",
        "total": "0.00",
        "basis": None,
    }
    assert decision.report.by_rule("ipr.licensed")


def test_ecommerce_type86_after_the_de_minimis_suspension_is_refused():
    case = make_case(entry={"entryDate": "2025-09-15", "filedAt": "2025-09-14T10:00:00Z"})
    decision = rules.assess(case, now=NOW)
    assert decision.recommendation is Recommendation.REFUSE
    (finding,) = decision.reasons
    assert (finding.rule_id, finding.severity.label, finding.line) == (
        "ecommerce.de_minimis_available",
        "reject",
        None,
    )
    assert "suspended from 2025-08-29" in finding.message
    assert "EO 14324" in finding.evidence.citation
    assert decision.duties is None
    assert decision.duty_note.startswith("duties not computed: invalid entry_type")
    assert not decision.lines[0].admissible


def test_ecommerce_type86_on_the_last_day_before_the_suspension_is_accepted():
    case = make_case(entry={"entryDate": "2025-08-28", "filedAt": "2025-08-27T10:00:00Z"})
    assert not rules.evaluate(case, now=NOW).by_rule("ecommerce.de_minimis_available")


@pytest.mark.parametrize(
    ("entry", "rule_id", "words"),
    [
        pytest.param(
            {"lines[0].value": "812.50"},
            "ecommerce.de_minimis_value",
            "812.50 USD is over the $800 de minimis limit",
            id="over-800",
        ),
        pytest.param(
            {"billOfLading": DELETE, "consignee.address": DELETE, "lines[0].quantities": []},
            "ecommerce.type86_data_elements",
            "1 bill of lading or air waybill number; 5 consignee name and address; 7 quantity",
            id="missing-data-elements",
        ),
        pytest.param(
            {"lines[0].fdaProductCode": "24TCT05"},
            "ecommerce.type86_data_elements",
            "10 importer of record number, required by FDA",
            id="fda-goods-without-importer-number",
        ),
        pytest.param(
            {"lines[0].hts10": "2204215060", "lines[0].brands": []},
            "ecommerce.type86_excluded_goods",
            "excise goods (2204)",
            id="wine",
        ),
        pytest.param(
            {"lines[0].adcvdCaseNumber": "A-552-801"},
            "ecommerce.type86_excluded_goods",
            "subject to AD/CVD case A-552-801",
            id="adcvd-goods",
        ),
    ],
)
def test_ecommerce_type86_is_rejected(entry, rule_id, words):
    decision = rules.assess(make_case(entry=entry), now=NOW)
    findings = decision.report.by_rule(rule_id)
    assert [finding.severity.label for finding in findings] == ["reject"]
    assert words in findings[0].message
    assert decision.recommendation is Recommendation.REFUSE


def test_ecommerce_unrecorded_brand_without_licence_evidence_is_reviewed():
    case = make_case(
        entry={"lines[0].brands": ["ZOOMCAT"]}, omit={"rights", "licence", "sublicence"}
    )
    decision = rules.assess(case, now=NOW)
    (finding,) = decision.report.by_rule("ecommerce.branded_goods")
    assert finding.severity.label == "warning"
    assert "branded goods (ZOOMCAT)" in finding.message
    assert decision.recommendation is Recommendation.RELEASE_WITH_REVIEW


def test_ecommerce_unrecorded_brand_with_a_licence_is_accepted():
    case = make_case(recordations=())
    assert not rules.evaluate(case, now=NOW).by_rule("ecommerce.branded_goods")


def test_ecommerce_rules_ignore_formal_entries():
    report = rules.evaluate(scenarios.ipr_case(entry={"lines[0].value": "900000"}), now=NOW)
    assert not [finding for finding in report.findings if finding.family.value == "ecommerce"]
