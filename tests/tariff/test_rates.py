"""Rates from USITC fields (CATAIR Appendix F codes), checked against the printed text, and the
cent rounding of amounts (property tests)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tradetrace.errors import InvalidDocument
from tradetrace.tariff import Rate, RateKind, SpecificRate, round_cents
from tradetrace.tariff.rates import format_percent


def usitc(
    text: str,
    code: str,
    ad_valorem: str = "0",
    specific: str = "0",
    other: str = "0",
    q1: str = "KG",
    q2: str = "",
) -> Rate:
    return Rate.from_usitc(
        text=text,
        type_code=code,
        ad_valorem=ad_valorem,
        specific=specific,
        other=other,
        quantity_1=q1,
        quantity_2=q2,
    )


def test_rate_from_usitc_reads_ad_valorem():
    rate = usitc("6.8%", "7", ad_valorem="0.068", q1="NO")
    assert rate.kind is RateKind.AD_VALOREM
    # 6.8% of $1,234.00 = 83.912
    assert rate.duty(value=Decimal("1234"), quantities={}) == Decimal("83.912")


def test_rate_from_usitc_reads_free_with_conditions():
    rate = usitc("Free, under bond, as prescribed in U.S. note 1 to this subchapter", "0")
    assert rate.kind is RateKind.FREE
    assert rate.duty(value=Decimal("5000"), quantities={}) == 0


def test_rate_from_usitc_reads_specific_per_second_unit():
    # 0102.29.40, live cattle: "1 cents/kg", code 2 = P1 * Q2, units NO and KG.
    rate = usitc("1 cents/kg", "2", specific="0.01", q1="NO", q2="KG")
    assert rate.specific == (SpecificRate(Decimal("0.01"), "KG"),)
    # 5,000 kg at $0.01 = 50.00; the head count does not enter.
    assert (
        rate.duty(value=Decimal("20000"), quantities={"NO": Decimal(10), "KG": Decimal(5000)}) == 50
    )


def test_rate_from_usitc_reads_compound_on_second_unit():
    # 2402.20.80, cigarettes: "$1.05/kg + 2.3%", code 5 = P1 * Q2 + P2 * value, units THS, KG.
    rate = usitc("$1.05/kg + 2.3%", "5", ad_valorem="0.023", specific="1.05", q1="THS", q2="KG")
    assert rate.kind is RateKind.COMPOUND
    # 1.05 * 650 kg = 682.50; 0.023 * 10,000 = 230.00; together 912.50
    duty = rate.duty(value=Decimal("10000"), quantities={"THS": Decimal(500), "KG": Decimal(650)})
    assert duty == Decimal("912.50")


def test_rate_from_usitc_reads_three_part_compound():
    # 6505.00.08: "13.5 cents/kg + 6.3% + 1.9 cents/article", code 6 = P1*Q1 + P2*V + P3*Q2.
    rate = usitc(
        "13.5 cents/kg + 6.3% + 1.9 cents/article",
        "6",
        ad_valorem="0.063",
        specific="0.019",
        other="0.135",
        q1="NO",
        q2="KG",
    )
    assert rate.units == ("NO", "KG")
    # 0.019 * 100 articles = 1.90; 0.063 * 1,000 = 63.00; 0.135 * 20 kg = 2.70; total 67.60
    duty = rate.duty(value=Decimal("1000"), quantities={"NO": Decimal(100), "KG": Decimal(20)})
    assert duty == Decimal("67.60")


def test_rate_from_usitc_reads_per_thousand():
    # 0601.10.15 bulbs: "89.6 cents/1000", stored per bulb (0.000896).
    rate = usitc("89.6 cents/1000", "1", specific="0.000896", q1="NO")
    assert rate.duty(value=Decimal(1), quantities={"NO": Decimal(10000)}) == Decimal("8.96")


def test_rate_from_usitc_keeps_an_exact_printed_fraction():
    rate = usitc("33 1/3%", "7", ad_valorem="0.333")
    # 33 1/3% of $300 is exactly 100, where the field's 0.333 would give 99.90
    assert round_cents(rate.duty(value=Decimal(300), quantities={})) == Decimal("100.00")


def test_rate_from_usitc_flags_fields_that_disagree_with_the_text():
    # col2 of 2202.99.28 prints an ad valorem part that the fields (code 1) leave out
    rate = usitc("27.6 cents/liter+ 17.5%", "1", specific="0.276", q1="L", q2="KG")
    assert rate.kind is RateKind.TEXT
    with pytest.raises(InvalidDocument, match=r"invalid hts10: rate .* cannot be computed") as info:
        rate.duty(value=Decimal(1), quantities={"L": Decimal(1)}, field="hts10")
    assert info.value.code == "invalid_document"


@pytest.mark.parametrize(
    ("text", "code", "problem"),
    [
        ("The rate applicable to the natural juice in heading 2009", "9", "rate type 9"),
        ("", "", "rate type blank"),
        ("2.5% on the value of the lead content", "X", "rate type X"),
        ("6.5% on the entire set", "7", "cannot read the printed rate"),
        ("See text", "1", "the database gives no figures"),
        ("Free", "1", "cannot read the printed rate"),
        ("Dutiable", "0", "disagrees"),
    ],
)
def test_rate_from_usitc_refuses_what_it_cannot_compute(text, code, problem):
    specific = "9999.99" if text == "See text" else "0.01"
    rate = usitc(text, code, specific=specific)
    assert problem in rate.problem
    assert rate.kind is RateKind.TEXT


def test_rate_duty_needs_the_quantity_of_its_unit():
    rate = usitc("1 cents/kg", "1", specific="0.01")
    with pytest.raises(InvalidDocument, match=r"quantities\.KG: rate '1 cents/kg' needs") as info:
        rate.duty(value=Decimal(100), quantities={"NO": Decimal(3)})
    assert info.value.code == "invalid_document"
    assert info.value.problems[0].field == "quantities.KG"


def test_rate_for_programme_is_written_from_its_fields():
    rate = Rate.from_usitc(
        text=None,
        type_code="4.0",
        ad_valorem="0.002",
        specific="0.024",
        other="0.0",
        quantity_1="KG",
        quantity_2="",
    )
    assert rate.text == "$0.024/KG + 0.2%"
    assert rate.kind is RateKind.COMPOUND


def test_format_percent_drops_trailing_zeros():
    assert format_percent(Decimal("0.0680")) == "6.8%"
    assert format_percent(Decimal("0.003464")) == "0.3464%"
    assert format_percent(Decimal("2")) == "200%"


money = st.decimals(min_value=Decimal("-1e9"), max_value=Decimal("1e9"), places=6)


@given(money)
def test_round_cents_is_within_half_a_cent(amount):
    rounded = round_cents(amount)
    assert rounded.as_tuple().exponent == -2
    assert abs(rounded - amount) <= Decimal("0.005")


@given(money)
def test_round_cents_is_idempotent(amount):
    assert round_cents(round_cents(amount)) == round_cents(amount)


@given(money, money)
def test_round_cents_keeps_order(first, second):
    low, high = sorted((first, second))
    assert round_cents(low) <= round_cents(high)


@given(st.integers(min_value=0, max_value=10**9))
def test_round_cents_sends_half_a_cent_up(cents):
    # n cents + 0.5 cent -> n + 1 cents (ROUND_HALF_UP), never to the even neighbour
    amount = Decimal(cents) / 100 + Decimal("0.005")
    assert round_cents(amount) == Decimal(cents + 1) / 100


@given(st.decimals(min_value=0, max_value=Decimal("1e7"), places=2), st.integers(0, 2000))
def test_ad_valorem_duty_matches_a_direct_computation(value, per_mille):
    fraction = Decimal(per_mille) / 1000
    rate = Rate("x%", ad_valorem=fraction)
    expected = (value * fraction).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert round_cents(rate.duty(value=value, quantities={})) == expected


def test_rate_from_usitc_flags_malformed_fields_and_extra_percentages():
    assert usitc("5%", "7", ad_valorem="abc").problem == "malformed rate fields"
    assert usitc("5% + 3%", "7", ad_valorem="0.05").problem.startswith("fields disagree")
    assert usitc("5%", "1", specific="0.01").problem.startswith("fields disagree")
