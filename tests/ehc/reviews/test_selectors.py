"""The reviews worklist and a child's review clock, read from the database
(ehc/reviews/selectors.py), on a fixed ``today``."""

from __future__ import annotations

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehc import clock
from ehc.models import Child, PlanKind
from ehc.reviews import clock as review_clock
from ehc.reviews import selectors
from tests import factories as f

D = datetime.date
TODAY = D(2026, 11, 30)  # a horizon of 8 weeks: 25 January 2027
YEAR_4 = D(2018, 1, 10)  # year 4 in 2026/27: no transfer, no flags

pytestmark = pytest.mark.django_db


def listed(today=TODAY):
    return list(selectors.worklist(Child.objects.all(), today).order_by("due_key", "pk"))


def names(today=TODAY):
    return [c.family_name for c in listed(today)]


def row_of(c, today=TODAY):
    return selectors.rows([next(x for x in listed(today) if x.pk == c.pk)], today)[0]


def child(name, born=YEAR_4, **kwargs):
    return f.ChildFactory(family_name=name, date_of_birth=born, **kwargs)


def test_the_first_final_plan_starts_the_clock():
    soon = child("Soon")
    f.EHCPlanFactory(child=soon, issued_on=D(2026, 1, 10))  # due 9 January 2027
    late = child("Late")
    f.EHCPlanFactory(child=late, issued_on=D(2025, 10, 1))  # due 30 September 2026
    later = child("Later")
    f.EHCPlanFactory(child=later, issued_on=D(2026, 3, 1))  # due 28 February 2027
    child("No plan")
    assert names() == ["Late", "Soon"]
    row = row_of(late)
    assert row.clock.next_review_due == D(2026, 9, 30)
    assert row.clock.overdue and row.review is None
    assert row_of(soon).clock.days_left == 40


def test_an_amended_plan_does_not_restart_the_clock():
    c = child("Amended")
    f.EHCPlanFactory(child=c, issued_on=D(2025, 12, 1))
    f.EHCPlanFactory(child=c, kind=PlanKind.AMENDED, issued_on=D(2026, 6, 1))
    assert row_of(c).clock.next_review_due == D(2026, 11, 30)


def test_only_an_amended_plan_recorded_starts_the_clock_from_it():
    # A caseload brought in partway: the first plan's date is not known.
    c = child("Amendment only")
    f.EHCPlanFactory(child=c, kind=PlanKind.AMENDED, issued_on=D(2024, 3, 1))
    assert "Amendment only" in names()
    assert row_of(c).clock.next_review_due == D(2025, 2, 28)
    assert row_of(c).clock.overdue


def test_a_review_held_restarts_it_from_the_decision():
    c = child("Reviewed")
    f.EHCPlanFactory(child=c, issued_on=D(2024, 1, 10))
    f.ReviewInputFactory(child=c, meeting_on=D(2025, 3, 1), decision_on=D(2025, 3, 20))
    assert row_of(c).clock.next_review_due == D(2026, 3, 19)  # overdue
    f.ReviewInputFactory(child=c, meeting_on=D(2026, 3, 10), decision_on=D(2026, 3, 25))
    assert names() == []  # next due 24 March 2027


def test_a_meeting_not_yet_held_does_not_move_the_clock_but_lists_its_steps():
    c = child("Arranged")
    f.EHCPlanFactory(child=c, issued_on=D(2025, 12, 20))  # due 19 December 2026
    review = f.ReviewInputFactory(child=c, meeting_on=D(2026, 12, 10), invited_on=D(2026, 11, 20))
    row = row_of(c)
    assert row.clock.next_review_due == D(2026, 12, 19)
    assert row.review == review
    assert row.invitation.due_on == D(2026, 11, 26) and row.invitation.done
    assert row.advice.due_on == D(2026, 11, 26) and row.advice.overdue(TODAY)
    assert row.decision.due_on == D(2027, 1, 7) and not row.decision.overdue(TODAY)


def test_a_held_review_awaiting_its_decision_stays_listed():
    c = child("Awaiting")
    f.EHCPlanFactory(child=c, issued_on=D(2025, 12, 1))
    f.ReviewInputFactory(child=c, meeting_on=D(2026, 11, 2))
    row = row_of(c)
    assert row.clock.next_review_due == D(2027, 11, 1)  # from the meeting, until decided
    assert row.decision.overdue(TODAY) is False and row.decision.due_on == D(2026, 11, 30)
    assert row.decision.overdue(D(2026, 12, 1))


def test_a_review_without_a_plan_recorded_runs_the_clock():
    c = child("Older caseload")
    f.ReviewInputFactory(child=c, meeting_on=D(2025, 12, 1), decision_on=D(2025, 12, 10))
    assert row_of(c).clock.next_review_due == D(2026, 12, 9)


def test_phase_transfer_deadline_lists_year_6_from_late_december():
    # Year 6 in 2026/27 (born 2015/16): review by 14 February 2027.
    c = child("Year six", born=D(2016, 3, 1))
    f.EHCPlanFactory(child=c, issued_on=D(2026, 6, 1))  # annual review not due until May
    assert names() == []
    on = D(2026, 12, 20)  # 8 weeks before 14 February
    row = row_of(c, on)
    assert row.clock.phase_transfer_due == D(2027, 2, 14)
    assert row.clock.due_on == D(2027, 2, 14)
    assert not row.clock.overdue
    # Done once a phase transfer review's decision is recorded this school year.
    f.ReviewInputFactory(
        child=c, phase_transfer=True, meeting_on=D(2026, 10, 1), decision_on=D(2026, 10, 20)
    )
    assert names(on) == []


def test_a_recorded_year_group_moves_up_each_september():
    c = child("Held back", born=D(2015, 10, 1))  # year 6 for their age in 2026/27
    c.year_group = 5
    c.save()
    Child.objects.filter(pk=c.pk).update(year_group_recorded_on=D(2025, 10, 1))
    f.EHCPlanFactory(child=c, issued_on=D(2026, 6, 1))
    # Recorded in year 5 in 2025/26: year 6 now, so the transfer applies.
    row = row_of(c, D(2026, 12, 20))
    assert row.child.year_group_now == 6 == Child.objects.get(pk=c.pk).year_group_on(TODAY)


@pytest.mark.parametrize("on", [D(2026, 8, 31), D(2026, 9, 1), D(2027, 2, 28), D(2028, 2, 29)])
def test_year_group_in_sql_is_year_group_on(on):
    made = [
        child("A", born=D(2010, 8, 31)),
        child("B", born=D(2010, 9, 1)),
        child("C", born=D(2020, 2, 29)),
        child("D", born=D(2001, 12, 31)),
    ]
    recorded = child("E", born=D(2012, 1, 1))
    recorded.year_group = 3
    recorded.save()
    Child.objects.filter(pk=recorded.pk).update(year_group_recorded_on=D(2024, 8, 31))
    made.append(recorded)
    sql = dict(Child.objects.annotate(y=selectors.year_group_on(on)).values_list("pk", "y"))
    for c in Child.objects.filter(pk__in=[m.pk for m in made]):
        assert sql[c.pk] == c.year_group_on(on), c.family_name


def test_flags_and_filters():
    pfa = child("Year nine", born=D(2012, 12, 1))  # year 9 in 2026/27
    adult = child("Adult", born=D(2006, 5, 1))  # 20
    for c in (pfa, adult):
        f.EHCPlanFactory(child=c, issued_on=D(2026, 1, 1))
    rows = selectors.worklist(Child.objects.all(), TODAY)
    pfa_names = {c.family_name for c in rows.filter(selectors.preparing_for_adulthood())}
    assert pfa_names == {"Adult", "Year nine"}
    assert [c.family_name for c in rows.filter(selectors.adult_years(TODAY))] == ["Adult"]
    assert row_of(adult).clock.adult_years and row_of(pfa).clock.preparing_for_adulthood
    assert list(rows.filter(selectors.overdue(TODAY))) == []
    assert list(rows.filter(selectors.phase_transfer_owed())) == []


def test_dead_and_over_25_are_not_listed():
    dead = child("Died", date_of_death=D(2026, 5, 1))
    old = child("Over", born=D(2000, 11, 1))  # 26 on 1 November 2026
    for c in (dead, old):
        f.EHCPlanFactory(child=c, issued_on=D(2025, 1, 1))
    assert names() == []


def test_child_review_is_hidden_from_practitioners_and_empty_without_a_plan():
    c = child("Page")
    officer = f.DesignatedOfficerFactory(local_authorities=[c.local_authority])
    assert selectors.child_review(c, user=officer, today=TODAY) is None
    f.EHCPlanFactory(child=c, issued_on=D(2026, 1, 10))
    row = selectors.child_review(c, user=officer, today=TODAY)
    assert row.clock.next_review_due == D(2027, 1, 9)
    practitioner = f.PractitionerFactory()
    assert selectors.child_review(c, user=practitioner, today=TODAY) is None


# --- The SQL agrees with the pure rules ---------------------------------------------------

plan_strategy = st.tuples(st.sampled_from([PlanKind.FINAL, PlanKind.AMENDED]), st.integers(-900, 0))
review_strategy = st.tuples(
    st.sampled_from([-800, -400, -365, -60, -28, -1, 0, 1, 10, 56, 57, 80]),  # meeting
    st.one_of(st.none(), st.integers(0, 40)),  # decision, days after the meeting
    st.booleans(),  # phase transfer review
)


@settings(
    max_examples=40,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    # One plan a day per child (the plan_one_a_day_per_child constraint).
    plans=st.lists(plan_strategy, max_size=3, unique_by=lambda plan: plan[1]),
    reviews=st.lists(review_strategy, max_size=4),
    born=st.dates(min_value=D(2001, 1, 1), max_value=D(2024, 12, 31)),
    today=st.sampled_from([TODAY, D(2027, 1, 3), D(2027, 3, 20), D(2028, 2, 29)]),
)
def test_the_worklist_agrees_with_the_pure_clock(plans, reviews, born, today):
    """Whatever plans and reviews a child has, the SQL's clock, phase and
    listing are what :mod:`ehc.reviews.clock` says from the same records."""
    day = datetime.timedelta(days=1)
    with transaction.atomic():
        c = child("Prop", born=born)
        for kind, offset in plans:
            f.EHCPlanFactory(child=c, kind=kind, issued_on=today + offset * day)
        made = []
        for meeting, decided_after, phase in reviews:
            meeting_on = today + meeting * day
            decision_on = meeting_on + decided_after * day if decided_after is not None else None
            if decision_on is not None and decision_on > today:
                decision_on = None  # the LA's decision is never recorded ahead
            made.append(
                f.ReviewInputFactory(
                    child=c, meeting_on=meeting_on, decision_on=decision_on, phase_transfer=phase
                )
            )
        finals = [today + o * day for k, o in plans if k == PlanKind.FINAL]
        # Only amendments recorded: the earliest stands in for the first plan.
        first = min(finals, default=None) or min((today + o * day for _, o in plans), default=None)
        held = [r.reviewed_on for r in made if r.meeting_on <= today]
        year_group = c.year_group_on(today)
        school_year = D(clock.school_year_start(today), 9, 1)
        expected = review_clock.review_clock(
            first_plan_on=first,
            last_reviewed_on=max(held, default=None),
            year_group=year_group,
            date_of_birth=born,
            on=today,
            phase_done=any(
                r.phase_transfer and r.decision_on and r.meeting_on >= school_year for r in made
            ),
        )
        [annotated] = selectors.with_review_clock(Child.objects.filter(pk=c.pk), today)
        row = selectors.rows([annotated], today)[0]
        assert row.clock == expected
        last_meeting = max((r.meeting_on for r in made), default=None)
        undecided = [r for r in made if r.meeting_on == last_meeting and r.decision_on is None]
        open_review = max(undecided, key=lambda r: r.pk, default=None)
        assert row.review == open_review
        horizon = today + datetime.timedelta(weeks=8)
        listed = (
            bool(plans or reviews)
            and clock.age_on(born, today) <= 25
            and (
                (expected.due_on is not None and expected.due_on <= horizon)
                or (open_review is not None and open_review.meeting_on <= horizon)
            )
        )
        in_sql = selectors.worklist(Child.objects.filter(pk=c.pk), today).exists()
        assert in_sql == listed
        overdue = selectors.worklist(Child.objects.filter(pk=c.pk), today).filter(
            selectors.overdue(today)
        )
        assert overdue.exists() == (listed and expected.overdue)
        transaction.set_rollback(True)
