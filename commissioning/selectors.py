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


def latest_populations(
    la_ids, *, on: datetime.date, include_young_people: bool = False
) -> dict[int, int]:
    """{local authority id: population} from each authority's latest
    estimate in or before ``on``'s year, in one query (for code that needs
    the figures as plain numbers, such as PA sizing and rates per 10,000).
    Children aged 0 to 17 unless ``include_young_people``."""
    latest: dict[int, tuple[int, int]] = {}
    rows = ChildPopulation.objects.filter(local_authority_id__in=la_ids, year__lte=on.year)
    for la_id, year, aged_0_17, aged_0_25 in rows.values_list(
        "local_authority_id", "year", "aged_0_17", "aged_0_25"
    ):
        if la_id not in latest or year > latest[la_id][0]:
            latest[la_id] = (year, aged_0_25 if include_young_people else aged_0_17)
    return {la_id: value for la_id, (_, value) in latest.items()}
