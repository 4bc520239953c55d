"""How rules compare what documents say: party names, descriptions, quantities and dates.

Trade documents name the same company in different ways ("Harbor Apparel Imports LLC",
"HARBOR APPAREL IMPORTS, L.L.C."), so names are compared after case folding, dropping punctuation
and common legal-form words ("S.A. de C.V.", "Pte. Ltd.", "GmbH"). Descriptions match when they
share a significant word. Quantities and values match within a relative tolerance that each rule
states (a policy choice, not a legal one).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from tradetrace.rules.case import PresentedCredential

__all__ = [
    "add_months",
    "ledger_references",
    "same_name",
    "share_words",
    "within_tolerance",
]

_LEGAL_FORMS = frozenset(
    {"inc", "incorporated", "llc", "ltd", "limited", "co", "company", "corp", "corporation"}
    | {"sa", "de", "cv", "rl", "spr", "sas", "gmbh", "ag", "bv", "nv", "plc", "srl", "spa", "as"}
    | {"oy", "ab", "kk", "pte", "pty", "lp", "llp"}
)
_STOP_WORDS = frozenset(
    {"and", "for", "from", "the", "with", "of", "or", "in", "on", "to", "by", "a", "an", "other"}
)
_WORD = re.compile(r"[a-z0-9]+")


def _name_words(name: str) -> tuple[str, ...]:
    # Dots go first, so "S.A. de C.V." and "L.L.C." read as "SA de CV" and "LLC".
    words = _WORD.findall(name.casefold().replace(".", ""))
    return tuple(word for word in words if word not in _LEGAL_FORMS)


def same_name(first: str | None, second: str | None) -> bool:
    """Whether two party names name the same party (case, punctuation and legal form ignored)."""
    if not first or not second:
        return False
    return _name_words(first) == _name_words(second) and bool(_name_words(first))


def _significant(text: str) -> set[str]:
    words = {w for w in _WORD.findall(text.casefold()) if len(w) > 2 and w not in _STOP_WORDS}
    # "shirts" and "shirt", "rolls" and "roll": compare singular stems.
    return {w[:-1] if w.endswith("s") and len(w) > 3 else w for w in words}


def share_words(first: str | None, second: str | None) -> bool:
    """Whether two descriptions share a significant word (three letters or more, not a stop
    word, plural ``s`` ignored)."""
    if not first or not second:
        return False
    return bool(_significant(first) & _significant(second))


def within_tolerance(declared: Decimal, measured: Decimal, tolerance: Decimal) -> bool:
    """Whether ``measured`` is within ``tolerance`` (a fraction, ``0.005`` for 0.5%) of
    ``declared``; a zero declaration matches only zero."""
    if declared == 0:
        return measured == 0
    return abs(measured - declared) <= abs(declared) * tolerance


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months, clamped to the end of a shorter month."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def ledger_references(credentials: Iterable[PresentedCredential]) -> tuple[str, ...]:
    """The ledger references of those credentials that were logged."""
    return tuple(c.ledger.reference for c in credentials if c.ledger is not None)
