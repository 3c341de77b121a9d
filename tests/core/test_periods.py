"""NHS financial-year periods at their edges (core/periods.py)."""

import datetime as dt
import subprocess
import sys

import pytest

from core.periods import (
    PERIOD_CHOICES,
    Period,
    custom,
    financial_year,
    financial_year_of,
    financial_year_start,
    parse_period,
    quarter,
    quarter_containing,
    quarter_of,
    recent_quarters,
)

D = dt.date


class TestFinancialYearAndQuarterOf:
    @pytest.mark.parametrize(
        "day,fy,q",
        [
            (D(2026, 3, 31), 2025, 4),  # last day of 2025/26
            (D(2026, 4, 1), 2026, 1),  # first day of 2026/27
            (D(2026, 6, 30), 2026, 1),
            (D(2026, 7, 1), 2026, 2),
            (D(2026, 9, 30), 2026, 2),
            (D(2026, 10, 1), 2026, 3),
            (D(2026, 12, 31), 2026, 3),
            (D(2027, 1, 1), 2026, 4),  # new calendar year, same financial year
            (D(2027, 2, 15), 2026, 4),  # Q4 belongs to the year that started last April
            (D(2028, 2, 29), 2027, 4),
            (D(2027, 3, 31), 2026, 4),
        ],
    )
    def test_boundaries(self, day, fy, q):
        assert financial_year_of(day) == fy
        assert financial_year_start(day) == D(fy, 4, 1)
        assert financial_year(fy).start == financial_year_start(day)
        assert quarter_of(day) == q
        assert quarter_containing(day) == quarter(fy, q)
        assert day in quarter_containing(day)

    def test_february_2027_is_q4_2026_27(self):
        assert quarter_containing(D(2027, 2, 1)).label == "Q4 2026/27"


class TestConstructors:
    @pytest.mark.parametrize(
        "q,start,end",
        [
            (1, D(2026, 4, 1), D(2026, 6, 30)),
            (2, D(2026, 7, 1), D(2026, 9, 30)),
            (3, D(2026, 10, 1), D(2026, 12, 31)),
            (4, D(2027, 1, 1), D(2027, 3, 31)),
        ],
    )
    def test_quarter(self, q, start, end):
        assert quarter(2026, q) == Period(start, end, "quarter")

    @pytest.mark.parametrize("q", [0, 5, -1])
    def test_quarter_out_of_range(self, q):
        with pytest.raises(ValueError):
            quarter(2026, q)

    def test_financial_year(self):
        assert financial_year(2026) == Period(D(2026, 4, 1), D(2027, 3, 31), "year")
        assert financial_year(2026).days == 365
        assert financial_year(2027).days == 366  # includes 29 February 2028

    def test_custom(self):
        period = custom(D(2026, 5, 1), D(2026, 6, 30))
        assert period == Period(D(2026, 5, 1), D(2026, 6, 30), "custom")
        assert period.days == 61

    def test_custom_single_day(self):
        assert custom(D(2026, 5, 1), D(2026, 5, 1)).days == 1

    def test_custom_end_before_start(self):
        with pytest.raises(ValueError, match="before it starts"):
            custom(D(2026, 5, 2), D(2026, 5, 1))

    def test_custom_exactly_three_years_is_allowed(self):
        assert custom(D(2023, 4, 1), D(2026, 3, 31)).days == 365 * 3 + 1

    def test_custom_longer_than_three_years(self):
        with pytest.raises(ValueError, match="at most 3 years"):
            custom(D(2023, 4, 1), D(2026, 4, 1))

    def test_custom_three_years_from_a_leap_day(self):
        assert custom(D(2024, 2, 29), D(2027, 2, 28)).end == D(2027, 2, 28)
        with pytest.raises(ValueError):
            custom(D(2024, 2, 29), D(2027, 3, 1))

    def test_custom_three_years_ending_on_a_leap_day(self):
        assert custom(D(2025, 3, 1), D(2028, 2, 29)).end == D(2028, 2, 29)

    @pytest.mark.parametrize(
        "start,end,kind",
        [
            (D(2026, 5, 1), D(2026, 6, 30), "quarter"),  # does not start on a quarter
            (D(2026, 4, 1), D(2026, 7, 1), "quarter"),  # runs into Q2
            (D(2026, 4, 1), D(2027, 4, 1), "year"),  # runs into the next year
            (D(2026, 4, 2), D(2027, 3, 31), "year"),
            (D(2026, 4, 1), D(2026, 6, 30), "month"),  # no such kind
            (D(2026, 6, 30), D(2026, 4, 1), "custom"),  # backwards
        ],
    )
    def test_period_refuses_inconsistent_values(self, start, end, kind):
        with pytest.raises(ValueError):
            Period(start, end, kind)


class TestLabelsAndSlugs:
    @pytest.mark.parametrize(
        "period,label,slug",
        [
            (quarter(2026, 1), "Q1 2026/27", "2026-q1"),
            (quarter(2026, 4), "Q4 2026/27", "2026-q4"),
            (financial_year(2026), "2026/27", "2026"),
            (financial_year(2099), "2099/00", "2099"),
            (
                custom(D(2026, 5, 1), D(2026, 6, 30)),
                "1 May 2026 to 30 June 2026",
                "2026-05-01_2026-06-30",
            ),
            (
                custom(D(2026, 12, 9), D(2027, 1, 10)),
                "9 December 2026 to 10 January 2027",
                "2026-12-09_2027-01-10",
            ),
        ],
    )
    def test_label_slug_and_round_trip(self, period, label, slug):
        assert period.label == label
        assert period.slug == slug
        assert parse_period(slug) == period

    def test_clipped_quarter_keeps_its_label_and_slug(self):
        to_date = quarter(2026, 1).clipped(D(2026, 5, 10))
        assert to_date.label == "Q1 2026/27"
        assert to_date.slug == "2026-q1"


class TestPrevious:
    def test_previous_of_q1_is_last_years_q4(self):
        assert quarter(2026, 1).previous() == quarter(2025, 4)
        assert quarter(2026, 1).previous().label == "Q4 2025/26"

    def test_previous_of_q4_is_q3_of_the_same_year(self):
        assert quarter(2026, 4).previous() == quarter(2026, 3)

    def test_previous_year(self):
        assert financial_year(2026).previous() == financial_year(2025)

    def test_previous_custom_is_the_same_length_just_before(self):
        period = custom(D(2026, 5, 1), D(2026, 6, 30))
        before = period.previous()
        assert before == Period(D(2026, 3, 1), D(2026, 4, 30), "custom")
        assert before.days == period.days == 61

    @pytest.mark.parametrize(
        "start,end,before_start,before_end",
        [
            (D(2026, 7, 1), D(2026, 9, 30), D(2026, 4, 1), D(2026, 6, 30)),  # 92 vs 91 days
            (D(2026, 5, 1), D(2026, 7, 31), D(2026, 2, 1), D(2026, 4, 30)),
            (D(2026, 1, 1), D(2026, 3, 31), D(2025, 10, 1), D(2025, 12, 31)),
            (D(2024, 4, 1), D(2026, 10, 31), D(2021, 9, 1), D(2024, 3, 31)),  # 31 months
        ],
    )
    def test_previous_of_whole_months_is_as_many_whole_months(
        self, start, end, before_start, before_end
    ):
        assert custom(start, end).previous() == Period(before_start, before_end, "custom")

    def test_previous_single_day(self):
        assert custom(D(2026, 3, 1), D(2026, 3, 1)).previous() == custom(
            D(2026, 2, 28), D(2026, 2, 28)
        )

    def test_previous_of_a_clipped_quarter_is_the_whole_quarter_before(self):
        assert quarter(2026, 2).clipped(D(2026, 8, 1)).previous() == quarter(2026, 1)


class TestYearEarlier:
    def test_quarter(self):
        assert quarter(2026, 3).year_earlier() == quarter(2025, 3)

    def test_q4_across_a_leap_year(self):
        # Q4 2027/28 runs to 31 March 2028; a year earlier is Q4 2026/27.
        assert quarter(2027, 4).year_earlier() == quarter(2026, 4)

    def test_year(self):
        assert financial_year(2028).year_earlier() == financial_year(2027)

    def test_leap_day_maps_to_28_february(self):
        period = custom(D(2028, 2, 29), D(2028, 3, 10))
        assert period.year_earlier() == custom(D(2027, 2, 28), D(2027, 3, 10))

    def test_clipped_quarter_ending_on_a_leap_day(self):
        to_date = quarter(2027, 4).clipped(D(2028, 2, 29))
        assert to_date.year_earlier() == Period(D(2027, 1, 1), D(2027, 2, 28), "quarter")


class TestQuartersOverlapsContains:
    def test_a_year_has_four_quarters(self):
        assert financial_year(2026).quarters() == [quarter(2026, q) for q in (1, 2, 3, 4)]

    def test_a_quarter_is_its_own_quarter(self):
        assert quarter(2026, 3).quarters() == [quarter(2026, 3)]

    def test_custom_spanning_a_year_end(self):
        period = custom(D(2026, 3, 31), D(2026, 7, 1))
        assert period.quarters() == [quarter(2025, 4), quarter(2026, 1), quarter(2026, 2)]

    def test_contains_is_inclusive(self):
        q1 = quarter(2026, 1)
        assert D(2026, 4, 1) in q1
        assert D(2026, 6, 30) in q1
        assert D(2026, 3, 31) not in q1
        assert D(2026, 7, 1) not in q1

    def test_overlaps(self):
        q1, q2 = quarter(2026, 1), quarter(2026, 2)
        assert not q1.overlaps(q2)
        assert q1.overlaps(financial_year(2026))
        last_day = custom(D(2026, 6, 30), D(2026, 7, 5))
        assert q1.overlaps(last_day) and last_day.overlaps(q1)
        assert q2.overlaps(last_day)
        assert not quarter(2026, 3).overlaps(last_day)

    def test_clipped(self):
        q1 = quarter(2026, 1)
        assert q1.clipped(D(2026, 5, 10)) == Period(D(2026, 4, 1), D(2026, 5, 10), "quarter")
        assert q1.clipped(D(2026, 4, 1)).days == 1
        assert q1.clipped(D(2026, 6, 30)) == q1
        assert q1.clipped(D(2030, 1, 1)) == q1

    def test_clipped_before_the_start(self):
        with pytest.raises(ValueError):
            quarter(2026, 1).clipped(D(2026, 3, 31))


class TestRecentQuarters:
    def test_oldest_first_ending_with_the_current_quarter(self):
        assert recent_quarters(D(2026, 5, 14), 4) == [
            quarter(2025, 2),
            quarter(2025, 3),
            quarter(2025, 4),
            quarter(2026, 1),
        ]

    def test_one(self):
        assert recent_quarters(D(2027, 1, 1), 1) == [quarter(2026, 4)]

    def test_zero(self):
        assert recent_quarters(D(2027, 1, 1), 0) == []

    def test_negative(self):
        with pytest.raises(ValueError):
            recent_quarters(D(2027, 1, 1), -1)


class TestParsePeriod:
    @pytest.mark.parametrize(
        "value,expected",
        [
            ("2026-q1", quarter(2026, 1)),
            ("2026-Q4", quarter(2026, 4)),
            (" 2026-q2 ", quarter(2026, 2)),
            ("2026", financial_year(2026)),
            ("2000", financial_year(2000)),
            ("2100", financial_year(2100)),
            ("2026-05-01_2026-06-30", custom(D(2026, 5, 1), D(2026, 6, 30))),
            ("2028-02-29_2028-02-29", custom(D(2028, 2, 29), D(2028, 2, 29))),
        ],
    )
    def test_accepts(self, value, expected):
        assert parse_period(value) == expected

    @pytest.mark.parametrize(
        "value,message",
        [
            ("2026-q5", "Q1 to Q4"),
            ("2026-q0", "Q1 to Q4"),
            ("1999", "2000 to 2100"),
            ("2101", "2000 to 2100"),
            ("1999-q1", "2000 to 2100"),
            ("1999-05-01_2000-06-30", "2000 to 2100"),
            ("2026-02-30_2026-03-01", "not a real date"),
            ("2027-02-29_2027-03-01", "not a real date"),
            ("2026-13-01_2026-12-31", "not a real date"),
            ("2026-06-30_2026-05-01", "before it starts"),
            ("2020-01-01_2026-01-01", "at most 3 years"),
            ("", "is not a period"),
            ("q1", "is not a period"),
            ("2026q1", "is not a period"),
            ("2026-q12", "is not a period"),
            ("2026/27", "is not a period"),
            ("26", "is not a period"),
            ("20260", "is not a period"),
            ("2026-05-01", "is not a period"),
            ("2026-05-01_", "is not a period"),
            ("2026-5-1_2026-6-30", "is not a period"),
            ("2026-05-01T00:00_2026-06-30", "is not a period"),
            ("٢٠٢٦", "is not a period"),  # Arabic-Indic digits, which int() would take
            ("２０２６", "is not a period"),  # full-width digits
            ("2026\x00", "is not a period"),
            ("x" * 10_000, "is not a period"),
        ],
    )
    def test_rejects_with_a_sentence(self, value, message):
        with pytest.raises(ValueError, match=message):
            parse_period(value)

    @pytest.mark.parametrize("value", [None, 2026, b"2026", ["2026"]])
    def test_non_strings_raise_value_error(self, value):
        with pytest.raises(ValueError):
            parse_period(value)

    def test_long_input_is_shortened_in_the_message(self):
        with pytest.raises(ValueError) as caught:
            parse_period("y" * 10_000)
        assert len(str(caught.value)) < 200


class TestPeriodChoices:
    def test_newest_first_years_then_their_started_quarters(self):
        choices = PERIOD_CHOICES(D(2026, 8, 20), years=2)
        assert choices == [
            ("2026", "2026/27"),
            ("2026-q2", "Q2 2026/27"),
            ("2026-q1", "Q1 2026/27"),
            ("2025", "2025/26"),
            ("2025-q4", "Q4 2025/26"),
            ("2025-q3", "Q3 2025/26"),
            ("2025-q2", "Q2 2025/26"),
            ("2025-q1", "Q1 2025/26"),
        ]

    def test_default_is_three_years(self):
        choices = PERIOD_CHOICES(D(2027, 3, 31))
        assert [slug for slug, _ in choices if "-" not in slug] == ["2026", "2025", "2024"]
        assert len(choices) == 3 * 5

    def test_every_slug_parses_back_to_its_label(self):
        for slug, label in PERIOD_CHOICES(D(2026, 4, 1)):
            assert parse_period(slug).label == label

    def test_years_must_be_positive(self):
        with pytest.raises(ValueError):
            PERIOD_CHOICES(D(2026, 4, 1), years=0)


def test_imports_without_django():
    # Pure rules in pure modules (docs/architecture.md, "Pure rules in pure
    # modules"): importing this loads no Django.
    code = (
        "import sys, core.periods; "
        "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
