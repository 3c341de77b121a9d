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
