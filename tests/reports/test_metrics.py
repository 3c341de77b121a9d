"""reports/metrics.py against small hand-built data and hand-worked figures.

The quarter is Q1 2026/27 (1 April to 30 June 2026), viewed on 15 July 2026.
Every request is received by health on the date given; advice is due 6 weeks
(42 days) later.

    R1 received 1 Apr (due 13 May), age 9, ASD, needs assessment
        C1 service 1 returned 13 May   on time, 42 days
        C2 service 2 returned 20 May   late, 49 days (staffing)
    R2 received 1 May (due 12 Jun), age 4, SLCN, annual review
        C3 service 1 returned 1 Jun    on time, 31 days
        C4 service 2 not returned      overdue 18 days on 30 Jun (waiting list)
    R3 received 10 Jun (due 22 Jul), age 18, ASD, needs assessment
        C5 service 1 not returned      not yet due
    R4 received 20 Mar (previous quarter; due 1 May)
        C6 service 1 returned 5 May    late, 46 days, lawful exception (b)
    R5 received 10 Jan (previous quarter; due 21 Feb)
        C7 service 1 returned 20 Feb   on time, 41 days
    R6 received 15 Apr 2025 (a year earlier; due 27 May 2025)
        C8 service 1 returned 20 Jun 2025  late, 66 days

Q1: 3 requests; timeliness over C1, C2, C3, C4, C6 (due in Q1) = 2 of 5
(40%), without the excepted C6 = 2 of 4 (50%); days to return over C1, C2,
C3, C6 = [31, 42, 46, 49]: median 44, 90th percentile 46 + 0.7 x 3 = 48.1.
"""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.periods import parse_period
from ehc import models as ehc
from ehc.quality import QUALITY_CRITERIA
from reports import metrics
from reports.indicators import Scope, Share, Stat
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 7, 15)
Q1 = parse_period("2026-q1")


NINE_IN_APRIL = D(2016, 5, 14)


def request(area, received, *, born=NINE_IN_APRIL, need=ehc.PrimaryNeed.ASD, **kwargs):
    child = f.ChildFactory(
        local_authority=area.local_authority, date_of_birth=born, primary_need=need
    )
    return f.HealthAdviceRequestFactory(
        child=child, sent_on=received, received_on=received, **kwargs
    )


def contribution(req, service, returned=None, **kwargs):
    if returned is not None:
        kwargs.setdefault("outcome", ehc.Outcome.ADVICE_GIVEN)
    return f.ContributionFactory(request=req, service=service, returned_on=returned, **kwargs)


def review(contribution_, reviewed_on, criteria: int, reviewer):
    advice = f.AdviceFactory(contribution=contribution_, written_on=contribution_.returned_on)
    names = [name for name, _, _ in QUALITY_CRITERIA]
    return ehc.QualityReview.objects.create(
        advice=advice,
        reviewer=reviewer,
        reviewed_on=reviewed_on,
        **{n: True for n in names[:criteria]},
    )


@pytest.fixture
def casework(area, other_area):
    s1 = area.service
    s2 = f.ServiceFactory(name="Speech and language therapy")
    r1 = request(area, D(2026, 4, 1))
    c1 = contribution(r1, s1, D(2026, 5, 13))
    contribution(r1, s2, D(2026, 5, 20), late_reason=ehc.LateReason.STAFFING)
    r2 = request(
        area,
        D(2026, 5, 1),
        born=D(2022, 1, 1),
        need=ehc.PrimaryNeed.SLCN,
        process=ehc.Process.ANNUAL_REVIEW,
    )
    c3 = contribution(r2, s1, D(2026, 6, 1))
    contribution(r2, s2, late_reason=ehc.LateReason.WAITING_LIST)
    r3 = request(area, D(2026, 6, 10), born=D(2008, 3, 1))
    contribution(r3, s1)
    r4 = request(area, D(2026, 3, 20))
    contribution(
        r4,
        s1,
        D(2026, 5, 5),
        exception=ehc.Reg8Exception.ABSENT_FROM_AREA,
        exception_evidence="Family abroad for six weeks.",
    )
    r5 = request(area, D(2026, 1, 10))
    contribution(r5, s1, D(2026, 2, 20))
    r6 = request(area, D(2025, 4, 15))
    contribution(r6, s1, D(2025, 6, 20))
    # Another body's area, in the same quarter: never counted.
    elsewhere = request(other_area, D(2026, 4, 2))
    contribution(elsewhere, other_area.service, D(2026, 4, 3))

    # Quality: C1 reviewed green (9 of 9), C3 amber (6 of 9); C3's advice
    # recommends provision no local service offers.
    review(c1, D(2026, 5, 20), 9, area.officer)
    amber = review(c3, D(2026, 6, 5), 6, area.officer)
    f.ProvisionItemFactory(advice=amber.advice, available=False)

    child = r2.child
    ehc.ReviewInput.objects.create(
        child=child,
        meeting_on=D(2026, 6, 20),
        service=s1,
        attended=True,
        advice_sent_on=D(2026, 6, 6),  # exactly two weeks ahead
    )
    ehc.ReviewInput.objects.create(
        child=child,
        meeting_on=D(2026, 5, 15),
        service=s1,
        attended=False,
        advice_sent_on=D(2026, 5, 10),
    )
    ehc.Section23Notice.objects.create(
        child=child,
        provider=area.provider,
        professional_name="Health visitor",
        parent_told_on=D(2026, 4, 20),
    )
    ehc.Section23Notice.objects.create(
        child=child,
        commissioning_body=area.body,
        professional_name="Designated clinical officer",
        parent_told_on=D(2026, 5, 2),
    )
    ehc.MediationCase.objects.create(
        child=child, requested_on=D(2026, 4, 8), health_only=True, health_issues="Therapy."
    )
    ehc.TribunalCase.objects.create(
        child=child,
        registered_on=D(2026, 5, 8),
        health_issues="Therapy hours.",
        recommendations="Fund weekly therapy.",
    )
    ehc.TribunalCase.objects.create(
        child=r1.child, registered_on=D(2026, 6, 8), health_issues="Equipment."
    )
    ehc.PersonalHealthBudget.objects.create(
        child=child,
        considered_on=D(2026, 4, 10),
        continuing_care=True,
        outcome=ehc.BudgetOutcome.AGREED,
    )
    ehc.PersonalHealthBudget.objects.create(child=r1.child, considered_on=D(2026, 6, 1))
    return {"s1": s1, "s2": s2}


def body_report(area, **kwargs):
    scope = Scope(label=area.body.name, body_id=area.body.pk)
    return metrics.compute(scope, Q1, today=TODAY, **kwargs)


def test_demand(area, casework):
    q1 = body_report(area).current
    assert q1.requests == 3
    assert q1.by_la == {area.local_authority.pk: 3}
    assert q1.by_process == {"needs_assessment": 2, "annual_review": 1}
    assert q1.by_age_band == {"5_10": 1, "under_5": 1, "18_25": 1}
    assert q1.by_need == {"ASD": 2, "SLCN": 1}
    assert q1.by_provider == {area.provider.pk: 3, casework["s2"].provider_id: 2}
    assert q1.by_service == {casework["s1"].pk: 3, casework["s2"].pk: 2}
    # Latest population estimate (2025): 86,000 aged 0 to 25.
    assert q1.population == 86_000
    assert q1.requests_per_10000 == pytest.approx(3 / 86_000 * 10_000)


def test_timeliness_with_and_without_lawful_exceptions(area, casework):
    q1 = body_report(area).current
    # Reg 8 advice only (needs assessments and re-assessments): R1's two
    # contributions (one on time, one late) and R4's (late, with a lawful
    # exception). R2 is an annual review: its deadline is not reg 8's.
    assert q1.timely == Share(1, 3)
    assert q1.timely.value == pytest.approx(33.333, abs=0.001)
    assert q1.timely_excluding_exceptions == Share(1, 2)
    assert q1.excepted == 1
    assert q1.timely_by_service == {casework["s1"].pk: Share(1, 2), casework["s2"].pk: Share(0, 1)}
    assert q1.median_days == Stat(44, 4)
    assert q1.p90_days.value == pytest.approx(48.1)


def test_overdue_on_the_last_day_by_reason_and_age(area, casework):
    q1 = body_report(area).current
    assert q1.as_of == D(2026, 6, 30)
    assert q1.overdue == 1
    assert q1.overdue_by_reason == {"waiting_list": 1}
    assert q1.overdue_by_age == {"2-4w": 1}  # due 12 June: 18 days on 30 June


def test_quality_reviews_and_other_duties(area, casework):
    q1 = body_report(area).current
    assert (q1.reviews, q1.reviews_passed) == (2, Share(1, 2))
    assert q1.ratings == {"green": 1, "amber": 1}
    assert q1.unavailable_provision == 1
    assert q1.unavailable_by_service == {casework["s1"].pk: 1}
    assert q1.annual_reviews == 2
    assert q1.health_attended == Share(1, 2)
    assert q1.advice_two_weeks_ahead == Share(1, 2)
    assert q1.section23 == 2
    assert q1.section23_by_source == {"provider": 1, "commissioning_body": 1}
    assert (q1.mediation, q1.mediation_health_only) == (1, 1)
    assert (q1.tribunal, q1.tribunal_recommendations) == (2, 1)
    assert (q1.budgets_considered, q1.budgets_agreed, q1.budgets_continuing_care) == (2, 1, 1)


def test_comparisons_with_previous_quarter_and_a_year_earlier(area, casework):
    report = body_report(area)
    previous, earlier = report.previous, report.year_earlier
    assert previous.period.label == "Q4 2025/26"
    assert previous.requests == 2  # R4 and R5
    assert previous.timely == Share(1, 1)  # C7 (C6 is due in Q1)
    assert previous.median_days == Stat(41, 1)
    assert earlier.period.label == "Q1 2025/26"
    assert earlier.requests == 1
    assert earlier.timely == Share(0, 1)
    assert earlier.median_days == Stat(66, 1)


def test_quarters_of_a_year(area, casework):
    year = parse_period("2026")
    report = metrics.compute(
        Scope(label="x", body_id=area.body.pk), year, today=TODAY, trend=year.quarters()
    )
    assert [q.requests for q in report.quarters] == [3, 0, 0, 0]
    assert report.current.requests == 3
    assert report.previous.requests == 3  # 2025/26: R6, R5 and R4
    assert report.previous.period.label == "2025/26"


def test_provider_filter(area, casework):
    scope = Scope(label="x", body_id=area.body.pk, provider_id=casework["s2"].provider_id)
    q1 = metrics.compute(scope, Q1, today=TODAY).current
    assert q1.requests == 2
    assert q1.timely == Share(0, 1)  # R1's late return; R2 (annual review) is not reg 8
    assert q1.reviews == 0
    assert q1.section23 == 0


def test_local_authority_scope_and_nothing_from_elsewhere(area, other_area, casework):
    mine = metrics.compute(
        Scope(label="x", la_ids=frozenset({area.local_authority.pk})), Q1, today=TODAY
    ).current
    assert mine.requests == 3
    theirs = metrics.compute(Scope(label="y", body_id=other_area.body.pk), Q1, today=TODAY).current
    assert theirs.requests == 1
    assert theirs.timely == Share(1, 1)  # due 14 May, returned 3 April


def test_dated_links_attribute_requests_by_the_day_received(area):
    later = f.LocalAuthorityFactory()
    f.CommissioningLinkFactory(
        commissioning_body=area.body, local_authority=later, valid_from=D(2026, 5, 1)
    )
    for received in (D(2026, 4, 15), D(2026, 5, 15)):
        child = f.ChildFactory(local_authority=later)
        f.HealthAdviceRequestFactory(child=child, sent_on=received, received_on=received)
    q1 = body_report(area).current
    assert q1.requests == 1  # only the one received after the link began


def test_fixed_number_of_queries(area, casework):
    with CaptureQueriesContext(connection) as small:
        body_report(area, trend=Q1.quarters())
    for received in (D(2026, 4, 3), D(2026, 5, 3), D(2026, 6, 3)):
        r = request(area, received)
        contribution(r, casework["s1"], received + datetime.timedelta(days=10))
    with CaptureQueriesContext(connection) as larger:
        body_report(area, trend=Q1.quarters())
    assert len(small) == len(larger) <= 12


def test_advice_outstanding_when_the_la_withdrew_is_neither_on_time_nor_late(area):
    """Withdrawn before the advice came: out of the 6-week rate and the
    overdue count, counted as "not returned: request withdrawn"."""
    s1 = area.service
    withdrawn = request(area, D(2026, 4, 1))  # due 13 May 2026
    contribution(withdrawn, s1)
    withdrawn.status = ehc.RequestStatus.WITHDRAWN
    withdrawn.closed_on = D(2026, 5, 20)
    withdrawn.save()
    returned_first = request(area, D(2026, 4, 2))  # due 14 May, returned before withdrawal
    contribution(returned_first, s1, D(2026, 5, 1))
    returned_first.status = ehc.RequestStatus.WITHDRAWN
    returned_first.closed_on = D(2026, 5, 20)
    returned_first.save()
    q1 = body_report(area).current
    assert q1.withdrawn_unreturned == 1
    assert q1.timely == Share(1, 1)
    assert q1.overdue == 0


def test_closing_does_not_erase_lateness(area):
    """A request the officer closes with advice still out past its due date
    still counts that advice as not returned in time."""
    closed = request(area, D(2026, 4, 1))  # due 13 May 2026
    contribution(closed, area.service)
    closed.status = ehc.RequestStatus.CLOSED
    closed.closed_on = D(2026, 6, 1)
    closed.save()
    q1 = body_report(area).current
    assert q1.timely == Share(0, 1)
    assert q1.withdrawn_unreturned == 0
