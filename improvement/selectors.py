"""Reads of the improvement plans that are more than one scoped queryset:
who may own an action, and a plan's progress in counts."""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

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
