"""The clock tags of the EHC screens (ehc/templatetags/ehc_tags.py): which
colour and words a request or a service's part gets, by its dates."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from ehc.templatetags.ehc_tags import request_clock_label, working_clock_label, year_group_label

D = datetime.date
TODAY = D(2026, 11, 23)


@pytest.mark.parametrize(
    "working, due, expected",
    [
        # No return-by date: the statutory date alone.
        (D(2026, 12, 14), D(2026, 12, 14), ("blue", "21 days left")),
        (D(2026, 11, 23), D(2026, 11, 23), ("red", "Due today")),
        (D(2026, 11, 16), D(2026, 11, 16), ("red", "7 days overdue")),
        # Return by 4 December, due 14 December: the days count to 4 December.
        (D(2026, 12, 4), D(2026, 12, 14), ("yellow", "11 days left")),
        (D(2026, 11, 30), D(2026, 12, 14), ("orange", "7 days left")),
        (D(2026, 11, 23), D(2026, 12, 14), ("orange", "Return by today")),
        # Past the return-by date only: orange, never red or "overdue".
        (D(2026, 11, 22), D(2026, 12, 14), ("orange", "1 day past return-by")),
        (D(2026, 11, 20), D(2026, 11, 25), ("orange", "3 days past return-by")),
        # Past both: overdue, counted from the statutory date.
        (D(2026, 11, 10), D(2026, 11, 16), ("red", "7 days overdue")),
        (D(2026, 11, 16), D(2026, 11, 23), ("red", "Due today")),
    ],
)
def test_working_clock_reds_only_the_statutory_date(working, due, expected):
    assert working_clock_label(working, due, TODAY) == expected


def awaiting(**dates):
    return SimpleNamespace(
        status="awaiting",
        due_on=D(2026, 11, 16),
        get_status_display=lambda: "Awaiting advice",
        **dates,
    )


@pytest.mark.parametrize(
    "dates, expected",
    [
        # Not annotated (or nothing outstanding): the request's own due date.
        ({}, ("red", "7 days overdue")),
        ({"work_due_on": None}, ("red", "7 days overdue")),
        # One late without an exception: overdue, whatever else is excused.
        (
            {
                "work_due_on": D(2026, 11, 16),
                "owed_due_on": D(2026, 11, 16),
                "unexcepted_due_on": D(2026, 11, 16),
                "excepted_due_on": D(2026, 11, 10),
            },
            ("red", "7 days overdue"),
        ),
        # Only excused ones late: late, lawfully.
        (
            {
                "work_due_on": D(2026, 11, 16),
                "owed_due_on": D(2026, 11, 16),
                "unexcepted_due_on": D(2026, 11, 25),
                "excepted_due_on": D(2026, 11, 16),
            },
            ("purple", "Late: lawful exception"),
        ),
        # Nothing late: by the earliest working date.
        (
            {
                "work_due_on": D(2026, 12, 4),
                "owed_due_on": D(2026, 12, 14),
                "unexcepted_due_on": D(2026, 12, 14),
                "excepted_due_on": None,
            },
            ("yellow", "11 days left"),
        ),
    ],
    ids=["own date", "nothing outstanding", "overdue", "lawful", "working date"],
)
def test_request_clock(dates, expected):
    assert request_clock_label(awaiting(**dates), TODAY) == expected


@pytest.mark.parametrize(
    "group, label",
    [
        (-1, "Not yet in reception"),
        (0, "Reception"),
        (9, "Year 9"),
        (14, "Year 14"),
        (15, "Past year 14"),
        (None, "Not known"),
    ],
)
def test_year_group_label(group, label):
    assert year_group_label(group) == label
