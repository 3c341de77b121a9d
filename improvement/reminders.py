"""Overdue improvement plan actions in the daily reminder digest.

Registered from ``ImprovementConfig.ready()`` into the reminder-source
registry (``ehc/reminders/sources.py``), so the reminder code in ``ehc``
names nothing of this app (docs/architecture.md, "When a lower floor needs
a higher one"). What it selects (docs/improvement.md, "Reminders"):

- each open action (not started or in progress) whose due date is today
  or has passed: once on the day and again at each overdue repeat of the
  reminder policy (every 7 days by default); not weeks ahead, since the
  plan's own RAG rating already shows what is coming;
- to the owner's portal account, when it is active and takes digests;
  otherwise to every designated officer of the plan's local authority, so
  an overdue action never falls silent when its owner leaves.

A line names the action's number and title, the plan and the area: no
child is ever in it.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.utils import dateformat

from ehc.reminders.sources import Due, Line, ReminderSource, register_source, to_person_or_area
from improvement.models import ImprovementAction

SOURCE = "improvement.actions"
PREFIX = "i"  # targets "i<id>": unique across sources
TITLE_LENGTH = 80


def select(today: datetime.date, policy, stage) -> list[Due]:
    """The actions due or overdue on ``today`` (see the module). One query,
    from the (status, due_on) index."""
    rows = (
        ImprovementAction.objects.open()
        .filter(due_on__lte=today)
        .order_by()
        .values_list(
            "pk",
            "due_on",
            "plan__local_authority_id",
            "owner_user__email",
            "owner_user__is_active",
            "owner_user__receive_digests",
        )
    )
    out = []
    for pk, due_on, la_id, email, active, digests in rows:
        when = stage(due_on)
        if when is not None:
            out.append(
                to_person_or_area(
                    SOURCE,
                    f"{PREFIX}{pk}",
                    when,
                    due_on,
                    email=email,
                    active=active,
                    digests=digests,
                    area_id=la_id,
                )
            )
    return out


def prepare(queryset):
    """Nothing to join: the actions are read by :func:`_actions`."""
    return queryset


def _actions(rows: list) -> dict[str, ImprovementAction]:
    """Target -> the action it names, read afresh (one query)."""
    ids = [int(r.target.removeprefix(PREFIX)) for r in rows]
    found = ImprovementAction.objects.filter(pk__in=ids).select_related(
        "plan", "plan__local_authority"
    )
    return {f"{PREFIX}{a.pk}": a for a in found}


def live(rows: list) -> list:
    """The rows whose action is still open and still due on or before the
    date reminded (not completed, superseded or given a later date)."""
    actions = _actions(rows)

    def owed(row) -> bool:
        a = actions.get(row.target)
        return bool(a and a.is_open and a.due_on <= row.due_on)

    return [r for r in rows if owed(r)]


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def _short(text: str) -> str:
    return text if len(text) <= TITLE_LENGTH else text[: TITLE_LENGTH - 1].rstrip() + "…"


def lines(rows: list, today: datetime.date) -> list[Line]:
    """One line per action: overdue once its due date has passed, else due
    today ("soon")."""
    actions = _actions(rows)
    out = []
    for r in rows:
        a = actions.get(r.target)
        if a is None:
            continue
        day = dateformat.format(a.due_on, "j F Y")
        late = (today - a.due_on).days
        out.append(
            Line(
                section="overdue" if late > 0 else "soon",
                due_on=a.due_on,
                reference=f"Improvement action {a.number}".strip(),
                initials="improvement plan",
                local_authority=a.plan.local_authority.name,
                services=f"{_short(a.title)} ({_short(a.plan.title)})",
                when=f"Due {day}: {_days(late)} overdue" if late > 0 else f"Due today, {day}",
                note=f"Owner: {a.owner}",
                url=settings.SITE_URL.rstrip("/") + a.get_absolute_url(),
            )
        )
    return out


def register() -> None:
    register_source(ReminderSource(SOURCE, select, prepare, live, lines))
