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

from core.periods import custom, parse_period
from ehc import models as ehc
from ehc import services as ehc_services
from ehc.quality import QUALITY_CRITERIA
from reports import metrics
from reports.indicators import OTHER_DEADLINES, Scope, Share, Stat
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
    return f.QualityReviewFactory(
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
    # R2 is measured on its own: C3 on time, C4 still out past 12 June
    # (late); no meeting date recorded, so judged at 6 weeks from receipt.
    assert q1.timely_by_process[ehc.Process.ANNUAL_REVIEW] == Share(1, 2)
    assert q1.meeting_not_recorded == {ehc.Process.ANNUAL_REVIEW: 2}


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
    # A year's previous period is the year a year earlier: computed once,
    # not counted twice.
    assert report.year_earlier is report.previous
    assert report.year_earlier.requests == 3


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


def test_links_of_two_eras_attribute_records_by_their_own_dates(area):
    """A body with links of two eras (the area's since 2022, and two more
    authorities from 1 May 2026; a third body holds one of them before):
    records a child's area attributes (mediation, tribunal, budgets) count
    for the body only on the days its link held, each authority by its own
    era."""
    joined = [f.LocalAuthorityFactory(), f.LocalAuthorityFactory()]
    before = f.CommissioningBodyFactory()
    for la in joined:
        f.CommissioningLinkFactory(
            commissioning_body=area.body, local_authority=la, valid_from=D(2026, 5, 1)
        )
    f.CommissioningLinkFactory(
        commissioning_body=before,
        local_authority=joined[0],
        valid_from=D(2022, 7, 1),
        valid_to=D(2026, 4, 30),
    )
    for la, day in [
        (area.local_authority, D(2026, 4, 10)),  # counted: linked since 2022
        (joined[0], D(2026, 4, 20)),  # not: the other body's until 30 April
        (joined[0], D(2026, 5, 1)),  # counted
        (joined[1], D(2026, 4, 30)),  # not yet linked
        (joined[1], D(2026, 6, 30)),  # counted
    ]:
        child = f.ChildFactory(local_authority=la)
        ehc.MediationCase.objects.create(child=child, requested_on=day)
        ehc.TribunalCase.objects.create(child=child, registered_on=day)
        ehc.PersonalHealthBudget.objects.create(child=child, considered_on=day)
    q1 = body_report(area).current
    assert (q1.mediation, q1.tribunal, q1.budgets_considered) == (3, 3, 3)
    theirs = metrics.compute(Scope(label="b", body_id=before.pk), Q1, today=TODAY).current
    assert (theirs.mediation, theirs.tribunal, theirs.budgets_considered) == (1, 1, 1)


def test_fixed_number_of_queries(area, casework):
    with CaptureQueriesContext(connection) as small:
        body_report(area, trend=Q1.quarters())
    for received in (D(2026, 4, 3), D(2026, 5, 3), D(2026, 6, 3)):
        r = request(area, received)
        contribution(r, casework["s1"], received + datetime.timedelta(days=10))
    with CaptureQueriesContext(connection) as larger:
        body_report(area, trend=Q1.quarters())
    # Eight reads of the casework, two of the summary store for requests
    # (counts, area names), four for contributions (timeliness; days, asked
    # and asking; overdue; service names), the links and the population;
    # one for requests by group; two for plan audits and section G provision.
    assert len(small) == len(larger) <= 19


# --- Withdrawn and closed: the left-outstanding marker --------------------------------------


def end(req, status, on):
    """Withdraw or close ``req`` on ``on`` as ehc.services does, marking
    what is still out (the one marker the reports read)."""
    req.status = status
    req.closed_on = on
    req.save()
    ehc_services.mark_left_outstanding(request=req)
    ehc_services.refresh_urgency([req.pk])  # and the summary store, as the services do


def test_advice_outstanding_when_the_la_withdrew_is_neither_on_time_nor_late(area):
    """Withdrawn on 20 May with one service back and one not: the one back
    counts (on time), the one still out is in no denominator and not
    overdue, and is counted as "not returned: request withdrawn"."""
    s2 = f.ServiceFactory(name="Speech and language therapy")
    withdrawn = request(area, D(2026, 4, 1))  # due 13 May 2026
    contribution(withdrawn, area.service, D(2026, 5, 1))  # on time
    out = contribution(withdrawn, s2)
    end(withdrawn, ehc.RequestStatus.WITHDRAWN, D(2026, 5, 20))
    out.refresh_from_db()
    assert out.left_outstanding == ehc.LeftOutstanding.WITHDRAWN
    q1 = body_report(area).current
    assert q1.withdrawn_unreturned == 1
    assert q1.timely == Share(1, 1)
    assert q1.timely_excluding_exceptions == Share(1, 1)
    assert q1.timely_by_service == {area.service.pk: Share(1, 1)}
    assert q1.overdue == 0
    # Not overdue even on a day before the withdrawal (due 13 May, 15 May):
    # the advice was never owed once the LA stopped.
    early = metrics.compute(
        Scope(label="x", body_id=area.body.pk), custom(D(2026, 4, 1), D(2026, 5, 15)), today=TODAY
    ).current
    assert (early.overdue, early.timely, early.withdrawn_unreturned) == (0, Share(1, 1), 1)


def test_a_return_recorded_after_the_withdrawal_counts_by_its_date(area):
    """Withdrawn on 10 May with the advice out, then returned on 20 May
    (due 14 May): the return clears the marker, so it is late as usual."""
    withdrawn = request(area, D(2026, 4, 2))  # due 14 May 2026
    out = contribution(withdrawn, area.service)
    end(withdrawn, ehc.RequestStatus.WITHDRAWN, D(2026, 5, 10))
    out.refresh_from_db()
    out.returned_on, out.outcome, out.left_outstanding = D(2026, 5, 20), "advice_given", ""
    out.late_reason = ehc.LateReason.STAFFING
    out.save()
    ehc_services.refresh_urgency([withdrawn.pk])  # as record_return does
    q1 = body_report(area).current
    assert q1.timely == Share(0, 1)
    assert q1.withdrawn_unreturned == 0
    assert q1.median_days == Stat(48, 1)  # 2 April to 20 May


def test_closing_does_not_erase_lateness(area):
    """Closed on 1 June with advice still out (due 13 May): late in the
    6-week rate; overdue on a day before the closure, not after it."""
    closed = request(area, D(2026, 4, 1))  # due 13 May 2026
    out = contribution(closed, area.service)
    end(closed, ehc.RequestStatus.CLOSED, D(2026, 6, 1))
    out.refresh_from_db()
    assert out.left_outstanding == ehc.LeftOutstanding.CLOSED
    q1 = body_report(area).current
    assert q1.timely == Share(0, 1)
    assert q1.withdrawn_unreturned == 0
    assert q1.overdue == 0  # on 30 June the request was closed: nobody's work
    before = metrics.compute(
        Scope(label="x", body_id=area.body.pk), custom(D(2026, 4, 1), D(2026, 5, 31)), today=TODAY
    ).current
    assert before.overdue == 1  # on 31 May, 18 days past due and still open
    assert before.overdue_by_age == {"2-4w": 1}
    assert before.timely == Share(0, 1)


# --- Each contribution's own clock -----------------------------------------------------------


def test_a_service_the_la_asked_directly_runs_its_own_six_weeks(area):
    """R received by health 1 April (due 13 May). Service 1, asked by
    health, returned 10 May: on time, 39 days. Service 2, asked by the LA
    on 20 April and receiving it on 22 April (due 3 June), returned 1 June:
    after the request's date but within its own 6 weeks, so on time, in 40
    days from its own receipt."""
    s2 = f.ServiceFactory(name="Speech and language therapy")
    r = request(area, D(2026, 4, 1))
    contribution(r, area.service, D(2026, 5, 10))
    direct = contribution(r, s2, D(2026, 6, 1), asked_on=D(2026, 4, 20), received_on=D(2026, 4, 22))
    assert direct.due_on == D(2026, 6, 3)
    q1 = body_report(area).current
    assert q1.timely == Share(2, 2)
    assert q1.timely_by_service == {area.service.pk: Share(1, 1), s2.pk: Share(1, 1)}
    assert q1.median_days == Stat(39.5, 2)  # 39 and 40 days


def test_contributions_due_long_after_a_request_received_in_the_period_still_count_as_asked(
    area,
):
    """A request received 10 June whose service the LA asked directly on 1
    July (due 12 August), and an annual review received 10 June for a
    meeting on 1 October (due 17 September): both due far beyond the
    quarter, both asked for requests received in it."""
    s2 = f.ServiceFactory(name="Speech and language therapy")
    r = request(area, D(2026, 6, 10))
    contribution(r, s2, asked_on=D(2026, 7, 1), received_on=D(2026, 7, 1))
    meeting = ehc.ReviewInput.objects.create(child=r.child, meeting_on=D(2026, 10, 1))
    review_request = request(
        area, D(2026, 6, 10), process=ehc.Process.ANNUAL_REVIEW, review=meeting
    )
    assert review_request.due_on == D(2026, 9, 17)
    contribution(review_request, area.service)
    q1 = body_report(area).current
    assert q1.by_service == {s2.pk: 1, area.service.pk: 1}
    assert q1.by_provider == {s2.provider_id: 1, area.provider.pk: 1}
    assert q1.timely_by_process[ehc.Process.ANNUAL_REVIEW] == Share(0, 0)


# --- Advice with other deadlines -------------------------------------------------------------


def review_request(area, received, meeting_on, *, phase_transfer=False, **kwargs):
    child = f.ChildFactory(local_authority=area.local_authority, date_of_birth=NINE_IN_APRIL)
    meeting = ehc.ReviewInput.objects.create(
        child=child, meeting_on=meeting_on, phase_transfer=phase_transfer
    )
    process = ehc.Process.PHASE_TRANSFER if phase_transfer else ehc.Process.ANNUAL_REVIEW
    return f.HealthAdviceRequestFactory(
        child=child,
        sent_on=received,
        received_on=received,
        process=process,
        review=meeting,
        **kwargs,
    )


def test_review_advice_is_due_two_weeks_before_the_meeting(area):
    """An annual review received 1 May, meeting 15 June: due 1 June.
    Returned 5 June (10 days before the meeting): late. Returned 31 May (15
    days before): on time. An older annual review with no meeting recorded
    (received 1 April) is judged at 6 weeks (13 May): returned 10 May, on
    time, and counted as "meeting date not recorded". None of them is in
    the 6-week rate."""
    s2 = f.ServiceFactory(name="Speech and language therapy")
    r = review_request(area, D(2026, 5, 1), D(2026, 6, 15))
    assert r.due_on == D(2026, 6, 1)
    contribution(r, area.service, D(2026, 6, 5), late_reason=ehc.LateReason.STAFFING)
    contribution(r, s2, D(2026, 5, 31))
    old = request(area, D(2026, 4, 1), process=ehc.Process.ANNUAL_REVIEW)
    contribution(old, area.service, D(2026, 5, 10))
    q1 = body_report(area).current
    assert q1.timely_by_process[ehc.Process.ANNUAL_REVIEW] == Share(2, 3)
    assert q1.meeting_not_recorded == {ehc.Process.ANNUAL_REVIEW: 1}
    assert q1.timely == Share(0, 0)
    assert q1.timely_by_service == {}


def test_phase_transfer_mediation_and_tribunal_each_have_their_own_measure(area):
    """Phase transfer: meeting 20 June, due 6 June, returned 7 June: late.
    Mediation: received 1 April, due 13 May (the working standard),
    returned 13 May: on time. Tribunal: received 2 April, due 14 May,
    never returned: late, and overdue on 30 June. A needs assessment
    received 3 April (due 15 May) returned 1 May: the only one in the
    6-week rate."""
    phase = review_request(area, D(2026, 5, 1), D(2026, 6, 20), phase_transfer=True)
    contribution(phase, area.service, D(2026, 6, 7), late_reason=ehc.LateReason.STAFFING)
    mediation = request(area, D(2026, 4, 1), process=ehc.Process.MEDIATION)
    contribution(mediation, area.service, D(2026, 5, 13))
    tribunal = request(area, D(2026, 4, 2), process=ehc.Process.TRIBUNAL)
    contribution(tribunal, area.service)
    assessment = request(area, D(2026, 4, 3))
    contribution(assessment, area.service, D(2026, 5, 1))
    q1 = body_report(area).current
    assert q1.timely_by_process == {
        ehc.Process.ANNUAL_REVIEW: Share(0, 0),
        ehc.Process.PHASE_TRANSFER: Share(0, 1),
        ehc.Process.MEDIATION: Share(1, 1),
        ehc.Process.TRIBUNAL: Share(0, 1),
    }
    assert q1.meeting_not_recorded == {}
    assert q1.timely == Share(1, 1)
    assert q1.overdue == 1  # the tribunal advice


def test_withdrawn_review_advice_leaves_its_own_measure(area):
    """An annual review (meeting 15 June, due 1 June) withdrawn on 20 May
    with its advice out: not in the review measure, counted as withdrawn
    for annual reviews (and not in the reg 8 withdrawn count)."""
    r = review_request(area, D(2026, 5, 1), D(2026, 6, 15))
    contribution(r, area.service)
    end(r, ehc.RequestStatus.WITHDRAWN, D(2026, 5, 20))
    q1 = body_report(area).current
    assert q1.timely_by_process[ehc.Process.ANNUAL_REVIEW] == Share(0, 0)
    assert q1.withdrawn_by_process == {ehc.Process.ANNUAL_REVIEW: 1}
    assert q1.withdrawn_unreturned == 0
    assert q1.overdue == 0


def test_every_process_is_in_exactly_one_timeliness_measure():
    assert set(OTHER_DEADLINES) | set(ehc.REG8_PROCESSES) == set(ehc.Process.values)
    assert not set(OTHER_DEADLINES) & set(ehc.REG8_PROCESSES)


def test_overdue_advice_with_a_lawful_exception_has_its_own_reason(area):
    """Two services still out on 30 June, due 13 May: one with a late
    reason, one with a reg 8(2)(c) exception (and a late reason too). Both
    are overdue (still owed); the excepted one is counted as lawfully late,
    not under its late reason."""
    s2 = f.ServiceFactory(name="Speech and language therapy")
    req = request(area, D(2026, 4, 1))
    contribution(req, area.service, late_reason=ehc.LateReason.WAITING_LIST)
    contribution(
        req,
        s2,
        late_reason=ehc.LateReason.WAITING_LIST,
        exception=ehc.Reg8Exception.MISSED_APPOINTMENT,
        exception_evidence="Did not attend on 20 April.",
        exception_on=D(2026, 4, 20),
    )
    q1 = body_report(area).current
    assert q1.overdue == 2
    assert q1.overdue_by_reason == {"waiting_list": 1, "lawful_exception": 1}
