"""Bank holidays in England and Wales (pure, no Django).

Working-day clocks (the 3 working days for a mediation notice) skip
weekends and these days. The regular holidays are computed from their
rules; the one-off days proclaimed since 2012 are listed.
"""

from __future__ import annotations

import datetime
from functools import cache

# One-off bank holidays and moved days, by proclamation.
SPECIAL_DAYS: dict[int, tuple[datetime.date, ...]] = {
    2012: (datetime.date(2012, 6, 5),),  # Diamond Jubilee
    2020: (datetime.date(2020, 5, 8),),  # VE Day 75 (early May holiday moved)
    2022: (
        datetime.date(2022, 6, 3),
        datetime.date(2022, 9, 19),
    ),  # Platinum Jubilee, state funeral
    2023: (datetime.date(2023, 5, 8),),  # Coronation
}
# Years whose early May holiday was moved to a special day (not added).
MOVED_EARLY_MAY = {2020}
# Years whose spring holiday was moved (2012 to 4 June, 2022 to 2 June).
MOVED_SPRING = {2012: datetime.date(2012, 6, 4), 2022: datetime.date(2022, 6, 2)}


def easter_sunday(year: int) -> datetime.date:
    """Gregorian Easter (the anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    l = (32 + 2 * e + 2 * i - h - k) % 7  # noqa: E741
    m = (a + 11 * h + 22 * l) // 451
    month, day = divmod(h + l - 7 * m + 114, 31)
    return datetime.date(year, month, day + 1)


def _first_monday(year: int, month: int) -> datetime.date:
    first = datetime.date(year, month, 1)
    return first + datetime.timedelta(days=(0 - first.weekday()) % 7)


def _last_monday(year: int, month: int) -> datetime.date:
    nxt = datetime.date(year + (month == 12), month % 12 + 1, 1)
    last = nxt - datetime.timedelta(days=1)
    return last - datetime.timedelta(days=last.weekday())


def _new_year(year: int) -> datetime.date:
    day = datetime.date(year, 1, 1)
    return day + datetime.timedelta(days={5: 2, 6: 1}.get(day.weekday(), 0))


def _christmas_and_boxing(year: int) -> tuple[datetime.date, datetime.date]:
    christmas = datetime.date(year, 12, 25)
    weekday = christmas.weekday()
    if weekday == 5:  # Saturday: substitute Monday 27 and Tuesday 28
        return datetime.date(year, 12, 27), datetime.date(year, 12, 28)
    if weekday == 6:  # Sunday: Boxing Day Monday 26, substitute Tuesday 27
        return datetime.date(year, 12, 27), datetime.date(year, 12, 26)
    if weekday == 4:  # Friday: Boxing Day Saturday, substitute Monday 28
        return christmas, datetime.date(year, 12, 28)
    return christmas, datetime.date(year, 12, 26)


def bank_holidays_in(year: int) -> frozenset[datetime.date]:
    easter = easter_sunday(year)
    days = {
        _new_year(year),
        easter - datetime.timedelta(days=2),  # Good Friday
        easter + datetime.timedelta(days=1),  # Easter Monday
        MOVED_SPRING.get(year, _last_monday(year, 5)),
        _last_monday(year, 8),
        *_christmas_and_boxing(year),
        *SPECIAL_DAYS.get(year, ()),
    }
    if year not in MOVED_EARLY_MAY:
        days.add(_first_monday(year, 5))
    return frozenset(days)


@cache
def bank_holidays(first_year: int = 2012, last_year: int = 2040) -> frozenset[datetime.date]:
    """Every England and Wales bank holiday from ``first_year`` to ``last_year``."""
    days: set[datetime.date] = set()
    for year in range(first_year, last_year + 1):
        days |= bank_holidays_in(year)
    return frozenset(days)
