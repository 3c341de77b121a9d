"""Which reminder stage an item is in (ehc/reminder_stages.py)."""

import datetime
import random
from itertools import pairwise

import pytest

from ehc.reminder_stages import changed_ranges, describe, parse_offsets, stage_for

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


# --- Which due dates change stage between two runs --------------------------------------


def _day_by_day(since, today, earliest, offsets, repeat) -> set[datetime.date]:
    out, day = set(), earliest
    while day <= today + datetime.timedelta(days=max(offsets) + 3):
        now = stage_for(day, today, offsets=offsets, repeat_days=repeat)
        if now is not None and now != stage_for(day, since, offsets=offsets, repeat_days=repeat):
            out.add(day)
        day += datetime.timedelta(days=1)
    return out


def _dates(ranges) -> set[datetime.date]:
    out = set()
    for first, last in ranges:
        out |= {first + datetime.timedelta(days=n) for n in range((last - first).days + 1)}
    return out


@pytest.mark.parametrize("seed", range(8))
def test_changed_ranges_are_exactly_the_dates_whose_stage_changed(seed):
    """Against the stage of every date worked out one by one, for gaps
    shorter and longer than the repeat, offsets including 0, and earliest
    dates before, between and after the two days."""
    rng = random.Random(seed)
    for _ in range(300):
        offsets = tuple(sorted(set(rng.sample(range(0, 20), rng.randint(1, 3))), reverse=True))
        repeat = rng.randint(1, 10)
        today = DUE + datetime.timedelta(days=rng.randint(-30, 30))
        since = today - datetime.timedelta(days=rng.randint(1, 25))
        earliest = today - datetime.timedelta(days=rng.randint(-25, 120))
        ranges = changed_ranges(
            since, today, earliest=earliest, offsets=offsets, repeat_days=repeat
        )
        assert _dates(ranges) == _day_by_day(since, today, earliest, offsets, repeat)
        assert ranges == sorted(ranges)
        assert all(b + datetime.timedelta(days=1) < c for (_, b), (c, _) in pairwise(ranges))


def test_one_day_after_a_run_the_overdue_dates_are_one_a_week():
    today = DUE
    ranges = changed_ranges(
        today - datetime.timedelta(days=1), today, earliest=today - datetime.timedelta(days=30)
    )
    assert ranges == [
        (today - datetime.timedelta(days=29), today - datetime.timedelta(days=29)),
        (today - datetime.timedelta(days=22), today - datetime.timedelta(days=22)),
        (today - datetime.timedelta(days=15), today - datetime.timedelta(days=15)),
        (today - datetime.timedelta(days=8), today - datetime.timedelta(days=8)),
        (today - datetime.timedelta(days=1), today - datetime.timedelta(days=1)),  # overdue_1
        (today + datetime.timedelta(days=2), today + datetime.timedelta(days=2)),  # due_in_2
        (today + datetime.timedelta(days=7), today + datetime.timedelta(days=7)),  # due_in_7
        (today + datetime.timedelta(days=14), today + datetime.timedelta(days=14)),
    ]


def test_changed_ranges_need_an_earlier_day():
    with pytest.raises(ValueError, match="before today"):
        changed_ranges(DUE, DUE, earliest=DUE)
