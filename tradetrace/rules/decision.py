"""The decision on an entry: per line and per entry, with duties and an explanation in words.

From a :class:`~tradetrace.rules.base.Report`:

- **Per line**: a claimed preference is *granted* only when a rule found it supported
  (``preference_supported``) and no finding on the line is ``deny`` or worse (fail closed); the
  line is *admissible* unless it or the entry has a ``hold`` or ``reject`` finding; its
  recommendation follows the worse of its own and the entry-level findings; its reasons are its
  own findings of ``warning`` and above.
- **Per entry**: the release recommendation follows the highest severity found (``info``
  release; ``warning``/``deny`` release with review; ``exam``; ``hold``; ``reject`` refuse), with
  the findings that drove it. An entry whose duties cannot be computed is at least reviewed.
- **Duties**: :func:`tradetrace.tariff.compute_entry` with each line's preference decision as
  ``preference_allowed`` (HTSUS General Note 3; 19 CFR 24.23-24.24). Entry types that deposit no
  duties at entry (warehouse, bond, in-bond) have none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from tradetrace import tariff
from tradetrace.errors import TradeTraceError
from tradetrace.rules.base import Finding, Report, Rule, Severity
from tradetrace.rules.case import Case
from tradetrace.rules.engine import DEFAULT_RULES, evaluate

__all__ = [
    "Decision",
    "LineDecision",
    "PreferenceStatus",
    "Recommendation",
    "assess",
    "decide",
    "recommendation_for",
]


class Recommendation(StrEnum):
    """What to do with the entry (or a line), mildest first."""

    RELEASE = "release"
    RELEASE_WITH_REVIEW = "release_with_review"
    EXAM = "exam"
    HOLD = "hold"
    REFUSE = "refuse"


_BY_SEVERITY = {
    Severity.INFO: Recommendation.RELEASE,
    Severity.WARNING: Recommendation.RELEASE_WITH_REVIEW,
    Severity.DENY: Recommendation.RELEASE_WITH_REVIEW,
    Severity.EXAM: Recommendation.EXAM,
    Severity.HOLD: Recommendation.HOLD,
    Severity.REJECT: Recommendation.REFUSE,
}


def recommendation_for(severity: Severity) -> Recommendation:
    """The recommendation a highest severity leads to (see the module docstring)."""
    return _BY_SEVERITY[severity]


class PreferenceStatus(StrEnum):
    """The outcome of a line's preference claim."""

    NOT_CLAIMED = "not_claimed"
    GRANTED = "granted"
    DENIED = "denied"


@dataclass(frozen=True, slots=True, kw_only=True)
class LineDecision:
    """The decision on one line; ``duty`` is its share of the computed duties, if computed."""

    line: int
    hts10: str
    origin_country: str
    spi: str | None
    preference: PreferenceStatus
    admissible: bool
    recommendation: Recommendation
    reasons: tuple[Finding, ...]
    duty: tariff.LineResult | None

    def to_json_dict(self) -> dict[str, object]:
        """The line decision as JSON values (amounts as two-place strings)."""
        duty = self.duty
        return {
            "line": self.line,
            "hts10": self.hts10,
            "origin_country": self.origin_country,
            "spi": self.spi,
            "preference": self.preference.value,
            "admissible": self.admissible,
            "recommendation": self.recommendation.value,
            "reasons": [finding.to_json_dict() for finding in self.reasons],
            "total": None if duty is None else f"{duty.total:.2f}",
        }


@dataclass(frozen=True, slots=True, kw_only=True)
class Decision:
    """The decision on an entry: recommendation, the findings behind it, lines and duties.

    ``duties`` is ``None`` when none are due at this entry or they could not be computed;
    ``duty_note`` then says why.
    """

    entry_number: str
    entry_type: str
    recommendation: Recommendation
    reasons: tuple[Finding, ...]
    lines: tuple[LineDecision, ...]
    duties: tariff.EntryResult | None
    duty_note: str
    report: Report

    def to_json_dict(self) -> dict[str, object]:
        """The decision as JSON values, with the duties and the full report."""
        return {
            "entry_number": self.entry_number,
            "entry_type": self.entry_type,
            "recommendation": self.recommendation.value,
            "reasons": [finding.to_json_dict() for finding in self.reasons],
            "lines": [line.to_json_dict() for line in self.lines],
            "duties": None if self.duties is None else self.duties.to_json_dict(),
            "duty_note": self.duty_note,
            "report": self.report.to_json_dict(),
        }


def _preference(spi: str | None, findings: Sequence[Finding]) -> PreferenceStatus:
    if spi is None:
        return PreferenceStatus.NOT_CLAIMED
    supported = any(finding.preference_supported for finding in findings)
    denied = any(finding.severity >= Severity.DENY for finding in findings)
    return PreferenceStatus.GRANTED if supported and not denied else PreferenceStatus.DENIED


def _duties(
    case: Case, granted: dict[int, bool], data: tariff.TariffData | None
) -> tuple[tariff.EntryResult | None, str]:
    entry = case.entry
    kind = entry.entry_type.tariff_type
    if kind is None:
        return None, f"entry type {entry.entry_type.value} deposits no duties at entry"
    mode = entry.mode_of_transport.tariff_mode if entry.mode_of_transport else None
    try:
        lines = [
            tariff.EntryLine.parse(
                hts10=line.hts10,
                origin=line.origin_country,
                value=line.value,
                quantities=line.quantity_map(),
                spi=line.spi,
                preference_allowed=granted[number],
                prefix=f"lines[{number - 1}].",
            )
            for number, line in case.lines()
        ]
        parsed = tariff.Entry.parse(
            entry_date=entry.entry_date, lines=lines, entry_type=kind, mode=mode
        )
        return tariff.compute_entry(parsed, data=data), ""
    except TradeTraceError as exc:  # a business outcome too: reported, not raised
        return None, f"duties not computed: {exc.message}"


def decide(case: Case, report: Report, *, data: tariff.TariffData | None = None) -> Decision:
    """Decide on ``case`` from its ``report``; duties from ``data`` (the bundled tariff data by
    default)."""
    entry_level = [finding for finding in report.findings if finding.line is None]
    entry_worst = max((f.severity for f in entry_level), default=Severity.INFO)
    decided: list[tuple[int, PreferenceStatus, Severity, tuple[Finding, ...]]] = []
    for number, line in case.lines():
        own = report.for_line(number)
        worst = max((finding.severity for finding in own), default=Severity.INFO)
        reasons = tuple(f for f in own if f.severity >= Severity.WARNING)
        decided.append((number, _preference(line.spi, own), worst, reasons))
    granted = {number: status is PreferenceStatus.GRANTED for number, status, _, _ in decided}
    duties, note = _duties(case, granted, data)
    lines = tuple(
        LineDecision(
            line=number,
            hts10=case.entry.line(number).hts10,
            origin_country=case.entry.line(number).origin_country,
            spi=case.entry.line(number).spi,
            preference=status,
            admissible=max(worst, entry_worst) < Severity.HOLD,
            recommendation=recommendation_for(max(worst, entry_worst)),
            reasons=reasons,
            duty=duties.lines[number - 1] if duties is not None else None,
        )
        for number, status, worst, reasons in decided
    )
    recommendation = recommendation_for(report.severity)
    if duties is None and note.startswith("duties not computed"):
        recommendation = max(
            recommendation, Recommendation.RELEASE_WITH_REVIEW, key=list(Recommendation).index
        )
    driving = report.severity
    reasons = () if driving is Severity.INFO else report.at_least(driving)
    return Decision(
        entry_number=case.entry.entry_number,
        entry_type=case.entry.entry_type.value,
        recommendation=recommendation,
        reasons=reasons,
        lines=lines,
        duties=duties,
        duty_note=note,
        report=report,
    )


def assess(
    case: Case,
    *,
    now: datetime,
    rules: Sequence[Rule] = DEFAULT_RULES,
    data: tariff.TariffData | None = None,
) -> Decision:
    """Evaluate ``case`` at ``now`` and decide on it: :func:`~tradetrace.rules.engine.evaluate`
    then :func:`decide`. Raises as those do."""
    return decide(case, evaluate(case, rules=rules, now=now), data=data)
