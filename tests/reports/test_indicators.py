"""The statistics the reports compute (reports/indicators.py)."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from reports.indicators import percentile, percentile_of_counts

FRACTIONS = st.sampled_from([0.0, 0.1, 0.25, 0.5, 0.9, 0.99, 1.0])


def test_a_percentile_interpolates_between_the_two_nearest_ranks():
    # PERCENTILE.INC: position (4 - 1) x 0.9 = 2.7, so 46 + 0.7 x (49 - 46).
    assert percentile([31, 42, 46, 49], 0.9) == 46 + 0.7 * 3
    assert percentile_of_counts({31: 1, 42: 1, 46: 1, 49: 1}, 0.9) == 46 + 0.7 * 3
    assert percentile_of_counts({}, 0.5) is None
    assert percentile_of_counts({10: 0, 12: -1}, 0.5) is None  # nothing counted


@given(values=st.lists(st.integers(min_value=-5, max_value=400), max_size=60), fraction=FRACTIONS)
def test_a_histograms_percentile_is_that_of_its_values(values, fraction):
    """Days to return are held as a histogram: its percentiles are those of
    the values it counts, whatever their repeats and order."""
    counts = Counter(values)
    counts[999] -= 1  # a value counted below once is no value (Counter.elements)
    assert percentile_of_counts(counts, fraction) == percentile(values, fraction)
