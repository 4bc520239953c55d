"""Section 321 duty-free de minimis, as an effective-dated rule (customs.md §7.1).

Shipments imported by one person on one day with an aggregate fair retail value of $800 or less
enter free of duty and tax (19 U.S.C. 1321(a)(2)(C), raised from $200 by TFTEA 2015), and
Entry Type 86 files them with no duties, taxes or fees (CBP "Entry Type 86 FAQ"). Executive
Order 14324 (30 Jul 2025) suspended duty-free de minimis for all countries from 29 Aug 2025 (CBP
notice 90 FR 42418, 2 Sep 2025; FR doc. 2025-16802), and a 2026 order continues the suspension.

Whether a shipment is eligible (one person, one day, the exclusions) is the rule engine's
decision; this module only says whether the privilege exists on a date.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

__all__ = [
    "DE_MINIMIS_LIMIT",
    "DE_MINIMIS_SOURCE",
    "DE_MINIMIS_SUSPENDED_FROM",
    "DE_MINIMIS_SUSPENSION_SOURCE",
    "DeMinimisStatus",
    "de_minimis_status",
]

DE_MINIMIS_LIMIT = Decimal("800")
DE_MINIMIS_SUSPENDED_FROM = date(2025, 8, 29)
DE_MINIMIS_SOURCE = "19 U.S.C. 1321(a)(2)(C); CBP Entry Type 86 FAQ (customs.md §7.1)"
DE_MINIMIS_SUSPENSION_SOURCE = (
    "EO 14324 (30 Jul 2025), suspended from 29 Aug 2025; CBP notice 90 FR 42418 "
    "(FR doc. 2025-16802) (customs.md §7.1)"
)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeMinimisStatus:
    """Whether duty-free de minimis applies on ``on``, the value limit and the citation."""

    applies: bool
    on: date
    limit: Decimal
    source: str


def de_minimis_status(on: date) -> DeMinimisStatus:
    """Say whether Section 321 duty-free de minimis (and so Type 86) is available on ``on``."""
    if on >= DE_MINIMIS_SUSPENDED_FROM:
        return DeMinimisStatus(
            applies=False, on=on, limit=DE_MINIMIS_LIMIT, source=DE_MINIMIS_SUSPENSION_SOURCE
        )
    return DeMinimisStatus(applies=True, on=on, limit=DE_MINIMIS_LIMIT, source=DE_MINIMIS_SOURCE)
