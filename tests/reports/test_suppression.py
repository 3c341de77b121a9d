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
    def test_worked_from_rounded_figures(self):
        # 12 of 13 exactly is 92.3 %; rounded it is 10 of 15.
        assert suppress_share(12, 13) == pytest.approx(100 * 10 / 15)
        assert suppress_share(12, 13) == pytest.approx(66.67, abs=0.01)

    def test_all_of_them(self):
        assert suppress_share(13, 13) == 100.0  # 15 of 15

    def test_rounded_numerator_can_exceed_rounded_denominator(self):
        # 13 of 12 cannot happen in real data, but the arithmetic stays honest: 15 / 10.
        assert suppress_share(13, 12) == 150.0

    def test_not_rounded_further(self):
        # 10 of 30 is a third: the caller decides the decimal places.
        assert suppress_share(11, 29) == pytest.approx(100 / 3, rel=1e-12)

    def test_hand_worked_larger_figures(self):
        # 48 -> 50 and 203 -> 205: 50 / 205 = 24.39 %, where 48 / 203 = 23.65 %.
        assert suppress_share(48, 203) == pytest.approx(24.390, abs=0.001)

    def test_small_numerator_is_suppressed(self):
        assert suppress_share(5, 20) == SUPPRESSED

    def test_small_denominator_is_suppressed(self):
        assert suppress_share(0, 7) == SUPPRESSED
        assert suppress_share(7, 7) == SUPPRESSED

    def test_zero_numerator_is_zero_percent(self):
        assert suppress_share(0, 20) == 0.0

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
        assert self.suppressed.share(12, 13) == pytest.approx(100 * 10 / 15)
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
