"""Improvement plan progress, as the annual report and the inspection pack
show it (docs/improvement.md, "In the reports").

One section built from :mod:`improvement.selectors`: the plans of the
scope's local authorities that ran at any time in the period, their actions
by RAG rating and status, how many were completed in the period (and how
many of those by their due date) and how many were overdue on the day the
figures run to. Actions are about the area, not about children, so the
figures are exact for everyone allowed to see reports (as designated
officer figures are: ``reports.annual_sections.plain``).

Statuses are the ones recorded now; ratings and "overdue" are worked out
for the period's last day (or today, if sooner) from those statuses and
the due dates (:mod:`improvement.rag`).
"""

from __future__ import annotations

import datetime

from django.db.models import Q

from core.periods import Period, format_date
from improvement import rag
from improvement.models import ActionStatus, ImprovementAction, ImprovementPlan
from improvement.selectors import progress_by_plan
from reports.annual_sections import Section, plain
from reports.shown import Row, Table

TITLE = "Improvement plan progress"


def plans_in(la_ids, period: Period, as_of: datetime.date):
    """The plans of the authorities ``la_ids`` that ran at some time from
    the period's start to ``as_of``: started by then, not ended before."""
    return ImprovementPlan.objects.filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=period.start),
        local_authority__in=la_ids,
        starts_on__lte=as_of,
    )


def improvement_section(la_ids, period: Period, as_of: datetime.date) -> Section:
    """The section for ``la_ids`` (local authority ids) over ``period``,
    rated on ``as_of``. Three queries: the plans, their actions, the
    completions in the period."""
    plans = list(
        plans_in(la_ids, period, as_of)
        .select_related("local_authority")
        .order_by("local_authority__name", "-starts_on", "pk")
    )
    section = Section("improvement", TITLE)
    if not plans:
        section.p(
            "No improvement plan or written statement of action is recorded for these "
            "areas in the period."
        )
        return section
    progress = progress_by_plan(
        ImprovementPlan.objects.filter(pk__in=[p.pk for p in plans]), today=as_of
    )
    completed = list(
        ImprovementAction.objects.filter(
            plan__in=[p.pk for p in plans],
            status=ActionStatus.COMPLETE,
            completed_on__gte=period.start,
            completed_on__lte=as_of,
        ).values_list("completed_on", "due_on")
    )
    on_time = sum(1 for done, due in completed if done <= due)
    total = sum(p.total for p in progress.values())
    overdue = sum(p.overdue for p in progress.values())
    section.p(
        f"The area's SEND improvement plans and written statements of action: "
        f"{len(plans)} plan{'s' if len(plans) != 1 else ''} with {total:,} "
        f"action{'s' if total != 1 else ''}. {len(completed):,} "
        f"action{'s were' if len(completed) != 1 else ' was'} completed in the period, "
        f"{on_time:,} of them by the due date; {overdue:,} "
        f"{'were' if overdue != 1 else 'was'} overdue on {format_date(as_of)}."
    )
    section.p(
        "Ratings are worked out from each action's status and due date: red when "
        "overdue, amber when not started within 4 weeks of its due date, green otherwise, "
        "and complete; an officer may override the rating of an action that is not "
        "overdue, giving a reason. Statuses are as recorded now."
    )
    rows = []
    for plan in plans:
        p = progress.get(plan.pk)
        counts = (
            [
                p.total,
                p.by_rag[rag.RED],
                p.by_rag[rag.AMBER],
                p.by_rag[rag.GREEN],
                p.by_rag[rag.BLUE],
                p.overdue,
            ]
            if p
            else [0] * 6
        )
        rows.append(
            Row(
                f"{plan.title} ({plan.get_kind_display()}, {plan.local_authority.name})",
                [plain(n) for n in counts],
            )
        )
    section.table(
        Table(
            "improvement_plans",
            f"Actions by RAG rating on {format_date(as_of)}",
            ["Plan", "Actions", "Red", "Amber", "Green", "Complete", "Overdue"],
            rows,
            note="Superseded actions are counted in the total but not rated.",
        )
    )
    by_status = {
        status: sum(p.by_status[status] for p in progress.values())
        for status in ActionStatus.values
    }
    section.table(
        Table(
            "improvement_status",
            "Actions by status",
            ["Status", "Actions"],
            [Row(label, [plain(by_status[value])]) for value, label in ActionStatus.choices],
        )
    )
    return section
