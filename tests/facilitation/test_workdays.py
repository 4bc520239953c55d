"""Working days and federal holidays (19 CFR 101.1; 5 U.S.C. 6103)."""

from __future__ import annotations

from datetime import date

import pytest

from tradetrace.errors import InvalidDocument
from tradetrace.facilitation.workdays import (
    add_working_days,
    federal_holidays,
    is_working_day,
    nth_working_day,
)


def test_federal_holidays_2020_include_the_observed_independence_day():
    assert federal_holidays(2020) == {
        date(2020, 1, 1),
        date(2020, 1, 20),
        date(2020, 2, 17),
        date(2020, 5, 25),
        date(2020, 7, 3),  # 4 July 2020 was a Saturday
        date(2020, 9, 7),
        date(2020, 10, 12),
        date(2020, 11, 11),
        date(2020, 11, 26),
        date(2020, 12, 25),
    }


def test_federal_holidays_move_saturday_to_friday_and_sunday_to_monday():
    assert date(2021, 6, 18) in federal_holidays(2021)  # Juneteenth, a Saturday, from 2021
    assert date(2021, 7, 5) in federal_holidays(2021)  # Independence Day, a Sunday
    assert date(2021, 12, 24) in federal_holidays(2021)  # Christmas, a Saturday


def test_federal_holidays_new_year_observed_in_the_previous_december():
    # 1 Jan 2022 was a Saturday: observed on Friday 31 Dec 2021.
    assert date(2021, 12, 31) in federal_holidays(2021)
    assert date(2022, 1, 1) not in federal_holidays(2022)
    assert date(2020, 6, 19) not in federal_holidays(2020)


@pytest.mark.parametrize(
    ("day", "working"),
    [(date(2020, 4, 17), True), (date(2020, 4, 18), False), (date(2020, 5, 25), False)],
)
def test_is_working_day_excludes_weekends_and_holidays(day, working):
    assert is_working_day(day) is working


def test_add_working_days_skips_weekends_and_holidays():
    assert add_working_days(date(2020, 4, 16), 10) == date(2020, 4, 30)
    assert add_working_days(date(2020, 5, 22), 1) == date(2020, 5, 26)  # Memorial Day


def test_nth_working_day_counts_from_the_first_of_the_month():
    assert nth_working_day(2020, 4, 15) == date(2020, 4, 21)
    assert nth_working_day(2020, 7, 15) == date(2020, 7, 22)
    assert nth_working_day(2020, 8, 15) == date(2020, 8, 21)
    assert nth_working_day(2020, 3, 1) == date(2020, 3, 2)


def test_add_working_days_rejects_a_count_below_one():
    with pytest.raises(InvalidDocument, match=r"working-day count must be positive, got 0") as info:
        add_working_days(date(2020, 4, 16), 0)

    assert info.value.code == "invalid_document"


@pytest.mark.parametrize("n", [0, 21])
def test_nth_working_day_rejects_counts_a_month_cannot_have(n):
    with pytest.raises(
        InvalidDocument, match=rf"between 1 and 20 working days to count, got {n}"
    ) as info:
        nth_working_day(2020, 4, n)

    assert info.value.code == "invalid_document"
