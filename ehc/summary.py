"""The summary store's one writer (decision 0010; docs/reports.md, "The
summary store").

The store (:mod:`ehc.models.summary`) holds counts by *bucket*: a local
authority and the day its health body received requests. A bucket's live
rows are recomputed from the casework of the requests in it, found by the
request index on area and receipt day, so the store never drifts by
arithmetic: :func:`refresh_summary` replaces the live rows of the buckets a
write touched. It is called, inside the write's transaction, by
:func:`ehc.services.urgency.refresh_urgency` (which every service that
changes a request or a contribution calls, the bulk path included), by the
services that change a child's breakdowns or a request's receipt day, by
erasure (:func:`keep_erased`) and by ``manage.py rebuild_summary``
(:func:`rebuild_summary`).

Counts of erased children move to kept rows (``kept`` True) that no
recomputation touches, so past reports still add up after erasure (docs/
information-governance.md): they hold areas, days, services and codes only.

Every function takes ``apps`` (Django's app registry; a migration passes its
historical one) and raises nothing of its own: a database error propagates.
"""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter
from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import (
    Case,
    CharField,
    DateField,
    F,
    IntegerField,
    Min,
    Q,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, TruncMonth
from django.utils import timezone

from ehc import clock, groups
from ehc.models.choices import REG8_PROCESSES, Rating
from ehc.models.summary import ENGLAND_MODELS, RequestBreakdowns, Verdict

# Buckets recomputed per statement (each adds a condition to the query).
BATCH = 200
WITHDRAWN = "withdrawn"  # ehc.models.LeftOutstanding.WITHDRAWN


def refresh_summary(
    request_ids: Iterable[int] = (),
    *,
    buckets: Iterable[tuple[int, datetime.date]] = (),
    apps=global_apps,
) -> int:
    """Recompute the live rows of the buckets the requests ``request_ids``
    (primary keys) are in now, and of ``buckets`` (``(local_authority_id,
    received_on)`` pairs: where a request was before an edit moved it).
    Returns how many buckets were recomputed."""
    request = apps.get_model("ehc", "HealthAdviceRequest")
    ids = sorted({int(pk) for pk in request_ids})
    keys = set(buckets)
    for start in range(0, len(ids), 1000):
        keys |= set(
            request._default_manager.filter(pk__in=ids[start : start + 1000]).values_list(
                "local_authority_id", "received_on"
            )
        )
    keys = sorted(keys)
    with transaction.atomic():
        lock_areas(la_id for la_id, _ in keys)
        with _overdue_follows(_in_batches(keys), apps=apps):
            for start in range(0, len(keys), BATCH):
                _replace(keys[start : start + BATCH], apps=apps)
    return len(keys)


def rebuild_summary(*, apps=global_apps, tables: Iterable[str] | None = None) -> int:
    """Recompute every live row of the store, one local authority at a time
    (kept rows stay). For ``manage.py rebuild_summary``, the migrations that
    made the store, the demo data and the benchmark's bulk load. ``tables``
    names the tables to recompute (keys of :data:`COLUMNS`; default all): a
    migration adding a table fills only that one. Each area's month rows of
    those tables are then rolled up again from its day rows
    (:func:`roll_up_months`), England's overdue following each area's
    late rows as a write's does (:func:`_overdue_follows`), and England's
    month rows and overdue written again whole at the end under every
    area's lock (:func:`fill_england`, :func:`refill_overdue`: writers wait
    about 20 s at national scale). Returns how many live day rows were
    written."""
    names = tuple(tables) if tables is not None else tuple(COLUMNS)
    authority = apps.get_model("commissioning", "LocalAuthority")
    written = 0
    for la_id in authority._default_manager.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            lock_areas([la_id])
            # England's overdue follows each area as a write's does, so it
            # is right between areas and after a rebuild stopped half-way.
            with _overdue_follows([Q(local_authority_id=la_id)], apps=apps):
                written += _rebuild_area(la_id, names, apps=apps)
    # England's rows written again from the month rows, and England's
    # overdue from the late rows (a repair, whatever they held), with every
    # area's writers held off meanwhile.
    with transaction.atomic():
        _lock_everything(apps)
        fill_england(apps=apps)
        refill_overdue(apps=apps)
    return written


def _rebuild_area(la_id: int, names: tuple[str, ...], *, apps) -> int:
    """:func:`rebuild_summary` of one area's live rows of the tables
    ``names``, then its month rows; the caller holds the area's lock.
    Returns how many live day rows were written."""
    for model in _models(apps, names):
        model._default_manager.filter(local_authority_id=la_id, kept=False).delete()
    if connection.vendor != "postgresql":
        counts = _counts(Q(local_authority_id=la_id), apps=apps)
        written = _insert({n: counts[n] for n in names}, kept=False, apps=apps)
        roll_up_months(apps=apps, tables=names, la_id=la_id)
        return written
    # The contributions' tables by INSERT ... SELECT (millions of rows at
    # national scale); the requests' in Python, as always.
    written = 0
    if "request" in names:
        counts = _counts(Q(local_authority_id=la_id), apps=apps, contributions=False)
        written += _insert({"request": counts["request"]}, kept=False, apps=apps)
    with connection.cursor() as cursor:
        for name in names:
            if name in REBUILD_SQL:
                cursor.execute(REBUILD_SQL[name], [la_id])
                written += cursor.rowcount
    roll_up_months(apps=apps, tables=names, la_id=la_id)
    return written


# The contributions' and advice's rows of one area (the parameter) in SQL,
# for rebuild_summary on PostgreSQL, by table (keys of COLUMNS): the same
# rules as _counts, which the property test holds them to
# (tests/ehc/test_summary.py compares each service's recomputation in
# Python with a rebuild).
_JOINS = (
    "JOIN ehc_healthadvicerequest r ON r.id = c.request_id "
    "JOIN commissioning_service s ON s.id = c.service_id WHERE r.local_authority_id = %s"
)
_FROM = f"FROM ehc_contribution c {_JOINS}"
_ADVICE = (
    "JOIN ehc_advice a ON a.id = {}.advice_id JOIN ehc_contribution c ON c.id = a.contribution_id"
)
REBUILD_SQL = {
    "contribution": "INSERT INTO ehc_contributioncount (local_authority_id, received_on, kept, "
    "count, service_id, provider_id, process, due_on, verdict, excepted, withdrawn, "
    "review_recorded) SELECT r.local_authority_id, r.received_on, false, count(*), "
    "c.service_id, s.provider_id, r.process, c.due_on, CASE WHEN c.returned_on IS NULL "
    "THEN 'out' WHEN c.returned_on <= c.due_on THEN 'on_time' ELSE 'late' END, "
    f"c.exception <> '', (c.left_outstanding = '{WITHDRAWN}' AND c.returned_on IS NULL), "
    f"r.review_id IS NOT NULL {_FROM} GROUP BY 1, 2, 5, 6, 7, 8, 9, 10, 11, 12",
    "return": "INSERT INTO ehc_returncount (local_authority_id, received_on, kept, count, "
    "service_id, returned_on, days) SELECT r.local_authority_id, r.received_on, false, "
    "count(*), c.service_id, c.returned_on, c.returned_on - coalesce(c.received_on, "
    f"r.received_on) {_FROM} AND c.returned_on IS NOT NULL GROUP BY 1, 2, 5, 6, 7",
    "ask": "INSERT INTO ehc_provideraskcount (local_authority_id, received_on, kept, count, "
    "provider_id) SELECT la, day, false, count(*), provider_id FROM (SELECT DISTINCT r.id, "
    f"r.local_authority_id AS la, r.received_on AS day, s.provider_id {_FROM}) AS asked "
    "GROUP BY 1, 2, 5",
    "late": "INSERT INTO ehc_latecount (local_authority_id, received_on, kept, count, "
    "service_id, due_on, returned_on, closed_on, excepted, late_reason) SELECT "
    "r.local_authority_id, r.received_on, false, count(*), c.service_id, c.due_on, "
    f"c.returned_on, r.closed_on, c.exception <> '', c.late_reason {_FROM} AND "
    f"(c.returned_on > c.due_on OR (c.returned_on IS NULL AND c.left_outstanding <> "
    f"'{WITHDRAWN}')) GROUP BY 1, 2, 5, 6, 7, 8, 9, 10",
    "quality": "INSERT INTO ehc_qualityreviewcount (local_authority_id, received_on, kept, "
    "count, service_id, provider_id, reviewed_on, rating) SELECT r.local_authority_id, "
    "r.received_on, false, count(*), c.service_id, s.provider_id, q.reviewed_on, q.rating "
    f"FROM ehc_qualityreview q {_ADVICE.format('q')} {_JOINS} GROUP BY 1, 2, 5, 6, 7, 8",
    "gap": "INSERT INTO ehc_provisiongapcount (local_authority_id, received_on, kept, count, "
    "service_id, provider_id, written_on) SELECT r.local_authority_id, r.received_on, false, "
    "count(*), c.service_id, s.provider_id, a.written_on FROM ehc_provisionitem p "
    f"{_ADVICE.format('p')} {_JOINS} AND NOT p.available GROUP BY 1, 2, 5, 6, 7",
}


def keep_erased(child_ids: Iterable[int], *, apps=global_apps) -> int:
    """Before the children ``child_ids`` are erased: add what their requests
    count in the store as kept rows, and recompute their buckets' live rows
    without them, so every figure stays as it was once their records are
    gone. Returns how many kept rows were written."""
    ids = sorted({int(pk) for pk in child_ids})
    if not ids:
        return 0
    request = apps.get_model("ehc", "HealthAdviceRequest")
    theirs = request._default_manager.filter(child_id__in=ids)
    keys = sorted(set(theirs.values_list("local_authority_id", "received_on")))
    with transaction.atomic():
        lock_areas(la_id for la_id, _ in keys)
        # Live and kept together, the late rows count the same before and
        # after: England's overdue does not change (checked, not assumed).
        with _overdue_follows(_in_batches(keys), apps=apps):
            kept = _insert(_counts(Q(child_id__in=ids), apps=apps), kept=True, apps=apps)
            for start in range(0, len(keys), BATCH):
                _replace(keys[start : start + BATCH], apps=apps, without_children=ids)
    return kept


# The first key of the store's PostgreSQL advisory locks (the second is
# the area), so no other lock in the database shares them.
LOCK_NAMESPACE = 0x53554D  # "SUM"


def lock_areas(la_ids: Iterable[int]) -> None:
    """Hold, until the transaction ends, the store's lock on each local
    authority in ``la_ids`` (in order, so two writers never wait on each
    other in a circle). A bucket is deleted and written again from the
    casework: without the lock, two transactions recounting the same bucket
    each delete only the rows they can see and each insert a whole count,
    doubling it (PostgreSQL, read committed). The lock makes the second
    recount wait until the first commits, and its statements then see the
    first's rows. SQLite writes one transaction at a time
    (``transaction_mode`` IMMEDIATE), so nothing to do there."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for la_id in sorted(set(la_ids)):
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, la_id])


def _replace(keys: list[tuple[int, datetime.date]], *, apps, without_children=()) -> int:
    """Delete the live rows of the buckets ``keys`` (``(local_authority_id,
    received_on)`` pairs) and write them again from the casework of their
    requests (less the children ``without_children``), then recompute the
    month rows the old and the new rows fall in. Returns how many day rows
    were written."""
    where = _buckets(keys)
    touched = _months_before(keys, where, apps=apps)
    for model in _models(apps):
        model._default_manager.filter(where, kept=False).delete()
    requests = where & ~Q(child_id__in=list(without_children)) if without_children else where
    counts = _counts(requests, apps=apps)
    for name, (table, date, _) in MONTHS.items():
        at = COLUMNS[table][1].index(date)
        touched[name] |= {(key[0], _month(key[at])) for key in counts[table]}
    written = _insert(counts, kept=False, apps=apps)
    _roll_up(touched, apps=apps)
    return written


def _buckets(keys: Iterable[tuple[int, datetime.date]]) -> Q:
    """The store's rows of the buckets ``keys`` (``(local_authority_id,
    received_on)`` pairs)."""
    where = Q(pk__in=[])
    for la_id, day in keys:
        where |= Q(local_authority_id=la_id, received_on=day)
    return where


def _counts(requests: Q, *, apps, contributions: bool = True) -> dict[str, Counter]:
    """The store's rows for the requests ``requests`` selects, as a Counter
    of dimension tuples per table (one query for the requests, one for
    their contributions unless ``contributions`` is False)."""
    request = apps.get_model("ehc", "HealthAdviceRequest")
    contribution = apps.get_model("ehc", "Contribution")
    counts = {name: Counter() for name in COLUMNS}
    rows = (
        request._default_manager.filter(requests)
        .order_by()
        .values_list(
            "local_authority_id",
            "received_on",
            "process",
            "child__date_of_birth",
            "child__year_group",
            "child__year_group_recorded_on",
            "child__primary_need",
            "child__looked_after",
            "child__electively_home_educated",
            "child__known_to_youth_justice",
            "child__continuing_care",
        )
    )
    for la_id, received_on, process, born, year, year_on, need, *flags in rows.iterator():
        if year is not None and year_on is not None:
            group = clock.recorded_year_group_on(year, year_on, received_on)
        else:
            group = clock.year_group(born, received_on)
        age = clock.age_on(born, received_on)
        counts["request"][(la_id, received_on, process, need, age, group, *flags)] += 1
    if not contributions:
        return counts
    asked = set()
    # The requests' contributions, through the requests' own condition (the
    # names in ``requests`` are the request's: its area and receipt day).
    rows = contribution._default_manager.filter(
        request__in=request._default_manager.filter(requests).values("pk")
    )
    for (
        request_id,
        la_id,
        received_on,
        process,
        review_id,
        closed_on,
        service_id,
        provider_id,
        service_received_on,
        due_on,
        returned_on,
        left_outstanding,
        exception,
        late_reason,
    ) in (
        rows.order_by()
        .values_list(
            "request_id",
            "local_authority_id",
            "request__received_on",
            "request__process",
            "request__review_id",
            "request__closed_on",
            "service_id",
            "service__provider_id",
            "received_on",
            "due_on",
            "returned_on",
            "left_outstanding",
            "exception",
            "late_reason",
        )
        .iterator()
    ):
        if returned_on is None:
            verdict = "out"
        else:
            verdict = "on_time" if returned_on <= due_on else "late"
            started_on = service_received_on or received_on
            days = (returned_on - started_on).days
            counts["return"][(la_id, received_on, service_id, returned_on, days)] += 1
        withdrawn = left_outstanding == WITHDRAWN and returned_on is None
        if verdict == "late" or (verdict == "out" and not withdrawn):
            counts["late"][
                (la_id, received_on, service_id, due_on, returned_on, closed_on)
                + (exception != "", late_reason)
            ] += 1
        counts["contribution"][
            (
                la_id,
                received_on,
                due_on,
                service_id,
                provider_id,
                process,
                verdict,
                exception != "",
                withdrawn,
                review_id is not None,
            )
        ] += 1
        if (request_id, provider_id) not in asked:
            asked.add((request_id, provider_id))
            counts["ask"][(la_id, received_on, provider_id)] += 1
    _advice_counts(counts, request._default_manager.filter(requests).values("pk"), apps=apps)
    return counts


def _advice_counts(counts: dict[str, Counter], request_ids, *, apps) -> None:
    """Add the quality reviews and the unavailable provision of the advice
    on the requests ``request_ids`` (a subquery) to ``counts`` (two
    queries)."""
    review = apps.get_model("ehc", "QualityReview")
    item = apps.get_model("ehc", "ProvisionItem")
    contribution = "advice__contribution__"
    fields = (
        f"{contribution}local_authority_id",
        f"{contribution}request__received_on",
        f"{contribution}service_id",
        f"{contribution}service__provider_id",
    )
    reviews = review._default_manager.filter(**{f"{contribution}request__in": request_ids})
    for key in reviews.order_by().values_list(*fields, "reviewed_on", "rating").iterator():
        counts["quality"][key] += 1
    gaps = item._default_manager.filter(
        available=False, **{f"{contribution}request__in": request_ids}
    )
    for key in gaps.order_by().values_list(*fields, "advice__written_on").iterator():
        counts["gap"][key] += 1


# What a request is counted by (the fields of ehc.models.RequestBreakdowns,
# shared by the day and month tables), and a contribution's timeliness by
# (its due day apart): one list for the writer, the month tables and the
# reader (reports/summary_store.py).
REQUEST_DIMENSIONS = tuple(f.attname for f in RequestBreakdowns._meta.get_fields())
TIMELINESS_DIMENSIONS = (
    "service_id",
    "provider_id",
    "process",
    "verdict",
    "excepted",
    "withdrawn",
    "review_recorded",
)

COLUMNS = {
    "request": ("RequestCount", ("local_authority_id", "received_on", *REQUEST_DIMENSIONS)),
    "contribution": (
        "ContributionCount",
        ("local_authority_id", "received_on", "due_on", *TIMELINESS_DIMENSIONS),
    ),
    "return": (
        "ReturnCount",
        ("local_authority_id", "received_on", "service_id", "returned_on", "days"),
    ),
    "ask": ("ProviderAskCount", ("local_authority_id", "received_on", "provider_id")),
    "quality": (
        "QualityReviewCount",
        (
            "local_authority_id",
            "received_on",
            "service_id",
            "provider_id",
            "reviewed_on",
            "rating",
        ),
    ),
    "gap": (
        "ProvisionGapCount",
        ("local_authority_id", "received_on", "service_id", "provider_id", "written_on"),
    ),
    "late": (
        "LateCount",
        (
            "local_authority_id",
            "received_on",
            "service_id",
            "due_on",
            "returned_on",
            "closed_on",
            "excepted",
            "late_reason",
        ),
    ),
}


def _models(apps, names: Iterable[str] = tuple(COLUMNS)):
    """The models of the store's tables ``names`` (keys of :data:`COLUMNS`)."""
    return [apps.get_model("ehc", COLUMNS[name][0]) for name in names]


def _insert(counts: dict[str, Counter], *, kept: bool, apps) -> int:
    """Write ``counts`` (from :func:`_counts`) as rows; returns how many."""
    written = 0
    for name, found in counts.items():
        model_name, columns = COLUMNS[name]
        model = apps.get_model("ehc", model_name)
        rows = [
            model(**dict(zip(columns, key, strict=True)), kept=kept, count=n)
            for key, n in found.items()
        ]
        model._default_manager.bulk_create(rows, batch_size=2000)
        written += len(rows)
    return written


# --- The month roll-ups ----------------------------------------------------------------------

# The month tables (ehc.models.summary.MonthRow), by model name: the day
# table each adds up (a key of COLUMNS), the date whose month keys it, and
# the dimensions it keeps (attnames, the same in both tables, except
# RECEIVED_MONTH: the month of the day rows' received_on, kept by the
# tables of another date so a body's dated links can attribute their rows).
RECEIVED_MONTH = "received_month"
MONTHS = {
    # By each breakdown apart (_request_months), not by their product.
    "RequestMonth": ("request", "received_on", ("breakdown", "key")),
    "ContributionDueMonth": ("contribution", "due_on", (RECEIVED_MONTH, *TIMELINESS_DIMENSIONS)),
    "ContributionAskedMonth": ("contribution", "received_on", ("service_id",)),
    "ReturnMonth": ("return", "returned_on", (RECEIVED_MONTH, "days")),
    "ProviderAskMonth": ("ask", "received_on", ("provider_id",)),
    "QualityReviewMonth": (
        "quality",
        "reviewed_on",
        (RECEIVED_MONTH, "service_id", "provider_id", "rating"),
    ),
    "ProvisionGapMonth": ("gap", "written_on", (RECEIVED_MONTH, "service_id", "provider_id")),
}


# RequestMonth's breakdowns (its ``breakdown`` values) with the day table's
# field each takes its ``key`` from, and its groups (``breakdown`` "group",
# ``key`` a group of ehc.groups) with the day rows each counts: the year
# group and age on the day health received the request, the flags as
# recorded on the child (docs/reports.md, "Requests by group").
REQUEST_BREAKDOWNS = {"process": "process", "need": "primary_need", "age": "age"}
REQUEST_GROUPS = {
    groups.YEAR_9: Q(year_group__gte=clock.PREPARING_FOR_ADULTHOOD_YEAR),
    groups.AGED_18_TO_25: Q(age__gte=groups.YOUNGEST_ADULT, age__lte=groups.OLDEST),
    **{key: Q(**{flag: True}) for key, flag in groups.FLAGS.items()},
}


def _request_months(days):
    """``(local_authority_id, month, breakdown, key, total)`` rows: the
    request day rows ``days`` (a queryset) summed by area, month of receipt
    and each breakdown of :data:`REQUEST_BREAKDOWNS` and group of
    :data:`REQUEST_GROUPS` apart, as one UNION ALL query."""
    base = days.annotate(month=TruncMonth("received_on")).order_by()
    columns = ("local_authority_id", "month", "breakdown", "key")
    parts = [
        base.annotate(breakdown=Value(name), key=Cast(field, CharField()))
        .values_list(*columns)
        .annotate(total=Sum("count"))
        for name, field in REQUEST_BREAKDOWNS.items()
    ] + [
        base.filter(condition)
        .annotate(breakdown=Value("group"), key=Value(group))
        .values_list(*columns)
        .annotate(total=Sum("count"))
        for group, condition in REQUEST_GROUPS.items()
    ]
    return parts[0].union(*parts[1:], all=True)


def _month(day: datetime.date) -> datetime.date:
    """The first day of ``day``'s month."""
    return day.replace(day=1)


def _next_month(month: datetime.date) -> datetime.date:
    """The first day of the month after ``month`` (a first day)."""
    return (month + datetime.timedelta(days=32)).replace(day=1)


def _runs(months: Iterable[datetime.date]) -> list[tuple[datetime.date, datetime.date]]:
    """``months`` (first days) as runs of consecutive months, each as its
    first and last day (inclusive), oldest first."""
    runs: list[list[datetime.date]] = []
    for month in sorted(set(months)):
        if runs and _next_month(runs[-1][1]) == month:
            runs[-1][1] = month
        else:
            runs.append([month, month])
    return [(first, _next_month(last) - datetime.timedelta(days=1)) for first, last in runs]


def _months_before(keys, where: Q, *, apps) -> dict[str, set[tuple[int, datetime.date]]]:
    """``{month model name: {(local_authority_id, month)}}``: the months the
    live rows of the buckets ``keys`` (selected by ``where``) count in now,
    before they are replaced. The receipt months come from the keys; the
    other dates from one query (a UNION of the four tables' dates)."""
    touched = {name: set() for name in MONTHS}
    received = {(la_id, _month(day)) for la_id, day in keys}
    dated = {}
    for name, (table, date, _) in MONTHS.items():
        if date == "received_on":
            touched[name] |= received
        else:
            dated[name] = (table, date)
    parts = [
        apps.get_model("ehc", COLUMNS[table][0])
        ._default_manager.filter(where, kept=False)
        .annotate(table=Value(name))
        .order_by()
        .values_list("table", "local_authority_id", date)
        for name, (table, date) in dated.items()
    ]
    for name, la_id, day in parts[0].union(*parts[1:]):
        touched[name].add((la_id, _month(day)))
    return touched


def _roll_up(touched: dict[str, set[tuple[int, datetime.date]]], *, apps) -> int:
    """Recompute the month rows ``touched`` (``{month model name:
    {(local_authority_id, month)}}``) from the day rows, live and kept:
    per table with months to do, one delete, one read summed by month in
    the database and one insert. The caller holds the areas' locks.
    Returns how many month rows were written."""
    written = 0
    for name, months in touched.items():
        if not months:
            continue
        model = apps.get_model("ehc", name)
        date, dims = MONTHS[name][1], _dimensions(model)
        by_area: dict[int, set[datetime.date]] = {}
        for la_id, month in months:
            by_area.setdefault(la_id, set()).add(month)
        gone, days = Q(pk__in=[]), Q(pk__in=[])
        for la_id, firsts in sorted(by_area.items()):
            gone |= Q(local_authority_id=la_id, month__in=sorted(firsts))
            for first, last in _runs(firsts):
                days |= Q(local_authority_id=la_id, **{f"{date}__range": (first, last)})
        england = _england_model(name, apps)
        before = _england_counts(model._default_manager.filter(gone), name) if england else {}
        model._default_manager.filter(gone).delete()
        rows = _month_rows(name, _day_rows(name, apps).filter(days), dims)
        found = [
            model(
                local_authority_id=la_id,
                month=month,
                count=total,
                **dict(zip(dims, values, strict=True)),
            )
            for la_id, month, *values, total in rows.iterator()
        ]
        model._default_manager.bulk_create(found, batch_size=2000)
        written += len(found)
        if england:
            _append_england(england, name, _difference(_england_counts_of(found, name), before))
    return written


def roll_up_months(
    *, apps=global_apps, tables: Iterable[str] | None = None, la_id: int | None = None
) -> int:
    """Rewrite the month rows of ``la_id`` (None: every area) from the day
    rows, for the month tables of the day tables ``tables`` (keys of
    :data:`COLUMNS`; default all). For :func:`rebuild_summary` (under the
    area's lock) and the migration that made the month tables (an earlier
    migration's registry, without them, rolls up nothing). On
    PostgreSQL an INSERT ... SELECT per table; elsewhere as a write does.
    England's month rows follow: for one area, a row per key whose count
    changed; for every area, written again whole. Returns how many month
    rows were written."""
    names = set(tables) if tables is not None else set(COLUMNS)
    chosen = [
        name for name, (table, _, _) in MONTHS.items() if table in names and _exists(apps, name)
    ]
    if la_id is None:
        # Every area's month rows, and England's written again whole: no
        # writer or compaction may run meanwhile.
        with transaction.atomic():
            _lock_everything(apps)
            return _roll_up_months(apps, chosen, None)
    return _roll_up_months(apps, chosen, la_id)


def _roll_up_months(apps, chosen: list[str], la_id: int | None) -> int:
    """:func:`roll_up_months` of the month tables ``chosen`` (model names),
    the caller holding the locks."""
    mine = Q(local_authority_id=la_id) if la_id is not None else Q()
    before = {}
    for name in chosen:
        england = _england_model(name, apps)
        if england and la_id is None:  # written again whole from the month rows
            england._default_manager.all().delete()
        elif england:
            rows = apps.get_model("ehc", name)._default_manager.filter(mine)
            before[name] = _england_counts(rows, name)
    if connection.vendor != "postgresql":
        touched = {}
        for name in chosen:
            table, date, _ = MONTHS[name]
            apps.get_model("ehc", name)._default_manager.filter(mine).delete()
            days = apps.get_model("ehc", COLUMNS[table][0])._default_manager.filter(mine)
            touched[name] = {
                (area, _month(day))
                for area, day in days.order_by().values_list("local_authority_id", date).distinct()
            }
        # _roll_up appends England's changes from nothing (the rows having
        # gone before it): what the area's rows counted is taken away here.
        for name, counts in before.items():
            _append_england(_england_model(name, apps), name, _difference({}, counts))
        written = _roll_up(touched, apps=apps)
    else:
        written = 0
        with connection.cursor() as cursor:
            for name in chosen:
                model = apps.get_model("ehc", name)
                model._default_manager.filter(mine).delete()
                sql, params = _roll_up_sql(name, la_id, apps=apps)
                cursor.execute(sql, params)
                written += cursor.rowcount
                england = _england_model(name, apps)
                if england:
                    after = _england_counts(model._default_manager.filter(mine), name)
                    _append_england(england, name, _difference(after, before.get(name, {})))
    return written


def _exists(apps, name: str) -> bool:
    """Whether ``apps`` has the ehc model ``name``: a migration's historical
    registry from before the month tables (0020 rebuilding its day tables)
    has none to roll up."""
    try:
        apps.get_model("ehc", name)
    except LookupError:
        return False
    return True


def _day_rows(name: str, apps):
    """The day rows the month table ``name`` (a key of :data:`MONTHS`) adds up."""
    return apps.get_model("ehc", COLUMNS[MONTHS[name][0]][0])._default_manager.all()


def _dimensions(model) -> tuple[str, ...]:
    """The dimensions of the month table ``model`` (from :data:`MONTHS`),
    without the month of receipt where ``model`` is a migration's historical
    one from before the tables kept it (0021 rolls up with today's code)."""
    dims = MONTHS[model.__name__][2]
    if RECEIVED_MONTH in dims and not any(
        f.name == RECEIVED_MONTH for f in model._meta.get_fields()
    ):
        return tuple(d for d in dims if d != RECEIVED_MONTH)
    return dims


def _month_rows(name: str, days, dims: tuple[str, ...]):
    """``(local_authority_id, month, *dims, total)`` rows of the month
    table ``name`` (a key of :data:`MONTHS`; ``dims`` its
    :func:`_dimensions`), summed in the database from its day rows ``days``
    (a queryset): by area, month and the dimensions (the month of receipt
    among them where the table keeps it); the requests' by each breakdown
    apart (:func:`_request_months`)."""
    if name == "RequestMonth":
        return _request_months(days)
    date = MONTHS[name][1]
    if RECEIVED_MONTH in dims:
        days = days.annotate(**{RECEIVED_MONTH: TruncMonth("received_on")})
    return (
        days.annotate(month=TruncMonth(date))
        .order_by()
        .values_list("local_authority_id", "month", *dims)
        .annotate(total=Sum("count"))
    )


def _roll_up_sql(name: str, la_id: int | None, *, apps) -> tuple[str, list]:
    """PostgreSQL's INSERT ... SELECT filling the month table ``name`` (a key
    of :data:`MONTHS`) from its day table, for one area or all: the same
    read as :func:`_roll_up`'s, written in one statement."""
    days = _day_rows(name, apps)
    if la_id is not None:
        days = days.filter(local_authority_id=la_id)
    model = apps.get_model("ehc", name)
    dims = _dimensions(model)
    return _insert_select(
        model, ("local_authority_id", "month", *dims, "count"), _month_rows(name, days, dims)
    )


def _insert_select(model, columns: tuple[str, ...], rows) -> tuple[str, list]:
    """``(sql, params)`` of an INSERT into ``model``'s table of ``rows`` (a
    values queryset giving ``columns``, attnames that are also the column
    names, the counts among them), in one statement."""
    sql, params = rows.query.sql_with_params()
    return (
        f"INSERT INTO {model._meta.db_table} ({', '.join(columns)}) "
        f"SELECT * FROM ({sql}) AS summed",
        list(params),
    )


# --- England's month rows --------------------------------------------------------------------

# England's month rows (ehc.models.summary.EnglandRow) by the name of the
# month table each adds up across areas (its SOURCE). They keep the month
# table's dimensions less the month of receipt and any folded into their
# counts (england_dimensions, england_counts).
ENGLAND = {model.SOURCE: model.__name__ for model in ENGLAND_MODELS}

# The counts England's timeliness rows (ContributionDueEngland) keep instead
# of a count per verdict and flags: each the due month rows' count of those
# meeting the condition, as reports.summary_store sums them (the figures'
# definitions are reports.metrics').
TIMELINESS_COUNTS = {
    "withdrawn": Q(withdrawn=True),
    "counted": Q(withdrawn=False),
    "on_time": Q(withdrawn=False, verdict=Verdict.ON_TIME),
    "excepted": Q(withdrawn=False, excepted=True),
    "excepted_on_time": Q(withdrawn=False, excepted=True, verdict=Verdict.ON_TIME),
    "unrecorded": Q(withdrawn=False, review_recorded=False),
}
# The counts England's quality review rows (QualityReviewEngland) keep
# instead of a row per rating.
QUALITY_COUNTS = {
    "green": Q(rating=Rating.GREEN),
    "amber": Q(rating=Rating.AMBER),
    "red": Q(rating=Rating.RED),
}
# {month table: {England's count column: the month rows it counts}}; a
# table not listed keeps one count of every row ({"count": None}).
ENGLAND_COUNTS = {"ContributionDueMonth": TIMELINESS_COUNTS, "QualityReviewMonth": QUALITY_COUNTS}
# England's dimensions kept for some month rows only, left empty (NULL) for
# the others, which are then counted together: {month table: {dimension:
# (field, values)}}, the dimension kept where the row's field is one of
# the values. Timeliness is shown by service and provider for reg 8 advice
# only (reports.summary_store sums every other process by process alone),
# so England's timeliness rows of other processes keep neither: a row per
# month and process instead of one per service (a third as many rows).
REG8 = tuple(sorted(REG8_PROCESSES))
ENGLAND_KEPT = {
    "ContributionDueMonth": {"service_id": ("process", REG8), "provider_id": ("process", REG8)},
}


def england_counts(name: str) -> dict[str, Q | None]:
    """England's count columns for the month table ``name`` (a key of
    :data:`ENGLAND`), each with the condition on the month rows it counts
    (None: every row)."""
    return ENGLAND_COUNTS.get(name, {"count": None})


def england_dimensions(name: str) -> tuple[str, ...]:
    """The dimensions (attnames) of England's rows of the month table
    ``name`` (a key of :data:`ENGLAND`): its own less the month of receipt
    (and the area, which no month table lists among its dimensions) and
    those its counts' conditions test (:func:`england_counts`)."""
    folded = {
        field
        for condition in england_counts(name).values()
        if condition is not None
        for field, _ in condition.children
    }
    return tuple(d for d in MONTHS[name][2] if d != RECEIVED_MONTH and d not in folded)


def _england_model(name: str, apps):
    """England's model for the month table ``name``, or None: the table has
    none, or ``apps`` is a migration's registry from before they were made
    (0029) or took their present columns (0030 folded timeliness's, 0034
    quality's ratings; 0032 let the dimensions of :data:`ENGLAND_KEPT` be
    empty)."""
    england = ENGLAND.get(name)
    if not england or not _exists(apps, england):
        return None
    model = apps.get_model("ehc", england)
    held = {f.attname: f for f in model._meta.concrete_fields}
    if not held.keys() >= {"month", *england_dimensions(name), *england_counts(name)}:
        return None
    return model if all(held[d].null for d in ENGLAND_KEPT.get(name, {})) else None


def england_kept(name: str, dimension: str):
    """The value of England's ``dimension`` of the month table ``name`` as
    an expression on any rows holding the dimension and the field its
    keeping depends on (the month rows, their day rows, England's rows):
    the column, or for a dimension of :data:`ENGLAND_KEPT` the column where
    kept, else NULL. The reports read timeliness by service through it
    too (``reports.summary_store.contributions``), so the rule is written
    once."""
    if dimension not in ENGLAND_KEPT.get(name, {}):
        return F(dimension)
    field, values = ENGLAND_KEPT[name][dimension]
    return Case(
        When(**{f"{field}__in": values}, then=F(dimension)),
        default=None,
        output_field=IntegerField(),
    )


def _kept_value(row, name: str, dimension: str):
    """:func:`england_kept` of the month row ``row`` (a model instance) in hand."""
    if dimension in ENGLAND_KEPT.get(name, {}):
        field, values = ENGLAND_KEPT[name][dimension]
        if getattr(row, field) not in values:
            return None
    return getattr(row, dimension)


def _england_sums(rows, name: str):
    """``(month, *dimensions, *counts)`` rows: ``rows`` (a queryset of the
    month table ``name``, or of England's rows of it) summed by England's
    key in the database (each dimension as England keeps it,
    :data:`ENGLAND_KEPT`), a sum per count column (:func:`england_counts`)."""
    counts, dims = england_counts(name), england_dimensions(name)
    if rows.model._meta.object_name == name:  # the month rows: count those meeting each condition
        sums = {f"sum_{c}": Sum("count", filter=q, default=0) for c, q in counts.items()}
        # Each dimension as England keeps it (ENGLAND_KEPT), by a name of its own.
        rows = rows.annotate(**{f"england_{d}": england_kept(name, d) for d in dims})
        dims = tuple(f"england_{d}" for d in dims)
    else:  # England's own rows (changes): add each column up
        sums = {f"sum_{c}": Sum(c) for c in counts}
    return rows.order_by().values_list("month", *dims).annotate(**sums)


def _england_counts(rows, name: str) -> dict[tuple, tuple[int, ...]]:
    """``{(month, *dimensions): (*counts,)}`` of :func:`_england_sums`."""
    width = len(england_counts(name))
    return {tuple(row[:-width]): tuple(row[-width:]) for row in _england_sums(rows, name)}


def _england_counts_of(rows, name: str) -> dict[tuple, tuple[int, ...]]:
    """:func:`_england_counts` of month rows of ``name`` already in hand
    (model instances, as just written), worked out here rather than read
    back: each count column adds the rows meeting its condition, whose
    terms are plain equalities (:data:`TIMELINESS_COUNTS`,
    :data:`QUALITY_COUNTS`), each dimension as England keeps it
    (:data:`ENGLAND_KEPT`)."""
    dims, counts = england_dimensions(name), england_counts(name).values()
    found: dict[tuple, tuple[int, ...]] = {}
    for row in rows:
        key = (row.month, *(_kept_value(row, name, d) for d in dims))
        held = found.get(key, (0,) * len(counts))
        found[key] = tuple(
            n + (row.count if _meets(row, condition) else 0)
            for n, condition in zip(held, counts, strict=True)
        )
    return found


def _meets(row, condition: Q | None) -> bool:
    """Whether the model instance ``row`` meets ``condition``: None, or a
    Q of plain equalities (``field=value`` terms, joined by AND)."""
    return condition is None or all(getattr(row, f) == v for f, v in condition.children)


def _difference(after: dict, before: dict) -> dict[tuple, tuple[int, ...]]:
    """``after`` less ``before`` (both from :func:`_england_counts`), key by
    key and count by count, keys that did not change left out."""
    change = {}
    for key in after.keys() | before.keys():
        new, old = after.get(key), before.get(key)
        width = len(new or old)
        counts = tuple(a - b for a, b in zip(new or (0,) * width, old or (0,) * width, strict=True))
        if any(counts):
            change[key] = counts
    return change


def _append_england(england, name: str, change: dict[tuple, tuple[int, ...]]) -> int:
    """Append a row of ``england`` (England's model for the month table
    ``name``) for each key of ``change`` (``{(month, *dimensions): (change
    in each count,)}``, :func:`england_counts`' order) that changed.
    Returns how many rows were written."""
    dims, counts = england_dimensions(name), tuple(england_counts(name))
    rows = [
        england(
            month=key[0],
            **dict(zip(dims, key[1:], strict=True)),
            **dict(zip(counts, values, strict=True)),
        )
        for key, values in change.items()
        if any(values)
    ]
    england._default_manager.bulk_create(rows, batch_size=2000)
    return len(rows)


def fill_england(*, apps=global_apps, names: Iterable[str] | None = None) -> int:
    """Write England's month rows again from the month tables, one row per
    key: for the migrations that made or reshaped them (0029 and later)
    and the end of :func:`rebuild_summary`, which holds every area's lock
    so that no writer changes a month row meanwhile. ``names``: the month
    tables whose England rows to write (keys of :data:`ENGLAND`; default
    all; ValueError for any other). Takes England's lock (:func:`lock_england`: no compaction
    meanwhile); call it inside a transaction. On PostgreSQL the tables
    written are analysed after, so that the planner reads their new size
    at once. Returns how many rows were written."""
    chosen = list(ENGLAND if names is None else names)
    if unknown := set(chosen) - ENGLAND.keys():
        raise ValueError(f"No England rows for {sorted(unknown)}")
    written = 0
    lock_england()
    for name in chosen:
        england = _england_model(name, apps)
        if england is None:
            continue
        england._default_manager.all().delete()
        rows = apps.get_model("ehc", name)._default_manager.all()
        if connection.vendor != "postgresql":
            written += _append_england(england, name, _england_counts(rows, name))
            continue
        # One INSERT ... SELECT (hundreds of thousands of keys at national scale).
        columns = ("month", *england_dimensions(name), *england_counts(name))
        with connection.cursor() as cursor:
            cursor.execute(*_insert_select(england, columns, _england_sums(rows, name)))
            written += cursor.rowcount
            cursor.execute(f"ANALYZE {england._meta.db_table}")
    return written


def compact_england(*, apps=global_apps) -> int:
    """Fold each key's rows of England's month rows into one row holding
    their sum, and drop the keys that sum to nothing (the nightly beat
    entry ``ehc.compact_england``): reports read the same sums from fewer
    rows. Safe beside writers: on PostgreSQL one statement per table
    deletes the rows it sees and inserts their sums in the same snapshot,
    so a writer's row committed meanwhile stays as written; SQLite writes
    one transaction at a time. Holds England's lock (:func:`lock_england`)
    so that it never runs beside :func:`fill_england`, whose delete would
    skip the rows this folds and keep the sums it inserts, doubling every
    key. Returns how many rows are left."""
    left = 0
    with transaction.atomic():
        lock_england()
        for name in ENGLAND:
            england = _england_model(name, apps)
            if england is not None:
                key = ("month", *england_dimensions(name))
                left += _compact(england, key, tuple(england_counts(name)))
        overdue = _overdue_model(apps)
        if overdue is not None:
            left += _compact(overdue, OVERDUE_KEY, ("count",))
    return left


def _compact(england, key_columns: tuple[str, ...], counts: tuple[str, ...]) -> int:
    """:func:`compact_england` for the England table ``england``, whose
    rows are keyed by ``key_columns`` and hold ``counts``; returns how many
    rows are left."""
    if connection.vendor != "postgresql":
        rows = england._default_manager.all()
        summed = (
            rows.order_by()
            .values_list(*key_columns)
            .annotate(**{f"sum_{c}": Sum(c) for c in counts})
        )
        found = [
            england(
                **dict(zip(key_columns, row[: len(key_columns)], strict=True)),
                **dict(zip(counts, row[len(key_columns) :], strict=True)),
            )
            for row in summed
            if any(row[len(key_columns) :])
        ]
        rows.delete()
        england._default_manager.bulk_create(found, batch_size=2000)
        return len(found)
    key = ", ".join(key_columns)
    sums = ", ".join(f"sum({c})" for c in counts)
    changed = " OR ".join(f"sum({c}) <> 0" for c in counts)
    table = england._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH gone AS (DELETE FROM {table} RETURNING {key}, {', '.join(counts)}) "
            f"INSERT INTO {table} ({key}, {', '.join(counts)}) SELECT {key}, {sums} "
            f"FROM gone GROUP BY {key} HAVING {changed}"
        )
        return cursor.rowcount


# The second key of England's lock (the first is LOCK_NAMESPACE; areas are
# positive primary keys).
ENGLAND_LOCK = 0


def _lock_everything(apps) -> None:
    """Hold every area's lock and England's (:func:`lock_areas`,
    :func:`lock_england`) until the transaction ends: no writer, compaction
    or fill runs meanwhile."""
    authority = apps.get_model("commissioning", "LocalAuthority")
    lock_areas(authority._default_manager.values_list("pk", flat=True))
    lock_england()


def lock_england() -> None:
    """Hold, until the transaction ends, the lock that keeps
    :func:`compact_england` and :func:`fill_england` apart (writers do not
    take it: they only append). PostgreSQL only, as :func:`lock_areas`."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [LOCK_NAMESPACE, ENGLAND_LOCK])


# --- England's overdue on month ends ---------------------------------------------------------

# What a late row (LateCount) is counted by in England's overdue rows, and
# what it holds.
OVERDUE_KEY = ("month", "service_id", "excepted", "late_reason", "band")
LATE_FIELDS = ("service_id", "due_on", "returned_on", "closed_on", "excepted", "late_reason")
DAY = datetime.timedelta(days=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month."""
    return _next_month(day.replace(day=1)) - DAY


def out_on(day: datetime.date) -> Q:
    """The late rows (LateCount) of contributions overdue on ``day``: due
    before it, not returned by it, the request not closed by it
    (docs/reports.md, "Overdue"; the definition is reports.metrics')."""
    return (
        Q(due_on__lt=day)
        & (Q(returned_on__isnull=True) | Q(returned_on__gt=day))
        & (Q(closed_on__isnull=True) | Q(closed_on__gt=day))
    )


def overdue_month_ends(rows, *, before: datetime.date) -> Counter:
    """``{(month, service_id, excepted, late_reason, band): count}``: the late
    rows ``rows`` (``(*LATE_FIELDS, count)`` tuples) counted on the last
    day of each month before ``before`` on which they were overdue
    (:func:`out_on`), ``band`` by how many days past the due date
    (``ehc.clock.overdue_age``), ``month`` the month's first day. A
    contribution out for years counts on each month end of them."""
    counts = Counter()
    for service_id, due_on, returned_on, closed_on, excepted, late_reason, n in rows:
        ends = [day for day in (returned_on, closed_on, before) if day is not None]
        until = min(ends)  # out on the days after its due date and before this
        day = month_end(due_on)
        if day == due_on:
            day = month_end(day + DAY)
        while day < until:
            band = clock.overdue_age((day - due_on).days)
            counts[(day.replace(day=1), service_id, excepted, late_reason, band)] += n
            day = month_end(day + DAY)
    return counts


def _overdue_model(apps):
    """England's overdue model, or None in a migration's registry from
    before it was made (0031)."""
    return apps.get_model("ehc", "OverdueEngland") if _exists(apps, "OverdueEngland") else None


def _in_batches(keys: list[tuple[int, datetime.date]]) -> list[Q]:
    """The buckets ``keys`` as conditions of at most :data:`BATCH` each."""
    return [_buckets(keys[start : start + BATCH]) for start in range(0, len(keys), BATCH)]


def _late_rows(selections: list[Q], apps) -> list[tuple]:
    """``(*LATE_FIELDS, count)`` of the late rows, live and kept, that
    ``selections`` select (one query each)."""
    late = apps.get_model("ehc", "LateCount")._default_manager
    rows = []
    for chosen in selections:
        rows += late.filter(chosen).order_by().values_list(*LATE_FIELDS, "count")
    return rows


@contextlib.contextmanager
def _overdue_follows(selections: list[Q], *, apps):
    """Around a recount of the store's rows that ``selections`` select
    (buckets, or an area), the caller holding their areas' locks already
    (a writer committing between the read before and the lock would be
    counted twice): append England's overdue rows
    (:class:`ehc.models.OverdueEngland`) for what the recount changed, the
    month ends of the late rows (live and kept) after less before, for
    every month end before today. Two reads of the late rows per
    selection; a row only per key that changed."""
    england = _overdue_model(apps)
    if england is None:
        yield
        return
    today = timezone.localdate()
    before = overdue_month_ends(_late_rows(selections, apps), before=today)
    yield
    change = overdue_month_ends(_late_rows(selections, apps), before=today)
    change.subtract(before)
    rows = [
        england(**dict(zip(OVERDUE_KEY, key, strict=True)), count=n)
        for key, n in change.items()
        if n
    ]
    england._default_manager.bulk_create(rows, batch_size=2000)


def _overdue_on(day: datetime.date, apps):
    """``(*OVERDUE_KEY, count)`` rows: England's late rows out on ``day`` (a
    month's last day) summed by key in the database, the band by due date
    (what :func:`overdue_month_ends` counts, in SQL)."""
    band = Case(
        *(
            When(due_on__gte=day - most * DAY, then=Value(key))
            for key, _, most in clock.OVERDUE_AGES
            if most is not None
        ),
        default=Value(clock.OVERDUE_AGES[-1][0]),
        output_field=CharField(),
    )
    late = apps.get_model("ehc", "LateCount")._default_manager
    return (
        late.filter(out_on(day))
        .annotate(month=Value(day.replace(day=1), output_field=DateField()), band=band)
        .order_by()
        .values_list(*OVERDUE_KEY)
        .annotate(total=Sum("count"))
    )


def _past_months(apps) -> list[datetime.date]:
    """The months (first days) whose last day is before today, from the
    month of the earliest due date of a late row."""
    late = apps.get_model("ehc", "LateCount")._default_manager
    first = late.aggregate(first=Min("due_on"))["first"]
    months = []
    month = first.replace(day=1) if first else None
    while month is not None and month_end(month) < timezone.localdate():
        months.append(month)
        month = _next_month(month)
    return months


def fill_overdue(months: Iterable[datetime.date], *, apps=global_apps) -> int:
    """Write England's overdue rows of ``months`` (first days: the position
    on each one's last day, which must be before today) again from the late
    rows, and mark them filled (:class:`ehc.models.OverdueEnglandFilled`), so
    reports read them. The caller holds every area's lock and England's
    (:func:`_lock_everything`) inside a transaction: no writer appends and
    no compaction folds meanwhile. One query per month. Returns how many
    rows were written."""
    england = _overdue_model(apps)
    if england is None:
        return 0
    filled = apps.get_model("ehc", "OverdueEnglandFilled")._default_manager
    months = sorted(set(months))
    written = 0
    for start in range(0, len(months), BATCH):
        chosen = months[start : start + BATCH]
        england._default_manager.filter(month__in=chosen).delete()
        filled.filter(month__in=chosen).delete()
    for month in months:
        rows = _overdue_on(month_end(month), apps)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(*_insert_select(england, (*OVERDUE_KEY, "count"), rows))
                written += cursor.rowcount
            continue
        found = [
            england(**dict(zip(OVERDUE_KEY, key, strict=True)), count=total) for *key, total in rows
        ]
        england._default_manager.bulk_create(found, batch_size=2000)
        written += len(found)
    filled.bulk_create([filled.model(month=month) for month in months], batch_size=2000)
    return written


def refill_overdue(*, apps=global_apps) -> int:
    """England's overdue rows written again whole, for every month end
    before today (:func:`fill_overdue`; for the migration that made them
    and :func:`rebuild_summary`), holding every area's lock and England's
    (:func:`_lock_everything`; call it inside a transaction). Returns how
    many rows were written."""
    england = _overdue_model(apps)
    if england is None:
        return 0
    _lock_everything(apps)
    england._default_manager.all().delete()
    apps.get_model("ehc", "OverdueEnglandFilled")._default_manager.all().delete()
    return fill_overdue(_past_months(apps), apps=apps)


def fill_overdue_month_ends(*, apps=global_apps) -> int:
    """Fill the month ends before today not filled yet (normally none, or
    the month just ended: the daily beat entry ``ehc.fill_overdue``), under
    every area's lock and England's for the few hundred milliseconds one
    month takes at national scale. Returns how many months were filled."""
    filled = apps.get_model("ehc", "OverdueEnglandFilled")._default_manager
    done = set(filled.values_list("month", flat=True))
    missing = [month for month in _past_months(apps) if month not in done]
    if not missing:
        return 0
    with transaction.atomic():
        _lock_everything(apps)
        fill_overdue(missing, apps=apps)
    return len(missing)
