"""Reads of the improvement plans that are more than one scoped queryset:
who may own an action, and a plan's progress in counts."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.db.models import Q, QuerySet
from django.utils import dateformat, timezone

from accounts.models import User
from accounts.roles import Role
from commissioning.models import CommissioningLink
from improvement import rag
from improvement.models import ImprovementAction, ImprovementPlan


def owner_candidates(plan: ImprovementPlan) -> QuerySet:
    """The active portal users who may be named as an action's owner: the
    designated officers of the plan's local authority and the commissioners
    of the bodies it is linked to today (they can open the plan). One lazy
    queryset, ordered by name."""
    today = timezone.localdate()
    bodies = (
        CommissioningLink.objects.active_on(today)
        .filter(local_authority_id=plan.local_authority_id)
        .values("commissioning_body_id")
    )
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=Role.DESIGNATED_OFFICER, local_authorities=plan.local_authority_id)
            | Q(role=Role.COMMISSIONER, commissioning_body__in=bodies)
        )
        .distinct()
        .order_by("full_name", "email")
    )


@dataclass
class Progress:
    """Counts of actions: ``total``, ``by_status`` (status value -> n),
    ``by_rag`` (:mod:`improvement.rag` rating -> n), ``overdue`` (open and
    past the due date on the day counted), ``completed_late`` (complete,
    but after the due date) and ``by_area`` (area of the plan -> n)."""

    total: int = 0
    by_status: Counter = field(default_factory=Counter)
    by_rag: Counter = field(default_factory=Counter)
    by_area: Counter = field(default_factory=Counter)
    overdue: int = 0
    completed_late: int = 0

    @property
    def complete(self) -> int:
        return self.by_status[rag.COMPLETE]

    @property
    def open(self) -> int:
        return sum(self.by_status[s] for s in rag.OPEN)


def progress(actions: QuerySet, *, today: datetime.date) -> Progress:
    """The progress of ``actions`` (already scoped: a plan's, or every plan
    of some areas) on ``today``: one query, the rating worked out by
    :func:`improvement.rag.rating`."""
    out = Progress()
    rows = actions.order_by().values_list(
        "status", "due_on", "rag_override", "plan_area", "completed_on"
    )
    for status, due_on, override, area, completed_on in rows:
        out.total += 1
        out.by_status[status] += 1
        out.by_rag[rag.rating(status, due_on, override, today)] += 1
        out.by_area[area] += 1
        if rag.is_overdue(status, due_on, today):
            out.overdue += 1
        if status == rag.COMPLETE and completed_on and completed_on > due_on:
            out.completed_late += 1
    return out


def progress_by_plan(plans: QuerySet, *, today: datetime.date) -> dict[int, Progress]:
    """Plan id -> :class:`Progress` for each of ``plans`` (one query)."""
    out: dict[int, Progress] = {}
    rows = (
        ImprovementAction.objects.filter(plan__in=plans)
        .order_by()
        .values_list("plan_id", "status", "due_on", "rag_override", "completed_on")
    )
    for plan_id, status, due_on, override, completed_on in rows:
        p = out.setdefault(plan_id, Progress())
        p.total += 1
        p.by_status[status] += 1
        p.by_rag[rag.rating(status, due_on, override, today)] += 1
        if rag.is_overdue(status, due_on, today):
            p.overdue += 1
        if status == rag.COMPLETE and completed_on and completed_on > due_on:
            p.completed_late += 1
    return out


def overdue_actions(visible_plans: QuerySet, *, today: datetime.date) -> list[ImprovementAction]:
    """The open actions of ``visible_plans`` (already scoped) past their due
    date, earliest first: the plans page's "Overdue actions" panel. One
    query."""
    return list(
        ImprovementAction.objects.filter(plan__in=visible_plans)
        .overdue(today)
        .select_related("plan", "plan__local_authority")
        .order_by("due_on", "pk")
    )


# The fields whose changes an action's history shows, in the words of its form.
HISTORY_FIELDS = (
    "number",
    "plan_area",
    "title",
    "success_measure",
    "owner",
    "owner_user",
    "due_on",
    "status",
    "completed_on",
    "rag_override",
    "rag_reason",
)
LONGEST_VALUE = 120  # characters of a long text shown before "..."


def action_history(action: ImprovementAction) -> list[dict]:
    """Every recorded change to ``action``, newest first, from the audit log
    (django-auditlog): ``{"timestamp", "actor", "action" ("added" or
    "changed"), "changes": [{"field", "old", "new"}]}`` with each value in
    the words the form shows (choice labels, dates as "1 October 2026",
    "nothing" for a blank). So a board sees when a due date moved or a
    rating was overridden, and by whom. Two queries (the entries, and the
    names of the owners' accounts they mention)."""
    entries = list(
        LogEntry.objects.get_for_object(action)
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("actor")
        .order_by("-timestamp", "-pk")
    )
    owner_ids = {
        value
        for entry in entries
        for value in entry.changes_dict.get("owner_user", [])[:2]
        if value not in (None, "None", "")
    }
    names = {
        str(pk): name or email
        for pk, name, email in User.objects.filter(pk__in=owner_ids).values_list(
            "pk", "full_name", "email"
        )
    }
    opts = ImprovementAction._meta
    out = []
    for entry in entries:
        changes = []
        if entry.action == LogEntry.Action.UPDATE:
            for name in HISTORY_FIELDS:
                values = entry.changes_dict.get(name)
                if not values or len(values) < 2:
                    continue
                field = opts.get_field(name)
                label = str(field.verbose_name)
                old, new = (_shown(field, value, names) for value in values[:2])
                changes.append({"field": label[:1].upper() + label[1:], "old": old, "new": new})
            if not changes:
                continue
        out.append(
            {
                "timestamp": entry.timestamp,
                "actor": entry.actor.full_name if entry.actor else "The portal",
                "action": "added" if entry.action == LogEntry.Action.CREATE else "changed",
                "changes": changes,
            }
        )
    return out


def _shown(field, value, names: dict) -> str:
    text = "" if value is None else str(value)
    if text in ("", "None"):
        return "nothing"
    if field.choices:
        return str(dict(field.flatchoices).get(text, text))
    if field.is_relation:
        return names.get(text, "an account since removed")
    if field.get_internal_type() == "DateField":
        try:
            return dateformat.format(datetime.date.fromisoformat(text[:10]), "j F Y")
        except ValueError:
            return text
    return text if len(text) <= LONGEST_VALUE else text[:LONGEST_VALUE].rstrip() + "..."
