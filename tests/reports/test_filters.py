"""reports.filters: a commissioner's custom range is whole months, at least 3."""

import datetime

import pytest

from reports.filters import _whole_months_problems

D = datetime.date


@pytest.mark.parametrize(
    ("start", "end", "problems"),
    [
        (D(2026, 4, 1), D(2026, 6, 30), {}),
        (D(2026, 1, 1), D(2026, 3, 31), {}),
        (D(2027, 12, 1), D(2028, 2, 29), {}),  # a leap February ends on the 29th
        (D(2026, 4, 1), D(2026, 5, 31), {"date_to": "Choose at least 3 whole months"}),
        (
            D(2026, 4, 1),
            D(2026, 4, 1),
            {"date_to": "End on the last day of a month, for example 30 June"},
        ),
        (
            D(2026, 4, 2),
            D(2026, 6, 30),
            {"date_from": "Start on the first day of a month, for example 1 April"},
        ),
        (
            D(2028, 2, 1),
            D(2028, 2, 28),
            {"date_to": "End on the last day of a month, for example 30 June"},
        ),
    ],
)
def test_whole_months_problems(start, end, problems):
    assert _whole_months_problems(start, end) == problems
