"""A decision in plain words, for an officer, an importer or a log: :func:`explain`.

The text names the recommendation and why, each line's preference and admissibility, the duties
and fees with their total, and every finding above ``info`` with the source it applies::

    Entry B76-0324527-8 (type 01): release with review.
    Why: USMCA preference (S) on line 1 denied: ... [usmca.blanket_period; USMCA Annex 5-A ...]
    Line 1, 8544.42.90.90 from MX: preference S denied; admissible; release with review.
    Duties and fees: duty 1300.00, additional duties 0.00, MPF 173.20, HMF 0.00; total 1473.20.
"""

from __future__ import annotations

from tradetrace import tariff
from tradetrace.rules.base import Finding, Severity
from tradetrace.rules.decision import Decision, LineDecision, PreferenceStatus

__all__ = ["explain"]


def _words(value: str) -> str:
    return value.replace("_", " ")


def _finding(finding: Finding) -> str:
    where = (
        f"{finding.rule_id}; {finding.evidence.citation}"
        if finding.evidence.citation
        else (finding.rule_id)
    )
    return f"{finding.message} [{where}]"


def _line(line: LineDecision) -> str:
    if line.preference is PreferenceStatus.NOT_CLAIMED:
        preference = "no preference claimed"
    else:
        preference = f"preference {line.spi} {line.preference.value}"
    admissible = "admissible" if line.admissible else "not admissible as presented"
    origin = f"{tariff.format_hts(line.hts10)} from {line.origin_country}"
    return f"Line {line.line}, {origin}: {preference}; {admissible}; {_words(line.recommendation)}."


def _duties(decision: Decision) -> str:
    duties = decision.duties
    if duties is None:
        return f"Duties and fees: none computed ({decision.duty_note})."
    parts = (
        ("duty", duties.duty),
        ("additional duties", duties.additional_duties),
        ("MPF", duties.mpf),
        ("HMF", duties.hmf),
    )
    listed = ", ".join(f"{name} {amount:.2f}" for name, amount in parts)
    return f"Duties and fees: {listed}; total {duties.total:.2f}."


def explain(decision: Decision) -> str:
    """Explain ``decision`` in plain words, one statement a line."""
    text = [
        f"Entry {decision.entry_number} (type {decision.entry_type}): "
        f"{_words(decision.recommendation)}."
    ]
    text += [f"Why: {_finding(finding)}" for finding in decision.reasons]
    text += [_line(line) for line in decision.lines]
    text.append(_duties(decision))
    noted = [f for f in decision.report.findings if f.severity > Severity.INFO]
    noted = [f for f in noted if f not in decision.reasons]
    if noted:
        text.append("Also found:")
        text += [f"- {finding.severity.label}: {_finding(finding)}" for finding in noted]
    return "\n".join(text)
