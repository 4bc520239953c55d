"""Facilitation (MISSION.md capability 6): relief programs and the cargo-resolution desk.

Two pure domains, no I/O: :mod:`tradetrace.facilitation.relief` (the 2020 COVID-19 postponement
of estimated duties, 19 CFR 24.1a, as data; eligibility, deferral, statements and reports) and
:mod:`tradetrace.facilitation.cases` (inquiries, rule-based triage with service levels, the case
state machine and the queue). Functions that need the time take ``now``.
"""

from __future__ import annotations

from tradetrace.facilitation import cases, relief

__all__ = [
    "cases",
    "relief",
]
