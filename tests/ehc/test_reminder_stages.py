"""Which reminder stage an item is in (ehc/reminder_stages.py)."""

import datetime

import pytest

from ehc.reminder_stages import describe, parse_offsets, stage_for

DUE = datetime.date(2026, 11, 30)  # a Monday


def on(days_before: int) -> datetime.date:
    return DUE - datetime.timedelta(days=days_before)


@pytest.mark.parametrize(
    ("days_before", "stage"),
    [
        (30, None),
        (15, None),
        (14, "due_in_14"),
        (8, "due_in_14"),
        (7, "due_in_7"),
        (3, "due_in_7"),
        (2, "due_in_2"),
        (1, "due_in_2"),
        (0, "due_in_2"),  # due today
        (-1, "overdue_1"),
        (-7, "overdue_1"),
        (-8, "overdue_2"),
        (-14, "overdue_2"),
        (-15, "overdue_3"),
    ],
)
def test_default_offsets_and_weekly_repeat(days_before, stage):
    assert stage_for(DUE, on(days_before)) == stage


def test_missed_days_are_caught_up_with_the_current_stage_only():
    # The run on Monday 23 November (7 days before) did not happen; on
    # Tuesday the item is in stage due_in_7, so that reminder still goes,
    # and the 14-day stage (already passed) is not sent again.
    assert stage_for(DUE, datetime.date(2026, 11, 24)) == "due_in_7"


def test_weekends_count_like_any_other_day():
    saturday = datetime.date(2026, 11, 28)
    assert saturday.weekday() == 5
    assert stage_for(DUE, saturday) == "due_in_2"


def test_custom_offsets_and_repeat():
    assert stage_for(DUE, on(10), offsets=(10, 5), repeat_days=3) == "due_in_10"
    assert stage_for(DUE, on(-4), offsets=(10, 5), repeat_days=3) == "overdue_2"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("14, 7, 2", (14, 7, 2)), ("2,14;7", (14, 7, 2)), ("7, 7", (7,)), ("0", (0,))],
)
def test_parse_offsets(text, parsed):
    assert parse_offsets(text) == parsed


@pytest.mark.parametrize(
    ("text", "message"),
    [("", "at least one"), ("seven", "not a whole number"), ("50", "between 0 and 42")],
)
def test_parse_offsets_refuses_bad_input(text, message):
    with pytest.raises(ValueError, match=message):
        parse_offsets(text)


def test_describe():
    assert describe("due_in_7") == "Due within 7 days"
    assert describe("overdue_3") == "Overdue"
