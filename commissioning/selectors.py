"""Read-only queries about organisations, shared by views and reports."""

from __future__ import annotations

import datetime

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from commissioning.models import (
    ChildPopulation,
    CommissioningLink,
    LocalAuthority,
)


def _latest_population(field: str):
    return Subquery(
        ChildPopulation.objects.filter(local_authority=OuterRef("pk"))
        .order_by("-year")
        .values(field)[:1]
    )


def with_population_and_links(
    queryset: QuerySet[LocalAuthority], *, on: datetime.date
) -> QuerySet[LocalAuthority]:
    """Annotate each authority with its latest child population and prefetch
    the commissioning links current on ``on`` (as ``current_links``).

    A fixed number of queries whatever the number of authorities.
    """
    return queryset.annotate(
        population_year=_latest_population("year"),
        population_0_17=_latest_population("aged_0_17"),
        population_0_25=_latest_population("aged_0_25"),
    ).prefetch_related(
        Prefetch(
            "links",
            queryset=CommissioningLink.objects.active_on(on).select_related("commissioning_body"),
            to_attr="current_links",
        )
    )


def population_totals(local_authorities) -> dict[str, int]:
    """Total latest-year populations over already-annotated authorities."""
    totals = {"aged_0_17": 0, "aged_0_25": 0}
    for la in local_authorities:
        totals["aged_0_17"] += la.population_0_17 or 0
        totals["aged_0_25"] += la.population_0_25 or 0
    return totals
