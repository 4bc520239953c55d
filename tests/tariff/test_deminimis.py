"""Section 321 duty-free de minimis as an effective-dated rule (customs.md §7.1)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from tradetrace.tariff import de_minimis_status


def test_de_minimis_applies_until_28_august_2025():
    status = de_minimis_status(date(2025, 8, 28))
    assert status.applies
    assert status.limit == Decimal("800")
    assert "19 U.S.C. 1321(a)(2)(C)" in status.source


def test_de_minimis_is_suspended_from_29_august_2025():
    for day in (date(2025, 8, 29), date(2026, 3, 1)):
        status = de_minimis_status(day)
        assert not status.applies
        assert "EO 14324" in status.source
        assert "90 FR 42418" in status.source
