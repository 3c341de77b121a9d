"""Services' waiting times as people read them: one service's trend (its
page) and every service of a selection by quarter (the annual report's
"Service gaps" section). docs/waits.md has the definitions.

Each quarter's figures are the service's own, as its waiting list gave
them: the number waiting on the quarter's last day, and the median and
longest wait of those waiting, in weeks. Across services only the number
waiting is added up (a sum of people is a count of people); medians and
longest waits are never combined, since a median of medians is not the
median wait of anyone (docs/reports.md, "Waiting times").

Suppression (:class:`reports.suppression.Figures`, for commissioners): the
number waiting is a count (1 to 7 shown as "*", others to the nearest 5);
the median and longest waits are statistics over the people waiting, so
they are "*" when fewer than 8 are waiting (the longest wait of three
children is one child's wait).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable

from commissioning.models import Service, ServiceType
from core import periods
from ehc.models import ServiceWait
from reports import metrics
from reports.charts import Chart, Series
from reports.indicators import Scope, Stat
from reports.shown import NOT_AVAILABLE, Row, Shown, Table, show_count, show_stat
from reports.suppression import Figures

WEEKS = "weeks"
NOT_ENTERED = Shown(None, NOT_AVAILABLE)


def _median(wait: ServiceWait, figures: Figures) -> Shown:
    value = None if wait.median_weeks is None else float(wait.median_weeks)
    return show_stat(figures, Stat(value, wait.waiting), WEEKS)


def _longest(wait: ServiceWait, figures: Figures) -> Shown:
    value = None if wait.longest_weeks is None else float(wait.longest_weeks)
    return show_stat(figures, Stat(value, wait.waiting), WEEKS)


# --- One service ----------------------------------------------------------------------------


def trend_table(waits: Iterable[ServiceWait], figures: Figures) -> Table:
    """One row per quarter entered, oldest first: the number waiting, the
    median and the longest wait (weeks), each as ``figures`` allows."""
    rows = [
        Row(
            wait.period.label,
            [show_count(figures, wait.waiting), _median(wait, figures), _longest(wait, figures)],
        )
        for wait in sorted(waits, key=lambda w: (w.financial_year, w.quarter))
    ]
    return Table(
        "waits",
        "Waiting times at each quarter's end",
        ["Quarter", "Number waiting", "Median wait", "Longest wait"],
        rows,
        empty="No waiting times entered yet.",
    )


def trend_chart(waits: Iterable[ServiceWait], figures: Figures) -> Chart:
    """The median and longest waits (weeks) by quarter, oldest first, as
    ``figures`` allows ("*" where fewer than 8 were waiting)."""
    ordered = sorted(waits, key=lambda w: (w.financial_year, w.quarter))

    def values(get) -> list:
        shown = []
        for wait in ordered:
            weeks = get(wait)
            value = figures.statistic(None if weeks is None else float(weeks), wait.waiting)
            shown.append(value)
        return shown

    return Chart(
        "Median and longest wait by quarter",
        [wait.period.label for wait in ordered],
        [
            Series("Median wait (weeks)", values(lambda w: w.median_weeks)),
            Series("Longest wait (weeks)", values(lambda w: w.longest_weeks)),
        ],
        unit=WEEKS,
        kind="line",
    )


# --- Every service of a selection -----------------------------------------------------------


def services_in(scope: Scope, on: datetime.date):
    """The services covering an authority of ``scope`` on ``on`` (and of
    its provider, when one is chosen), as a queryset without duplicates."""
    la_ids = metrics.scope_local_authorities(scope, on)
    covering = Service.objects.filter(local_authorities__in=la_ids)
    if scope.provider_id is not None:
        covering = covering.filter(provider_id=scope.provider_id)
    return Service.objects.filter(pk__in=covering.values("pk"))


def _service_label(service: Service) -> str:
    return f"{service.name} ({service.provider.name})"


def year_tables(
    scope: Scope, year: periods.Period, *, as_of: datetime.date, figures: Figures
) -> tuple[list[Table], int]:
    """The annual report's waiting-time tables for ``scope`` in the
    financial ``year`` (its quarters ended by ``as_of``): the number waiting,
    the median wait and the longest wait, each one row per service with a
    column per quarter; the number waiting has a total row (the sum over the
    services that entered the quarter). Also the number of services in the
    scope that entered nothing for the year. Two queries."""
    quarters = [q for q in year.quarters() if q.end <= as_of]
    services = list(
        services_in(scope, as_of).select_related("provider").order_by("service_type", "name")
    )
    fy = periods.financial_year_of(year.start)
    waits = ServiceWait.objects.filter(
        service__in=[s.pk for s in services],
        financial_year=fy,
        quarter__in=[periods.quarter_of(q.start) for q in quarters],
    )
    by_service: dict[int, dict[int, ServiceWait]] = defaultdict(dict)
    for wait in waits:
        by_service[wait.service_id][wait.quarter] = wait
    entered = [s for s in services if by_service.get(s.pk)]
    types = dict(ServiceType.choices)
    entered.sort(key=lambda s: (types.get(s.service_type, ""), s.name, s.provider.name))
    numbers = [periods.quarter_of(q.start) for q in quarters]
    head = ["Service", *(q.label for q in quarters)]

    def table(key: str, title: str, cell) -> Table:
        rows = [
            Row(
                _service_label(service),
                [
                    cell(by_service[service.pk][n]) if n in by_service[service.pk] else NOT_ENTERED
                    for n in numbers
                ],
            )
            for service in entered
        ]
        return Table(key, title, head, rows, empty="No waiting times entered for this year.")

    waiting = table(
        "waits_waiting",
        "Children and young people waiting at each quarter's end, by service",
        lambda wait: show_count(figures, wait.waiting),
    )
    if entered:
        totals = [
            sum(by_service[s.pk][n].waiting for s in entered if n in by_service[s.pk])
            for n in numbers
        ]
        waiting.rows.append(
            Row(
                "Total waiting (services that entered the quarter)",
                [show_count(figures, total) for total in totals],
            )
        )
    waiting.note = "A service covering several areas is counted whole in each of them."
    median = table(
        "waits_median",
        "Median wait at each quarter's end, by service",
        lambda wait: _median(wait, figures),
    )
    median.note = (
        "Each service's own median; medians are not combined across services, as a median "
        "of medians is nobody's wait."
    )
    longest = table(
        "waits_longest",
        "Longest wait at each quarter's end, by service",
        lambda wait: _longest(wait, figures),
    )
    return [waiting, median, longest], len(services) - len(entered)


def add_waits(section, scope: Scope, year: periods.Period, *, as_of, figures: Figures) -> None:
    """Add the waiting-time tables of :func:`year_tables` to the annual
    report's ``section``, with a sentence on the services that entered none."""
    tables, missing = year_tables(scope, year, as_of=as_of, figures=figures)
    for table in tables:
        section.table(table)
    if missing:
        services = "service" if missing == 1 else "services"
        section.p(
            f"{missing:,} {services} covering the area entered no waiting times for this year."
        )
