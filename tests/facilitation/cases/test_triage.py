"""Triage by operator rules: critical medical goods by HTS code, holds, agencies, age, SLAs."""

from __future__ import annotations

import json
from datetime import datetime, timedelta

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.facilitation.cases import Priority, load_triage_policy, triage_inquiry

from ..conftest import NOW

HOUR = timedelta(hours=1)


def _rules(**extra_rules):
    return json.dumps(
        {
            "version": "test",
            "rules": list(extra_rules.values()),
            "age": {"points_per_day": 10, "max_points": 20},
            "priorities": [
                {"priority": "p1", "min_score": 100, "sla_hours": 2},
                {"priority": "p2", "min_score": 50, "sla_hours": 8},
                {"priority": "p3", "min_score": 10, "sla_hours": 24},
                {"priority": "p4", "min_score": 0, "sla_hours": 48},
            ],
        }
    )


def test_triage_ventilators_on_hold_are_critical(make_inquiry, policy):
    result = triage_inquiry(
        make_inquiry("ventilators_on_hold"), policy=policy, received_at=NOW, now=NOW + HOUR
    )

    assert result.priority is Priority.P1
    assert result.score == 120
    assert [match.rule_id for match in result.matches] == [
        "critical-medical-goods",
        "cargo-on-hold",
        "category-cargo-hold",
    ]
    assert "ventilators" in result.matches[0].detail
    assert "WCO/WHO" in result.matches[0].detail
    assert result.due_by == NOW + 4 * HOUR
    assert not result.overdue


def test_triage_classification_question_without_codes_is_low(make_inquiry, policy):
    result = triage_inquiry(
        make_inquiry("classification_question"), policy=policy, received_at=NOW, now=NOW
    )

    assert result.priority is Priority.P4
    assert result.matches == ()
    assert result.due_by == NOW + 120 * HOUR


def test_triage_medical_goods_question_is_high_without_a_hold(make_inquiry, policy):
    goods = [{"description": "KN95 respirator masks", "hts_code": "6307.90.9889"}]
    inquiry = make_inquiry("classification_question", goods=goods)

    result = triage_inquiry(inquiry, policy=policy, received_at=NOW, now=NOW)

    assert result.priority is Priority.P2
    assert result.due_by == NOW + 24 * HOUR


def test_triage_partner_agency_request_adds_points(make_inquiry, policy):
    contact = {
        "name": "Watch Officer",
        "organisation": "FEMA NRCC",
        "email": "nrcc@example.gov",
        "kind": "government_agency",
        "agency": "fema",
    }
    result = triage_inquiry(
        make_inquiry("ppe_guidance", contact=contact), policy=policy, received_at=NOW, now=NOW
    )

    assert [match.rule_id for match in result.matches] == ["government-agency-request"]
    assert result.priority is Priority.P2


def test_triage_age_points_raise_an_old_case(make_inquiry, policy):
    inquiry = make_inquiry("classification_question")

    after_four_days = triage_inquiry(
        inquiry, policy=policy, received_at=NOW, now=NOW + 4 * 24 * HOUR
    )

    assert after_four_days.score == 20
    assert after_four_days.matches[-1].rule_id == "age"
    assert after_four_days.priority is Priority.P3
    assert after_four_days.base_priority is Priority.P4
    assert not after_four_days.overdue


def test_triage_overdue_case_rises_one_more_level(make_inquiry, policy):
    inquiry = make_inquiry("classification_question")

    result = triage_inquiry(inquiry, policy=policy, received_at=NOW, now=NOW + 121 * HOUR)

    assert result.overdue
    assert result.score == 25
    assert result.priority is Priority.P2  # p4, aged to p3, overdue to p2


def test_triage_overdue_critical_case_stays_p1(make_inquiry, policy):
    result = triage_inquiry(make_inquiry(), policy=policy, received_at=NOW, now=NOW + 5 * HOUR)

    assert result.overdue
    assert result.priority is Priority.P1


def test_triage_operator_override_sets_the_base_priority_and_sla(make_inquiry, policy):
    inquiry = make_inquiry("classification_question")

    result = triage_inquiry(inquiry, policy=policy, received_at=NOW, now=NOW, override=Priority.P2)

    assert result.base_priority is Priority.P2
    assert result.priority is Priority.P2
    assert result.due_by == NOW + 24 * HOUR


def test_triage_clock_before_receipt_counts_no_age(make_inquiry, policy):
    result = triage_inquiry(
        make_inquiry("classification_question"), policy=policy, received_at=NOW, now=NOW - HOUR
    )

    assert result.score == 0


def test_triage_rules_are_data_inline_codes_and_agency_filters(make_inquiry):
    policy = load_triage_policy(
        _rules(
            tables={
                "id": "exam-tables",
                "kind": "hts_list",
                "codes": ["9402.90"],
                "points": 60,
                "description": "medical furniture",
            },
            fda={
                "id": "fda-only",
                "kind": "agency_request",
                "agencies": ["fda"],
                "points": 40,
                "description": "FDA requests",
            },
        )
    )
    goods = [
        {"description": "steel chairs", "hts_code": "9401.71"},
        {"description": "examination tables", "hts_code": "9402.90.0020"},
    ]
    contact = {
        "name": "Officer",
        "organisation": "FEMA",
        "email": "o@example.gov",
        "kind": "government_agency",
        "agency": "fema",
    }
    inquiry = make_inquiry("classification_question", goods=goods, contact=contact)

    result = triage_inquiry(inquiry, policy=policy, received_at=NOW, now=NOW + 3 * 24 * HOUR)

    assert [match.rule_id for match in result.matches] == ["exam-tables", "age"]
    assert result.matches[0].detail == "HTS 9402900020 is listed by rule exam-tables"
    assert result.score == 80  # 60 + age capped at 20
    assert result.base_priority is Priority.P2
    assert result.due_by == NOW + 8 * HOUR
    assert result.overdue
    assert result.priority is Priority.P1


def test_triage_uncertain_codes_count_when_a_rule_asks(make_inquiry):
    rule = {
        "id": "medical-broad",
        "kind": "hts_list",
        "list": "covid19-medical",
        "include_uncertain": True,
        "points": 60,
        "description": "with the doubtful codes",
    }
    goods = [{"description": "plastic face shields", "hts_code": "3926.90.9990"}]
    inquiry = make_inquiry("classification_question", goods=goods)

    broad = triage_inquiry(
        inquiry, policy=load_triage_policy(_rules(r=rule)), received_at=NOW, now=NOW
    )
    strict = triage_inquiry(
        inquiry,
        policy=load_triage_policy(_rules(r=dict(rule, include_uncertain=False))),
        received_at=NOW,
        now=NOW,
    )

    assert broad.priority is Priority.P2
    assert strict.priority is Priority.P4


def test_triage_rejects_times_that_are_not_utc(make_inquiry, policy):
    with pytest.raises(
        InvalidDocument, match=r"^invalid received_at: expected a timezone-aware UTC"
    ) as info:
        triage_inquiry(make_inquiry(), policy=policy, received_at=datetime(2020, 4, 20), now=NOW)

    assert info.value.code == "invalid_document"
