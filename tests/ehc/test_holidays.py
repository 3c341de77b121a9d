"""England and Wales bank holidays (ehc/holidays.py) against the lists
published on gov.uk/bank-holidays."""

import datetime as dt

import pytest

from ehc import clock
from ehc.holidays import bank_holidays, bank_holidays_in, easter_sunday

D = dt.date


def days(year: int, *month_days: tuple[int, int]) -> set[dt.date]:
    return {D(year, month, day) for month, day in month_days}


# As published by gov.uk, whole years (substitute days included).
PUBLISHED = {
    2012: days(2012, (1, 2), (4, 6), (4, 9), (5, 7), (6, 4), (6, 5), (8, 27), (12, 25), (12, 26)),
    2015: days(2015, (1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)),
    2016: days(2016, (1, 1), (3, 25), (3, 28), (5, 2), (5, 30), (8, 29), (12, 26), (12, 27)),
    2017: days(2017, (1, 2), (4, 14), (4, 17), (5, 1), (5, 29), (8, 28), (12, 25), (12, 26)),
    2018: days(2018, (1, 1), (3, 30), (4, 2), (5, 7), (5, 28), (8, 27), (12, 25), (12, 26)),
    2019: days(2019, (1, 1), (4, 19), (4, 22), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)),
    2020: days(2020, (1, 1), (4, 10), (4, 13), (5, 8), (5, 25), (8, 31), (12, 25), (12, 28)),
    2021: days(2021, (1, 1), (4, 2), (4, 5), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)),
    2022: days(
        2022,
        (1, 3),
        (4, 15),
        (4, 18),
        (5, 2),
        (6, 2),
        (6, 3),
        (8, 29),
        (9, 19),
        (12, 26),
        (12, 27),
    ),
    2023: days(2023, (1, 2), (4, 7), (4, 10), (5, 1), (5, 8), (5, 29), (8, 28), (12, 25), (12, 26)),
    2024: days(2024, (1, 1), (3, 29), (4, 1), (5, 6), (5, 27), (8, 26), (12, 25), (12, 26)),
    2025: days(2025, (1, 1), (4, 18), (4, 21), (5, 5), (5, 26), (8, 25), (12, 25), (12, 26)),
    2026: days(2026, (1, 1), (4, 3), (4, 6), (5, 4), (5, 25), (8, 31), (12, 25), (12, 28)),
    2027: days(2027, (1, 1), (3, 26), (3, 29), (5, 3), (5, 31), (8, 30), (12, 27), (12, 28)),
}


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_year_matches_the_published_list(year):
    assert set(bank_holidays_in(year)) == PUBLISHED[year]


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_every_holiday_falls_on_a_weekday(year):
    assert all(day.weekday() < 5 for day in bank_holidays_in(year))


def test_ordinary_years_have_eight():
    for year in range(2012, 2041):
        if year in (2012, 2020, 2022, 2023):
            continue
        assert len(bank_holidays_in(year)) == 8, year


class TestSpecialDays:
    def test_2012_diamond_jubilee_and_moved_spring_holiday(self):
        holidays = bank_holidays_in(2012)
        assert D(2012, 6, 4) in holidays and D(2012, 6, 5) in holidays
        assert D(2012, 5, 28) not in holidays  # the usual last Monday in May
        assert len(holidays) == 9

    def test_2020_ve_day_replaces_the_early_may_holiday(self):
        holidays = bank_holidays_in(2020)
        assert D(2020, 5, 8) in holidays  # Friday
        assert D(2020, 5, 4) not in holidays  # the usual first Monday
        assert len(holidays) == 8

    def test_2022_platinum_jubilee_and_state_funeral(self):
        holidays = bank_holidays_in(2022)
        assert {D(2022, 6, 2), D(2022, 6, 3), D(2022, 9, 19)} <= holidays
        assert D(2022, 5, 30) not in holidays  # spring holiday moved to 2 June
        assert len(holidays) == 10

    def test_2023_coronation_is_added(self):
        holidays = bank_holidays_in(2023)
        assert D(2023, 5, 8) in holidays
        assert D(2023, 5, 1) in holidays  # early May holiday kept
        assert len(holidays) == 9


class TestSubstituteDays:
    @pytest.mark.parametrize(
        "year,expected,not_holiday",
        [
            (2022, D(2022, 1, 3), D(2022, 1, 1)),  # 1 January a Saturday
            (2028, D(2028, 1, 3), D(2028, 1, 1)),  # Saturday
            (2017, D(2017, 1, 2), D(2017, 1, 1)),  # Sunday
            (2023, D(2023, 1, 2), D(2023, 1, 1)),  # Sunday
            (2034, D(2034, 1, 2), D(2034, 1, 1)),  # Sunday
        ],
    )
    def test_new_year_at_a_weekend_moves_to_monday(self, year, expected, not_holiday):
        holidays = bank_holidays_in(year)
        assert expected in holidays
        assert not_holiday not in holidays

    @pytest.mark.parametrize("year", [2020, 2026, 2015, 2037])
    def test_christmas_on_friday_boxing_day_moves_to_monday_28(self, year):
        assert D(year, 12, 25).weekday() == 4
        december = {d for d in bank_holidays_in(year) if d.month == 12}
        assert december == {D(year, 12, 25), D(year, 12, 28)}

    @pytest.mark.parametrize("year", [2021, 2027, 2032])
    def test_christmas_on_saturday_both_move_to_monday_and_tuesday(self, year):
        assert D(year, 12, 25).weekday() == 5
        december = {d for d in bank_holidays_in(year) if d.month == 12}
        assert december == {D(year, 12, 27), D(year, 12, 28)}

    @pytest.mark.parametrize("year", [2016, 2022, 2033])
    def test_christmas_on_sunday_substitute_tuesday_27(self, year):
        assert D(year, 12, 25).weekday() == 6
        december = {d for d in bank_holidays_in(year) if d.month == 12}
        assert december == {D(year, 12, 26), D(year, 12, 27)}

    @pytest.mark.parametrize("year", [2017, 2023, 2024, 2025])
    def test_christmas_on_a_weekday_before_friday_stays(self, year):
        assert D(year, 12, 25).weekday() < 4
        december = {d for d in bank_holidays_in(year) if d.month == 12}
        assert december == {D(year, 12, 25), D(year, 12, 26)}


class TestEaster:
    @pytest.mark.parametrize(
        "year,sunday",
        [
            (2000, D(2000, 4, 23)),
            (2008, D(2008, 3, 23)),
            (2011, D(2011, 4, 24)),
            (2016, D(2016, 3, 27)),
            (2019, D(2019, 4, 21)),
            (2024, D(2024, 3, 31)),
            (2025, D(2025, 4, 20)),
            (2026, D(2026, 4, 5)),
            (2027, D(2027, 3, 28)),
            (2038, D(2038, 4, 25)),  # the latest possible date
            (2285, D(2285, 3, 22)),  # the earliest possible date
        ],
    )
    def test_gregorian_easter(self, year, sunday):
        assert easter_sunday(year) == sunday
        assert easter_sunday(year).weekday() == 6

    def test_good_friday_and_easter_monday_are_holidays(self):
        for year in range(2012, 2041):
            sunday = easter_sunday(year)
            holidays = bank_holidays_in(year)
            assert sunday - dt.timedelta(days=2) in holidays
            assert sunday + dt.timedelta(days=1) in holidays
            assert sunday not in holidays


class TestAllYears:
    def test_default_range_is_the_union_of_the_years(self):
        everything = bank_holidays()
        expected = set().union(*(bank_holidays_in(y) for y in range(2012, 2041)))
        assert everything == expected
        assert min(everything) == D(2012, 1, 2)
        assert max(everything) == D(2040, 12, 26)

    def test_a_chosen_range(self):
        assert bank_holidays(2024, 2025) == PUBLISHED[2024] | PUBLISHED[2025]

    def test_may_holidays_are_mondays_in_ordinary_years(self):
        for year in range(2024, 2041):
            may = sorted(d for d in bank_holidays_in(year) if d.month == 5)
            assert len(may) == 2
            first, last = may
            assert first.weekday() == last.weekday() == 0
            assert first.day <= 7  # first Monday
            assert last.day >= 25  # last Monday
            aug = [d for d in bank_holidays_in(year) if d.month == 8]
            assert len(aug) == 1 and aug[0].weekday() == 0 and aug[0].day >= 25


class TestWorkingDays:
    """The holidays in use: the 3-working-day mediation notice skips them."""

    def test_easter_weekend_is_skipped(self):
        # Thursday 17 April 2025: Good Friday and Easter Monday do not count.
        due = clock.mediation_notice_due(D(2025, 4, 17), bank_holidays())
        assert due == D(2025, 4, 24)

    def test_christmas_substitute_days_are_skipped(self):
        # Thursday 23 December 2021: Fri 24 counts, Mon 27 and Tue 28 do not.
        due = clock.mediation_notice_due(D(2021, 12, 23), bank_holidays())
        assert due == D(2021, 12, 30)
