"""Working days: Monday to Friday except the legal public holidays.

CBP counts payment deadlines in *working days*, "Monday through Friday, excluding national
holidays" (19 CFR 101.1). The holidays are the legal public holidays of 5 U.S.C. 6103(a); one
that falls on a Saturday is observed on the Friday before and one on a Sunday on the Monday after
(5 U.S.C. 6103(b); Executive Order 11582). Juneteenth is a holiday from 2021 (Pub. L. 117-17).

Only the calendar arithmetic lives here; which deadline counts which days is program data
(:mod:`tradetrace.facilitation.relief.program`).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache, lru_cache

from tradetrace.errors import InvalidDocument

__all__ = [
    "add_working_days",
    "federal_holidays",
    "is_working_day",
    "nth_working_day",
]

_JUNETEENTH_FROM = 2021


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    """The ``n``-th ``weekday`` (Monday = 0) of the month; ``n = -1`` for the last one."""
    if n > 0:
        first = date(year, month, 1)
        return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))
    following = date(year + month // 12, month % 12 + 1, 1)
    last = following - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    # 5 U.S.C. 6103(b): Saturday holidays move to Friday, Sunday holidays to Monday.
    if day.weekday() == 5:
        return day - timedelta(days=1)
    if day.weekday() == 6:
        return day + timedelta(days=1)
    return day


def _holidays_named_in(year: int) -> list[date]:
    fixed = [date(year, 1, 1), date(year, 7, 4), date(year, 11, 11), date(year, 12, 25)]
    if year >= _JUNETEENTH_FROM:
        fixed.append(date(year, 6, 19))
    floating = [
        _nth_weekday(year, 1, 0, 3),  # Birthday of Martin Luther King, Jr.
        _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
        _nth_weekday(year, 5, 0, -1),  # Memorial Day
        _nth_weekday(year, 9, 0, 1),  # Labor Day
        _nth_weekday(year, 10, 0, 2),  # Columbus Day
        _nth_weekday(year, 11, 3, 4),  # Thanksgiving Day
    ]
    return [_observed(day) for day in fixed] + floating


@cache
def federal_holidays(year: int) -> frozenset[date]:
    """The days of ``year`` on which federal offices are closed (5 U.S.C. 6103).

    Includes New Year's Day of ``year + 1`` when it is observed on 31 December of ``year``.
    """
    days = _holidays_named_in(year) + _holidays_named_in(year + 1)
    return frozenset(day for day in days if day.year == year)


def is_working_day(day: date) -> bool:
    """Whether ``day`` is a working day: a weekday that is not a holiday (19 CFR 101.1)."""
    return day.weekday() < 5 and day not in federal_holidays(day.year)


@lru_cache(maxsize=4096)
def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself is not counted).

    A deadline of "10 working days after release" is ``add_working_days(release, 10)``. Raises
    :class:`~tradetrace.errors.InvalidDocument` unless ``count`` is positive.
    """
    if count < 1:
        raise InvalidDocument(f"working-day count must be positive, got {count}")
    day = start
    while count:
        day += timedelta(days=1)
        if is_working_day(day):
            count -= 1
    return day


@lru_cache(maxsize=1024)
def nth_working_day(year: int, month: int, n: int) -> date:
    """The ``n``-th working day of a month (``n`` from 1 to 20), for statement due dates.

    Raises :class:`~tradetrace.errors.InvalidDocument` for any other ``n``.
    """
    if not 1 <= n <= 20:
        raise InvalidDocument(f"a month has between 1 and 20 working days to count, got {n}")
    return add_working_days(date(year, month, 1) - timedelta(days=1), n)
