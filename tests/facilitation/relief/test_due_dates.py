"""Original and postponed due dates against the dates of customs.md §1.3.

- Single pay and daily statement: "New due date = original + 90 days. Example: due 30 Apr 2020
  -> 29 Jul 2020" (customs.md §1.3; Shapiro on CSMS #42421561). An entry of 16 Apr 2020 is due
  on the 10th working day after it, 30 Apr 2020 (19 CFR 142.12(b)).
- Periodic monthly statement: "March entries -> 22 Jul 2020; April entries -> 21 Aug 2020"
  (customs.md §1.3; Roanoke Trade on CSMS #43324033). Their normal statements were due on the
  15th working day of April (21 Apr 2020) and May (21 May 2020).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tradetrace.facilitation.relief import (
    PaymentMethod,
    deferred_due_date,
    evaluate_entry,
    original_due_date,
)


@pytest.mark.parametrize("payment", [PaymentMethod.SINGLE, PaymentMethod.DAILY])
def test_single_pay_and_daily_statement_due_30_april_move_to_29_july(program, payment):
    assert original_due_date(program, date(2020, 4, 16), payment) == date(2020, 4, 30)
    assert deferred_due_date(program, date(2020, 4, 16), payment) == date(2020, 7, 29)


@pytest.mark.parametrize(
    ("entry_date", "original", "postponed"),
    [
        (date(2020, 3, 2), date(2020, 3, 16), date(2020, 6, 14)),
        (date(2020, 4, 9), date(2020, 4, 23), date(2020, 7, 22)),
        (date(2020, 4, 30), date(2020, 5, 14), date(2020, 8, 12)),
    ],
)
def test_single_pay_postponement_is_90_calendar_days(program, entry_date, original, postponed):
    assert original_due_date(program, entry_date, PaymentMethod.SINGLE) == original
    assert deferred_due_date(program, entry_date, PaymentMethod.SINGLE) == postponed
    assert (postponed - original).days == 90


@pytest.mark.parametrize(
    ("entry_date", "original", "postponed"),
    [
        (date(2020, 3, 2), date(2020, 4, 21), date(2020, 7, 22)),
        (date(2020, 3, 31), date(2020, 4, 21), date(2020, 7, 22)),
        (date(2020, 4, 1), date(2020, 5, 21), date(2020, 8, 21)),
        (date(2020, 4, 30), date(2020, 5, 21), date(2020, 8, 21)),
    ],
)
def test_monthly_statement_march_to_22_july_april_to_21_august(
    program, entry_date, original, postponed
):
    assert original_due_date(program, entry_date, PaymentMethod.MONTHLY) == original
    assert deferred_due_date(program, entry_date, PaymentMethod.MONTHLY) == postponed


def test_monthly_statement_rule_reproduces_the_published_dates(make_program):
    # Without CBP's published table, the statement rule (first statement date on or after the
    # original date plus 90 days) gives the same dates: 3 Jul 2020 was a holiday, which makes
    # the 15th working day of July the 22nd.
    computed = make_program(lambda data: data["payment"]["monthly"].pop("published"))

    assert deferred_due_date(computed, date(2020, 3, 16), PaymentMethod.MONTHLY) == date(
        2020, 7, 22
    )
    assert deferred_due_date(computed, date(2020, 4, 16), PaymentMethod.MONTHLY) == date(
        2020, 8, 21
    )


def test_monthly_statement_rolls_to_next_statement_when_the_days_end_after_it(make_program):
    def longer(data):
        data["payment"]["deferral_days"] = 100
        data["payment"]["monthly"].pop("published")

    program = make_program(longer)

    # 21 Apr 2020 + 100 days = 30 Jul 2020, after July's statement (22 Jul): next is 21 Aug.
    assert deferred_due_date(program, date(2020, 3, 16), PaymentMethod.MONTHLY) == date(2020, 8, 21)


def test_monthly_statement_in_december_is_paid_in_january(program):
    # The 15th working day of January 2021, skipping New Year's Day and Martin Luther King Jr.
    # Day (18 Jan), is 25 Jan 2021.
    assert original_due_date(program, date(2020, 12, 10), PaymentMethod.MONTHLY) == date(
        2021, 1, 25
    )


def test_evaluate_entry_uses_the_payment_method_for_the_due_date(program):
    result = evaluate_entry(
        program,
        entry_date=date(2020, 3, 20),
        entry_type="01",
        receipts_2019=Decimal(10),
        receipts_2020=Decimal(1),
        suspended=True,
        payment="monthly",
    )

    assert result.due_date == date(2020, 7, 22)
    assert result.original_due_date == date(2020, 4, 21)
    assert (
        "periodic monthly statement deposit originally due 2020-04-21" in result.reasons[-1].message
    )
    assert "CSMS #43324033" in result.reasons[-1].citation


def test_payment_method_labels_name_the_channels():
    assert [method.label for method in PaymentMethod] == [
        "single pay",
        "daily statement",
        "periodic monthly statement",
    ]
