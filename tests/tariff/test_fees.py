"""MPF (19 CFR 24.23) and HMF (19 CFR 24.24): fiscal years, minimum and maximum, proration."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.errors import InvalidDocument
from tradetrace.tariff import FeeSchedule, fiscal_year
from tradetrace.tariff.fees import allocate_cents, formal_mpf, harbor_maintenance_fee

FEE_ROW = {
    "fiscal_year": "2026",
    "start_date": "2025-10-01",
    "end_date": "2026-09-30",
    "mpf_rate": "0.003464",
    "mpf_minimum": "33.58",
    "mpf_maximum": "651.50",
    "informal_mpf": "2.69",
    "source": "90 FR 34665",
}


def test_fiscal_year_starts_on_the_first_of_october():
    assert fiscal_year(date(2025, 9, 30)) == 2025
    assert fiscal_year(date(2025, 10, 1)) == 2026
    assert fiscal_year(date(2026, 1, 15)) == 2026


def test_fee_schedule_has_the_figures_of_customs_md(data):
    fy2025 = data.fees.for_date(date(2025, 9, 30))
    fy2026 = data.fees.for_date(date(2025, 10, 1))
    assert (fy2025.mpf_minimum, fy2025.mpf_maximum, fy2025.informal_mpf) == (
        Decimal("32.71"),
        Decimal("634.62"),
        Decimal("2.62"),
    )
    assert (fy2026.mpf_minimum, fy2026.mpf_maximum, fy2026.informal_mpf) == (
        Decimal("33.58"),
        Decimal("651.50"),
        Decimal("2.69"),
    )
    assert fy2026.mpf_rate == Decimal("0.003464")
    assert "90 FR 34665" in fy2026.citation
    assert "19 CFR 24.23" in fy2026.citation


def test_fee_schedule_refuses_a_year_without_figures(data):
    with pytest.raises(
        InvalidDocument, match=r"entry_date: no MPF figures for fiscal year 2027"
    ) as info:
        data.fees.for_date(date(2026, 10, 1))
    assert info.value.code == "invalid_document"


def test_fee_schedule_checks_its_rows():
    with pytest.raises(
        InvalidDocument, match=r"fees\.csv:2: FY2026 must start on 1 October"
    ) as info:
        FeeSchedule.from_rows([{**FEE_ROW, "start_date": "2025-09-01"}], name="fees.csv")
    assert info.value.code == "invalid_document"
    later = {**FEE_ROW, "fiscal_year": "2028", "start_date": "2027-10-01", "end_date": "2028-09-30"}
    with pytest.raises(InvalidDocument, match=r"fees\.csv:3: FY2028 does not follow on") as info:
        FeeSchedule.from_rows([FEE_ROW, later], name="fees.csv")
    assert info.value.code == "invalid_document"
    with pytest.raises(InvalidDocument, match=r"fees\.csv:2: malformed fee row") as info:
        FeeSchedule.from_rows([{**FEE_ROW, "mpf_minimum": "lots"}], name="fees.csv")
    assert info.value.code == "invalid_document"
    with pytest.raises(InvalidDocument, match=r"fees\.csv: no fee years") as info:
        FeeSchedule.from_rows([], name="fees.csv")
    assert info.value.code == "invalid_document"


def test_formal_mpf_raises_a_small_entry_to_the_minimum(data):
    year = data.fees.for_date(date(2025, 10, 1))
    # 0.3464% of 1,000.00 = 3.464 < 33.58 (FY2026 minimum) -> 33.58
    allocation = formal_mpf([Decimal("1000")], year)
    assert (allocation.raw, allocation.bound, allocation.total) == (
        Decimal("3.464000"),
        "minimum",
        Decimal("33.58"),
    )


def test_formal_mpf_lowers_a_large_entry_to_the_maximum(data):
    year = data.fees.for_date(date(2025, 10, 1))
    # 0.3464% of 250,000.00 = 866.00 > 651.50 (FY2026 maximum) -> 651.50
    allocation = formal_mpf([Decimal("250000")], year)
    assert (allocation.bound, allocation.total) == ("maximum", Decimal("651.50"))


def test_formal_mpf_between_the_bounds_is_the_percentage(data):
    year = data.fees.for_date(date(2025, 10, 1))
    # 0.3464% of 50,000.00 = 173.20
    allocation = formal_mpf([Decimal("50000")], year)
    assert (allocation.bound, allocation.total) == ("", Decimal("173.20"))


def test_formal_mpf_prorates_the_clamped_total_and_skips_exempt_lines(data):
    year = data.fees.for_date(date(2025, 7, 1))
    # non-exempt values 2,000 and 3,000: 0.3464% of 5,000 = 17.32 < 32.71 -> 32.71;
    # shares 32.71 * 2/5 = 13.084 -> 13.08 and 32.71 * 3/5 = 19.626 -> 19.63 (largest remainder)
    allocation = formal_mpf([Decimal("2000"), None, Decimal("3000")], year)
    assert allocation.shares == (Decimal("13.08"), Decimal("0.00"), Decimal("19.63"))


def test_formal_mpf_of_an_all_exempt_entry_is_zero(data):
    year = data.fees.for_date(date(2025, 7, 1))
    assert formal_mpf([None, None], year).total == 0


def test_formal_mpf_puts_the_minimum_on_zero_value_lines(data):
    year = data.fees.for_date(date(2025, 7, 1))
    assert formal_mpf([None, Decimal(0)], year).shares == (Decimal("0.00"), Decimal("32.71"))


def test_harbor_maintenance_fee_is_an_eighth_of_a_percent():
    # 0.125% of 10,000.00 = 12.50
    assert harbor_maintenance_fee(Decimal("10000")) == Decimal("12.50000")


values = st.lists(
    st.decimals(min_value=0, max_value=Decimal("1e7"), places=2), min_size=1, max_size=8
)


@given(st.integers(min_value=0, max_value=10**8), values)
def test_allocate_cents_adds_up_exactly(cents, weights):
    total = Decimal(cents) / 100
    parts = allocate_cents(total, weights)
    assert sum(parts) == total
    assert all(part >= 0 and part.as_tuple().exponent == -2 for part in parts)
    weight = sum(weights)
    if weight:
        assert all(
            abs(part - total * w / weight) < Decimal("0.01")
            for part, w in zip(parts, weights, strict=True)
        )


@given(values)
def test_formal_mpf_stays_between_minimum_and_maximum(data, line_values):
    year = data.fees.for_date(date(2026, 3, 1))
    allocation = formal_mpf(line_values, year)
    assert year.mpf_minimum <= allocation.total <= year.mpf_maximum
    assert sum(allocation.shares) == allocation.total
