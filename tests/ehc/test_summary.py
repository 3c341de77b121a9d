"""The summary store's writer (ehc/summary.py, decision 0010): whatever the
services do, the store (day and month tables) equals a rebuild from the
casework and each month row holds what its days count; erased children's
counts move to kept rows that no recomputation touches."""

from __future__ import annotations

import contextlib
import datetime
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehc import groups, services
from ehc.models import (
    ENGLAND_MODELS,
    MONTH_MODELS,
    SUMMARY_MODELS,
    Contribution,
    ContributionCount,
    ContributionDueEngland,
    ContributionDueMonth,
    LateCount,
    OverdueEngland,
    OverdueEnglandFilled,
    ProvisionGapCount,
    QualityReviewCount,
    QualityReviewEngland,
    RequestCount,
    RequestMonth,
    ReturnCount,
    ReturnMonth,
)
from ehc.quality import CRITERIA_NAMES
from ehc.summary import (
    COLUMNS,
    MONTHS,
    compact_england,
    fill_england,
    fill_overdue_month_ends,
    keep_erased,
    rebuild_summary,
    refresh_summary,
)
from tests import factories as f
from tests.ehc.helpers import ADVICE
from tests.ehc.test_services_urgency import STEPS, TODAY, Casework, days

pytestmark = pytest.mark.django_db

D = datetime.date


# England's timeliness counts (ContributionDueEngland's columns), each
# worked out here from a due month row's verdict and flags: what the
# timeliness figures count (reports.metrics), written again apart from
# ehc.summary.TIMELINESS_COUNTS so the two check each other.
TIMELINESS = {
    "withdrawn": lambda row: row["withdrawn"],
    "counted": lambda row: not row["withdrawn"],
    "on_time": lambda row: not row["withdrawn"] and row["verdict"] == "on_time",
    "excepted": lambda row: not row["withdrawn"] and row["excepted"],
    "excepted_on_time": lambda row: (
        not row["withdrawn"] and row["excepted"] and row["verdict"] == "on_time"
    ),
    "unrecorded": lambda row: not row["withdrawn"] and not row["review_recorded"],
}

# England's quality review counts (QualityReviewEngland's columns): one per
# rating, named as the rating.
RATINGS = ("green", "amber", "red")


def counted_in(model) -> tuple[str, ...]:
    """The columns of ``model`` holding counts."""
    if model is ContributionDueEngland:
        return tuple(TIMELINESS)
    if model is QualityReviewEngland:
        return RATINGS
    return ("count",)


def columns(model) -> list[str]:
    """The attnames :func:`store` keys a table's counts by, in order."""
    counts = {"id", *counted_in(model)}
    return [f.attname for f in model._meta.concrete_fields if f.attname not in counts]


def store() -> dict[str, Counter]:
    """Every table's counts by its dimensions (and kept flag: day tables);
    England's rows, changes, summed by key (a key summing to nothing left
    out, one summing below it kept: never right). A table with several
    count columns is keyed by the column's name too."""
    found = {}
    for model in (*SUMMARY_MODELS, *MONTH_MODELS, *ENGLAND_MODELS, OverdueEngland):
        names, counted = columns(model), counted_in(model)
        counts = Counter()
        for row in model.objects.values_list(*names, *counted):
            key = tuple(row[: len(names)])
            if counted == ("count",):
                counts[key] += row[-1]
                continue
            for name, n in zip(counted, row[len(names) :], strict=True):
                counts[(*key, name)] += n
        found[model.__name__] = Counter({key: n for key, n in counts.items() if n})
    return found


def without_kept(found: dict[str, Counter]) -> dict[str, Counter]:
    """``found`` (from :func:`store`) with kept and live rows added together."""
    merged = {}
    days = {model.__name__ for model in SUMMARY_MODELS}
    for name, counts in found.items():
        merged[name] = Counter()
        for key, n in counts.items():
            # (area, day, kept, ...): kept dropped (month rows have no flag)
            merged[name][key[:2] + key[3:] if name in days else key] += n
    return merged


def breakdowns(row: dict) -> list[dict]:
    """The request month rows a request day row counts in, worked out in
    Python: once by process, need and age, and once per group it is in
    (ehc.groups: year 9 or above and 18 to 25 on the day of receipt, the
    child's flags)."""
    found = [
        {"breakdown": "process", "key": row["process"]},
        {"breakdown": "need", "key": row["primary_need"]},
        {"breakdown": "age", "key": str(row["age"])},
    ]
    in_groups = {
        groups.YEAR_9: row["year_group"] >= 9,
        groups.AGED_18_TO_25: 18 <= row["age"] <= 25,
        **{key: row[flag] for key, flag in groups.FLAGS.items()},
    }
    return found + [{"breakdown": "group", "key": key} for key, yes in in_groups.items() if yes]


def months_of_days(found: dict[str, Counter]) -> dict[str, Counter]:
    """The month tables as the day tables of ``found`` (from :func:`store`)
    add up, in Python: each day row, live or kept, counted in the month of
    the month table's date."""
    months = {}
    for model in MONTH_MODELS:
        table, date, _ = MONTHS[model.__name__]
        day_model = next(m for m in SUMMARY_MODELS if m.__name__ == COLUMNS[table][0])
        counts = Counter()
        for key, n in found[day_model.__name__].items():
            row = dict(zip(columns(day_model), key, strict=True))
            row["month"] = row[date].replace(day=1)
            row["received_month"] = row["received_on"].replace(day=1)
            for breakdown in breakdowns(row) if model is RequestMonth else [{}]:
                row.update(breakdown)
                counts[tuple(row[name] for name in columns(model))] += n
        months[model.__name__] = +counts
    return months


def england_of_months(found: dict[str, Counter]) -> dict[str, Counter]:
    """England's month rows as the month tables of ``found`` add up, in
    Python: each month row counted by its month and dimensions, without its
    area and month of receipt; timeliness by service and provider for reg 8
    advice only."""
    england = {}
    for model in ENGLAND_MODELS:
        source = next(m for m in MONTH_MODELS if m.__name__ == model.SOURCE)
        counts = Counter()
        for key, n in found[source.__name__].items():
            row = dict(zip(columns(source), key, strict=True))
            key = tuple(row[name] for name in columns(model))
            if model is QualityReviewEngland:  # a count per rating
                counts[(*key, row["rating"])] += n
                continue
            if model is not ContributionDueEngland:
                counts[key] += n
                continue
            if row["process"] not in ("needs_assessment", "reassessment"):
                # Not reg 8 advice: counted by month and process alone.
                row |= {"service_id": None, "provider_id": None}
                key = tuple(row[name] for name in columns(model))
            for name, counts_it in TIMELINESS.items():
                if counts_it(row):
                    counts[(*key, name)] += n
        england[model.__name__] = +counts
    return england


def overdue_of_late_rows(found: dict[str, Counter]) -> Counter:
    """England's overdue on each month end before today as the late rows of
    ``found`` (live and kept) count it, in Python, day by day from the
    definition (docs/reports.md, "Overdue"): due before the month's last
    day, not returned by it, the request not closed by it; the band by the
    days from the due date to that day."""
    today = timezone.localdate()
    counts = Counter()
    for key, n in found["LateCount"].items():
        row = dict(zip(columns(LateCount), key, strict=True))
        month = row["due_on"].replace(day=1)
        while True:
            last = (month + datetime.timedelta(days=31)).replace(day=1) - datetime.timedelta(days=1)
            if last >= today:
                break
            out = (
                row["due_on"] < last
                and (row["returned_on"] is None or row["returned_on"] > last)
                and (row["closed_on"] is None or row["closed_on"] > last)
            )
            if out:
                late_by = (last - row["due_on"]).days
                band = next(
                    b
                    for b, low, high in BANDS
                    if low <= late_by and (high is None or late_by <= high)
                )
                counts[(month, row["service_id"], row["excepted"], row["late_reason"], band)] += n
            month = last + datetime.timedelta(days=1)
    return +counts


# The reports' bands of days overdue, written out again here.
BANDS = (("1-2w", 1, 14), ("2-4w", 15, 28), ("4-8w", 29, 56), ("8w+", 57, None))


def check_months(found: dict[str, Counter]) -> None:
    """Every month row holds what its days count, and nothing else; England's
    rows sum to what the month rows count, and England's overdue rows to
    what the late rows count on each month end before today."""
    assert {name: found[name] for name in MONTHS} == months_of_days(found)
    assert {m.__name__: found[m.__name__] for m in ENGLAND_MODELS} == england_of_months(found)
    assert found["OverdueEngland"] == overdue_of_late_rows(found)


def rebuilt() -> dict[str, Counter]:
    """What a rebuild would leave (the rebuild itself rolled back)."""
    with transaction.atomic():
        rebuild_summary()
        found = store()
        transaction.set_rollback(True)
    return found


class ChildCasework(Casework):
    """The urgency property test's casework, and a change of the child's
    breakdowns (need, date of birth, looked after) that past requests count by."""

    def child_changed(self, which, index, offset):
        child = self.request(which).child
        services.update_child(
            child=child,
            values={
                "primary_need": ("ASD", "SLCN", "SEMH")[index % 3],
                "date_of_birth": D(2012 + offset % 6, 5, 1),
                "looked_after": bool(offset % 2),
            },
            by=self.by,
            expected_version=child.version,
        )

    def provision(self, which, index, offset):
        """Advice (written if none yet) with a row of provision not available
        locally, or that row made available again, or moved to another day."""
        c = self.contribution(which, index)
        advice = getattr(c, "advice", None)
        rows = [
            {
                "description": "Speech and language therapy",
                "delivered_by": "Speech and language therapist",
                "frequency": "Weekly",
                "duration": "30 minutes for a term",
                "section": "G",
                "available": bool(offset % 2),
            }
        ]
        if advice is not None and (row := advice.provision.first()) is not None:
            rows[0]["id"] = row.pk
        written = max(c.asked_on, days(offset))
        if c.returned_on is not None:
            written = min(written, c.returned_on)
        services.save_advice(
            contribution=c,
            values={**ADVICE, "written_on": min(written, c.due_on)},
            provision=rows,
            by=self.by,
            expected_version=advice.version if advice is not None else None,
        )

    def reviewed(self, which, index, offset):
        """A quality review of the contribution's advice (rated by how many
        criteria ``offset`` ticks), or a change of it."""
        c = self.contribution(which, index)
        advice = getattr(c, "advice", None)
        if advice is None:
            return
        review = getattr(advice, "review", None)
        services.save_review(
            advice=advice,
            reviewed_on=max(advice.written_on, days(offset)),
            criteria=CRITERIA_NAMES[: offset % (len(CRITERIA_NAMES) + 1)],
            by=self.by,
            expected_version=review.version if review is not None else None,
        )


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from([*STEPS, "child_changed", "provision", "reviewed"]),
            st.integers(0, 1),
            st.integers(0, 2),
            st.integers(0, 30),
        ),
        max_size=8,
    )
)
def test_the_store_equals_a_rebuild_after_any_service_calls(area, today_is, steps):
    today_is(TODAY)
    with transaction.atomic():
        work = ChildCasework(area)
        assert store() == rebuilt()
        for name, which, index, offset in steps:
            try:
                getattr(work, name)(which, index, offset)
            except (ValidationError, services.StaleEdit):
                pass  # a refused call changes nothing (its transaction is rolled back)
            now = store()
            assert now == rebuilt(), (name, which, index, offset)
            check_months(now)
        transaction.set_rollback(True)


def test_advice_provision_and_reviews_follow_their_request_between_buckets(area, today_is):
    """Provision not available and quality reviews are counted in the
    request's bucket, recounted when either changes, and move with the
    request to a new receipt day or stop being late once it is closed."""
    today_is(TODAY)
    work = ChildCasework(area)
    for step, offset in (
        ("provision", 10),
        ("reviewed", 9),
        ("provision", 11),  # the row made available: no gap
        ("provision", 12),  # and unavailable again, written a day later
        ("reviewed", 3),  # fewer criteria met: another rating
        ("received", 35),  # five days earlier
        ("status", 0),
    ):
        getattr(work, step)(0, 0, offset)
        assert store() == rebuilt(), step
    gap = ProvisionGapCount.objects.get()
    assert (gap.count, gap.written_on) == (1, work.contribution(0, 0).advice.written_on)
    review = QualityReviewCount.objects.get()
    assert (review.rating, review.count) == ("red", 1)
    assert {gap.received_on, review.received_on} == {work.request(0).received_on}


def test_the_sequences_move_requests_between_buckets(area, today_is):
    """A new receipt day leaves nothing in the old bucket."""
    today_is(TODAY)
    work = ChildCasework(area)
    before = set(RequestCount.objects.values_list("received_on", flat=True))
    request = work.request(0)
    services.update_request(
        request=request,
        values={
            "received_on": request.received_on - datetime.timedelta(days=10),
            "sent_on": request.sent_on - datetime.timedelta(days=10),
        },
        status="open",
        by=work.by,
        expected_version=request.version,
    )
    after = set(RequestCount.objects.values_list("received_on", flat=True))
    assert before != after and len(after) == 2
    assert store() == rebuilt()


def test_a_bucket_holds_what_its_requests_count(area, today_is):
    today_is(D(2026, 6, 15))
    child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2012, 9, 2))
    request = f.HealthAdviceRequestFactory(
        child=child, sent_on=D(2026, 3, 2), received_on=D(2026, 3, 3)
    )  # due 14 April 2026
    f.ContributionFactory(
        request=request, returned_on=D(2026, 4, 20), outcome="advice_given", late_reason="staffing"
    )
    row = RequestCount.objects.get()
    assert (row.received_on, row.age, row.year_group, row.count) == (D(2026, 3, 3), 13, 8, 1)
    timely = ContributionCount.objects.get()
    assert (timely.due_on, timely.verdict, timely.excepted, timely.count) == (
        D(2026, 4, 14),
        "late",
        False,
        1,
    )
    returned = ReturnCount.objects.get()
    assert (returned.returned_on, returned.days) == (D(2026, 4, 20), 48)  # 3 March to 20 April


def received_again(request, day: datetime.date, *, by) -> None:
    """The LA sent and health received ``request`` on ``day`` after all
    (a correction through the service, as an officer makes it)."""
    services.update_request(
        request=request,
        values={"received_on": day, "sent_on": day},
        status="open",
        by=by,
        expected_version=request.version,
    )


def test_a_month_row_holds_what_its_days_count(area, today_is):
    """Requests received on two days of March and one of April: one row
    per month (the month's first day) with its days' counts; the
    contributions counted in the months they are due and returned in, apart
    by the month of receipt; the April request moved to March leaves no
    April row."""
    today_is(D(2026, 6, 15))
    la = area.local_authority
    made = []
    for received, returned in (
        (D(2026, 3, 3), D(2026, 4, 10)),  # due 14 April: on time
        (D(2026, 3, 31), D(2026, 5, 20)),  # due 12 May: late
        (D(2026, 4, 1), None),  # due 13 May: out
    ):
        child = f.ChildFactory(local_authority=la, date_of_birth=D(2012, 9, 2))
        request = f.HealthAdviceRequestFactory(child=child, sent_on=received, received_on=received)
        f.ContributionFactory(
            request=request,
            returned_on=returned,
            **({"outcome": "advice_given", "late_reason": "staffing"} if returned else {}),
        )
        made.append(request)
    by_month = dict(RequestMonth.objects.filter(breakdown="process").values_list("month", "count"))
    assert by_month == {D(2026, 3, 1): 2, D(2026, 4, 1): 1}
    due = Counter()
    rows = ContributionDueMonth.objects.values_list("month", "received_month", "verdict", "count")
    for month, received_month, verdict, n in rows:
        due[(month, received_month, verdict)] += n
    # May's two apart by the month their requests were received.
    assert due == {
        (D(2026, 4, 1), D(2026, 3, 1), "on_time"): 1,
        (D(2026, 5, 1), D(2026, 3, 1), "late"): 1,
        (D(2026, 5, 1), D(2026, 4, 1), "out"): 1,
    }
    assert set(ReturnMonth.objects.values_list("month", flat=True)) == {
        D(2026, 4, 1),
        D(2026, 5, 1),
    }
    request = made[2]
    received_again(request, D(2026, 3, 30), by=area.officer)
    by_month = dict(RequestMonth.objects.filter(breakdown="process").values_list("month", "count"))
    assert by_month == {D(2026, 3, 1): 3}  # April's row gone
    check_months(store())
    assert store() == rebuilt()


def test_englands_rows_are_changes_that_compaction_folds(area, today_is, capsys):
    """A contribution due in April left out, returned on time, then due in
    March and so late (its request's day of receipt corrected): England's
    timeliness rows hold each change (counted +1; on time +1; all of
    April's taken back and March's added), summing to what the month rows count;
    compaction leaves one row per key, none for April's, which sums to
    nothing, and every sum as it was."""
    today_is(D(2026, 6, 15))
    child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2012, 9, 2))
    request = f.HealthAdviceRequestFactory(
        child=child, sent_on=D(2026, 3, 3), received_on=D(2026, 3, 3)
    )
    contribution = f.ContributionFactory(request=request)
    timeliness = ("month", "counted", "on_time", "unrecorded")
    assert list(ContributionDueEngland.objects.values_list(*timeliness)) == [
        (D(2026, 4, 1), 1, 0, 1)
    ]
    contribution.refresh_from_db()
    services.record_return(
        contribution=contribution,
        returned_on=D(2026, 4, 10),
        outcome="advice_given",
        by=area.officer,
        expected_version=contribution.version,
    )
    changes = sorted(ContributionDueEngland.objects.values_list(*timeliness))
    # Counted once, now on time as well (the row's change: on time +1).
    assert changes == [(D(2026, 4, 1), 0, 1, 0), (D(2026, 4, 1), 1, 0, 1)]
    request.refresh_from_db()
    received_again(request, D(2026, 2, 10), by=area.officer)
    changes = sorted(ContributionDueEngland.objects.values_list(*timeliness))
    assert changes[0] == (D(2026, 3, 1), 1, 0, 1)  # due 24 March, returned late
    assert (D(2026, 4, 1), -1, -1, -1) in changes
    before = store()
    check_months(before)
    call_command("rebuild_summary", "--compact-england")
    assert "England's month rows" in capsys.readouterr().out
    assert list(ContributionDueEngland.objects.values_list(*timeliness)) == [
        (D(2026, 3, 1), 1, 0, 1)
    ]
    for model in (*ENGLAND_MODELS, OverdueEngland):  # one row per key
        keys = model.objects.values_list(*columns(model))
        assert len(keys) == len(set(keys))
    assert store() == before
    # Again: nothing to fold (England's overdue rows as well).
    tables = (*ENGLAND_MODELS, OverdueEngland)
    assert compact_england() == sum(m.objects.count() for m in tables)
    assert store() == before


def while_held_open(held, then) -> None:
    """PostgreSQL: run ``held`` in another thread and connection inside a
    transaction kept open, then ``then`` here in a transaction of its own,
    the first committed half a second after the second started (so
    ``then`` meets ``held``'s uncommitted work, and waits for it if a
    lock says so)."""
    import threading

    from django.db import connections

    holding, release = threading.Event(), threading.Event()

    def worker():
        try:
            with transaction.atomic():
                held()
                holding.set()
                release.wait(timeout=10)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        assert holding.wait(timeout=10)
        threading.Timer(0.5, release.set).start()
        with transaction.atomic():
            then()
    finally:
        release.set()
        thread.join()


@contextlib.contextmanager
def migrated_back_to(migration: str):
    """The database migrated back to ehc's ``migration`` for the block,
    which gets that migration's model registry; forward again to the
    latest after it, whatever happened."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    target = ("ehc", migration)
    executor = MigrationExecutor(connection)
    try:
        executor.migrate([target])
        yield executor.loader.project_state([target]).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_migration_0030_folds_englands_timeliness_rows_and_back(area, today_is):
    """Migrating back to 0029 leaves England's timeliness rows one per
    verdict and flags, as 0029 wrote them; forward again, one per service
    and process holding the counts, and every count of the store as it was."""
    today_is(D(2026, 6, 15))
    late = f.ContributionFactory(request__child__local_authority=area.local_authority)
    f.ContributionFactory(request=late.request, service=f.ServiceFactory(provider=area.provider))
    right = store()
    with migrated_back_to("0029_england_month_rows") as old_apps:
        old = old_apps.get_model("ehc", "ContributionDueEngland")
        by_verdict = Counter()
        for month, verdict, withdrawn, n in old.objects.values_list(
            "month", "verdict", "withdrawn", "count"
        ):
            by_verdict[(month, verdict, withdrawn)] += n
        due = late.due_on.replace(day=1)
        assert by_verdict == {(due, "out", False): 2}
    assert store() == right
    assert ContributionDueEngland.objects.count() == 2  # a row per service


@pytest.mark.django_db(transaction=True)
def test_migration_0032_keeps_the_service_for_reg8_advice_only_and_back(area, today_is):
    """Migrating back to 0031 gives every process's timeliness rows in
    England a service again; forward, only reg 8 advice (new assessments
    and reassessments) keeps one, the other processes' rows are one per
    month and process, and every count of the store is as it was."""
    today_is(D(2026, 6, 15))
    la = area.local_authority
    reg8 = f.ContributionFactory(request__child__local_authority=la)
    again = f.ContributionFactory(
        request__child__local_authority=la, request__process="reassessment"
    )
    review = f.ContributionFactory(
        request__child__local_authority=la, request__process="annual_review"
    )
    other = f.ContributionFactory(
        request=review.request, service=f.ServiceFactory(provider=area.provider)
    )
    right = store()
    fields = ("process", "service_id", "counted")
    with migrated_back_to("0031_england_overdue_month_ends") as old_apps:
        old = old_apps.get_model("ehc", "ContributionDueEngland")
        assert sorted(old.objects.values_list(*fields), key=str) == sorted(
            [
                ("annual_review", review.service_id, 1),
                ("annual_review", other.service_id, 1),
                ("needs_assessment", reg8.service_id, 1),
                ("reassessment", again.service_id, 1),
            ],
            key=str,
        )
    assert store() == right
    assert sorted(ContributionDueEngland.objects.values_list(*fields), key=str) == sorted(
        [
            ("annual_review", None, 2),
            ("needs_assessment", reg8.service_id, 1),
            ("reassessment", again.service_id, 1),
        ],
        key=str,
    )


@pytest.mark.django_db(transaction=True)
def test_migration_0034_folds_englands_ratings_into_counts_and_back(area, today_is):
    """Migrating back to 0033 gives England's quality review rows a row per
    rating again; forward, one per service holding a count per rating, and
    every count of the store as it was."""
    from ehc.quality import QUALITY_CRITERIA

    today_is(D(2026, 11, 15))
    la = area.local_authority
    names = [name for name, _, _ in QUALITY_CRITERIA]
    ratings = Counter()
    for met in (len(names), len(names), 0):  # two rated green, one red
        contribution = f.ContributionFactory(
            request__child__local_authority=la, service=area.service
        )
        review = f.QualityReviewFactory(
            advice__contribution=contribution, **{n: True for n in names[:met]}
        )
        ratings[review.rating] += 1
    assert ratings == {"green": 2, "red": 1}
    right = store()
    with migrated_back_to("0033_request_month_totals_by_area_index") as old_apps:
        old = old_apps.get_model("ehc", "QualityReviewEngland")
        assert sorted(old.objects.values_list("service_id", "rating", "count")) == [
            (area.service.pk, "green", 2),
            (area.service.pk, "red", 1),
        ]
    assert store() == right
    row = QualityReviewEngland.objects.get()
    assert (row.service_id, row.green, row.amber, row.red) == (area.service.pk, 2, 0, 1)


def test_filling_named_england_tables_leaves_the_others(area):
    """fill_england(names=...) writes only the England rows of the month
    tables named (as the migrations that reshape one table call it), and
    refuses a name with no England rows."""
    from ehc.models import RequestEngland

    f.ContributionFactory(request__child__local_authority=area.local_authority)
    right = store()
    requests_before = set(RequestEngland.objects.values_list("pk", flat=True))
    due_before = set(ContributionDueEngland.objects.values_list("pk", flat=True))
    assert fill_england(names=["ContributionDueMonth"]) == 1
    assert set(RequestEngland.objects.values_list("pk", flat=True)) == requests_before
    assert not due_before & set(ContributionDueEngland.objects.values_list("pk", flat=True))
    assert store() == right
    with pytest.raises(ValueError, match="ContributionCount"):
        fill_england(names=["ContributionCount"])  # a day table


@pytest.mark.django_db(transaction=True)
def test_a_fill_waits_for_a_compaction_in_progress(area):
    """PostgreSQL, read committed: a fill (rebuild_summary's last step)
    started while a compaction is uncommitted waits for it (ehc.summary.
    lock_england), then replaces its sums; without the lock the fill's
    delete skipped the rows the compaction had folded, could not see the
    sums it inserted, and every key came out twice."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    f.ContributionFactory(request__child__local_authority=area.local_authority)
    f.ContributionFactory(request__child__local_authority=area.local_authority)
    right = store()
    while_held_open(compact_england, fill_england)
    assert store() == right
    assert sum(ContributionDueEngland.objects.values_list("counted", flat=True)) == 2


def test_erased_childrens_counts_are_kept_and_no_longer_recomputed(area, today_is):
    today_is(D(2026, 6, 15))
    goes = f.HealthAdviceRequestFactory(
        child__local_authority=area.local_authority,
        sent_on=D(2026, 3, 3),
        received_on=D(2026, 3, 3),
    )
    stays = f.HealthAdviceRequestFactory(
        child__local_authority=area.local_authority,
        sent_on=D(2026, 3, 3),
        received_on=D(2026, 3, 3),
    )
    f.ContributionFactory(request=goes)
    f.ContributionFactory(request=stays)
    before = store()
    # A request, a contribution (and, not returned, one that can be overdue), a provider asked.
    assert keep_erased([goes.child_id]) == 4
    assert store() != before  # now split into live and kept rows ...
    # ... which add up to the same counts; the month rows are unchanged.
    assert without_kept(store()) == without_kept(before)
    assert {n: store()[n] for n in MONTHS} == {n: before[n] for n in MONTHS}
    check_months(store())
    goes.contributions.all().delete()
    goes.delete()
    refresh_summary([stays.pk])
    rebuild_summary()
    assert sum(RequestCount.objects.values_list("count", flat=True)) == 2
    assert RequestCount.objects.filter(kept=True).count() == 1
    # The kept request and the live one (one row per breakdown).
    assert RequestMonth.objects.get(breakdown="process").count == 2
    check_months(store())
    assert store() == rebuilt()


def overdue_since_march(area):
    """A contribution asked on 3 March 2026, due on 14 April and never
    returned: overdue on the last days of April, May and so on."""
    request = f.HealthAdviceRequestFactory(
        child__local_authority=area.local_authority,
        sent_on=D(2026, 3, 3),
        received_on=D(2026, 3, 3),
    )
    contribution = f.ContributionFactory(request=request, asked_on=D(2026, 3, 3))
    assert contribution.due_on == D(2026, 4, 14)
    return contribution


def test_the_repair_command_recomputes_the_store(area, today_is, capsys):
    today_is(D(2026, 6, 15))
    overdue_since_march(area)
    right = store()
    assert right["OverdueEngland"]  # April's and May's last days
    RequestCount.objects.update(count=7)
    ContributionCount.objects.all().delete()
    ContributionDueEngland.objects.update(on_time=5)  # England's rows repaired too
    OverdueEngland.objects.update(count=9)
    call_command("rebuild_summary")
    assert store() == right
    assert "live rows" in capsys.readouterr().out


def test_a_rebuild_keeps_englands_overdue_with_each_area_it_recounts(area, today_is, monkeypatch):
    """A return recorded outside the services leaves the late rows stale;
    a rebuild recounts them area by area, and England's overdue follows
    each area's recount as a write's would, without waiting for the final
    fill (here left out): right if the rebuild stops after any area."""
    import ehc.summary

    today_is(D(2026, 6, 15))
    contribution = overdue_since_march(area)
    assert fill_overdue_month_ends() == 2
    Contribution.objects.filter(pk=contribution.pk).update(
        returned_on=D(2026, 5, 10), outcome="advice_given"
    )
    monkeypatch.setattr(ehc.summary, "refill_overdue", lambda **kwargs: 0)
    rebuild_summary()
    found = store()
    check_months(found)
    # Out on 30 April only now (returned on 10 May).
    assert {key[0] for key in found["OverdueEngland"]} == {D(2026, 4, 1)}


def test_englands_overdue_is_filled_for_each_month_end_as_it_passes(area, today_is, capsys):
    """The writer keeps England's overdue on every month end before today;
    a month end is read once filled: nightly, each one that has passed and
    is not filled yet (the month just ended), and again nothing until the
    next month ends. What is filled is what the late rows count."""
    today_is(D(2026, 6, 15))
    overdue_since_march(area)
    by_month = dict(OverdueEngland.objects.values_list("month", "band"))
    assert by_month == {D(2026, 4, 1): "2-4w", D(2026, 5, 1): "4-8w"}  # 16 and 47 days
    assert not OverdueEnglandFilled.objects.exists()  # nothing read from them yet
    assert fill_overdue_month_ends() == 2  # April and May: from the due date to last month
    assert sorted(OverdueEnglandFilled.objects.values_list("month", flat=True)) == [
        D(2026, 4, 1),
        D(2026, 5, 1),
    ]
    check_months(store())
    assert fill_overdue_month_ends() == 0  # nothing new before July
    today_is(D(2026, 7, 1))
    call_command("rebuild_summary", "--fill-overdue")
    assert "1 month ends filled" in capsys.readouterr().out
    assert OverdueEngland.objects.get(month=D(2026, 6, 1)).band == "8w+"  # 77 days
    check_months(store())


@pytest.mark.django_db(transaction=True)
def test_two_writers_recounting_one_bucket_at_once_count_each_request_once(area):
    """PostgreSQL, read committed: a writer recounting a bucket while another
    holds it uncommitted waits for it (ehc.summary.lock_areas), then sees its
    rows; without the lock both deleted what they could see and both
    inserted a whole count, doubling the bucket."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("SQLite has one writer at a time")
    today = datetime.date.today()
    first = f.HealthAdviceRequestFactory(
        child=f.ChildFactory(local_authority=area.local_authority), received_on=today
    )
    second = f.HealthAdviceRequestFactory(
        child=f.ChildFactory(local_authority=area.local_authority), received_on=today
    )
    # The second recount waits for the first's commit, then counts both.
    while_held_open(lambda: refresh_summary([first.pk]), lambda: refresh_summary([second.pk]))
    bucket = RequestCount.objects.filter(local_authority=area.local_authority, received_on=today)
    assert sum(bucket.values_list("count", flat=True)) == 2
