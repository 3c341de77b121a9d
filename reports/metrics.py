"""The indicators every report shows, computed once and shared.

Read-only. :func:`compute` takes a :class:`Scope` (a commissioning body, some
local authorities, optionally one provider) and a period, and returns exact
figures for that period, the one before it and the same period a year
earlier (and, when asked, each financial-year quarter inside it). Nothing
here suppresses small numbers: what a viewer may see exactly is decided by
``reports.suppression.Figures`` where the figures are shown.

Fixed cost: one query per kind of record (requests, contributions, quality
reviews, annual review inputs, Section 23 notices, mediation, tribunal,
personal health budgets, unavailable provision, enquiries, plan audits
and section G provision), one for the child
population and one for the commissioning body's dated links, whatever the
data size or number of periods. The links are read first, so each query
tests a record's authority and date against constants (see :class:`_Reach`);
each reads only the date range it needs; the rows are small tuples bucketed
into periods here.

Definitions (docs/reports.md has the reasoning):

- A request counts in the period health *received* it, attributed to a
  commissioning body through the body's link to the request's local
  authority on that day (links are dated: CCGs became ICBs).
- Timeliness is over contributions *due* in the period whose outcome is
  known: returned, or past the due date. On time means returned on or
  before the contribution's own due date (6 weeks from the day its clock
  started; 2 weeks before the meeting for review advice). The 6-week rate
  covers EHC needs assessments and re-assessments only (reg 8); "excluding
  lawful exceptions" leaves out contributions with a reg 8(2) exception.
  Annual reviews, phase transfers, mediation and tribunal are measured one
  by one against their own due dates (``timely_by_process``).
- Advice left outstanding when the LA withdrew its request (the
  contribution's ``left_outstanding`` marker) is neither on time nor late
  and never overdue; left outstanding at closing, it still counts as late.
- Days to return are counted from the day the contribution's clock started
  (the day the service received the LA's request when the LA asked it
  directly, else health's receipt) to its return, over contributions
  returned in the period.
- Overdue is a position on the period's last day (or today, if sooner): due
  before that day, not returned by it, the request not closed or withdrawn
  by it, and not left outstanding at a withdrawal.
- A quality review passes when it is rated green (8 or 9 of 9 criteria).
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass
from functools import partial

from django.db.models import Count, Exists, F, OuterRef, Q

from commissioning.models import ChildPopulation, CommissioningLink, LocalAuthority
from core.periods import Period
from ehc import clock, groups
from ehc.models import (
    REG8_PROCESSES,
    BudgetOutcome,
    Contribution,
    HealthAdviceRequest,
    LeftOutstanding,
    MediationCase,
    PersonalHealthBudget,
    ProvisionItem,
    QualityReview,
    Rating,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)
from enquiries.models import Enquiry
from reports import plan_metrics, summary_store
from reports.indicators import (
    AGE_BAND_LABELS,
    OTHER_DEADLINES,
    OVERDUE_AGE_LABELS,
    PeriodMetrics,
    Report,
    Scope,
    Share,
    Stat,
    age_band,
    overdue_reason,
    percentile,
)

# --- Scoping ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Reach:
    """A :class:`Scope` resolved once per report, before any record is read.

    ``windows`` holds the commissioning body's dated links as
    ``(la_id, valid_from, valid_to)`` (``valid_to`` None: still current), so
    every query tests a record's authority and date against a handful of
    constants that date indexes can drive, rather than asking, row by row,
    whether a link covered that day. None when the scope names no body.
    ``eras`` holds the same links grouped by their dates (:func:`_eras`).
    """

    body_id: int | None
    la_ids: frozenset[int] | None
    provider_id: int | None
    windows: tuple[tuple[int, datetime.date, datetime.date | None], ...] | None
    eras: tuple[tuple[tuple[datetime.date, datetime.date | None], tuple[int, ...]], ...] | None


def _reach(scope: Scope) -> _Reach:
    """``scope`` with its body's links read (one query, none without a body)."""
    windows = eras = None
    if scope.body_id is not None:
        windows = tuple(
            CommissioningLink.objects.filter(commissioning_body_id=scope.body_id)
            .order_by("local_authority_id", "valid_from")
            .values_list("local_authority_id", "valid_from", "valid_to")
        )
        eras = _eras(windows)
    return _Reach(scope.body_id, scope.la_ids, scope.provider_id, windows, eras)


def _eras(windows) -> tuple[tuple[tuple, tuple[int, ...]], ...]:
    """The body's link ``windows`` grouped by their dates: ``((valid_from,
    valid_to), authorities linked for exactly those dates)``, in order. A
    body whose links all began together (an ICB formed on 1 July 2022) has
    one era."""
    eras: dict[tuple, list[int]] = {}
    for la_id, valid_from, valid_to in windows:
        eras.setdefault((valid_from, valid_to), []).append(la_id)
    return tuple((dates, tuple(la_ids)) for dates, la_ids in eras.items())


def _attributed(eras, *, la: str, on: str) -> Q:
    """Records of an authority at path ``la`` dated (at path ``on``) inside
    one of the body's link ``eras`` (:func:`_eras`): per era, its
    authorities and its dates, so the planner sees one list of areas and
    one date range rather than an equality per area (whose selectivities
    it multiplies, expecting a fraction of the rows). A body without links
    matches nothing."""
    condition = Q(pk__in=[])
    for (valid_from, valid_to), la_ids in eras:
        part = Q(**{f"{la}__in": la_ids, f"{on}__gte": valid_from})
        if valid_to is not None:
            part &= Q(**{f"{on}__lte": valid_to})
        condition |= part
    return condition


def _scoped(queryset, reach: _Reach, *, la: str, on: str, provider: str | None, body: str = ""):
    """Restrict ``queryset`` to the reach: authorities at path ``la``,
    attributed to the body through the link current on the date at ``on``,
    and to the provider at path ``provider`` (None: not provider-specific)."""
    if reach.la_ids is not None:
        queryset = queryset.filter(**{f"{la}__in": reach.la_ids})
    if reach.windows is not None:
        if not body and len(reach.eras) > 1:
            # The links' authorities first, alone, so an index on the area
            # (and date) drives the read; the windows then test each date.
            # (With one era the condition below is that list and a range.)
            queryset = queryset.filter(**{f"{la}__in": sorted({w[0] for w in reach.windows})})
        condition = _attributed(reach.eras, la=la, on=on)
        if body:  # records a body made itself (a Section 23 notice)
            condition |= Q(**{body: reach.body_id})
        queryset = queryset.filter(condition)
    if reach.provider_id is not None and provider:
        queryset = queryset.filter(**{provider: reach.provider_id})
    return queryset


def scope_local_authorities(scope: Scope, on: datetime.date) -> list[int]:
    """The authorities the scope covers on ``on`` (for population)."""
    return _covered(_reach(scope), on)


def _covered(reach: _Reach, on: datetime.date) -> list[int]:
    """The authorities ``reach`` covers on ``on``, from the links already read."""
    if reach.windows is None:
        queryset = LocalAuthority.objects.all()
        if reach.la_ids is not None:
            queryset = queryset.filter(pk__in=reach.la_ids)
        return list(queryset.values_list("pk", flat=True))
    covered = {
        la_id
        for la_id, valid_from, valid_to in reach.windows
        if valid_from <= on and (valid_to is None or on <= valid_to)
    }
    if reach.la_ids is not None:
        covered &= reach.la_ids
    return sorted(covered)


# --- Computing -------------------------------------------------------------------------------


def compute(
    scope: Scope, period: Period, *, today: datetime.date, trend: list[Period] | None = None
) -> Report:
    """Every indicator for ``period``, the one before and a year earlier,
    and for each period in ``trend`` (such as the quarters of a year)."""
    current, previous, year_earlier = period, period.previous(), period.year_earlier()
    quarter_periods = list(trend or [])
    periods = [current, previous, year_earlier, *quarter_periods]
    # Each distinct period computed once: a financial year's previous
    # period is also the year a year earlier, and both show the same figures.
    by_period = {p: PeriodMetrics(period=p, as_of=min(p.end, today)) for p in periods}
    metrics = list(by_period.values())
    low = min(p.start for p in periods)
    high = max(p.end for p in periods)
    names: dict[str, dict] = {"la": {}, "provider": {}, "service": {}}
    service_provider: dict[int, int] = {}

    reach = _reach(scope)
    if summary_store.serves(reach):  # the summary store's counts (decision 0010)
        scoped = partial(_scoped, reach=reach)
        # Whole months from the month tables where no dated link needs
        # each row's day of receipt (England, a list of authorities, a
        # body whose links begin and end with whole months).
        by_month = summary_store.reads_months(reach)
        england = summary_store.reads_england(reach)
        summary_store.requests(
            scoped, metrics, low, high, names, by_month=by_month, england=england
        )
        # Timeliness, days to return, services asked, quality reviews,
        # provision not available and overdue.
        summary_store.contributions(
            scoped,
            metrics,
            low,
            high,
            names,
            service_provider,
            by_month=by_month,
            england=england,
        )
    else:
        _requests(reach, metrics, low, high, names)
        _contributions(reach, metrics, low, high, today, names, service_provider)
        _reviews(reach, metrics, low, high, names, service_provider)
        _provision(reach, metrics, low, high, names, service_provider)
    _annual_reviews(reach, metrics, low, high)
    _section23(reach, metrics, low, high)
    _disputes(reach, metrics, low, high)
    _budgets(reach, metrics, low, high)
    _enquiries(reach, metrics, low, high)
    plan_metrics.add(
        metrics,
        rows=lambda model, **kw: _rows(model, reach, low, high, **kw),
        scoped=lambda queryset, **kw: _scoped(queryset, reach, **kw),
        in_period=_in,
    )
    _population(reach, metrics, high)

    return Report(
        scope=scope,
        period=period,
        today=today,
        current=by_period[current],
        previous=by_period[previous],
        year_earlier=by_period[year_earlier],
        quarters=[by_period[p] for p in quarter_periods],
        names=names,
        service_provider=service_provider,
    )


def _in(metrics: list[PeriodMetrics], day: datetime.date | None):
    """The metrics whose period contains ``day``."""
    if day is None:
        return []
    return [m for m in metrics if m.period.start <= day <= m.period.end]


def _requests(reach, metrics, low, high, names):
    queryset = _scoped(
        HealthAdviceRequest.objects.filter(received_on__range=(low, high)),
        reach,
        la="local_authority",
        on="received_on",
        provider=None,
    )
    if reach.provider_id is not None:
        queryset = queryset.filter(
            Exists(
                Contribution.objects.filter(
                    request=OuterRef("pk"), service__provider_id=reach.provider_id
                )
            )
        )
    rows = queryset.order_by().values_list(
        "received_on",
        "process",
        "local_authority_id",
        "local_authority__name",
        "child__date_of_birth",
        "child__primary_need",
        *(f"child__{name}" for name in groups.FIELDS),  # the groups (docs/reports.md)
    )
    for received_on, process, la_id, la_name, born, need, *child in rows:
        names["la"][la_id] = la_name
        band = age_band(clock.age_on(born, received_on))
        in_groups = groups.groups_of(born, received_on, *child)
        for m in _in(metrics, received_on):
            m.requests += 1
            m.by_la[la_id] += 1
            m.by_process[process] += 1
            m.by_age_band[band] += 1
            m.by_need[need] += 1
            m.by_group.update(in_groups)


def _judged_on(
    due_on: datetime.date, returned_on: datetime.date | None, as_of: datetime.date
) -> datetime.date | None:
    """The day a contribution's timeliness is judged on, as things stood on
    ``as_of``: its return, if back by then; ``as_of`` itself once it is past
    due and still out (late, as if returned that day); None while the
    outcome is not known (due on or after ``as_of`` and not back)."""
    if returned_on is not None and returned_on <= as_of:
        return returned_on
    if due_on < as_of:
        return as_of
    return None


CONTRIBUTION_FIELDS = (
    "request_id",
    "request__received_on",
    "request__closed_on",
    "request__process",
    "request__review_id",
    "received_on",
    "due_on",
    "returned_on",
    "left_outstanding",
    "exception",
    "late_reason",
    "service_id",
    "service__name",
    "service__provider_id",
    "service__provider__name",
)


def _contribution_rows(reach: _Reach, low: datetime.date, high: datetime.date):
    """Every contribution that could count in a period between ``low`` and
    ``high``, as :data:`CONTRIBUTION_FIELDS` tuples, each once.

    That is: due in range (timeliness); returned on or after ``low`` (days
    to return); asked for a request received in range (demand: a service the
    LA asked directly, or review advice, can be due long after the request's
    6 weeks); or still owed from before it (it may be overdue on a period's
    last day). Each is its own query, driven by its own index (due date,
    return date, the request's receipt, the partial index of outstanding
    work), and each leaves out what an earlier one takes, so the parts are
    joined with UNION ALL and never sorted to drop repeats. One condition
    OR-ing them would make the database read the scope's whole history.
    """
    due_in_range = Q(due_on__range=(low, high))
    returned_in_range = Q(returned_on__gte=low)
    received_in_range = Q(request__received_on__range=(low, high))
    open_at_low = Q(request__closed_on__isnull=True) | Q(request__closed_on__gt=low)
    owed_before = Q(returned_on__isnull=True, due_on__lt=low) & ~received_in_range & open_at_low
    conditions = [
        due_in_range,
        returned_in_range & ~due_in_range,
        received_in_range & ~due_in_range & ~returned_in_range,
        # Owed, nobody having stopped it: the partial index's rows.
        owed_before & Q(left_outstanding=""),
        # Left outstanding at closing: late until the request closed. (Left
        # at a withdrawal, it was never owed after: not wanted here.)
        owed_before & Q(left_outstanding=LeftOutstanding.CLOSED),
    ]
    parts = [
        _scoped(
            Contribution.objects.filter(condition),
            reach,
            la="local_authority",  # the request's, copied: indexed with the dates
            on="request__received_on",
            provider="service__provider_id",
        )
        .order_by()
        .values_list(*CONTRIBUTION_FIELDS)
        for condition in conditions
    ]
    return parts[0].union(*parts[1:], all=True)


def _contributions(reach, metrics, low, high, today, names, service_provider):
    rows = _contribution_rows(reach, low, high)
    # Requests asking each provider, counted once per request.
    asked: dict[tuple[int, int], set] = {}
    timely = [dict(all=[0, 0], excl=[0, 0]) for _ in metrics]
    other = [{process: [0, 0] for process in OTHER_DEADLINES} for _ in metrics]
    by_provider = [Counter() for _ in metrics], [Counter() for _ in metrics]
    by_service = [Counter() for _ in metrics], [Counter() for _ in metrics]
    days = [[] for _ in metrics]
    for (
        request_id,
        received_on,
        closed_on,
        process,
        review_id,
        service_received_on,
        due_on,
        returned_on,
        left_outstanding,
        exception,
        late_reason,
        service_id,
        service_name,
        provider_id,
        provider_name,
    ) in rows:
        names["service"][service_id] = service_name
        names["provider"][provider_id] = provider_name
        service_provider[service_id] = provider_id
        # Still out when the LA withdrew the request: the advice was never
        # owed after that, so it is neither on time, nor late, nor overdue.
        # (A return recorded later clears the marker and counts as usual.)
        withdrawn = left_outstanding == LeftOutstanding.WITHDRAWN and returned_on is None
        # The day this service's clock started: when the LA asked it
        # directly, the day it received the LA's request.
        started_on = service_received_on or received_on
        for i, m in enumerate(metrics):
            period = m.period
            if period.start <= received_on <= period.end:
                m.by_service[service_id] += 1
                asked.setdefault((i, provider_id), set()).add(request_id)
            if returned_on is not None and period.start <= returned_on <= period.end:
                days[i].append((returned_on - started_on).days)
            # Overdue on the period's last day (or today): a request closed
            # by then is no longer anyone's work, though its lateness stays.
            as_of = m.as_of
            if (
                not withdrawn
                and due_on < as_of
                and (returned_on is None or returned_on > as_of)
                and (closed_on is None or closed_on > as_of)
            ):
                m.overdue += 1
                reason = overdue_reason(exception, late_reason)
                m.overdue_by_reason[reason] += 1
                m.overdue_by_age[clock.overdue_age((as_of - due_on).days)] += 1
                m.overdue_by_service[service_id] += 1
            # Timeliness: due in the period, judged by its own due date once
            # the outcome is known by as_of. Left open at closing still
            # counts: closing never erases lateness.
            if not period.start <= due_on <= period.end:
                continue
            if withdrawn:
                m.withdrawn_by_process[process] += 1
                continue
            judged_on = _judged_on(due_on, returned_on, as_of)
            if judged_on is None:
                continue
            if process not in REG8_PROCESSES:
                other[i][process][0] += clock.returned_on_time(due_on, judged_on)
                other[i][process][1] += 1
                if process in clock.REVIEW_PROCESSES and review_id is None:
                    m.meeting_not_recorded[process] += 1
                continue
            # The 6-week rate (reg 8 advice): the verdicts are the clock's.
            on_time = clock.counts_as_timely(
                due_on, judged_on, exception, excluding_exceptions=False
            )
            timely[i]["all"][0] += on_time
            timely[i]["all"][1] += 1
            by_provider[0][i][provider_id] += on_time
            by_provider[1][i][provider_id] += 1
            by_service[0][i][service_id] += on_time
            by_service[1][i][service_id] += 1
            counted = clock.counts_as_timely(
                due_on, judged_on, exception, excluding_exceptions=True
            )
            if counted is None:  # a lawful reg 8(2) exception: left out
                m.excepted += 1
            else:
                timely[i]["excl"][0] += counted
                timely[i]["excl"][1] += 1
    for i, m in enumerate(metrics):
        m.by_provider = Counter(
            {provider: len(ids) for (j, provider), ids in asked.items() if j == i}
        )
        m.timely = Share(*timely[i]["all"])
        m.timely_excluding_exceptions = Share(*timely[i]["excl"])
        m.withdrawn_unreturned = sum(m.withdrawn_by_process[p] for p in REG8_PROCESSES)
        m.timely_by_process = {p: Share(*other[i][p]) for p in OTHER_DEADLINES}
        m.timely_by_provider = {
            p: Share(by_provider[0][i][p], den) for p, den in by_provider[1][i].items()
        }
        m.timely_by_service = {
            s: Share(by_service[0][i][s], den) for s, den in by_service[1][i].items()
        }
        m.median_days = Stat(percentile(days[i], 0.5), len(days[i]))
        m.p90_days = Stat(percentile(days[i], 0.9), len(days[i]))


def _rows(model, reach, low, high, *, date, fields, la, on=None, provider=None, body="", **where):
    """(date, *fields) for the reach's records of ``model`` dated in range.

    ``on`` is the date that attributes a record to a body (default ``date``);
    ``provider`` the path to its provider, None when not provider-specific.
    """
    queryset = _scoped(
        model.objects.filter(**{f"{date}__range": (low, high)}, **where),
        reach,
        la=la,
        on=on or date,
        provider=provider,
        body=body,
    )
    return queryset.order_by().values_list(date, *fields)


ADVICE_LA = "advice__contribution__local_authority"  # the request's, copied
ADVICE_RECEIVED = "advice__contribution__request__received_on"
ADVICE_SERVICE = "advice__contribution__service"
# The child's area, which records about a child keep a copy of (indexed
# with their date: ehc.models.ChildRecord).
CHILD_LA = "local_authority"


def _reviews(reach, metrics, low, high, names, service_provider):
    rows = _rows(
        QualityReview,
        reach,
        low,
        high,
        date="reviewed_on",
        fields=(
            "rating",
            f"{ADVICE_SERVICE}_id",
            f"{ADVICE_SERVICE}__name",
            f"{ADVICE_SERVICE}__provider_id",
        ),
        la=ADVICE_LA,
        on=ADVICE_RECEIVED,
        provider=f"{ADVICE_SERVICE}__provider_id",
    )
    green = {m: Counter() for m in metrics}
    reviewed = {m: Counter() for m in metrics}
    for reviewed_on, rating, service_id, service_name, provider_id in rows:
        names["service"][service_id] = service_name
        service_provider.setdefault(service_id, provider_id)
        for m in _in(metrics, reviewed_on):
            m.reviews += 1
            m.ratings[rating] += 1
            green[m][service_id] += rating == Rating.GREEN
            reviewed[m][service_id] += 1
    for m in metrics:
        m.reviews_passed = Share(m.ratings[Rating.GREEN], m.reviews)
        m.passed_by_service = {s: Share(green[m][s], n) for s, n in reviewed[m].items()}


def _provision(reach, metrics, low, high, names, service_provider):
    rows = _rows(
        ProvisionItem,
        reach,
        low,
        high,
        date="advice__written_on",
        fields=(
            f"{ADVICE_SERVICE}_id",
            f"{ADVICE_SERVICE}__name",
            f"{ADVICE_SERVICE}__provider_id",
        ),
        la=ADVICE_LA,
        on=ADVICE_RECEIVED,
        provider=f"{ADVICE_SERVICE}__provider_id",
        available=False,
    )
    for written_on, service_id, service_name, provider_id in rows:
        names["service"][service_id] = service_name
        service_provider.setdefault(service_id, provider_id)
        for m in _in(metrics, written_on):
            m.unavailable_provision += 1
            m.unavailable_by_service[service_id] += 1


def _annual_reviews(reach, metrics, low, high):
    """Review meetings, those health attended and those with health's
    advice sent at least 2 weeks before (reg 20(4)), in each period: counted
    by meeting day in the database (one query, a row per day, not per
    meeting)."""
    rows = _rows(
        ReviewInput,
        reach,
        low,
        high,
        date="meeting_on",
        fields=(),
        la=CHILD_LA,
        provider="service__provider_id",
    ).annotate(
        held=Count("pk"),
        went=Count("pk", filter=Q(attended=True)),
        ahead=Count(
            "pk", filter=Q(advice_sent_on__lte=F("meeting_on") - datetime.timedelta(weeks=2))
        ),
    )
    attended_by = Counter()
    ahead_by = Counter()
    for meeting_on, held, attended, ahead in rows:
        for m in _in(metrics, meeting_on):
            m.annual_reviews += held
            attended_by[m] += attended
            ahead_by[m] += ahead
    for m in metrics:
        m.health_attended = Share(attended_by[m], m.annual_reviews)
        m.advice_two_weeks_ahead = Share(ahead_by[m], m.annual_reviews)


def _section23(reach, metrics, low, high):
    rows = _rows(
        Section23Notice,
        reach,
        low,
        high,
        date="parent_told_on",
        fields=("provider_id",),
        la=CHILD_LA,
        provider="provider_id",
        body="commissioning_body_id",
    )
    for told_on, provider_id in rows:
        source = "provider" if provider_id else "commissioning_body"
        for m in _in(metrics, told_on):
            m.section23 += 1
            m.section23_by_source[source] += 1


def _disputes(reach, metrics, low, high):
    mediation = _rows(
        MediationCase, reach, low, high, date="requested_on", fields=("health_only",), la=CHILD_LA
    )
    for requested_on, health_only in mediation:
        for m in _in(metrics, requested_on):
            m.mediation += 1
            m.mediation_health_only += health_only
    tribunal = _rows(
        TribunalCase,
        reach,
        low,
        high,
        date="registered_on",
        fields=("recommendations",),
        la=CHILD_LA,
    )
    for registered_on, recommendations in tribunal:
        for m in _in(metrics, registered_on):
            m.tribunal += 1
            m.tribunal_recommendations += bool(recommendations.strip())


def _budgets(reach, metrics, low, high):
    rows = _rows(
        PersonalHealthBudget,
        reach,
        low,
        high,
        date="considered_on",
        fields=("outcome", "continuing_care"),
        la=CHILD_LA,
    )
    for considered_on, outcome, continuing_care in rows:
        for m in _in(metrics, considered_on):
            m.budgets_considered += 1
            m.budgets_agreed += outcome == BudgetOutcome.AGREED
            m.budgets_continuing_care += continuing_care


def _enquiries(reach, metrics, low, high):
    """Enquiries to the designated officers made in each period (by
    ``received_on``), by source and topic, and the minutes spent on them.
    Attributed to a body through the link current on the enquiry's date;
    not provider-specific, so a selection of one provider still counts the
    area's enquiries (the table says so). One query."""
    rows = _rows(
        Enquiry,
        reach,
        low,
        high,
        date="received_on",
        fields=("source", "topic", "minutes_spent"),
        la="local_authority",
    )
    for received_on, source, topic, minutes in rows:
        for m in _in(metrics, received_on):
            m.enquiries += 1
            m.enquiries_by_source[source] += 1
            m.enquiries_by_topic[topic] += 1
            m.enquiry_minutes += minutes


def _population(reach, metrics, high):
    """Children and young people aged 0 to 25 in the reach's authorities
    (latest estimate in or before each period's last year)."""
    la_ids = _covered(reach, high)
    # One read of every year's figures, then each period takes its own year.
    latest_by_year: dict[int, dict[int, int]] = {}
    years = sorted({m.period.end.year for m in metrics})
    for year in years:
        latest_by_year[year] = {}
    if la_ids:
        rows = list(
            ChildPopulation.objects.filter(
                local_authority_id__in=la_ids, year__lte=max(years)
            ).values_list("local_authority_id", "year", "aged_0_25")
        )
        for year in years:
            best: dict[int, tuple[int, int]] = {}
            for la_id, row_year, people in rows:
                if row_year <= year and (la_id not in best or row_year > best[la_id][0]):
                    best[la_id] = (row_year, people)
            latest_by_year[year] = {la: people for la, (_, people) in best.items()}
    for m in metrics:
        m.population = sum(latest_by_year[m.period.end.year].values())


__all__ = [
    "AGE_BAND_LABELS",
    "OVERDUE_AGE_LABELS",
    "PeriodMetrics",
    "Report",
    "Scope",
    "Share",
    "Stat",
    "compute",
    "percentile",
    "scope_local_authorities",
]
