"""The review clock's rules at their edges (ehc/reviews/clock.py)."""

from __future__ import annotations

import datetime

from hypothesis import given
from hypothesis import strategies as st

from ehc import clock
from ehc.clock import Phase
from ehc.reviews import clock as rc

D = datetime.date
days = st.dates(min_value=D(2014, 9, 1), max_value=D(2040, 12, 31))


def test_the_first_plan_starts_the_clock():
    # CFA s44(1): made 14 March 2025, reviewed by 13 March 2026.
    assert rc.next_review_due(D(2025, 3, 14), None) == D(2026, 3, 13)


def test_the_last_review_restarts_it():
    assert rc.next_review_due(D(2024, 3, 14), D(2025, 2, 1)) == D(2026, 1, 31)


def test_an_earlier_review_than_the_plan_does_not_pull_it_back():
    # A review recorded before the first final plan (a plan recorded late)
    # cannot make the next review due before 12 months of the plan.
    assert rc.next_review_due(D(2025, 3, 14), D(2024, 1, 1)) == D(2026, 3, 13)


def test_a_review_without_a_plan_recorded_still_runs_the_clock():
    assert rc.next_review_due(None, D(2025, 6, 30)) == D(2026, 6, 29)


def test_nothing_recorded_means_no_date():
    assert rc.next_review_due(None, None) is None
    assert rc.review_clock_start(None, None) is None


def test_a_plan_made_on_29_february_is_reviewed_by_28_february():
    assert rc.next_review_due(D(2024, 2, 29), None) == D(2025, 2, 28)


@given(days)
def test_latest_start_due_by_is_the_boundary(day):
    start = rc.latest_start_due_by(day)
    assert clock.annual_review_due(start) <= day
    assert clock.annual_review_due(start + datetime.timedelta(days=1)) > day


@given(days, days)
def test_due_by_a_day_is_a_comparison_of_starts(start, day):
    # What the worklist's query relies on: "due on or before day" is
    # "started on or before latest_start_due_by(day)".
    due_by = clock.annual_review_due(start) <= day
    assert due_by == (start <= rc.latest_start_due_by(day))


def test_transfer_year_groups():
    assert rc.transfer_phase(-1) == Phase.EARLY_YEARS_TO_PRIMARY
    assert rc.transfer_phase(6) == Phase.PRIMARY_TO_SECONDARY
    assert rc.transfer_phase(11) == Phase.SECONDARY_TO_POST_16
    assert rc.transfer_phase(5) is None
    assert rc.transfer_phase(2) is None  # infant to junior depends on the school


def test_phase_transfer_deadlines_fall_in_the_spring_of_the_school_year():
    # Year 6 in November 2026: moves in September 2027, review by 14 Feb 2027.
    assert rc.phase_transfer_due(6, D(2026, 11, 30)) == D(2027, 2, 14)
    # The same school year after the deadline: still that deadline (overdue).
    assert rc.phase_transfer_due(6, D(2027, 7, 20)) == D(2027, 2, 14)
    # Year 11: before 31 March, so 30 March.
    assert rc.phase_transfer_due(11, D(2026, 9, 1)) == D(2027, 3, 30)
    assert rc.phase_transfer_due(-1, D(2027, 8, 31)) == D(2027, 2, 14)
    assert rc.phase_transfer_due(7, D(2026, 11, 30)) is None


@given(st.dates(min_value=D(1990, 1, 1), max_value=D(2040, 12, 31)), days)
def test_born_by_matches_age_on(date_of_birth, on):
    for age in (18, 26):
        assert (date_of_birth <= rc.born_by(age, on)) == (clock.age_on(date_of_birth, on) >= age)


def test_adult_years_are_18_to_25():
    assert not rc.in_adult_years(D(2008, 12, 1), D(2026, 11, 30))  # 17
    assert rc.in_adult_years(D(2008, 11, 30), D(2026, 11, 30))  # 18 today
    assert rc.in_adult_years(D(2000, 12, 1), D(2026, 11, 30))  # 25
    assert not rc.in_adult_years(D(2000, 11, 30), D(2026, 11, 30))  # 26 today


def test_review_steps_follow_reg_20():
    steps = rc.review_steps(D(2027, 1, 20))
    assert steps.invitation_due == D(2027, 1, 6)
    assert steps.advice_due == D(2027, 1, 6)
    assert steps.decision_due == D(2027, 2, 17)


def make(**overrides):
    values = {
        "first_plan_on": D(2026, 1, 10),
        "last_reviewed_on": None,
        "year_group": 6,
        "date_of_birth": D(2015, 10, 1),
        "on": D(2026, 11, 30),
    }
    return rc.review_clock(**{**values, **overrides})


def test_the_clock_owes_the_earlier_of_review_and_phase_deadline():
    state = make()
    assert state.next_review_due == D(2027, 1, 9)
    assert state.phase_transfer_due == D(2027, 2, 14)
    assert state.due_on == D(2027, 1, 9)
    assert state.days_left == 40
    assert not state.overdue
    assert state.phase_label == "Primary to secondary school"


def test_a_done_phase_review_is_no_longer_owed():
    state = make(first_plan_on=D(2025, 6, 1), phase_done=True)
    assert not state.phase_owed
    assert state.due_on == D(2026, 5, 31)
    assert state.overdue and state.review_overdue and not state.phase_overdue


def test_the_phase_deadline_counts_when_earlier():
    state = make(first_plan_on=D(2026, 9, 1), on=D(2027, 3, 1))
    assert state.due_on == D(2027, 2, 14)
    assert state.phase_overdue and not state.review_overdue


def test_flags():
    assert make(year_group=9).preparing_for_adulthood
    assert not make(year_group=8).preparing_for_adulthood
    assert make(year_group=13, date_of_birth=D(2008, 1, 1)).adult_years
    assert make(first_plan_on=None).due_on == D(2027, 2, 14)
    assert make(first_plan_on=None, year_group=5).due_on is None
