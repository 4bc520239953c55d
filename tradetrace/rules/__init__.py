"""Customs rules: evaluate an entry and its evidence, decide, explain (MISSION.md capability 5).

- :mod:`.case`, :mod:`.trace`: the input, a :class:`Case` (entry, credentials with their
  verification, trust and ledger records, trace facts, IPR recordations).
- :mod:`.base`: :class:`Rule`, :class:`Finding`, :class:`Severity`, :class:`Report`.
- One module per family: :mod:`.origin_usmca`, :mod:`.origin_cafta`, :mod:`.ipr`, :mod:`.steel`,
  :mod:`.pipeline`, :mod:`.ecommerce`, :mod:`.food`, :mod:`.consistency`.
- :mod:`.engine`: :func:`evaluate` with :data:`DEFAULT_RULES`.
- :mod:`.decision`, :mod:`.explanation`: :func:`decide`, :func:`assess`, :func:`explain`.

Example::

    from tradetrace import rules

    decision = rules.assess(case, now=now)
    decision.recommendation  # Recommendation.RELEASE
    print(rules.explain(decision))
"""

from tradetrace.rules.base import (
    CheckRule,
    Evidence,
    Family,
    Finding,
    Outcome,
    Report,
    Rule,
    Severity,
    rule,
)
from tradetrace.rules.case import (
    Case,
    LedgerRecord,
    PresentedCredential,
    Recordation,
    RightKind,
)
from tradetrace.rules.decision import (
    Decision,
    LineDecision,
    PreferenceStatus,
    Recommendation,
    assess,
    decide,
)
from tradetrace.rules.engine import DEFAULT_RULES, evaluate
from tradetrace.rules.explanation import explain
from tradetrace.rules.trace import CustodyStep, FoodRecord, ProductionRecord, Trace

__all__ = [
    "DEFAULT_RULES",
    "Case",
    "CheckRule",
    "CustodyStep",
    "Decision",
    "Evidence",
    "Family",
    "Finding",
    "FoodRecord",
    "LedgerRecord",
    "LineDecision",
    "Outcome",
    "PreferenceStatus",
    "PresentedCredential",
    "ProductionRecord",
    "Recommendation",
    "Recordation",
    "Report",
    "RightKind",
    "Rule",
    "Severity",
    "Trace",
    "assess",
    "decide",
    "evaluate",
    "explain",
    "rule",
]
