"""The operator-editable triage rules file, validated field by field."""

from __future__ import annotations

import copy
import json
from datetime import timedelta
from importlib import resources

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.facilitation.cases import Priority, TriageRules, load_triage_policy


@pytest.fixture(scope="module")
def rules_data():
    folder = resources.files("tradetrace.facilitation.cases").joinpath("data")
    return json.loads(folder.joinpath("triage-rules.json").read_text(encoding="utf-8"))


def _parse(data):
    return TriageRules.from_json(json.dumps(data))


def test_triage_rules_default_file_sets_service_levels(rules_data):
    rules = _parse(rules_data)

    assert [rule.id for rule in rules.rules][:3] == [
        "critical-medical-goods",
        "cargo-on-hold",
        "government-agency-request",
    ]
    assert rules.service_level(Priority.P1) == timedelta(hours=4)
    assert rules.service_level(Priority.P4) == timedelta(hours=120)
    assert [rules.priority_for(score) for score in (0, 19, 20, 50, 99, 100, 500)] == [
        Priority.P4,
        Priority.P4,
        Priority.P3,
        Priority.P2,
        Priority.P2,
        Priority.P1,
        Priority.P1,
    ]


@pytest.mark.parametrize(
    ("edit", "field", "reason"),
    [
        (lambda d: d["rules"].append(dict(d["rules"][0])), "(document)", "rule ids must be unique"),
        (
            lambda d: d["priorities"].reverse(),
            "(document)",
            "must list p1, p2, p3 and p4 once each",
        ),
        (
            lambda d: d["priorities"][1].update(min_score=100),
            "(document)",
            "min_score must fall from p1 to p4",
        ),
        (
            lambda d: d["priorities"][3].update(min_score=5),
            "(document)",
            "p4 must start at min_score 0",
        ),
        (
            lambda d: d["rules"][0].pop("list"),
            "rules[0].hts_list",
            "names a code list or lists codes",
        ),
        (lambda d: d["rules"][1].update(kind="weather"), "rules[1]", "input tag 'weather' found"),
        (
            lambda d: d["rules"][1].update(points=-5),
            "rules[1].cargo_on_hold.points",
            "greater than or equal to 0",
        ),
        (
            lambda d: d["priorities"][0].update(sla_hours=0),
            "priorities[0].sla_hours",
            "greater than or equal to 1",
        ),
    ],
)
def test_triage_rules_reject_inconsistent_files(rules_data, edit, field, reason):
    data = copy.deepcopy(rules_data)
    edit(data)

    with pytest.raises(InvalidDocument, match=r"^invalid triage rules: ") as info:
        _parse(data)

    assert info.value.code == "invalid_document"
    problem = info.value.problems[0]
    assert problem.field == field
    assert reason in problem.reason


def test_load_triage_policy_resolves_the_medical_list(policy):
    assert set(policy.code_lists) == {"covid19-medical"}


def test_load_triage_policy_rejects_a_rule_naming_a_missing_list(rules_data):
    data = copy.deepcopy(rules_data)
    data["rules"][0]["list"] = "covid19-vaccines"

    with pytest.raises(
        InvalidDocument, match=r"rules\[0\].list: unknown HTS code list 'covid19-vaccines'"
    ) as info:
        load_triage_policy(json.dumps(data))

    assert info.value.code == "invalid_document"
