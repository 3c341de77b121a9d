"""Report figures read from the summary store (decision 0010; docs/reports.md,
"The summary store").

:func:`reports.metrics.compute` calls :func:`requests` and
:func:`contributions` instead of reading the casework when the scope names
no provider (:func:`serves`): requests received and their breakdowns,
timeliness by due day, days to return (a histogram by return day), the
contributions asked of each service and the requests asking each provider
come from the store's counts, kept rows of erased children included, so
figures stay the same after erasure. Overdue (a position on a day: due
before it, not returned by it, the request not closed by it) is still read
from the casework, from the indexes of unreturned and late-returned
contributions. The definitions are :mod:`reports.metrics`'s; the store holds
what they need:

- a contribution returned on or before its due date is on time whenever it
  is judged (a return is never recorded after today: the services refuse
  it), so its verdict is stored;
- one returned late or not at all is late once the report's day (``as_of``:
  the period's last day, or today if sooner) is past its due date, and not
  yet judged before: the store keeps its due date, the report compares.

Every read is one query per store table whatever the number of periods:
the range the periods cover is cut into *segments* at every period's first
day, the day after its last and its ``as_of``, so each segment lies wholly
inside or outside each period and wholly before or from its ``as_of``; the
database sums by segment, Python adds the segments up per period.
"""

from __future__ import annotations

import datetime
from collections import Counter

from django.db.models import Case, CharField, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast

from commissioning.models import LocalAuthority, Service
from ehc import clock, groups
from ehc.models import (
    REG8_PROCESSES,
    ContributionCount,
    LateCount,
    ProviderAskCount,
    ProvisionGapCount,
    QualityReviewCount,
    Rating,
    RequestCount,
    ReturnCount,
    Verdict,
)
from reports.indicators import (
    LAWFUL_EXCEPTION,
    NO_REASON,
    OTHER_DEADLINES,
    OVERDUE_AGES,
    Share,
    Stat,
    age_band,
    percentile,
)

DAY = datetime.timedelta(days=1)


def serves(reach) -> bool:
    """Whether the store holds the figures for ``reach``: not for one
    provider's selection (its requests are those asking the provider)."""
    return reach.provider_id is None


class _Segments:
    """The days ``low`` to ``high`` cut at every period's bounds and
    ``as_of``, so each segment is wholly in or out of each period and wholly
    before or from its ``as_of``."""

    def __init__(self, metrics, low: datetime.date, high: datetime.date):
        cuts = {low, high + DAY}
        for m in metrics:
            cuts |= {m.period.start, m.period.end + DAY, m.as_of}
        points = sorted(day for day in cuts if low <= day <= high + DAY)
        self.bounds = [(a, b - DAY) for a, b in zip(points, points[1:], strict=False)]
        self.metrics = metrics

    def case(self, field: str) -> Case:
        """The segment number of the date at ``field``."""
        return Case(
            *(
                When(**{f"{field}__range": bounds}, then=Value(k))
                for k, bounds in enumerate(self.bounds)
            ),
            output_field=IntegerField(),
        )

    def periods(self, segment: int):
        """``(index, metrics)`` of the periods segment ``segment`` is in."""
        start, end = self.bounds[segment]
        return [
            (i, m)
            for i, m in enumerate(self.metrics)
            if m.period.start <= start and end <= m.period.end
        ]

    def before_as_of(self, segment: int, m) -> bool:
        """Whether the segment's days are before ``m.as_of``."""
        return self.bounds[segment][1] < m.as_of


def _sums(queryset, segments: _Segments, date: str, *fields: str):
    """``(segment, *fields, total)`` rows: the store's counts in range
    summed by segment (of the date at ``date``) and ``fields``."""
    return (
        queryset.annotate(segment=segments.case(date))
        .order_by()
        .values_list("segment", *fields)
        .annotate(total=Sum("count"))
    )


def requests(scoped, metrics, low, high, names) -> None:
    """Requests received in each period, by authority, process, age band
    and primary need (one query: the four breakdowns of the store's rows
    summed by segment, as one UNION ALL), and by group (one query)."""
    segments = _Segments(metrics, low, high)
    base = scoped(
        RequestCount.objects.filter(received_on__range=(low, high)),
        la="local_authority",
        on="received_on",
        provider=None,
    ).annotate(segment=segments.case("received_on"))
    parts = [
        base.annotate(dimension=Value(name), key=Cast(field, CharField()))
        .order_by()
        .values_list("segment", "dimension", "key")
        .annotate(total=Sum("count"))
        for name, field in (
            ("la", "local_authority_id"),
            ("process", "process"),
            ("need", "primary_need"),
            ("age", "age"),
        )
    ]
    rows = list(parts[0].union(*parts[1:], all=True))
    la_ids = set()
    for segment, dimension, key, total in rows:
        for _, m in segments.periods(segment):
            if dimension == "la":
                la_ids.add(int(key))
                m.requests += total
                m.by_la[int(key)] += total
            elif dimension == "process":
                m.by_process[key] += total
            elif dimension == "need":
                m.by_need[key] += total
            else:
                m.by_age_band[age_band(int(key))] += total
    if la_ids:
        names["la"].update(LocalAuthority.objects.filter(pk__in=la_ids).values_list("pk", "name"))
    _groups(base, segments)


# The store's conditions for the groups of ``ehc.groups`` (docs/reports.md,
# "Requests by group"): the year group and age are as on the day health
# received the request, the flags as recorded on the child.
_GROUP_CONDITIONS = {
    groups.YEAR_9: Q(year_group__gte=clock.PREPARING_FOR_ADULTHOOD_YEAR),
    groups.AGED_18_TO_25: Q(age__gte=groups.YOUNGEST_ADULT, age__lte=groups.OLDEST),
    **{key: Q(**{flag: True}) for key, flag in groups.FLAGS.items()},
}


def _groups(base, segments: _Segments) -> None:
    """Requests received in each group, per period (one query: a sum per
    group, by segment)."""
    sums = {
        f"g_{n}": Sum("count", filter=condition, default=0)
        for n, condition in enumerate(_GROUP_CONDITIONS.values())
    }
    keys = list(_GROUP_CONDITIONS)
    for row in base.order_by().values("segment").annotate(**sums):
        for _, m in segments.periods(row["segment"]):
            for n, key in enumerate(keys):
                if row[f"g_{n}"]:
                    m.by_group[key] += row[f"g_{n}"]


def contributions(scoped, metrics, low, high, names, service_provider) -> None:
    """Every contribution figure of :func:`reports.metrics._contributions`
    for each period: timeliness, days to return, services asked and
    requests asking each provider from the store; overdue from the
    casework (:func:`_overdue`). Four queries."""
    segments = _Segments(metrics, low, high)
    services: set[int] = set()

    def store(model, date):
        return scoped(
            model.objects.filter(**{f"{date}__range": (low, high)}),
            la="local_authority",
            on="received_on",
            provider=None,
        )

    timely = [Counter() for _ in metrics]  # (kind, key, on_time?) -> count
    for (
        segment,
        service_id,
        provider_id,
        process,
        verdict,
        excepted,
        withdrawn,
        review_recorded,
        total,
    ) in _sums(
        store(ContributionCount, "due_on"),
        segments,
        "due_on",
        "service_id",
        "provider_id",
        "process",
        "verdict",
        "excepted",
        "withdrawn",
        "review_recorded",
    ):
        services.add(service_id)
        service_provider[service_id] = provider_id
        for i, m in segments.periods(segment):
            if withdrawn:
                m.withdrawn_by_process[process] += total
                continue
            on_time = verdict == Verdict.ON_TIME
            if not on_time and not segments.before_as_of(segment, m):
                continue  # not back and not yet due on the report's day: not judged
            if process not in REG8_PROCESSES:
                timely[i][("process", process, on_time)] += total
                if process in clock.REVIEW_PROCESSES and not review_recorded:
                    m.meeting_not_recorded[process] += total
                continue
            timely[i][("service", service_id, on_time)] += total
            timely[i][("provider", provider_id, on_time)] += total
            if excepted:
                m.excepted += total
            else:
                timely[i][("excl", None, on_time)] += total
    for i, m in enumerate(metrics):
        shares = _shares(timely[i])
        m.timely = Share(
            sum(s.num for s in shares["service"].values()),
            sum(s.den for s in shares["service"].values()),
        )
        m.timely_excluding_exceptions = shares["excl"].get(None, Share(0, 0))
        m.withdrawn_unreturned = sum(m.withdrawn_by_process[p] for p in REG8_PROCESSES)
        m.timely_by_process = {p: shares["process"].get(p, Share(0, 0)) for p in OTHER_DEADLINES}
        m.timely_by_provider = shares["provider"]
        m.timely_by_service = shares["service"]
    # Days to return, services asked and requests asking each provider:
    # three sums in one UNION ALL, told apart by a tag.
    parts = [
        _sums(store(model, date).annotate(tag=Value(tag)), segments, date, "tag", field)
        for tag, model, date, field in (
            ("days", ReturnCount, "returned_on", "days"),
            ("service", ContributionCount, "received_on", "service_id"),
            ("provider", ProviderAskCount, "received_on", "provider_id"),
        )
    ]
    days = [Counter() for _ in metrics]
    for segment, tag, key, total in parts[0].union(*parts[1:], all=True):
        for i, m in segments.periods(segment):
            if tag == "days":
                days[i][key] += total
            elif tag == "service":
                services.add(key)
                m.by_service[key] += total
            else:
                m.by_provider[key] += total
    for i, m in enumerate(metrics):
        values = sorted(days[i].elements())
        m.median_days = Stat(percentile(values, 0.5), len(values))
        m.p90_days = Stat(percentile(values, 0.9), len(values))
    services |= _advice(store, segments, service_provider)
    services |= _overdue(scoped, metrics, low, high)
    _names(services, names, service_provider)


def _advice(store, segments: _Segments, service_provider) -> set[int]:
    """Quality reviews by rating and service, and provision not available
    locally by service, in each period (of the day the advice was reviewed
    or written): one query, a UNION ALL of the two tables. Returns the
    services seen."""
    reviews = _sums(
        store(QualityReviewCount, "reviewed_on").annotate(tag=Value("review")),
        segments,
        "reviewed_on",
        "tag",
        "service_id",
        "provider_id",
        "rating",
    )
    gaps = _sums(
        store(ProvisionGapCount, "written_on").annotate(
            tag=Value("gap"), no_rating=Value("", output_field=CharField())
        ),
        segments,
        "written_on",
        "tag",
        "service_id",
        "provider_id",
        "no_rating",
    )
    services = set()
    green = [Counter() for _ in segments.metrics]
    reviewed = [Counter() for _ in segments.metrics]
    for segment, tag, service_id, provider_id, rating, total in reviews.union(gaps, all=True):
        services.add(service_id)
        service_provider.setdefault(service_id, provider_id)
        for i, m in segments.periods(segment):
            if tag == "gap":
                m.unavailable_provision += total
                m.unavailable_by_service[service_id] += total
                continue
            m.reviews += total
            m.ratings[rating] += total
            reviewed[i][service_id] += total
            if rating == Rating.GREEN:
                green[i][service_id] += total
    for i, m in enumerate(segments.metrics):
        m.reviews_passed = Share(m.ratings[Rating.GREEN], m.reviews)
        m.passed_by_service = {s: Share(green[i][s], n) for s, n in reviewed[i].items()}
    return services


def _shares(counts: Counter) -> dict[str, dict]:
    """``{kind: {key: Share}}`` from ``(kind, key, on_time) -> count``."""
    shares: dict[str, dict] = {"service": {}, "provider": {}, "process": {}, "excl": {}}
    totals: dict[tuple, list[int]] = {}
    for (kind, key, on_time), total in counts.items():
        pair = totals.setdefault((kind, key), [0, 0])
        pair[0] += total if on_time else 0
        pair[1] += total
    for (kind, key), (on_time, total) in totals.items():
        if total:
            shares[kind][key] = Share(on_time, total)
    return shares


def _overdue(scoped, metrics, low, high) -> set[int]:
    """Overdue on each period's ``as_of``: due before it, not returned by
    it, the request not closed by it (a contribution left outstanding at a
    withdrawal is not in the table), by reason, by how long (the bands of
    ``OVERDUE_AGES``, in days from the due date to ``as_of``) and by
    service. One query: the store's late contributions still out on or
    after ``low`` (kept rows of erased children's records included),
    summed by reason and service, with one sum per report day and band,
    so the database counts and Python only adds up. Returns the services
    seen."""
    days = sorted({m.as_of for m in metrics})
    sums = {}
    for i, as_of in enumerate(days):
        out = (
            Q(due_on__lt=as_of)
            & (Q(returned_on__isnull=True) | Q(returned_on__gt=as_of))
            & (Q(closed_on__isnull=True) | Q(closed_on__gt=as_of))
        )
        for j, (_, fewest, most) in enumerate(OVERDUE_AGES):
            # ``fewest`` to ``most`` days overdue on as_of, as due dates.
            band = Q(due_on__lte=as_of - fewest * DAY)
            if most is not None:
                band &= Q(due_on__gte=as_of - most * DAY)
            sums[f"d{i}_{j}"] = Sum("count", filter=out & band, default=0)
    rows = (
        scoped(
            LateCount.objects.filter(
                Q(returned_on__isnull=True) | Q(returned_on__gt=low),
                Q(closed_on__isnull=True) | Q(closed_on__gt=low),
                due_on__lt=days[-1],
            ),
            la="local_authority",
            on="received_on",
            provider=None,
        )
        .order_by()
        .values("excepted", "late_reason", "service_id")
        .annotate(**sums)
    )
    services = set()
    for row in rows:
        reason = LAWFUL_EXCEPTION if row["excepted"] else row["late_reason"] or NO_REASON
        service_id = row["service_id"]
        for m in metrics:
            i = days.index(m.as_of)
            for j, (band, _, _) in enumerate(OVERDUE_AGES):
                if total := row[f"d{i}_{j}"]:
                    services.add(service_id)
                    m.overdue += total
                    m.overdue_by_reason[reason] += total
                    m.overdue_by_age[band] += total
                    m.overdue_by_service[service_id] += total
    return services


def _names(services: set[int], names, service_provider) -> None:
    """The names of ``services`` and their providers (one query)."""
    rows = Service.objects.filter(pk__in=services).values_list(
        "pk", "name", "provider_id", "provider__name"
    )
    for service_id, service_name, provider_id, provider_name in rows:
        names["service"][service_id] = service_name
        names["provider"][provider_id] = provider_name
        service_provider.setdefault(service_id, provider_id)
