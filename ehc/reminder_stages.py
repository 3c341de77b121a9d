"""Which reminder an outstanding item is due for today (pure: dates in,
a stage name out).

A reminder *stage* is the latest threshold an item has crossed:

- before the due date, the offsets (default 14, 7 and 2 days before): an
  item with 10 days left is in stage ``due_in_14``; with 5 days left,
  ``due_in_7``; with 2, 1 or 0 days left, ``due_in_2``;
- after it, every ``repeat_days`` (default 7): 1 to 7 days overdue is
  ``overdue_1``, 8 to 14 days ``overdue_2``, and so on.

A reminder is sent once per (recipient, item, stage, due date), so a run
that was missed (a dead beat, a bank holiday outage) is caught up by the
next run, which sends the stage the item is in now, never a burst of the
stages it passed. An item with more time left than the largest offset is
in no stage. Days are calendar days: the statutory clock counts weekends,
so reminders do too.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

DEFAULT_OFFSETS = (14, 7, 2)
DEFAULT_REPEAT_DAYS = 7


def parse_offsets(text: str) -> tuple[int, ...]:
    """ "14, 7, 2" -> (14, 7, 2). Raises ValueError with a message a person
    can act on."""
    values = []
    for part in text.replace(";", ",").split(","):
        part = part.strip()
        if not part:
            continue
        if not part.isdigit():
            raise ValueError(f"'{part}' is not a whole number of days")
        value = int(part)
        if not 0 <= value <= 42:
            raise ValueError("Each offset must be between 0 and 42 days")
        values.append(value)
    if not values:
        raise ValueError("Enter at least one number of days, for example 14, 7, 2")
    return tuple(sorted(set(values), reverse=True))


def stage_for(
    due_on: datetime.date,
    today: datetime.date,
    *,
    offsets: Iterable[int] = DEFAULT_OFFSETS,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
) -> str | None:
    """The stage an item due on ``due_on`` is in on ``today``, or None."""
    days_left = (due_on - today).days
    if days_left >= 0:
        crossed = [o for o in offsets if o >= days_left]
        return f"due_in_{min(crossed)}" if crossed else None
    if repeat_days <= 0:
        return "overdue_1"
    days_over = -days_left
    return f"overdue_{(days_over - 1) // repeat_days + 1}"


def is_overdue_stage(stage: str) -> bool:
    return stage.startswith("overdue_")


def describe(stage: str) -> str:
    if is_overdue_stage(stage):
        return "Overdue"
    return f"Due within {stage.removeprefix('due_in_')} days"


def changed_ranges(
    since: datetime.date,
    today: datetime.date,
    *,
    earliest: datetime.date,
    offsets: Iterable[int] = DEFAULT_OFFSETS,
    repeat_days: int = DEFAULT_REPEAT_DAYS,
) -> list[tuple[datetime.date, datetime.date]]:
    """The due dates, from ``earliest`` on, whose stage on ``today`` is a
    stage (not None) and differs from their stage on ``since`` (an earlier
    day: the last day reminders were selected for). As inclusive
    ``(first, last)`` ranges in date order, touching ranges merged.

    An item due on any other date is in the stage it was in on ``since``,
    so it was claimed then: a run reads only these dates (and edited items),
    and a missed day is caught up, since every date that crossed a
    threshold on any day after ``since`` is here. Raises ValueError unless
    ``since`` is before ``today``.

    Overdue dates change stage every ``repeat_days``: with ``gap`` days
    since the last run, a date ``d`` due before ``since`` changes when
    ``(since - d - 1) % repeat_days >= repeat_days - gap``, which is one
    range of ``gap`` dates every ``repeat_days`` (every date once the gap
    is a whole repeat or more). Dates from ``since`` to yesterday have all
    become overdue. Dates from today on are checked one by one (at most
    the largest offset plus one).
    """
    if since >= today:
        raise ValueError("since must be before today")
    offsets = tuple(offsets)
    gap = (today - since).days
    day = datetime.timedelta(days=1)
    found: list[tuple[datetime.date, datetime.date]] = []
    # Overdue on since already: one range of `gap` dates per repeat, or every date.
    if repeat_days > 0:
        if gap >= repeat_days:
            if earliest < since:
                found.append((earliest, since - day))
        else:
            k = 1
            while (start := since - datetime.timedelta(days=k * repeat_days)) + (
                gap - 1
            ) * day >= earliest:
                found.append((max(start, earliest), start + (gap - 1) * day))
                k += 1
            found.reverse()
    # Overdue today, not yet on since.
    if max(since, earliest) <= today - day:
        found.append((max(since, earliest), today - day))
    # Due today or later: at most the largest offset ahead.
    for n in range(0, max(offsets, default=-1) + 1):
        due = today + n * day
        if due < earliest:
            continue
        now = stage_for(due, today, offsets=offsets, repeat_days=repeat_days)
        if now is not None and now != stage_for(
            due, since, offsets=offsets, repeat_days=repeat_days
        ):
            found.append((due, due))
    merged: list[tuple[datetime.date, datetime.date]] = []
    for first, last in sorted(found):
        if merged and first <= merged[-1][1] + day:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged
