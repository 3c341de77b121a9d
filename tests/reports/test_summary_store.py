"""Report figures read from the summary store (reports/summary_store.py,
decision 0010): equal to the live computation from the casework on the demo
data, and unchanged by erasing a child."""

from __future__ import annotations

import dataclasses
import datetime
from collections import Counter

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from commissioning.models import CommissioningBody, LocalAuthority
from core import periods
from ehc import models as ehc
from ehc.summary import fill_overdue_month_ends
from governance import services as governance
from reports import metrics, summary_store
from reports.indicators import PeriodMetrics, Scope, Share, Stat
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
DAYS_150 = datetime.timedelta(days=150)


def both(monkeypatch, scope, period, *, today, trend=None):
    """The report from the store and from the casework alone."""
    stored = metrics.compute(scope, period, today=today, trend=trend)
    with monkeypatch.context() as patch:
        patch.setattr(summary_store, "serves", lambda reach: False)
        live = metrics.compute(scope, period, today=today, trend=trend)
    return stored, live


def figures(report) -> list[dict]:
    return [
        dataclasses.asdict(m)
        for m in (report.current, report.previous, report.year_earlier, *report.quarters)
    ]


@pytest.fixture
def demo(settings):
    settings.DEBUG = True
    call_command("seed_demo", size="small")


def test_every_figure_from_the_store_equals_the_live_computation_on_the_demo_data(
    demo, monkeypatch
):
    today = timezone.localdate()
    year = periods.financial_year(periods.financial_year_of(today) - 1)
    this_year = periods.financial_year(periods.financial_year_of(today))
    quarter = year.quarters()[-1]
    # From the middle of one month to the middle of another, seven months
    # on: whole months read by month, the days at either end by day.
    cutting = periods.custom(year.start + datetime.timedelta(days=40), year.end - DAYS_150)
    body = CommissioningBody.objects.filter(links__isnull=False).order_by("pk").first()
    la = LocalAuthority.objects.filter(advice_requests__isnull=False).order_by("pk").first()
    authorities = frozenset(
        LocalAuthority.objects.filter(advice_requests__isnull=False)
        .order_by("pk")
        .values_list("pk", flat=True)
        .distinct()[:2]
    )
    england, listed = Scope(label="England"), Scope(label="Two", la_ids=authorities)
    cases = [
        (england, year, year.quarters()),
        (england, this_year, this_year.quarters()),  # report day today: mid-month
        (england, periods.custom(today - datetime.timedelta(days=50), today), None),
        (england, cutting, None),
        (listed, year, year.quarters()),
        (listed, cutting, None),
        (Scope(label=body.name, body_id=body.pk), quarter, None),
        (Scope(label=body.name, body_id=body.pk), year, year.quarters()),
        (Scope(label=la.name, la_ids=frozenset({la.pk})), quarter, None),
    ]
    checked = 0
    for scope, period, trend in cases:
        stored, live = both(monkeypatch, scope, period, today=today, trend=trend)
        assert figures(stored) == figures(live), (scope, period)
        assert stored.names["la"] == live.names["la"]
        shown = set(stored.current.timely_by_service) | set(stored.current.by_service)
        assert {s: stored.names["service"][s] for s in shown} == {
            s: live.names["service"][s] for s in shown
        }
        checked += stored.current.requests + stored.current.timely.den
    assert checked > 100  # the demo has casework in these periods
    assert len(authorities) == 2


def test_england_and_a_body_read_whole_months_from_the_month_tables(demo):
    """A past financial year with its quarters, for England and for a body
    whose links begin with a whole month, is read from the month tables and
    only its report days' late contributions from the day tables: with
    every other day row gone, its figures are the same. The same body with
    a link that changes mid-month reads by day; without the month rows,
    England's requests by breakdown, timeliness, days to return, services
    and providers asked, quality reviews and provision gaps come from
    England's month rows; without those, they are gone too."""
    today = timezone.localdate()
    year = periods.financial_year(periods.financial_year_of(today) - 1)
    report_days = [p.end for p in (year, year.previous(), *year.quarters())]
    england = Scope(label="England")
    body = CommissioningBody.objects.filter(links__isnull=False).order_by("pk").first()
    by_body = Scope(label=body.name, body_id=body.pk)
    before = metrics.compute(england, year, today=today, trend=year.quarters())
    body_before = metrics.compute(by_body, year, today=today, trend=year.quarters())
    assert before.current.requests and before.current.timely.den and before.current.by_service
    assert body_before.current.requests and body_before.current.timely.den
    with transaction.atomic():
        for model in ehc.SUMMARY_MODELS:
            if model is ehc.ContributionCount:
                model.objects.exclude(due_on__in=report_days).delete()
            elif model is not ehc.LateCount:
                model.objects.all().delete()
        after = metrics.compute(england, year, today=today, trend=year.quarters())
        assert figures(after) == figures(before)
        body_after = metrics.compute(by_body, year, today=today, trend=year.quarters())
        assert figures(body_after) == figures(body_before)
        # The same authorities, the link cut in two on the 15th: by day.
        link = body.links.order_by("pk").first()
        split_on = year.start + datetime.timedelta(days=14)
        body.links.create(local_authority=link.local_authority, valid_from=split_on)
        link.valid_to = split_on - datetime.timedelta(days=1)
        link.save()
        by_day = metrics.compute(by_body, year, today=today, trend=year.quarters())
        # Only the report days' day rows are left (services asked on them may
        # still count, as the day of receipt decides that figure).
        assert by_day.current.requests == 0
        assert figures(by_day) != figures(body_before)
        for model in ehc.MONTH_MODELS:
            model.objects.all().delete()
        # England reads requests by each breakdown, timeliness, days to
        # return, services and providers asked, quality reviews and
        # provision gaps from England's month rows: those figures stay (the
        # totals by area come from the area rows).
        england_only = metrics.compute(england, year, today=today, trend=year.quarters())
        assert england_only.current.requests == 0
        assert before.current.by_provider
        for name in (
            "by_process",
            "by_need",
            "by_age_band",
            "by_group",
            "by_service",
            "by_provider",
        ):
            assert getattr(england_only.current, name) == getattr(before.current, name)
        for name in ("timely", "timely_by_provider", "median_days", "p90_days", "ratings"):
            assert getattr(england_only.current, name) == getattr(before.current, name)
        assert england_only.current.unavailable_provision == before.current.unavailable_provision
        for model in ehc.ENGLAND_MODELS:
            model.objects.all().delete()
        gone = metrics.compute(england, year, today=today, trend=year.quarters())
        assert gone.current.requests == 0 and gone.current.timely.den == 0
        assert not gone.current.by_service and not gone.current.by_provider
        transaction.set_rollback(True)


def move(area, *, since, moves_on):
    """The area's authority linked to its body from ``since`` to the day
    before ``moves_on``, then to a new body (returned)."""
    link = area.body.links.get(local_authority=area.local_authority)
    link.valid_from, link.valid_to = since, moves_on - datetime.timedelta(days=1)
    link.save()
    other = f.CommissioningBodyFactory()
    other.links.create(local_authority=area.local_authority, valid_from=moves_on)
    return other


@pytest.mark.parametrize("moves_on", [D(2026, 2, 1), D(2026, 2, 14)])
def test_an_authority_that_changes_body_is_counted_by_each_for_its_own_days(
    area, monkeypatch, moves_on
):
    """An authority moves from one body to another on ``moves_on`` (the
    first of a month: both bodies read whole months; mid-month: by day).
    Each body counts the requests received while it held the link, and the
    contributions of those requests whenever they fall due or come back,
    equal to the live computation from the casework."""
    q = periods.custom(D(2026, 1, 1), D(2026, 3, 31))
    la = area.local_authority
    other = move(area, since=D(2025, 4, 1), moves_on=moves_on)
    received = [D(2026, 1, 20), D(2026, 2, 3), D(2026, 2, 20), D(2026, 3, 2)]
    for day in received:
        request = f.HealthAdviceRequestFactory(
            child__local_authority=la, sent_on=day, received_on=day
        )
        # Due six weeks on (two of them inside the quarter), back late.
        f.ContributionFactory(
            request=request,
            service=area.service,
            asked_on=day,
            returned_on=day + datetime.timedelta(days=50),
            outcome=ehc.Outcome.ADVICE_GIVEN,
            late_reason="staffing",
        )
    first = Scope(label="first", body_id=area.body.pk)
    second = Scope(label="second", body_id=other.pk)
    for scope in (first, second):
        assert summary_store.reads_months(metrics._reach(scope)) is (moves_on.day == 1)
    held = {
        first: [d for d in received if d < moves_on],
        second: [d for d in received if d >= moves_on],
    }
    for scope, days in held.items():
        stored, live = both(monkeypatch, scope, q, today=D(2026, 6, 15))
        assert figures(stored) == figures(live)
        assert stored.current.requests == len(days)
        due_in_quarter = [d for d in days if d + datetime.timedelta(weeks=6) <= q.end]
        assert stored.current.timely == Share(0, len(due_in_quarter))
        assert stored.current.median_days.n == len(
            [d for d in days if d + datetime.timedelta(days=50) <= q.end]
        )


@pytest.mark.parametrize(
    "moves_on, by_month",
    [
        (D(2024, 3, 1), True),  # the old link ends on 29 February (leap year)
        (D(2023, 3, 1), True),  # ends on 28 February
        (D(2024, 2, 29), False),  # ends on 28 February of a leap year: mid-month
        (D(2024, 2, 1), True),  # ends on 31 January
    ],
)
def test_a_move_at_a_month_end_counts_reviews_and_provision_by_the_day_of_receipt(
    area, monkeypatch, moves_on, by_month
):
    """Returns, quality reviews and provision not available fall in later
    months than their requests' receipt; each body counts those of the
    requests it received, read by month only when the old link ends on
    the last day of a month (February's included), for periods of whole
    months and periods cutting them, equal to the live computation."""
    week = datetime.timedelta(weeks=1)
    la = area.local_authority
    other = move(area, since=D(2022, 7, 1), moves_on=moves_on)
    for k in range(16):
        day = moves_on + datetime.timedelta(days=9 * k - 70)
        contribution = f.ContributionFactory(
            request=f.HealthAdviceRequestFactory(
                child__local_authority=la, sent_on=day, received_on=day
            ),
            service=area.service,
            asked_on=day,
            returned_on=day + datetime.timedelta(days=38 + day.day % 20),
            outcome=ehc.Outcome.ADVICE_GIVEN,
            late_reason="staffing",
        )
        advice = f.AdviceFactory(contribution=contribution, written_on=contribution.returned_on)
        f.ProvisionItemFactory(advice=advice, available=False)
        f.QualityReviewFactory(advice=advice, reviewed_on=contribution.returned_on + 3 * week)
    cutting = periods.custom(moves_on - datetime.timedelta(days=45), moves_on + 17 * week)
    whole = periods.custom(
        moves_on.replace(day=1) - datetime.timedelta(days=1), moves_on + 23 * week
    )
    for scope in (
        Scope(label="first", body_id=area.body.pk),
        Scope(label="second", body_id=other.pk),
    ):
        assert summary_store.reads_months(metrics._reach(scope)) is by_month
        reviewed = 0
        for q in (cutting, whole):
            stored, live = both(monkeypatch, scope, q, today=D(2026, 11, 30))
            assert figures(stored) == figures(live), (scope.label, q)
            reviewed += sum(m.reviews for m in (stored.current, stored.previous))
        assert reviewed


def test_a_link_without_an_end_date_or_with_a_far_one_reads_months(area):
    """An open link, or one "ending" on the last day the calendar has
    (9999-12-31, a common placeholder), begins and ends with whole months."""
    link = area.body.links.get(local_authority=area.local_authority)
    scope = Scope(label="area", body_id=area.body.pk)
    assert summary_store.reads_months(metrics._reach(scope))
    link.valid_to = D(9999, 12, 31)
    link.save()
    assert summary_store.reads_months(metrics._reach(scope))
    link.valid_to = D(2030, 4, 30)
    link.save()
    assert summary_store.reads_months(metrics._reach(scope))
    link.valid_to = D(2030, 4, 29)
    link.save()
    assert not summary_store.reads_months(metrics._reach(scope))


def test_a_report_before_and_after_erasing_a_child_is_the_same(area):
    """Erasure removes the child's casework; the figures the store holds
    stay (issue 15: past reports still add up)."""
    q = periods.custom(D(2026, 1, 1), D(2026, 3, 31))
    scope = Scope(label="area", body_id=area.body.pk)
    goes = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2014, 2, 1))
    stays = f.ChildFactory(local_authority=area.local_authority, date_of_birth=D(2019, 2, 1))
    for child, returned in ((goes, D(2026, 2, 20)), (stays, D(2026, 2, 10))):
        request = f.HealthAdviceRequestFactory(
            child=child,
            sent_on=D(2026, 1, 5),
            received_on=D(2026, 1, 6),  # due 17 February 2026
            status=ehc.RequestStatus.CLOSED,
            closed_on=D(2026, 3, 1),
        )
        contribution = f.ContributionFactory(
            request=request,
            service=area.service,
            returned_on=returned,
            outcome=ehc.Outcome.ADVICE_GIVEN,
            late_reason="staffing" if returned > D(2026, 2, 17) else "",
        )
        if child == goes:  # advice with provision not available locally, reviewed
            advice = f.AdviceFactory(contribution=contribution, written_on=returned)
            f.ProvisionItemFactory(advice=advice, available=False)
            f.QualityReviewFactory(advice=advice, reviewed_on=D(2026, 3, 2))
    # 19 February: the erased child's contribution, due on the 17th, is out.
    to_19_feb = periods.custom(D(2026, 1, 1), D(2026, 2, 19))
    before = metrics.compute(scope, q, today=D(2026, 6, 15))
    overdue_before = metrics.compute(scope, to_19_feb, today=D(2026, 6, 15))
    # England and a list of authorities read January to March by month.
    by_month = [
        Scope(label="England"),
        Scope(label="One", la_ids=frozenset({area.local_authority.pk})),
    ]
    month_before = [figures(metrics.compute(s, q, today=D(2026, 6, 15))) for s in by_month]
    assert month_before[0] == month_before[1] == figures(before)
    assert (before.current.requests, before.current.timely) == (2, Share(1, 2))
    assert (before.current.reviews, before.current.unavailable_provision) == (1, 1)
    assert before.current.unavailable_by_service == {area.service.pk: 1}
    assert overdue_before.current.overdue == 1
    assert overdue_before.current.overdue_by_reason == {"staffing": 1}

    batch = governance.request_erasure(child=goes, reason="Asked for", by=area.administrator)
    governance.approve_batch(batch_id=batch.pk, by=area.administrator, today=D(2026, 6, 15))

    assert not ehc.Child.objects.filter(pk=goes.pk).exists()
    assert ehc.HealthAdviceRequest.objects.count() == 1
    after = metrics.compute(scope, q, today=D(2026, 6, 15))
    assert figures(after) == figures(before)
    assert figures(metrics.compute(scope, to_19_feb, today=D(2026, 6, 15))) == figures(
        overdue_before
    )
    assert ehc.QualityReview.objects.count() == 0 and ehc.ProvisionItem.objects.count() == 0
    assert after.current.median_days == Stat(40, 2)  # 35 and 45 days, the erased one's kept
    month_after = [figures(metrics.compute(s, q, today=D(2026, 6, 15))) for s in by_month]
    assert month_after == month_before
    # A rebuild recomputes the live rows and keeps the erased child's counts.
    call_command("rebuild_summary")
    assert figures(metrics.compute(scope, q, today=D(2026, 6, 15))) == figures(before)
    assert [figures(metrics.compute(s, q, today=D(2026, 6, 15))) for s in by_month] == month_before


def englands_overdue() -> Counter:
    """England's overdue rows (changes) summed by key, none summing to nothing."""
    rows = ehc.OverdueEngland.objects.values_list(
        "month", "service_id", "excepted", "late_reason", "band", "count"
    )
    summed = Counter()
    for *key, n in rows:
        summed[tuple(key)] += n
    return +summed


@pytest.mark.parametrize("england", [False, True, "filled"])
def test_overdue_counts_each_band_edge_and_the_days_it_is_judged_on(
    area, monkeypatch, today_is, england
):
    """Overdue on the period's last day by how long, at each band's edges
    (1, 14 | 15, 28 | 29, 56 | 57 days), and what stops it counting: a
    return on that day or the request closed on it (not the day after), or
    closed before the advice was even due. For a body and for England, from
    the late rows and, once its month ends are filled, from England's
    overdue rows, which the writer's changes had already made the same as
    a fill does."""
    today_is(D(2026, 6, 15))  # the writer's and the fill's today, as the report's
    as_of = D(2026, 3, 31)
    q = periods.custom(D(2026, 1, 1), as_of)
    scope = Scope(label="England") if england else Scope(label="area", body_id=area.body.pk)

    def out(days_overdue, **kwargs):
        due = as_of - datetime.timedelta(days=days_overdue)
        received = due - datetime.timedelta(weeks=6)
        closed_on = kwargs.pop("closed_on", None)
        request = f.HealthAdviceRequestFactory(
            child__local_authority=area.local_authority,
            sent_on=received,
            received_on=received,
            **({"status": ehc.RequestStatus.CLOSED, "closed_on": closed_on} if closed_on else {}),
        )
        return f.ContributionFactory(
            request=request, service=area.service, asked_on=received, **kwargs
        )

    for days in (1, 14, 15, 28, 29, 56, 57, 400):
        out(days)
    returned = {"outcome": ehc.Outcome.ADVICE_GIVEN, "late_reason": "staffing"}
    out(3, returned_on=as_of, **returned)  # back on the day: not overdue
    out(3, returned_on=as_of + datetime.timedelta(days=1), **returned)  # the day after: is
    out(20, closed_on=as_of)  # closed on the day: not overdue
    out(20, closed_on=as_of + datetime.timedelta(days=1))  # the day after: is
    out(20, closed_on=as_of - datetime.timedelta(days=23))  # closed before it was due: never
    if england == "filled":
        written = englands_overdue()
        assert fill_overdue_month_ends() > 0
        assert englands_overdue() == written  # the writer's changes, as a fill counts
        ehc.LateCount.objects.all().delete()  # so the figures below are England's rows'
    stored, live = both(monkeypatch, scope, q, today=D(2026, 6, 15))
    assert stored.current.overdue == 10
    assert stored.current.overdue_by_age == {"1-2w": 3, "2-4w": 3, "4-8w": 2, "8w+": 2}
    assert stored.current.overdue_by_reason == {"": 9, "staffing": 1}
    assert figures(stored) == figures(live)


def test_england_reads_a_month_end_from_its_overdue_rows_only_once_filled(
    area, monkeypatch, today_is
):
    """Month ends pass with no write and no fill: England's overdue on them
    comes from the late rows, equal to the live figures, and not from
    England's overdue rows, which hold nothing for them yet."""
    today_is(D(2026, 6, 15))
    request = f.HealthAdviceRequestFactory(
        child__local_authority=area.local_authority,
        sent_on=D(2026, 3, 3),
        received_on=D(2026, 3, 3),
    )
    f.ContributionFactory(request=request, service=area.service, asked_on=D(2026, 3, 3))
    assert fill_overdue_month_ends() == 2  # April and May: due on 14 April
    today_is(D(2026, 8, 5))  # June and July have ended since: neither written nor filled
    assert not ehc.OverdueEngland.objects.filter(month__gte=D(2026, 6, 1)).exists()
    q = periods.custom(D(2026, 4, 1), D(2026, 6, 30))
    stored, live = both(monkeypatch, Scope(label="England"), q, today=D(2026, 8, 5))
    assert stored.current.overdue == 1
    assert stored.current.overdue_by_age == {"8w+": 1}  # 77 days on 30 June
    assert figures(stored) == figures(live)


def test_contributions_due_on_the_report_day_are_not_judged_when_read_by_month(area, monkeypatch):
    """England for January to March (three whole months, read by month):
    a contribution due on 31 March and not back is not yet judged on the
    report day (31 March); one due on the 30th is late; one due on the
    31st and back on time counts on time. As the live computation says."""
    q = periods.custom(D(2026, 1, 1), D(2026, 3, 31))

    def due(on, returned_on=None):
        received = on - datetime.timedelta(weeks=6)
        request = f.HealthAdviceRequestFactory(
            child__local_authority=area.local_authority, sent_on=received, received_on=received
        )
        extra = {"outcome": ehc.Outcome.ADVICE_GIVEN} if returned_on else {}
        contribution = f.ContributionFactory(
            request=request,
            service=area.service,
            asked_on=received,
            returned_on=returned_on,
            **extra,
        )
        assert contribution.due_on == on

    due(D(2026, 3, 31))
    due(D(2026, 3, 30))
    due(D(2026, 3, 31), returned_on=D(2026, 3, 20))
    for scope in (
        Scope(label="England"),
        Scope(label="One", la_ids=frozenset({area.local_authority.pk})),
    ):
        stored, live = both(monkeypatch, scope, q, today=D(2026, 6, 15))
        assert stored.current.timely == Share(1, 2)
        assert figures(stored) == figures(live)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(
    spans=st.lists(
        st.tuples(st.integers(0, 800), st.integers(0, 400), st.integers(0, 900)),
        min_size=1,
        max_size=5,
    )
)
def test_segments_read_each_day_once_by_month_or_by_day(spans):
    """Every day of every segment is read exactly once: inside a whole
    month of the segment read by month, or else by day."""
    first_day = D(2024, 1, 1)
    metrics_ = []
    for start, length, report in spans:
        period = periods.custom(
            first_day + datetime.timedelta(days=start),
            first_day + datetime.timedelta(days=start + length),
        )
        as_of = min(period.end, first_day + datetime.timedelta(days=report))
        metrics_.append(PeriodMetrics(period=period, as_of=as_of))
    low = min(m.period.start for m in metrics_)
    high = max(m.period.end for m in metrics_)
    for as_of in (False, True):
        segments = summary_store._Segments(metrics_, low, high, as_of=as_of, by_month=True)
        read = Counter()
        for k, first, last in segments.days:
            day = first
            while day <= last:
                read[(k, day)] += 1
                day += datetime.timedelta(days=1)
        for k, first, last in segments.months:
            assert first.day == last.day == 1
            day = first
            while day < summary_store._next_month(last):
                read[(k, day)] += 1
                day += datetime.timedelta(days=1)
        expected = Counter()
        for k, (start, end) in enumerate(segments.bounds):
            day = start
            while day <= end:
                expected[(k, day)] += 1
                day += datetime.timedelta(days=1)
        assert read == expected
        assert segments.bounds[0][0] == low and segments.bounds[-1][1] == high
        for k, first, _ in segments.months:  # a month read lies inside its segment
            assert segments.bounds[k][0] <= first
