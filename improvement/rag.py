"""The RAG rating of an improvement plan action: a pure rule, dates in,
a rating out (docs/improvement.md, "RAG").

Boards read plans in BRAG: blue for complete, red, amber and green for
the rest. The portal works the rating out from the action's status and due
date so that a plan's RAG is the same wherever it is shown and never goes
stale:

- complete: **blue**;
- superseded (no longer needed, kept for the record): no rating;
- open (not started or in progress) and past its due date: **red**, overdue;
  an override cannot hide that: agree a new due date instead (with a
  progress note saying why);
- open, not started and due within :data:`AMBER_WITHIN_DAYS` days:
  **amber** (it cannot start late and finish on time without attention);
- otherwise **green**.

An officer may override the rating of an open action that is not overdue
(red, amber or green), giving a reason: the rule cannot know that a
partner has withdrawn or that funding fell through. The override is shown
beside the reason everywhere the rating is.

No Django here: :mod:`improvement.models` writes the same rule as a query
expression (``ActionQuerySet.with_rag``) and the tests check the two agree.
"""

from __future__ import annotations

import datetime

BLUE = "blue"
RED = "red"
AMBER = "amber"
GREEN = "green"
NOT_RATED = ""

# An action not started this close to its due date is amber, in days.
AMBER_WITHIN_DAYS = 28

LABELS = {
    BLUE: "Complete",
    RED: "Red",
    AMBER: "Amber",
    GREEN: "Green",
    NOT_RATED: "Not rated",
}
# The order boards read them in, worst first.
ORDER = (RED, AMBER, GREEN, BLUE, NOT_RATED)

# Action statuses (improvement.models.ActionStatus values).
NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"
SUPERSEDED = "superseded"
OPEN = (NOT_STARTED, IN_PROGRESS)


def is_overdue(status: str, due_on: datetime.date, today: datetime.date) -> bool:
    """An open action whose due date has passed (the due date itself is
    not overdue)."""
    return status in OPEN and due_on < today


def derived(status: str, due_on: datetime.date, today: datetime.date) -> str:
    """The rating the rule gives (see the module), before any override."""
    if status == COMPLETE:
        return BLUE
    if status not in OPEN:
        return NOT_RATED
    if due_on < today:
        return RED
    if status == NOT_STARTED and (due_on - today).days <= AMBER_WITHIN_DAYS:
        return AMBER
    return GREEN


def may_override(status: str, due_on: datetime.date, today: datetime.date) -> bool:
    """Only an open action that is not overdue takes an override."""
    return status in OPEN and not is_overdue(status, due_on, today)


def rating(status: str, due_on: datetime.date, override: str, today: datetime.date) -> str:
    """The rating shown: the override (``"red"``, ``"amber"``, ``"green"``
    or ``""`` for none) where :func:`may_override` allows one, else
    :func:`derived`."""
    if override and may_override(status, due_on, today):
        return override
    return derived(status, due_on, today)
