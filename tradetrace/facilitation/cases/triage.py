"""Triage: a priority and a service-level due-by time for each inquiry, from operator rules.

The rules are data (``data/triage-rules.json``), so operators tune them without a release. Each
rule adds points when it matches: goods on an HTS code list (by default the COVID-19 medical
list of customs.md §3.3, "critical medical goods first by tariff code", MISSION.md capability 6),
cargo on hold at a port, a request from a partner government agency, a category. The points set
the **base priority**, whose service level fixes the **due-by** time from receipt. Waiting adds
age points, which can raise the priority; a case past its due-by rises one more level.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import resources
from importlib.resources.abc import Traversable

from tradetrace.errors import FieldProblem, InvalidDocument, NotFound
from tradetrace.facilitation.cases import code_lists
from tradetrace.facilitation.cases.code_lists import CodeList
from tradetrace.facilitation.cases.inquiry import Inquiry
from tradetrace.facilitation.cases.rules import (
    AgencyRequestRule,
    CargoOnHoldRule,
    HtsListRule,
    Rule,
    TriageRules,
)
from tradetrace.facilitation.cases.vocabulary import Priority, RequesterKind
from tradetrace.facilitation.parsing import require_utc

__all__ = [
    "RuleMatch",
    "Triage",
    "TriagePolicy",
    "load_triage_policy",
    "triage_inquiry",
]

_DAY = timedelta(days=1)


@dataclass(frozen=True, slots=True)
class TriagePolicy:
    """Triage rules with the code lists they name, resolved once."""

    rules: TriageRules
    code_lists: Mapping[str, CodeList]


@dataclass(frozen=True, slots=True)
class RuleMatch:
    """A rule that matched, the points it added and what it matched on."""

    rule_id: str
    points: int
    detail: str


@dataclass(frozen=True, slots=True)
class Triage:
    """Where an inquiry stands: its priority now, why, and when it is due.

    ``base_priority`` comes from the matched rules (or an operator's override) and sets
    ``due_by``; ``priority`` adds age and the overdue rise.
    """

    priority: Priority
    base_priority: Priority
    score: int
    matches: tuple[RuleMatch, ...]
    due_by: datetime
    overdue: bool


def load_triage_policy(
    text: str | bytes | None = None, *, code_list_folder: Traversable | None = None
) -> TriagePolicy:
    """Parse triage rules (default: the bundled ``triage-rules.json``) and resolve their lists.

    Raises :class:`~tradetrace.errors.InvalidDocument` naming each field at fault, including
    a rule that names a code list not found in ``code_list_folder`` (default: bundled lists).
    """
    if text is None:
        folder = resources.files("tradetrace.facilitation.cases").joinpath("data")
        text = folder.joinpath("triage-rules.json").read_bytes()
    rules = TriageRules.from_json(text)
    lists: dict[str, CodeList] = {}
    problems: list[FieldProblem] = []
    for index, rule in enumerate(rules.rules):
        if isinstance(rule, HtsListRule) and rule.list is not None:
            try:
                lists[rule.list] = code_lists.load_code_list(rule.list, code_list_folder)
            except NotFound as exc:
                problems.append(FieldProblem(f"rules[{index}].list", exc.message))
    if problems:
        raise InvalidDocument.from_problems("triage rules", problems)
    return TriagePolicy(rules, lists)


def _match_hts(rule: HtsListRule, inquiry: Inquiry, policy: TriagePolicy) -> str | None:
    code_list = policy.code_lists.get(rule.list) if rule.list else None
    for hts in inquiry.hts_codes:
        if any(hts.startswith(code) for code in rule.codes):
            return f"HTS {hts} is listed by rule {rule.id}"
        if code_list is None:
            continue
        item = code_list.match(hts, include_uncertain=rule.include_uncertain)
        if item is not None:
            return f"HTS {hts} is on {code_list.id}: {item.product} ({item.source})"
    return None


def _match(rule: Rule, inquiry: Inquiry, policy: TriagePolicy) -> str | None:
    if isinstance(rule, HtsListRule):
        return _match_hts(rule, inquiry, policy)
    if isinstance(rule, CargoOnHoldRule):
        return "cargo reported on hold at a port" if inquiry.cargo_on_hold else None
    if isinstance(rule, AgencyRequestRule):
        contact = inquiry.contact
        if contact.kind is not RequesterKind.GOVERNMENT_AGENCY or contact.agency is None:
            return None
        wanted = not rule.agencies or contact.agency in rule.agencies
        return f"requested by partner agency {contact.agency.value}" if wanted else None
    return f"category {rule.category.value}" if inquiry.category is rule.category else None


def triage_inquiry(
    inquiry: Inquiry,
    *,
    policy: TriagePolicy,
    received_at: datetime,
    now: datetime,
    override: Priority | None = None,
) -> Triage:
    """Score ``inquiry`` under ``policy`` and place it: priority, reasons and due-by time.

    ``override`` is an operator's chosen base priority. Raises
    :class:`~tradetrace.errors.InvalidDocument` for times that are not timezone-aware UTC.
    """
    require_utc(received_at, "received_at")
    require_utc(now, "now")
    rules = policy.rules
    matches = tuple(
        RuleMatch(rule.id, rule.points, detail)
        for rule in rules.rules
        if (detail := _match(rule, inquiry, policy)) is not None
    )
    base_score = sum(match.points for match in matches)
    base = override or rules.priority_for(base_score)
    due_by = received_at + rules.service_level(base)
    waited = max(now - received_at, timedelta(0))
    age_points = min(rules.age.max_points, (waited // _DAY) * rules.age.points_per_day)
    if age_points:
        matches += (RuleMatch("age", age_points, f"waiting {waited // _DAY} day(s)"),)
    score = base_score + age_points
    priority = min(base, rules.priority_for(score), key=lambda level: level.rank)
    overdue = now > due_by
    if overdue:
        priority = priority.raised()
    return Triage(priority, base, score, matches, due_by, overdue)
