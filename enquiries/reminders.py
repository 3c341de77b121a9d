"""Enquiry follow-ups in the daily reminder digest.

Registered from ``EnquiriesConfig.ready()`` into the reminder-source
registry (``ehc/reminders/sources.py``), so the reminder code in ``ehc``
names nothing of this app (docs/architecture.md, "When a lower floor needs
a higher one"). What it selects (docs/enquiries.md, "Follow-ups"):

- each open enquiry (open or waiting for a reply) whose follow-up date is
  today or has passed, once on the day and again at each overdue repeat of
  the reminder policy; not before the day: a follow-up is the officer's own
  date, not a deadline to warn of weeks ahead;
- to the officer who logged it, when they are active and take digests;
  otherwise to every designated officer of the enquiry's area, so a
  follow-up never falls silent when its author leaves.

A line names the enquiry's reference, the child's initials (or "general"),
the area, who asked and the topic: never a name or the question.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import dateformat

from ehc.reminders.sources import Due, Line, ReminderSource, register_source, to_person_or_area
from enquiries.models import Enquiry

SOURCE = "enquiries.follow_ups"
PREFIX = "e"  # targets "e<id>": unique across sources


def select(today: datetime.date, policy, stage) -> list[Due]:
    """The follow-ups due on ``today`` (see the module). One query, from the
    (status, follow_up_on) index."""
    rows = (
        Enquiry.objects.open()
        .filter(follow_up_on__lte=today)
        .order_by()
        .values_list(
            "pk",
            "follow_up_on",
            "local_authority_id",
            "created_by__email",
            "created_by__is_active",
            "created_by__receive_digests",
        )
    )
    out = []
    for pk, follow_up_on, la_id, email, active, digests in rows:
        when = stage(follow_up_on)
        if when is not None:
            out.append(
                to_person_or_area(
                    SOURCE,
                    f"{PREFIX}{pk}",
                    when,
                    follow_up_on,
                    email=email,
                    active=active,
                    digests=digests,
                    area_id=la_id,
                )
            )
    return out


def prepare(queryset):
    """Nothing to join: the enquiries are read by :func:`_enquiries`."""
    return queryset


def _enquiries(rows: list) -> dict[str, Enquiry]:
    """Target -> the enquiry it names, read afresh (one query)."""
    ids = [int(r.target.removeprefix(PREFIX)) for r in rows]
    found = Enquiry.objects.filter(pk__in=ids).select_related("local_authority", "child")
    return {f"{PREFIX}{e.pk}": e for e in found}


def live(rows: list) -> list:
    """The rows whose enquiry is still open and still has a follow-up date
    on or before the one reminded (not closed, not moved later)."""
    enquiries = _enquiries(rows)

    def owed(row) -> bool:
        e = enquiries.get(row.target)
        return bool(e and e.is_open and e.follow_up_on and e.follow_up_on <= row.due_on)

    return [r for r in rows if owed(r)]


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def lines(rows: list, today: datetime.date) -> list[Line]:
    """One line per follow-up: overdue once its date has passed, else due
    today ("soon")."""
    enquiries = _enquiries(rows)
    out = []
    for r in rows:
        e = enquiries.get(r.target)
        if e is None:
            continue
        day = dateformat.format(e.follow_up_on, "j F Y")
        late = (today - e.follow_up_on).days
        out.append(
            Line(
                section="overdue" if late > 0 else "soon",
                due_on=e.follow_up_on,
                reference=f"Enquiry {e.reference}",
                initials=e.child.initials if e.child_id else "general",
                local_authority=e.local_authority.name,
                services=f"from {e.get_source_display()}: {e.get_topic_display()}",
                when=f"Follow up {day}: {_days(late)} overdue"
                if late > 0
                else f"Follow up today, {day}",
                note="",
                url=settings.SITE_URL.rstrip("/") + e.get_absolute_url(),
            )
        )
    return out


def register() -> None:
    register_source(ReminderSource(SOURCE, select, prepare, live, lines))
