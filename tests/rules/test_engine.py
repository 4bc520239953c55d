"""The engine and the rule contract: ordering, severities, JSON, and bad input."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

import pytest

from tests.rules import scenarios
from tests.rules.scenarios import NOW
from tradetrace import rules
from tradetrace.errors import ConfigurationError, InvalidDocument
from tradetrace.rules import (
    DEFAULT_RULES,
    Case,
    CheckRule,
    Family,
    Finding,
    Outcome,
    Severity,
    rule,
)


@rule("test.every_line", family=Family.CONSISTENCY, source="test source")
def every_line(case: Case) -> Iterator[Outcome]:
    """Report each line, and the entry, at a severity."""
    yield Outcome(severity=Severity.INFO, message="entry")
    for number, _ in case.lines():
        yield Outcome(severity=Severity.WARNING, message=f"line {number}", line=number)


@rule("test.hold", family=Family.IPR, source="other source")
def hold(case: Case) -> Iterator[Outcome]:
    """Hold line 1."""
    yield Outcome(severity=Severity.HOLD, message="held", line=1, event_ids=("e-1",))


@dataclass(frozen=True)
class StrayRule:
    """A rule of its own class that reports a line the entry does not have."""

    id: str = "test.stray"
    family: Family = Family.FOOD
    source: str = "none"

    def evaluate(self, case: Case) -> Iterator[Finding]:
        yield Finding(
            rule_id=self.id, family=self.family, severity=Severity.INFO, message="x", line=9
        )


def test_default_rules_cover_every_family_with_unique_cited_ids():
    ids = [item.id for item in DEFAULT_RULES]
    assert len(ids) == len(set(ids))
    assert {item.family for item in DEFAULT_RULES} == set(Family)
    for item in DEFAULT_RULES:
        assert item.source, item.id
        assert item.id.split(".")[0] in {
            "usmca",
            "cafta",
            "ipr",
            "steel",
            "pipeline",
            "ecommerce",
            "food",
            "consistency",
        }
        assert isinstance(item, CheckRule)
        assert item.description, item.id


def test_evaluate_orders_findings_by_line_then_severity():
    report = rules.evaluate(scenarios.usmca_case(), rules=[every_line, hold], now=NOW)
    assert [(f.line, f.rule_id) for f in report.findings] == [
        (None, "test.every_line"),
        (1, "test.hold"),
        (1, "test.every_line"),
    ]
    assert report.severity is Severity.HOLD
    assert report.rule_ids == ("test.every_line", "test.hold")
    assert report.evaluated_at == NOW
    assert report.entry_number == "B76-0251001-1"
    assert report.at_least(Severity.WARNING) == report.findings[1:]
    assert report.for_line(1) == report.findings[1:]
    held = report.by_rule("test.hold")[0]
    assert held.evidence.citation == "other source"
    assert held.evidence.event_ids == ("e-1",)


def test_report_is_json():
    report = rules.evaluate(scenarios.usmca_case(), rules=[every_line, hold], now=NOW)
    document = report.to_json_dict()
    assert json.loads(json.dumps(document)) == document
    assert document["severity"] == "hold"
    assert document["findings"][1] == {
        "rule_id": "test.hold",
        "family": "ipr",
        "severity": "hold",
        "line": 1,
        "message": "held",
        "evidence": {
            "credential_ids": [],
            "event_ids": ["e-1"],
            "ledger_references": [],
            "citation": "other source",
        },
        "preference_supported": False,
    }


def test_empty_report_is_info():
    report = rules.evaluate(scenarios.usmca_case(), rules=[], now=NOW)
    assert report.severity is Severity.INFO
    assert report.findings == ()


def test_severities_are_ordered():
    assert list(Severity) == sorted(Severity)
    assert [s.label for s in Severity] == ["info", "warning", "deny", "exam", "hold", "reject"]


def test_evaluate_refuses_a_naive_now():
    with pytest.raises(InvalidDocument, match="now: expected a timezone-aware time") as caught:
        rules.evaluate(scenarios.usmca_case(), now=datetime(2026, 1, 1))
    assert caught.value.code == "invalid_document"


def test_evaluate_refuses_duplicate_rule_ids():
    with pytest.raises(ConfigurationError, match=r"repeated: test\.hold") as caught:
        rules.evaluate(scenarios.usmca_case(), rules=[hold, hold], now=NOW)
    assert caught.value.code == "configuration_error"


def test_evaluate_refuses_a_finding_about_a_missing_line():
    with pytest.raises(ConfigurationError, match="reported line 9 of a 1-line entry") as caught:
        rules.evaluate(scenarios.usmca_case(), rules=[StrayRule()], now=NOW)
    assert caught.value.code == "configuration_error"


def test_rule_decorator_keeps_the_docstring_as_description():
    assert every_line.description == "Report each line, and the entry, at a severity."
    assert every_line.id == "test.every_line"
