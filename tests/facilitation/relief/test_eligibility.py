"""Each condition of 19 CFR 24.1a (customs.md §1.2), one test or parameter each."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.facilitation.relief import (
    ExcludedDuty,
    PaymentMethod,
    TradeRemedyLine,
    evaluate_entry,
)

# A qualifying importer: operations suspended, April 2020 receipts at 40% of April 2019.
QUALIFYING = {"receipts_2019": Decimal(100000), "receipts_2020": Decimal(40000), "suspended": True}


def _evaluate(program, **overrides):
    arguments = {"entry_date": date(2020, 4, 16), "entry_type": "01", **QUALIFYING}
    arguments.update(overrides)
    return evaluate_entry(program, **arguments)


def _codes(eligibility):
    return [reason.code for reason in eligibility.reasons]


def test_evaluate_entry_eligible_lists_every_condition_met(program):
    result = _evaluate(program)

    assert result.eligible
    assert result.failed == ()
    assert _codes(result) == [
        "entry_date_in_period",
        "entry_type_eligible",
        "no_excluded_duty",
        "operations_suspended",
        "gross_receipts_below_threshold",
        "due_date_postponed",
    ]
    assert result.due_date == date(2020, 7, 29)


def test_evaluate_entry_every_reason_cites_the_rule_or_a_notice(program):
    results = [
        _evaluate(program),
        _evaluate(program, entry_date=date(2020, 3, 2)),
        _evaluate(program, entry_type="11", excluded_duties=["ad", "301"], suspended=False),
        _evaluate(program, receipts_2019=0),
        _evaluate(
            program, excluded_duties=[TradeRemedyLine(ExcludedDuty.SECTION_301, date(2020, 1, 1))]
        ),
    ]
    for result in results:
        for reason in result.reasons:
            assert any(source in reason.citation for source in ("24.1a", "CSMS", "CBP", "EO 13916"))
    assert all("19 CFR 24.1a" in reason.citation for reason in results[0].reasons[:2])


@pytest.mark.parametrize("entry_date", [date(2020, 3, 1), date(2020, 4, 30)])
def test_evaluate_entry_accepts_first_and_last_day_of_the_period(program, entry_date):
    assert _evaluate(program, entry_date=entry_date).eligible


@pytest.mark.parametrize("entry_date", [date(2020, 2, 29), date(2020, 5, 1)])
def test_evaluate_entry_rejects_entries_outside_march_and_april_2020(program, entry_date):
    result = _evaluate(program, entry_date=entry_date)

    assert not result.eligible
    assert result.due_date is None
    assert [reason.code for reason in result.failed] == ["entry_date_outside_period"]
    assert "24.1a(a)" in result.failed[0].citation


@pytest.mark.parametrize("entry_type", ["01", "02", "06", "31", "32"])
def test_evaluate_entry_covers_formal_consumption_warehouse_withdrawal_and_ftz(program, entry_type):
    assert _evaluate(program, entry_type=entry_type).eligible


@pytest.mark.parametrize(
    ("entry_type", "code"),
    [
        ("11", "entry_type_informal"),
        ("12", "entry_type_informal"),
        ("03", "entry_type_trade_remedy"),
        ("07", "entry_type_trade_remedy"),
        ("34", "entry_type_trade_remedy"),
        ("38", "entry_type_trade_remedy"),
        ("21", "entry_type_not_covered"),
        ("86", "entry_type_not_covered"),
    ],
)
def test_evaluate_entry_rejects_informal_trade_remedy_and_other_entry_types(
    program, entry_type, code
):
    result = _evaluate(program, entry_type=entry_type)

    assert not result.eligible
    assert [reason.code for reason in result.failed] == [code]


def test_evaluate_entry_informal_reason_cites_the_csms(program):
    (reason,) = _evaluate(program, entry_type="11").failed

    assert "informal" in reason.message
    assert "CSMS #42423171" in reason.citation


@pytest.mark.parametrize(
    ("duty", "code", "statute"),
    [
        ("ad", "excluded_duty_antidumping", "19 U.S.C. 1673"),
        ("cvd", "excluded_duty_countervailing", "19 U.S.C. 1671"),
        ("201", "excluded_duty_section_201", "19 U.S.C. 2251"),
        ("232", "excluded_duty_section_232", "19 U.S.C. 1862"),
        ("301", "excluded_duty_section_301", "19 U.S.C. 2411"),
    ],
)
def test_evaluate_entry_one_excluded_duty_line_makes_the_whole_summary_ineligible(
    program, duty, code, statute
):
    result = _evaluate(program, excluded_duties=[duty])

    assert not result.eligible
    (reason,) = result.failed
    assert reason.code == code
    assert statute in reason.message
    assert "whole entry summary" in reason.message
    assert "24.1a(c)" in reason.citation


def test_evaluate_entry_reports_each_distinct_excluded_duty_once(program):
    result = _evaluate(program, excluded_duties=[ExcludedDuty.SECTION_301, "301", " AD "])

    assert [reason.code for reason in result.failed] == [
        "excluded_duty_section_301",
        "excluded_duty_antidumping",
    ]


def test_evaluate_entry_exclusion_in_effect_on_entry_date_does_not_disqualify(program):
    line = TradeRemedyLine(ExcludedDuty.SECTION_301, exclusion_effective=date(2020, 3, 17))

    result = _evaluate(program, excluded_duties=[line])

    assert result.eligible
    assert "trade_remedy_exclusion_in_effect" in _codes(result)


def test_evaluate_entry_retroactive_exclusion_does_not_rescue_the_entry(program):
    line = TradeRemedyLine(ExcludedDuty.SECTION_301, exclusion_effective=date(2020, 5, 1))

    result = _evaluate(program, excluded_duties=[line])

    assert not result.eligible
    assert [reason.code for reason in result.failed] == ["trade_remedy_exclusion_retroactive"]
    assert "retroactive" in result.failed[0].message


def test_evaluate_entry_program_without_whole_summary_rule_only_keeps_the_duty(make_program):
    lenient = make_program(lambda data: data["trade_remedies"].update(whole_entry_summary=False))

    result = _evaluate(lenient, excluded_duties=["232"])

    assert result.eligible
    (reason,) = [r for r in result.reasons if r.code == "excluded_duty_section_232"]
    assert reason.met
    assert "not postponed" in reason.message


def test_evaluate_entry_ignores_duties_the_program_does_not_exclude(make_program):
    narrower = make_program(
        lambda data: data["trade_remedies"].update(
            duties=[d for d in data["trade_remedies"]["duties"] if d["duty"] != "301"]
        )
    )

    result = _evaluate(narrower, excluded_duties=["301"])

    assert result.eligible
    assert "no_excluded_duty" in _codes(result)


def test_evaluate_entry_requires_suspension_by_government_order(program):
    result = _evaluate(program, suspended=False)

    assert not result.eligible
    assert [reason.code for reason in result.failed] == ["operations_not_suspended"]
    assert "24.1a(b)" in result.failed[0].citation


@pytest.mark.parametrize(
    ("receipts_2020", "eligible", "code"),
    [
        ("59999.99", True, "gross_receipts_below_threshold"),
        ("60000", False, "gross_receipts_not_below_threshold"),
        ("120000", False, "gross_receipts_not_below_threshold"),
        ("0", True, "gross_receipts_below_threshold"),
    ],
)
def test_evaluate_entry_receipts_must_be_below_60_percent_of_2019(
    program, receipts_2020, eligible, code
):
    result = _evaluate(program, receipts_2019="100000", receipts_2020=receipts_2020)

    assert result.eligible is eligible
    assert code in _codes(result)
    assert "60%" in next(r.message for r in result.reasons if r.code == code)


def test_evaluate_entry_without_2019_receipts_cannot_show_a_fall(program):
    result = _evaluate(program, receipts_2019=0, receipts_2020=0)

    assert [reason.code for reason in result.failed] == ["gross_receipts_no_baseline"]


def test_evaluate_entry_names_both_comparison_periods(program):
    reason = next(r for r in _evaluate(program).reasons if r.code.startswith("gross_receipts"))

    assert "13-31 March 2020 or April 2020" in reason.message
    assert "40.0%" in reason.message


def test_evaluate_entry_notes_no_refund_when_the_deposit_fell_due_before_the_rule(program):
    # Entered 2 March: single pay due 16 March, before the rule took effect on 20 April 2020.
    result = _evaluate(program, entry_date=date(2020, 3, 2))

    assert result.eligible
    reason = result.reasons[-1]
    assert reason.code == "paid_deposits_not_refunded"
    assert "2020-03-16" in reason.message
    assert "CBP Dec. 20-05" in reason.citation


def test_evaluate_entry_failed_entry_still_knows_its_original_due_date(program):
    result = _evaluate(program, suspended=False, payment=PaymentMethod.DAILY)

    assert result.due_date is None
    assert result.original_due_date == date(2020, 4, 30)


def test_evaluate_entry_rejects_every_malformed_field_at_once(program):
    with pytest.raises(
        InvalidDocument, match=r"invalid relief evaluation request: entry_type"
    ) as info:
        _evaluate(
            program,
            entry_type="99",
            excluded_duties=["ad", "steel"],
            receipts_2019="-1",
            receipts_2020="lots",
            payment="weekly",
        )

    assert info.value.code == "invalid_document"
    assert [problem.field for problem in info.value.problems] == [
        "entry_type",
        "excluded_duties[1]",
        "receipts_2019",
        "receipts_2020",
        "payment",
    ]


@pytest.mark.parametrize("receipts", [True, Decimal("NaN"), Decimal("Infinity"), 1.5])
def test_evaluate_entry_rejects_receipts_that_are_not_finite_decimals(program, receipts):
    with pytest.raises(InvalidDocument, match=r"receipts_2019: expected a") as info:
        _evaluate(program, receipts_2019=receipts)

    assert info.value.code == "invalid_document"


def test_eligibility_to_json_dict_is_the_cli_contract(program):
    eligible = _evaluate(program).to_json_dict()
    ineligible = _evaluate(program, excluded_duties=["301"]).to_json_dict()

    assert set(eligible) == {"eligible", "reasons", "due_date"}
    assert eligible["eligible"] is True
    assert eligible["due_date"] == "2020-07-29"
    assert ineligible["due_date"] is None
    assert set(eligible["reasons"][0]) == {"code", "message", "citation", "met"}
    assert json.loads(json.dumps(ineligible)) == ineligible
