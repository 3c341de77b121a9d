"""The plan quality figures of a report (docs/plans.md, "In the reports"):
audits of EHC plans' health sections in each period, and the section G
provision waited for or not available by service in the current period
(the plan side of the service gaps).

Called by :func:`reports.metrics.compute` with its own reading and scoping
functions, so a plan is attributed to a commissioning body like every
record: through the child's local authority and the body's link in force
on the day the plan was issued. Two queries, whatever the data size.
"""

from __future__ import annotations

from collections.abc import Callable

from ehc.models import PlanAudit, PlanProvision, Rating
from ehc.plan_quality import provision_gaps
from reports.indicators import PeriodMetrics, Share

PLAN_LA = "plan__child__local_authority"
PLAN_ISSUED = "plan__issued_on"


def add(
    metrics: list[PeriodMetrics],
    *,
    rows: Callable,
    scoped: Callable,
    in_period: Callable,
) -> None:
    """Fill the plan figures of ``metrics`` (the current period first).

    ``rows(model, date=..., fields=..., la=..., on=..., provider=...)``
    gives ``(date, *fields)`` for the report's records dated in its range;
    ``scoped(queryset, la=..., on=..., provider=...)`` restricts a queryset
    to the report's selection; ``in_period(metrics, day)`` names the
    periods a day falls in.

    An audit counts in the period it was done; it passes when rated green
    (85% of the points possible or more). Plan audits are not provider
    specific: a selection of one provider still counts its areas' audits.
    Provision counts when its delivery was last checked in the current
    period (to its last day, or today if sooner), by the service named.
    """
    audits = rows(PlanAudit, date="audited_on", fields=("rating",), la=PLAN_LA, on=PLAN_ISSUED)
    for audited_on, rating in audits:
        for m in in_period(metrics, audited_on):
            m.plan_audits += 1
            m.plan_ratings[rating] += 1
    for m in metrics:
        m.plan_audits_passed = Share(m.plan_ratings[Rating.GREEN], m.plan_audits)
    current = metrics[0]
    provision = scoped(
        PlanProvision.objects.all(), la=PLAN_LA, on=PLAN_ISSUED, provider="service__provider_id"
    )
    current.plan_gaps = provision_gaps(provision, start=current.period.start, end=current.as_of)
