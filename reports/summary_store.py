"""Report figures read from the summary store (decision 0010; docs/reports.md,
"The summary store").

:func:`reports.metrics.compute` calls :func:`requests` and
:func:`contributions` instead of reading the casework when the scope names
no provider (:func:`serves`): requests received and their breakdowns,
timeliness by due day, days to return (a histogram by return day), the
contributions asked of each service and the requests asking each provider
come from the store's counts, kept rows of erased children included, so
figures stay the same after erasure, and so do quality reviews, provision
not available and overdue (a position on a day: due before it, not
returned by it, the request not closed by it, compared with the dates the
store's late contributions keep). The definitions are :mod:`reports.metrics`'s; the store holds
what they need:

- a contribution returned on or before its due date is on time whenever it
  is judged (a return is never recorded after today: the services refuse
  it), so its verdict is stored;
- one returned late or not at all is late once the report's day (``as_of``:
  the period's last day, or today if sooner) is past its due date, and not
  yet judged before: the store keeps its due date, the report compares.

Every read is one query per figure family whatever the number of periods:
the range the periods cover is cut into *segments* at every period's first
day and the day after its last (and, for timeliness only, its ``as_of``),
so each segment lies wholly inside or outside each period (and wholly
before or from its ``as_of``); the database sums by segment, Python adds
the segments up per period. A segment's whole calendar months are read
from the month tables and only its other days from the day tables, the
two joined by UNION ALL (a financial year with its quarters is then read
by month alone), wherever the month rows can be attributed
(:func:`reads_months`): for a scope without dated links (England, a list
of authorities), and for a commissioning body whose links begin and end
with whole months, since the month rows keep the month of receipt its
links are tested against. A body whose link changed hands mid-month
reads by day.
"""

from __future__ import annotations

import calendar
import datetime
from collections import Counter

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, CharField, F, IntegerField, Q, Sum, Value, When
from django.db.models.functions import Cast

from commissioning.models import LocalAuthority, Service
from ehc import clock
from ehc.models import (
    ENGLAND_MODELS,
    REG8_PROCESSES,
    ContributionAskedMonth,
    ContributionCount,
    ContributionDueEngland,
    ContributionDueMonth,
    LateCount,
    OverdueEngland,
    OverdueEnglandFilled,
    ProviderAskCount,
    ProviderAskMonth,
    ProvisionGapCount,
    ProvisionGapMonth,
    QualityReviewCount,
    QualityReviewEngland,
    QualityReviewMonth,
    Rating,
    RequestCount,
    RequestEngland,
    RequestMonth,
    ReturnCount,
    ReturnMonth,
    Verdict,
)
from ehc.summary import (
    QUALITY_COUNTS,
    REQUEST_BREAKDOWNS,
    REQUEST_GROUPS,
    TIMELINESS_COUNTS,
    england_kept,
    month_end,
    out_on,
)
from reports.indicators import (
    OTHER_DEADLINES,
    Share,
    Stat,
    age_band,
    overdue_reason,
    percentile_of_counts,
)

DAY = datetime.timedelta(days=1)
# England's month rows by the name of the month table each sums.
ENGLAND = {model.SOURCE: model for model in ENGLAND_MODELS}


def serves(reach) -> bool:
    """Whether the store holds the figures for ``reach``: not for one
    provider's selection (its requests are those asking the provider)."""
    return reach.provider_id is None


def reads_england(reach) -> bool:
    """Whether ``reach`` is all of England (no body, no list of
    authorities, no provider), which reads England's month rows
    (:class:`ehc.models.EnglandRow`) where a month table has them: a few
    rows per month instead of every area's."""
    return reach.windows is None and reach.la_ids is None and reach.provider_id is None


def reads_months(reach) -> bool:
    """Whether ``reach`` can read whole months from the month tables: a
    scope without dated links (England, a list of authorities), or a body
    whose every link begins on a month's first day and ends, if it has
    ended, on a month's last day, so that whether it held on a request's
    day of receipt follows from the month of receipt the month rows keep.
    A link changing hands mid-month makes the body's scope read by day."""
    if reach.windows is None:
        return True
    return all(
        valid_from.day == 1
        and (
            valid_to is None
            or valid_to.day == calendar.monthrange(valid_to.year, valid_to.month)[1]
        )
        for _, valid_from, valid_to in reach.windows
    )


class _Segments:
    """The days ``low`` to ``high`` cut at every period's bounds (and, for
    ``as_of``, at each period's report day), so each segment is wholly in or
    out of each period (and wholly before or from its ``as_of``).

    With ``by_month`` (:func:`reads_months`), each segment's whole
    calendar months are read from the month tables (``months``:
    ``(segment, first month, last month)``, months as their first days)
    and only the days around them from the day tables (``days``:
    ``(segment, first day, last day)``); otherwise every segment is read by
    day. With ``england`` too (:func:`reads_england`), a month table with
    England's rows is read from those."""

    def __init__(
        self,
        metrics,
        low: datetime.date,
        high: datetime.date,
        *,
        as_of: bool = False,
        by_month: bool = False,
        england: bool = False,
    ):
        self.england = by_month and england
        cuts = {low, high + DAY}
        for m in metrics:
            cuts |= {m.period.start, m.period.end + DAY}
            if as_of:
                cuts.add(m.as_of)
        points = sorted(day for day in cuts if low <= day <= high + DAY)
        self.bounds = [(a, b - DAY) for a, b in zip(points, points[1:], strict=False)]
        self.metrics = metrics
        # Each segment's periods, worked out once (read for every row summed).
        self._periods = [
            [
                (i, m)
                for i, m in enumerate(metrics)
                if m.period.start <= start and end <= m.period.end
            ]
            for start, end in self.bounds
        ]
        self.months: list[tuple[int, datetime.date, datetime.date]] = []
        self.days: list[tuple[int, datetime.date, datetime.date]] = []
        for k, (start, end) in enumerate(self.bounds):
            first = start if start.day == 1 else _next_month(start)  # first whole month
            after = (end + DAY).replace(day=1)  # the day after the last whole month
            if not by_month or after <= first:
                self.days.append((k, start, end))
                continue
            self.months.append((k, first, _previous_month(after)))
            if start < first:
                self.days.append((k, start, first - DAY))
            if after <= end:
                self.days.append((k, after, end))

    def periods(self, segment: int):
        """``(index, metrics)`` of the periods segment ``segment`` is in."""
        return self._periods[segment]

    def before_as_of(self, segment: int, m) -> bool:
        """Whether the segment's days are before ``m.as_of`` (segments cut
        with ``as_of`` only)."""
        return self.bounds[segment][1] < m.as_of


def _next_month(day: datetime.date) -> datetime.date:
    """The first day of the month after ``day``'s."""
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def _previous_month(month: datetime.date) -> datetime.date:
    """The first day of the month before ``month`` (a first day)."""
    return (month - DAY).replace(day=1)


def _within(field: str, ranges) -> Q:
    """The dates at ``field`` inside ``ranges`` (``(segment, first, last)``),
    adjacent ranges joined so the condition stays short."""
    joined: list[list[datetime.date]] = []
    for _, first, last in sorted(ranges, key=lambda r: r[1]):
        if joined and first <= _after(field, joined[-1][1]):
            joined[-1][1] = max(joined[-1][1], last)
        else:
            joined.append([first, last])
    condition = Q(pk__in=[])
    for first, last in joined:
        condition |= Q(**{f"{field}__range": (first, last)})
    return condition


def _after(field: str, last: datetime.date) -> datetime.date:
    """The next value after ``last`` at ``field``: the next month's first
    day for ``month``, the next day otherwise."""
    return _next_month(last) if field == "month" else last + DAY


def _case(field: str, ranges) -> Case:
    """The segment number of the date at ``field`` for rows inside
    ``ranges`` (``(segment, first, last)``, which do not overlap), as
    :func:`_within` filters them: the first range, in date order, whose
    last day is not before the date, the last range's by default. One
    comparison a range tried rather than two, and none for the last: the
    database works it out for every row it sums (tens of thousands for
    England's year)."""
    ordered = sorted(ranges, key=lambda r: r[1])
    return Case(
        *(When(**{f"{field}__lte": last}, then=Value(k)) for k, _, last in ordered[:-1]),
        default=Value(ordered[-1][0]),
        output_field=IntegerField(),
    )


def _bases(scoped, segments: _Segments, day_model, date: str, month_model, **annotations):
    """The store's rows in range annotated with their ``segment``: the day
    table's rows (by the date at ``date``) for ``segments.days`` and the
    month table's for ``segments.months``; one queryset or two (to be
    joined with UNION ALL), none empty by construction. For England
    (``segments.england``) England's rows stand in for the month table's
    where it has them."""
    bases = []
    for model, field, ranges in (
        (day_model, date, segments.days),
        (month_model, "month", segments.months),
    ):
        if ranges and segments.england and model.__name__ in ENGLAND:
            # England's rows: no area or month of receipt to test.
            england = ENGLAND[model.__name__].objects.filter(_within(field, ranges))
            bases.append(england.annotate(segment=_case(field, ranges), **annotations))
        elif ranges:
            queryset = scoped(
                model.objects.filter(_within(field, ranges)),
                la="local_authority",
                # Dated links test the day, or month, of receipt.
                on=getattr(model, "RECEIPT", "received_on"),
                provider=None,
            )
            bases.append(queryset.annotate(segment=_case(field, ranges), **annotations))
    return bases


def _sums(scoped, segments, day_model, date, month_model, *fields: str, **annotations):
    """``(segment, *fields, total)`` rows: the store's counts in range
    summed by segment and ``fields`` (names in both tables, or of
    ``annotations``), as a list of querysets for one UNION ALL."""
    return [
        base.order_by().values_list("segment", *fields).annotate(total=Sum("count"))
        for base in _bases(scoped, segments, day_model, date, month_model, **annotations)
    ]


def _total(condition: Q) -> Sum:
    """The sum of the store's counts of the rows meeting ``condition`` (0
    for none)."""
    return Sum("count", filter=condition, default=0)


def _fetch(queryset) -> list[tuple]:
    """The rows of ``queryset`` (a values list of integers, strings and
    booleans, no dates) as the database driver gives them, without Django's
    converter per value: for a national report's tens of thousands of
    summed rows those cost more than the query. A boolean may come back as
    0 or 1 (SQLite). A query that can match nothing (an empty scope) is
    not run."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return []
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _union(parts):
    """The querysets ``parts`` as one UNION ALL query."""
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def requests(
    scoped, metrics, low, high, names, *, by_month: bool = False, england: bool = False
) -> None:
    """Requests received in each period, by authority, process, age band,
    primary need and group. ``by_month``: whole months from
    :class:`RequestMonth` (:func:`reads_months`), whose rows hold each
    breakdown apart (``england`` too, :func:`reads_england`: from
    :class:`RequestEngland`, and the totals by area from the area rows by
    process); the other days from :class:`RequestCount`. One query (a
    UNION ALL of each breakdown summed by segment), and one more for the
    groups of the days read from the day table."""
    segments = _Segments(metrics, low, high, by_month=by_month, england=england)
    parts, day_bases = [], []
    for base in _bases(scoped, segments, RequestCount, "received_on", RequestMonth):
        if base.model in (RequestMonth, RequestEngland):
            # Each request is in one process row: those by area are the
            # totals (England's rows have no area: the area rows' then).
            by_area = base
            if base.model is RequestEngland:
                by_area = RequestMonth.objects.filter(_within("month", segments.months)).annotate(
                    segment=_case("month", segments.months)
                )
            by_breakdown = [
                base.annotate(dimension=F("breakdown"), code=F("key")),
                by_area.filter(breakdown="process").annotate(
                    dimension=Value("la"), code=Cast("local_authority_id", CharField())
                ),
            ]
        else:
            day_bases.append(base)
            by_breakdown = [
                base.annotate(dimension=Value(name), code=Cast(field, CharField()))
                for name, field in (("la", "local_authority_id"), *REQUEST_BREAKDOWNS.items())
            ]
        parts += [
            rows.order_by().values_list("segment", "dimension", "code").annotate(total=Sum("count"))
            for rows in by_breakdown
        ]
    la_ids = set()
    for segment, dimension, code, total in _fetch(_union(parts)):
        for _, m in segments.periods(segment):
            if dimension == "la":
                la_ids.add(int(code))
                m.requests += total
                m.by_la[int(code)] += total
            elif dimension == "process":
                m.by_process[code] += total
            elif dimension == "need":
                m.by_need[code] += total
            elif dimension == "age":
                m.by_age_band[age_band(int(code))] += total
            else:  # "group"
                m.by_group[code] += total
    if la_ids:
        names["la"].update(LocalAuthority.objects.filter(pk__in=la_ids).values_list("pk", "name"))
    if day_bases:
        _groups(day_bases, segments)


def _groups(bases, segments: _Segments) -> None:
    """Requests received in each group, per period (one query: a sum per
    group, by segment, over the day rows ``bases``)."""
    sums = {f"g_{n}": _total(condition) for n, condition in enumerate(REQUEST_GROUPS.values())}
    keys = list(REQUEST_GROUPS)
    parts = [base.order_by().values("segment").annotate(**sums) for base in bases]
    for row in _union(parts):
        for _, m in segments.periods(row["segment"]):
            for n, key in enumerate(keys):
                if row[f"g_{n}"]:
                    m.by_group[key] += row[f"g_{n}"]


def contributions(
    scoped,
    metrics,
    low,
    high,
    names,
    service_provider,
    *,
    by_month: bool = False,
    england: bool = False,
) -> None:
    """Every contribution figure of :func:`reports.metrics._contributions`
    for each period: timeliness, days to return, services asked and
    requests asking each provider, quality reviews and provision not
    available from the store; overdue from its late contributions
    (:func:`_overdue`). Four queries. ``by_month``: read whole months from
    the month tables (:func:`reads_months`); ``england`` as well: from
    England's month rows where a table has them (:func:`reads_england`)."""
    segments = _Segments(metrics, low, high, by_month=by_month, england=england)
    # Timeliness is judged on each period's report day: days cut there too.
    judged = _Segments(metrics, low, high, as_of=True)
    services: set[int] = set()

    timely = [Counter() for _ in metrics]  # (kind, key, on_time?) -> count
    meeting = [Counter() for _ in metrics]  # process -> meetings not recorded
    excepted_by = [0 for _ in metrics]
    # Summed by segment, service and process in the database, each count the
    # figures need apart as its own sum (a row per service, not per
    # combination of verdict and flags).
    # England's rows hold the same counts as columns (ContributionDueEngland).
    sums = {f"{name}_n": _total(condition) for name, condition in TIMELINESS_COUNTS.items()}
    england_sums = {f"{name}_n": Sum(name, default=0) for name in TIMELINESS_COUNTS}
    # Only reg 8 advice is shown by service and provider: the other
    # processes' rows are summed by process alone (a few rows per segment
    # rather than one per service, fewer for Python to add up), the rule
    # England's rows are kept by (ehc.summary.ENGLAND_KEPT), so read from it.
    by_service = {
        f"reg8_{name}": england_kept("ContributionDueMonth", f"{name}_id")
        for name in ("service", "provider")
    }
    fields = ("tag", "reg8_service", "reg8_provider", "process")
    # Every contribution due in a period, as if all were judged (whole
    # months by month), less those not yet judged on the period's report
    # day: not back on time and due on or after it (by day: the report day
    # is a period's last day, or today).
    parts = [
        base.order_by()
        .values_list("segment", *fields)
        .annotate(**(england_sums if base.model is ContributionDueEngland else sums))
        for base in _bases(
            scoped,
            segments,
            ContributionCount,
            "due_on",
            ContributionDueMonth,
            tag=Value("all"),
            **by_service,
        )
    ]
    unjudged = [
        (k, start, end)
        for k, (start, end) in enumerate(judged.bounds)
        if any(not judged.before_as_of(k, m) for _, m in judged.periods(k))
    ]
    if unjudged:
        parts.append(
            scoped(
                ContributionCount.objects.filter(
                    _within("due_on", unjudged), ~Q(verdict=Verdict.ON_TIME), withdrawn=False
                ),
                la="local_authority",
                on="received_on",
                provider=None,
            )
            .annotate(segment=_case("due_on", unjudged), tag=Value("unjudged"), **by_service)
            .order_by()
            .values_list("segment", *fields)
            .annotate(**sums)
        )
    for row in _fetch(_union(parts)):
        segment, tag, service_id, provider_id, process = row[:5]
        # TIMELINESS_COUNTS, in order
        withdrawn, total, on_time, excepted, excepted_on_time, unrecorded = row[5:]
        if service_id is not None:  # reg 8 advice
            services.add(service_id)
            service_provider[service_id] = provider_id
        late = total - on_time
        if tag == "all":
            periods = segments.periods(segment)
            sign = 1
        else:  # taken back from the periods whose report day it is not before
            periods = [
                (i, m) for i, m in judged.periods(segment) if not judged.before_as_of(segment, m)
            ]
            sign = -1
        for i, m in periods:
            if withdrawn:
                m.withdrawn_by_process[process] += sign * withdrawn
            if process not in REG8_PROCESSES:
                timely[i][("process", process, True)] += sign * on_time
                timely[i][("process", process, False)] += sign * late
                if process in clock.REVIEW_PROCESSES:
                    meeting[i][process] += sign * unrecorded
                continue
            for kind, key in (("service", service_id), ("provider", provider_id)):
                timely[i][(kind, key, True)] += sign * on_time
                timely[i][(kind, key, False)] += sign * late
            excepted_by[i] += sign * excepted
            timely[i][("excl", None, True)] += sign * (on_time - excepted_on_time)
            timely[i][("excl", None, False)] += sign * (late - excepted + excepted_on_time)
    for i, m in enumerate(metrics):
        m.meeting_not_recorded.update(+meeting[i])  # none left at zero
        m.excepted += excepted_by[i]
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
        part
        for tag, model, date, month_model, field in (
            ("days", ReturnCount, "returned_on", ReturnMonth, "days"),
            ("service", ContributionCount, "received_on", ContributionAskedMonth, "service_id"),
            ("provider", ProviderAskCount, "received_on", ProviderAskMonth, "provider_id"),
        )
        for part in _sums(scoped, segments, model, date, month_model, "tag", field, tag=Value(tag))
    ]
    days = [Counter() for _ in metrics]
    for segment, tag, key, total in _fetch(_union(parts)):
        for i, m in segments.periods(segment):
            if tag == "days":
                days[i][key] += total
            elif tag == "service":
                services.add(key)
                m.by_service[key] += total
            else:
                m.by_provider[key] += total
    for i, m in enumerate(metrics):
        returned = sum(n for n in days[i].values() if n > 0)
        m.median_days = Stat(percentile_of_counts(days[i], 0.5), returned)
        m.p90_days = Stat(percentile_of_counts(days[i], 0.9), returned)
    services |= _advice(scoped, segments, service_provider)
    services |= _overdue(scoped, metrics, england=segments.england)
    _names(services, names, service_provider)


def _advice(scoped, segments: _Segments, service_provider) -> set[int]:
    """Quality reviews by rating and service, and provision not available
    locally by service, in each period (of the day the advice was reviewed
    or written): one query, a UNION ALL of the tables, a row per segment
    and service with a count per rating (for the gaps: the count, then
    zeros). Returns the services seen."""
    # A count per rating, as England's rows keep them (QUALITY_COUNTS): the
    # area and day rows' counts meeting each rating's condition, England's
    # columns added up.
    ratings = list(QUALITY_COUNTS)
    fields = ("segment", "tag", "service_id", "provider_id")
    reviews = [
        base.order_by()
        .values_list(*fields)
        .annotate(
            **{
                f"n_{rating}": Sum(rating, default=0)
                if base.model is QualityReviewEngland
                else _total(condition)
                for rating, condition in QUALITY_COUNTS.items()
            }
        )
        for base in _bases(
            scoped,
            segments,
            QualityReviewCount,
            "reviewed_on",
            QualityReviewMonth,
            tag=Value("review"),
        )
    ]
    # The gaps' rows take the same columns: their count, then zeros.
    gaps = [
        base.order_by()
        .values_list(*fields)
        .annotate(**{f"n_{r}": Sum("count") if r == ratings[0] else Sum(0) for r in ratings})
        for base in _bases(
            scoped, segments, ProvisionGapCount, "written_on", ProvisionGapMonth, tag=Value("gap")
        )
    ]
    services = set()
    green = [Counter() for _ in segments.metrics]
    reviewed = [Counter() for _ in segments.metrics]
    for segment, tag, service_id, provider_id, *counts in _fetch(_union(reviews + gaps)):
        services.add(service_id)
        service_provider.setdefault(service_id, provider_id)
        total = sum(counts)
        by_rating = dict(zip(ratings, counts, strict=True))
        for i, m in segments.periods(segment):
            if tag == "gap":
                m.unavailable_provision += total
                m.unavailable_by_service[service_id] += total
                continue
            m.reviews += total
            m.ratings.update({rating: n for rating, n in by_rating.items() if n})
            reviewed[i][service_id] += total
            if by_rating[Rating.GREEN]:
                green[i][service_id] += by_rating[Rating.GREEN]
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


def _overdue(scoped, metrics, *, england: bool = False) -> set[int]:
    """Overdue on each period's ``as_of``: due before it, not returned by
    it, the request not closed by it (a contribution left outstanding at a
    withdrawal is not in the table), by reason, by how long (the bands of
    ``ehc.clock.OVERDUE_AGES``, in days from the due date to ``as_of``) and by
    service. For England (``england``, :func:`reads_england`), a report day
    that is a filled month end (:class:`ehc.models.OverdueEnglandFilled`)
    is read from England's overdue rows, a few thousand per month end
    (:func:`_overdue_from_england`); the other days from the store's late
    contributions out on one of them (kept rows of erased children's
    records included; those returned or closed between the days, most of a
    big scope's, are left out before the sums rather than summed as zeros),
    summed by reason and service, with one sum per report day and band, so
    the database counts and Python only adds up. One query each, and one
    for the filled month ends. Returns the services seen."""
    days = sorted({m.as_of for m in metrics})
    # Added up per report day first, then given to each period judged on it
    # (several may share one): a national scope has thousands of rows.
    by_reason = {day: Counter() for day in days}
    by_service = {day: Counter() for day in days}
    by_band = {day: Counter() for day in days}
    from_england = _filled_month_ends(days) if england else set()
    if from_england:
        _overdue_from_england(sorted(from_england), by_reason, by_service, by_band)
    rest = [day for day in days if day not in from_england]
    if rest:
        _overdue_from_late_rows(scoped, rest, by_reason, by_service, by_band)
    services = set()
    for day in days:
        services.update(by_service[day])
        for m in metrics:
            if m.as_of != day:
                continue
            m.overdue += sum(by_reason[day].values())
            m.overdue_by_reason.update(by_reason[day])
            m.overdue_by_service.update(by_service[day])
            m.overdue_by_age.update(by_band[day])
    return services


def _filled_month_ends(days) -> set[datetime.date]:
    """Those of ``days`` that are month ends whose England overdue rows are
    filled (one query, none if no day is a month end)."""
    ends = {day.replace(day=1): day for day in days if day == month_end(day)}
    if not ends:
        return set()
    filled = OverdueEnglandFilled.objects.filter(month__in=list(ends))
    return {ends[month] for month in filled.values_list("month", flat=True)}


def _overdue_from_england(days, by_reason, by_service, by_band) -> None:
    """Add England's overdue rows of the month ends ``days`` (filled) to the
    day's counters. One query: the rows (changes) summed by day and service,
    and apart by day, exception, reason and band (a few thousand rows
    rather than the product, which is every key)."""
    months = [(i, day.replace(day=1)) for i, day in enumerate(days)]
    rows = OverdueEngland.objects.filter(month__in=[month for _, month in months]).annotate(
        day=_case("month", [(i, month, month) for i, month in months])
    )
    by_day_and_service = rows.annotate(
        tag=Value("service"),
        no_excepted=Value(False),
        no_reason=Value(""),
        no_band=Value(""),
    ).values_list("tag", "day", "service_id", "no_excepted", "no_reason", "no_band")
    by_day_and_reason = rows.annotate(
        tag=Value("reason"), no_service=Value(None, output_field=IntegerField())
    ).values_list("tag", "day", "no_service", "excepted", "late_reason", "band")
    parts = [
        part.order_by().annotate(total=Sum("count"))
        for part in (by_day_and_service, by_day_and_reason)
    ]
    for tag, i, service_id, excepted, late_reason, band, total in _fetch(_union(parts)):
        if not total:  # changes summing to nothing until compacted
            continue
        day = days[i]
        if tag == "service":
            by_service[day][service_id] += total
            continue
        by_reason[day][overdue_reason(excepted, late_reason)] += total
        by_band[day][band] += total


def _overdue_from_late_rows(scoped, days, by_reason, by_service, by_band) -> None:
    """Add the store's late contributions out on each of ``days`` to the
    day's counters (one query, a sum per day and band)."""
    sums = {}
    out_on_a_day = Q(pk__in=[])
    for i, as_of in enumerate(days):
        out = out_on(as_of)
        out_on_a_day |= out
        for j, (_, fewest, most) in enumerate(clock.OVERDUE_AGES):
            # ``fewest`` to ``most`` days overdue on as_of, as due dates.
            band = Q(due_on__lte=as_of - fewest * DAY)
            if most is not None:
                band &= Q(due_on__gte=as_of - most * DAY)
            sums[f"d{i}_{j}"] = _total(out & band)
    # Implied by every day's test above, but indexable: the rows still out
    # now or returned after the earliest day, found from the (area,
    # returned on) index, rather than every late row received in the
    # scope's window (at 1M, 27,000 index entries against 60,000 for a
    # body's three quarters; docs/performance.md, "The worklist's page in
    # two plain reads").
    not_back_by_then = Q(returned_on__isnull=True) | Q(returned_on__gt=min(days))
    rows = (
        scoped(
            LateCount.objects.filter(out_on_a_day, not_back_by_then),
            la="local_authority",
            on="received_on",
            provider=None,
        )
        .order_by()
        .values_list("excepted", "late_reason", "service_id")
        .annotate(**sums)
    )
    bands = [band for band, _, _ in clock.OVERDUE_AGES]
    width = len(bands)
    for excepted, late_reason, service_id, *totals in _fetch(rows):
        reason = overdue_reason(excepted, late_reason)
        for i, day in enumerate(days):
            out = totals[i * width : (i + 1) * width]
            total = sum(out)
            if not total:
                continue
            by_reason[day][reason] += total
            by_service[day][service_id] += total
            for band, n in zip(bands, out, strict=True):
                if n:
                    by_band[day][band] += n


def _names(services: set[int], names, service_provider) -> None:
    """The names of ``services`` and their providers (one query)."""
    rows = Service.objects.filter(pk__in=services).values_list(
        "pk", "name", "provider_id", "provider__name"
    )
    for service_id, service_name, provider_id, provider_name in rows:
        names["service"][service_id] = service_name
        names["provider"][provider_id] = provider_name
        service_provider.setdefault(service_id, provider_id)
