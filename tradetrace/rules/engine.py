"""Run the rules on a case: :func:`evaluate` returns a :class:`~tradetrace.rules.base.Report`.

A finding is a business outcome, so a shipment that fails every rule still yields a report;
:func:`evaluate` raises only on bad input (STYLE.md §5): a naive ``now``, two rules with one id,
or a rule that reports a line the entry does not have.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from tradetrace.errors import ConfigurationError, FieldProblem, InvalidDocument
from tradetrace.rules import (
    consistency,
    ecommerce,
    food,
    ipr,
    origin_cafta,
    origin_usmca,
    pipeline,
    steel,
)
from tradetrace.rules.base import Finding, Report, Rule
from tradetrace.rules.case import Case

__all__ = ["DEFAULT_RULES", "evaluate"]

DEFAULT_RULES: tuple[Rule, ...] = (
    *origin_usmca.RULES,
    *origin_cafta.RULES,
    *ipr.RULES,
    *steel.RULES,
    *pipeline.RULES,
    *ecommerce.RULES,
    *food.RULES,
    *consistency.RULES,
)
"""Every rule of every family, in family order (STYLE.md §8)."""


def evaluate(case: Case, *, rules: Sequence[Rule] = DEFAULT_RULES, now: datetime) -> Report:
    """Evaluate ``case`` with ``rules`` at ``now`` (timezone-aware) and report every finding.

    Findings are ordered by line (entry-level first), then by severity, highest first, then by
    rule order. Raises :class:`InvalidDocument` for a naive ``now`` and
    :class:`ConfigurationError` for duplicate rule ids or a finding about a line that does not
    exist.
    """
    if now.tzinfo is None:
        problem = FieldProblem("now", "expected a timezone-aware time")
        raise InvalidDocument.from_problems("evaluation", [problem])
    ids = [rule.id for rule in rules]
    duplicates = sorted({rule_id for rule_id in ids if ids.count(rule_id) > 1})
    if duplicates:
        raise ConfigurationError(f"rule ids must be unique, repeated: {', '.join(duplicates)}")
    scoped = case.at(now)
    count = len(case.entry.lines)
    ranked: list[tuple[int, int, int, Finding]] = []
    for order, rule in enumerate(rules):
        for finding in rule.evaluate(scoped):
            if finding.line is not None and not 1 <= finding.line <= count:
                raise ConfigurationError(
                    f"rule {rule.id} reported line {finding.line} of a {count}-line entry"
                )
            ranked.append((finding.line or 0, -finding.severity, order, finding))
    ranked.sort(key=lambda item: item[:3])
    return Report(
        entry_number=case.entry.entry_number,
        evaluated_at=now,
        rule_ids=tuple(ids),
        findings=tuple(finding for *_, finding in ranked),
    )
