"""Small-number suppression at its edges (reports/suppression.py)."""

import subprocess
import sys

import pytest

from reports.suppression import (
    SUPPRESSED,
    Figures,
    exact_share,
    suppress_count,
    suppress_share,
    suppress_statistic,
)


class TestSuppressCount:
    @pytest.mark.parametrize(
        "n,shown",
        [
            (0, 0),  # none is shown as none
            (1, SUPPRESSED),
            (2, SUPPRESSED),
            (3, SUPPRESSED),
            (7, SUPPRESSED),  # the largest suppressed count
            (8, 10),  # the smallest shown count; remainder 3 rounds up
            (10, 10),
            (11, 10),  # remainder 1 rounds down
            (12, 10),  # remainder 2 rounds down
            (13, 15),  # remainder 3 rounds up
            (14, 15),  # remainder 4 rounds up
            (15, 15),  # already a multiple of 5
            (1000, 1000),
            (1002, 1000),
            (1003, 1005),
        ],
    )
    def test_rule(self, n, shown):
        assert suppress_count(n) == shown

    def test_suppressed_marker_is_a_star(self):
        assert SUPPRESSED == "*"

    def test_negative_count_is_refused(self):
        with pytest.raises(ValueError, match="negative"):
            suppress_count(-1)

    @pytest.mark.parametrize("bad", [2.0, "8", True, None])
    def test_non_integer_count_is_refused(self, bad):
        with pytest.raises(TypeError):
            suppress_count(bad)


class TestSuppressShare:
    """Shares from rounded counts, shown only to the precision the rounded
    denominator supports: one decimal place from 4,000, whole numbers from
    400, the nearest 10 from 40, "*" below (HES/ECDS disclosure control)."""

    def test_the_case_that_misled_a_board_is_suppressed(self):
        # 9 of 11 (81.8 %) rounds to 10 of 10: never shown as 100.0 %.
        assert suppress_share(9, 11) == SUPPRESSED
        # 12 of 13 rounds to 10 of 15; a denominator under 40 says nothing.
        assert suppress_share(12, 13) == SUPPRESSED
        assert suppress_share(13, 13) == SUPPRESSED

    @pytest.mark.parametrize(
        "numerator, denominator, shown",
        [
            # Rounded denominator 40 to 399: the nearest 10.
            (33, 41, 90),  # 35 / 40 = 87.5 -> 90
            (11, 29, SUPPRESSED),  # 10 / 30: denominator under 40
            (48, 203, 20),  # 50 / 205 = 24.39 -> 20
            (150, 198, 80),  # 150 / 200 = 75 -> 80 (half up)
            (0, 40, 0),
            # 400 to 3,999: whole numbers.
            (48, 403, 12),  # 50 / 405 = 12.35 -> 12
            (250, 400, 63),  # 62.5 -> 63 (half up, not to even)
            (999, 1002, SUPPRESSED),  # 1,000 / 1,000 reads 100, but 3 were not: "*"
            (1000, 1000, 100),  # truly all
            # 4,000 and over: one decimal place.
            (2048, 4003, 51.2),  # 2,050 / 4,005 = 51.186 -> 51.2
            (1, 4000, SUPPRESSED),  # the numerator is small: "*"
            (1001, 8000, 12.5),  # 1,000 / 8,000
        ],
    )
    def test_precision_follows_the_rounded_denominator(self, numerator, denominator, shown):
        assert suppress_share(numerator, denominator) == shown
        if not isinstance(shown, str):
            assert type(suppress_share(numerator, denominator)) is type(shown)

    def test_rounded_numerator_can_exceed_rounded_denominator(self):
        # 403 of 402 cannot happen in real data, but the arithmetic stays honest: 405 / 400.
        assert suppress_share(403, 402) == 101

    @pytest.mark.parametrize(
        "numerator, denominator",
        [(38, 41), (3998, 4002), (398, 401), (9, 11)],
    )
    def test_a_share_never_reads_100_when_it_is_not(self, numerator, denominator):
        # 38 of 41 is 92.7%; rounded to 40 of 40 it would read 100%.
        assert suppress_share(numerator, denominator) == SUPPRESSED

    def test_a_share_never_reads_0_when_it_is_not(self):
        # 1 of 41 rounds to "*" already; 2 of 4,002 -> 0 of 4,000 -> "*" not 0.0
        assert suppress_share(2, 4002) == SUPPRESSED
        assert suppress_share(0, 4002) == 0.0

    def test_small_numerator_is_suppressed(self):
        assert suppress_share(5, 20) == SUPPRESSED

    def test_small_denominator_is_suppressed(self):
        assert suppress_share(0, 7) == SUPPRESSED
        assert suppress_share(7, 7) == SUPPRESSED

    def test_zero_numerator_is_zero_percent_when_the_denominator_allows(self):
        assert suppress_share(0, 20) == SUPPRESSED  # 0 of 20: too few to say
        assert suppress_share(0, 400) == 0

    def test_zero_denominator_is_nothing_to_measure(self):
        assert suppress_share(0, 0) is None

    def test_negative_figures_are_refused(self):
        with pytest.raises(ValueError):
            suppress_share(-1, 20)
        with pytest.raises(ValueError):
            suppress_share(1, -20)


class TestExactShare:
    def test_percentage(self):
        assert exact_share(12, 13) == pytest.approx(92.3077, abs=0.0001)
        assert exact_share(5, 20) == 25.0

    def test_zero_denominator(self):
        assert exact_share(0, 0) is None

    def test_negative_is_refused(self):
        with pytest.raises(ValueError):
            exact_share(-1, 2)


class TestSuppressStatistic:
    def test_no_items_is_no_statistic(self):
        assert suppress_statistic(42.0, 0) is None

    def test_fewer_than_eight_items_is_suppressed(self):
        assert suppress_statistic(42.0, 1) == SUPPRESSED
        assert suppress_statistic(42.0, 7) == SUPPRESSED

    def test_eight_items_is_shown_unchanged(self):
        assert suppress_statistic(42.5, 8) == 42.5

    def test_value_is_not_rounded(self):
        assert suppress_statistic(13, 100) == 13  # 13 is a wait in days, not a count

    def test_negative_n_is_refused(self):
        with pytest.raises(ValueError):
            suppress_statistic(1.0, -1)


class TestFigures:
    exact = Figures(exact=True)
    suppressed = Figures(exact=False)

    def test_exact_passes_figures_through(self):
        assert self.exact.count(0) == 0
        assert self.exact.count(3) == 3
        assert self.exact.count(13) == 13
        assert self.exact.share(12, 13) == pytest.approx(92.3077, abs=0.0001)
        assert self.exact.share(1, 0) is None
        assert self.exact.statistic(12.5, 3) == 12.5
        assert self.exact.statistic(12.5, 0) is None

    def test_suppressed_applies_the_rules(self):
        assert self.suppressed.count(0) == 0
        assert self.suppressed.count(3) == SUPPRESSED
        assert self.suppressed.count(13) == 15
        assert self.suppressed.share(12, 13) == SUPPRESSED  # 10 of 15: too few
        assert self.suppressed.share(48, 403) == 12
        assert self.suppressed.share(5, 20) == SUPPRESSED
        assert self.suppressed.share(1, 0) is None
        assert self.suppressed.statistic(12.5, 3) == SUPPRESSED
        assert self.suppressed.statistic(12.5, 8) == 12.5
        assert self.suppressed.statistic(12.5, 0) is None

    @pytest.mark.parametrize("figures", [exact, suppressed], ids=["exact", "suppressed"])
    def test_both_refuse_negative_counts(self, figures):
        with pytest.raises(ValueError):
            figures.count(-1)
        with pytest.raises(ValueError):
            figures.share(-1, 10)
        with pytest.raises(ValueError):
            figures.statistic(1.0, -1)

    @pytest.mark.parametrize(
        "value,expected",
        [(SUPPRESSED, True), (0, False), (10, False), (66.7, False), (None, False), ("", False)],
    )
    def test_is_suppressed(self, value, expected):
        assert Figures.is_suppressed(value) is expected
        assert self.exact.is_suppressed(value) is expected

    def test_is_suppressed_on_what_the_rules_return(self):
        assert Figures.is_suppressed(suppress_count(7))
        assert not Figures.is_suppressed(suppress_count(8))


def test_imports_without_django():
    # Pure rules in pure modules (docs/architecture.md, "Pure rules in pure
    # modules"): importing this loads no Django.
    code = (
        "import sys, reports.suppression; "
        "sys.exit(any(name.split('.')[0] == 'django' for name in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0
