"""Column choice (HTSUS General Note 3): column 1 general, special programmes, column 2."""

from __future__ import annotations

from datetime import date

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.tariff import select_base_rate
from tradetrace.tariff.programs import is_column2_country, program_for_spi

ON = date(2025, 7, 1)


@pytest.fixture
def tshirts(data):
    """6109.10.00, cotton T-shirts: 16.5% general, 90% column 2, S and P listed."""
    return data.tariff_line("61091000", ON)


def test_select_base_rate_without_claim_is_column_1_general(tshirts):
    base = select_base_rate(tshirts, origin="DE", on=ON, spi=None, preference_allowed=False)
    assert (base.column, base.rate.text) == ("column 1 general", "16.5%")
    assert "General Note 3(a)" in base.source


def test_select_base_rate_grants_usmca_with_the_mexico_rate(tshirts):
    base = select_base_rate(tshirts, origin="MX", on=ON, spi="S", preference_allowed=True)
    assert (base.column, base.rate.text) == ("column 1 special (S)", "Free")
    assert "General Note 11" in base.source
    canada = select_base_rate(tshirts, origin="CA", on=ON, spi="S+", preference_allowed=True)
    assert canada.rate.text == "Free"


def test_select_base_rate_denied_preference_falls_back_with_a_note(tshirts):
    base = select_base_rate(tshirts, origin="MX", on=ON, spi="S", preference_allowed=False)
    assert (base.column, base.rate.text) == ("column 1 general", "16.5%")
    assert base.note == "preference S claimed but not allowed"


def test_select_base_rate_grants_cafta_dr(tshirts):
    base = select_base_rate(tshirts, origin="GT", on=ON, spi="P", preference_allowed=True)
    assert (base.column, base.rate.text) == ("column 1 special (P)", "Free")
    assert "General Note 29" in base.source


def test_select_base_rate_notes_a_programme_not_listed_on_the_line(data):
    free_line = data.tariff_line("84713001", ON)  # MFN Free: no programmes listed
    base = select_base_rate(free_line, origin="MX", on=ON, spi="S", preference_allowed=True)
    assert (base.column, base.rate.text) == ("column 1 general", "Free")
    assert base.note == "S is not listed for 8471.30.01"


def test_select_base_rate_uses_column_2_for_gn3b_countries(tshirts):
    base = select_base_rate(tshirts, origin="CU", on=ON, spi=None, preference_allowed=False)
    assert (base.column, base.rate.text) == ("column 2", "90%")
    assert is_column2_country("RU", ON)
    assert not is_column2_country("RU", date(2022, 4, 8))


def test_select_base_rate_reads_a_non_free_programme_rate(data):
    rice = data.tariff_line("10063010", ON)  # 11.2% general; Korea 0.7%
    base = select_base_rate(rice, origin="KR", on=ON, spi="KR", preference_allowed=True)
    assert base.rate.text == "0.7%"


@pytest.mark.parametrize(
    ("origin", "spi", "pattern"),
    [
        ("CN", "S", r"USMCA \(S\) claimed for origin CN, not a party"),
        ("CU", "A", r"no preference applies to CU, a column 2 country"),
        ("JP", "JP", r"U\.S\.-Japan Trade Agreement \(JP\) rates are not in the tariff data"),
    ],
)
def test_select_base_rate_refuses_preferences_that_cannot_apply(tshirts, origin, spi, pattern):
    with pytest.raises(InvalidDocument, match=pattern) as info:
        select_base_rate(tshirts, origin=origin, on=ON, spi=spi, preference_allowed=True)
    assert info.value.code == "invalid_document"
    assert info.value.problems[0].field == "spi"


def test_program_for_spi_refuses_an_unknown_indicator():
    assert program_for_spi("p+").name == "CAFTA-DR"
    with pytest.raises(
        InvalidDocument, match=r"spi: unknown special programme indicator 'ZZ'"
    ) as info:
        program_for_spi("ZZ")
    assert info.value.code == "invalid_document"
