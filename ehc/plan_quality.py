"""Reads about plan quality: the section G provision that is waited for or
not available, by service (the plan side of the service gaps), and the
plans list's rows (docs/plans.md).

Selectors take a queryset the caller has already scoped (a user's
``visible_to``, or a report's selection), so the same counts serve a page
and a report.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Min, Q, QuerySet

from ehc.models import PlanProvision, ProvisionStatus


@dataclass(frozen=True)
class ServiceGap:
    """Section G provision of one service (``service_id`` None: provision
    whose service the portal does not know, named only in words) checked in
    a period: how many rows are in place, waited for and not available, and
    the earliest day a wait still open began."""

    service_id: int | None
    service_name: str
    provider_id: int | None
    provider_name: str
    in_place: int
    waiting: int
    not_available: int
    waiting_since: datetime.date | None

    @property
    def gaps(self) -> int:
        """Rows waited for or not available."""
        return self.waiting + self.not_available


def provision_gaps(
    provision: QuerySet[PlanProvision], *, start: datetime.date, end: datetime.date
) -> list[ServiceGap]:
    """Section G provision in ``provision`` (already scoped) whose delivery
    was last checked between ``start`` and ``end`` (inclusive), counted by
    service and status, services with the most gaps first (then by name).
    Services with no gap are included, so a rate can be worked out. One
    query, whatever the number of rows."""
    rows = (
        provision.filter(checked_on__range=(start, end))
        .order_by()
        .values("service_id", "service__name", "service__provider_id", "service__provider__name")
        .annotate(
            in_place=Count("pk", filter=Q(status=ProvisionStatus.IN_PLACE)),
            waiting=Count("pk", filter=Q(status=ProvisionStatus.WAITING)),
            not_available=Count("pk", filter=Q(status=ProvisionStatus.NOT_AVAILABLE)),
            waiting_since=Min("waiting_since", filter=Q(status=ProvisionStatus.WAITING)),
        )
    )
    gaps = [
        ServiceGap(
            service_id=row["service_id"],
            service_name=row["service__name"] or "Service not recorded",
            provider_id=row["service__provider_id"],
            provider_name=row["service__provider__name"] or "",
            in_place=row["in_place"],
            waiting=row["waiting"],
            not_available=row["not_available"],
            waiting_since=row["waiting_since"],
        )
        for row in rows
    ]
    gaps.sort(key=lambda gap: (-gap.gaps, gap.service_name, gap.provider_name))
    return gaps
