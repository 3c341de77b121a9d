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

import datetime
from collections import Counter
from collections.abc import Iterable

from django.apps import apps as global_apps
from django.db import connection, transaction
from django.db.models import Q

from ehc import clock

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
        for start in range(0, len(keys), BATCH):
            chunk = keys[start : start + BATCH]
            where = Q(pk__in=[])
            for la_id, day in chunk:
                where |= Q(local_authority_id=la_id, received_on=day)
            _replace(where, apps=apps)
    return len(keys)


def rebuild_summary(*, apps=global_apps, tables: Iterable[str] | None = None) -> int:
    """Recompute every live row of the store, one local authority at a time
    (kept rows stay). For ``manage.py rebuild_summary``, the migrations that
    made the store, the demo data and the benchmark's bulk load. ``tables``
    names the tables to recompute (keys of :data:`COLUMNS`; default all): a
    migration adding a table fills only that one. Returns how many live
    rows were written."""
    names = tuple(tables) if tables is not None else tuple(COLUMNS)
    authority = apps.get_model("commissioning", "LocalAuthority")
    written = 0
    in_sql = connection.vendor == "postgresql"
    for la_id in authority._default_manager.order_by("pk").values_list("pk", flat=True):
        with transaction.atomic():
            lock_areas([la_id])
            for model in _models(apps, names):
                model._default_manager.filter(local_authority_id=la_id, kept=False).delete()
            if not in_sql:
                counts = _counts(Q(local_authority_id=la_id), apps=apps)
                written += _insert({n: counts[n] for n in names}, kept=False, apps=apps)
                continue
            # The contributions' tables by INSERT ... SELECT (millions of rows
            # at national scale); the requests' in Python, as always.
            if "request" in names:
                counts = _counts(Q(local_authority_id=la_id), apps=apps, contributions=False)
                written += _insert({"request": counts["request"]}, kept=False, apps=apps)
            with connection.cursor() as cursor:
                for name in names:
                    if name in REBUILD_SQL:
                        cursor.execute(REBUILD_SQL[name], [la_id])
                        written += cursor.rowcount
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
        kept = _insert(_counts(Q(child_id__in=ids), apps=apps), kept=True, apps=apps)
        for start in range(0, len(keys), BATCH):
            where = Q(pk__in=[])
            for la_id, day in keys[start : start + BATCH]:
                where |= Q(local_authority_id=la_id, received_on=day)
            _replace(where, apps=apps, without_children=ids)
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


def _replace(where: Q, *, apps, without_children=()) -> int:
    """Delete the live rows of the buckets ``where`` selects (a condition
    on ``local_authority_id`` and ``received_on``) and write them again
    from the casework of their requests."""
    for model in _models(apps):
        model._default_manager.filter(where, kept=False).delete()
    requests = where & ~Q(child_id__in=list(without_children)) if without_children else where
    return _insert(_counts(requests, apps=apps), kept=False, apps=apps)


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
                service_id,
                provider_id,
                process,
                due_on,
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


COLUMNS = {
    "request": (
        "RequestCount",
        (
            "local_authority_id",
            "received_on",
            "process",
            "primary_need",
            "age",
            "year_group",
            "looked_after",
            "electively_home_educated",
            "known_to_youth_justice",
            "continuing_care",
        ),
    ),
    "contribution": (
        "ContributionCount",
        (
            "local_authority_id",
            "received_on",
            "service_id",
            "provider_id",
            "process",
            "due_on",
            "verdict",
            "excepted",
            "withdrawn",
            "review_recorded",
        ),
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
