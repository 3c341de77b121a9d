"""The reminder-source registry: where due items come from.

docs/architecture.md, "When a lower floor needs a higher one". The daily
digest gathers items from every app that has deadlines to chase, but the
reminder code (``ehc``, floor 3) must never import an app above it
(``enquiries``, ``improvement``: floor 4). So each app **registers** its
sources from its ``AppConfig.ready()``; the reminder code only walks this
registry. ``ehc`` registers two (``ehc/reminders/casework.py``):
contributions (each service's mailbox) and awaiting requests (owners and
areas); ``ehc.reviews`` one more.

A source gives four functions:

- ``select(today, policy, stage)``: the :class:`Due` items for ``today``
  (``stage(date)`` turns the date a reminder counts from into its stage,
  or None when none is due). An item for "every designated officer of an
  area" names the area (``area_id``) instead of a recipient; the reminder
  code resolves it, once for all sources.
- optionally ``select_changed(today, policy, stage, since)``: the same,
  but only for items whose stage may differ from the one they had on the
  last finished run's day (:class:`Since`): those whose date crossed a
  threshold since (``reminder_stages.changed_ranges``) and those edited
  since. Everything else was claimed by that run. A source without it is
  read whole every day, which is correct, only slower.
- ``prepare(queryset)``: the same ``Reminder`` queryset with whatever the
  two below read joined or prefetched.
- ``live(rows)``: the rows whose item is still owed now (read afresh when
  the digest is sent: returned, closed or withdrawn items are dropped).
- ``lines(rows, today)``: one :class:`Line` per item for the digest,
  labels only (no internal codes), never a child's name, date of birth or
  NHS number.

Targets (``Due.target``) must be unique across sources: prefix them with
something of the source's own ("c12" and "r5" are ehc's).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db.models import Q, QuerySet

from ehc import reminder_stages
from ehc.models.reminders import ReminderKind

SECTIONS = ("overdue", "lawful", "soon")  # the digest's order


class Due(NamedTuple):
    """One reminder a source says is due: to ``recipient`` (an address,
    lower-cased) or to every designated officer of ``area_id``, about
    ``target``, at ``stage``, counted from ``due_on``. A named tuple: a
    national day's run makes tens of thousands, and a tuple is built
    several times faster than a frozen dataclass."""

    source: str
    kind: str
    target: str
    stage: str
    due_on: datetime.date
    recipient: str = ""
    area_id: int | None = None
    request_id: int | None = None
    contribution_id: int | None = None

    @property
    def key(self) -> tuple[str, str, str, datetime.date]:
        """What a reminder is unique on (``Reminder`` constraint ``reminder_once``)."""
        return (self.recipient, self.target, self.stage, self.due_on)


@dataclass(frozen=True)
class Line:
    """One line of a digest. ``section`` is one of :data:`SECTIONS`;
    ``services`` names the service (or services) the line is about."""

    section: str
    due_on: datetime.date
    reference: str
    initials: str
    local_authority: str
    services: str
    when: str
    note: str
    url: str


@dataclass(frozen=True)
class Since:
    """What the last finished daily run selected for, so a run can read
    only what changed after it: its ``day`` (every item's stage on that day
    was claimed then) and ``edited_after``, the moment from which an edit
    may not have been seen by it (its start, less a margin for transactions
    still open when it read)."""

    day: datetime.date
    edited_after: datetime.datetime

    def crossed(self, today: datetime.date, policy, earliest: datetime.date | None) -> list:
        """The due dates, from ``earliest`` on, whose stage under ``policy``
        (its offsets and overdue repeat) on ``today`` differs from the one
        on :attr:`day`: :func:`ehc.reminder_stages.changed_ranges`, as
        inclusive ``(first, last)`` pairs. Empty when nothing is owed
        (``earliest`` None) or ``today`` is not after :attr:`day`."""
        if earliest is None or self.day >= today:
            return []
        return reminder_stages.changed_ranges(
            self.day,
            today,
            earliest=earliest,
            offsets=policy.offset_days,
            repeat_days=policy.overdue_repeat_days,
        )


def on_dates(field: str, ranges) -> Q:
    """``field`` within any of ``ranges`` (inclusive ``(first, last)`` pairs
    of dates, such as :func:`ehc.reminder_stages.changed_ranges` gives):
    single days as one IN list, longer ranges each as BETWEEN, so an index
    on ``field`` reads them in one pass."""
    condition = Q(**{f"{field}__in": [first for first, last in ranges if first == last]})
    for first, last in ranges:
        if first != last:
            condition |= Q(**{f"{field}__range": (first, last)})
    return condition


def read_any(queryset: QuerySet, conditions: list[Q]) -> QuerySet:
    """The rows of ``queryset`` meeting any of ``conditions``: each its own
    read, so each takes its own index, joined by UNION, which drops repeats
    (none: no rows). For a source's ``select_changed``, one condition per
    reason a row may have changed (a date crossed a threshold, an edit): an
    OR of them, or a read of ids then rows, lets the planner scan every
    outstanding item instead."""
    if not conditions:
        return queryset.none()
    parts = [queryset.filter(condition) for condition in conditions]
    return parts[0].union(*parts[1:]) if len(parts) > 1 else parts[0]


@dataclass(frozen=True)
class ReminderSource:
    name: str
    select: Callable[[datetime.date, Any, Callable], Iterable[Due]]
    prepare: Callable[[Any], Any]
    live: Callable[[list], list]
    lines: Callable[[list, datetime.date], list[Line]]
    select_changed: Callable[[datetime.date, Any, Callable, Since], Iterable[Due]] | None = None


_SOURCES: dict[str, ReminderSource] = {}


def to_person_or_area(
    source: str,
    target: str,
    stage: str,
    due_on: datetime.date,
    *,
    email: str | None,
    active: bool | None,
    digests: bool | None,
    area_id: int,
) -> Due:
    """An item that has a person answerable for it (an enquiry's author, an
    action's owner): to them while their account (``email``, ``active``,
    ``digests``: its address, whether it is active and takes digests; None
    without an account) can receive it, else to every designated officer of
    ``area_id``, so nothing owed goes unreminded when someone leaves."""
    if email and active and digests:
        return Due(source, ReminderKind.OWNER, target, stage, due_on, email.lower())
    return Due(source, ReminderKind.AREA_OVERDUE, target, stage, due_on, area_id=area_id)


def register_source(source: ReminderSource) -> None:
    """Add (or, under the same name, replace) a source. Called from an
    app's ``ready()``."""
    _SOURCES[source.name] = source


def registered_sources() -> list[ReminderSource]:
    return list(_SOURCES.values())


def get_source(name: str) -> ReminderSource:
    """Raises KeyError for a name nobody registered (a row of an app no
    longer installed)."""
    return _SOURCES[name]
