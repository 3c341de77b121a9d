"""The statutory clock at its edges (ehc/clock.py)."""

import datetime as dt

import pytest

from ehc import clock
from ehc.clock import Phase, Reg8Exception

D = dt.date


class TestHealthAdviceDue:
    @pytest.mark.parametrize(
        "received,due",
        [
            (D(2025, 1, 6), D(2025, 2, 17)),  # Monday to Monday
            (D(2025, 3, 1), D(2025, 4, 12)),  # received on a Saturday: due on a Saturday
            (D(2025, 3, 2), D(2025, 4, 13)),  # received on a Sunday
            (D(2024, 1, 18), D(2024, 2, 29)),  # lands on a leap day
            (D(2024, 2, 29), D(2024, 4, 11)),  # starts on a leap day
            (D(2025, 1, 31), D(2025, 3, 14)),  # month end
            (D(2025, 12, 1), D(2026, 1, 12)),  # across the new year; no holiday pause
        ],
    )
    def test_six_calendar_weeks_from_receipt(self, received, due):
        assert clock.health_advice_due(received) == due

    def test_days_remaining(self):
        due = D(2025, 2, 17)
        assert clock.days_remaining(due, D(2025, 2, 17)) == 0
        assert clock.days_remaining(due, D(2025, 2, 10)) == 7
        assert clock.days_remaining(due, D(2025, 2, 18)) == -1


class TestTimeliness:
    DUE = D(2025, 2, 17)

    def test_on_the_due_date_is_on_time(self):
        assert clock.returned_on_time(self.DUE, self.DUE) is True
        assert clock.returned_on_time(self.DUE, D(2025, 2, 18)) is False
        assert clock.returned_on_time(self.DUE, None) is None

    def test_lawful_exception_is_excluded_only_when_asked(self):
        late = D(2025, 3, 3)
        for exception in Reg8Exception:
            assert (
                clock.counts_as_timely(self.DUE, late, exception, excluding_exceptions=False)
                is False
            )
            assert (
                clock.counts_as_timely(self.DUE, late, exception, excluding_exceptions=True) is None
            )

    def test_no_exception_counts_either_way(self):
        assert clock.counts_as_timely(self.DUE, self.DUE, None, excluding_exceptions=True)
        assert not clock.counts_as_timely(self.DUE, D(2025, 2, 20), "", excluding_exceptions=True)

    @pytest.mark.parametrize("reason", ["waiting_list", "school_holidays", "staff_sickness"])
    def test_only_the_three_reg_8_2_reasons_are_exceptions(self, reason):
        with pytest.raises(ValueError):
            clock.counts_as_timely(self.DUE, D(2025, 3, 1), reason, excluding_exceptions=True)

    def test_coronavirus_relaxation_window(self):
        assert clock.coronavirus_relaxation_applied(D(2020, 4, 1))  # due 13 May 2020
        assert not clock.coronavirus_relaxation_applied(D(2020, 3, 19))  # due 30 April
        assert clock.coronavirus_relaxation_applied(D(2020, 9, 25))
        assert not clock.coronavirus_relaxation_applied(D(2020, 9, 26))


class TestCompulsorySchoolAge:
    @pytest.mark.parametrize(
        "dob,start",
        [
            (D(2020, 8, 31), D(2025, 8, 31)),  # fifth birthday on a prescribed day
            (D(2020, 9, 1), D(2025, 12, 31)),
            (D(2020, 12, 31), D(2025, 12, 31)),
            (D(2021, 1, 1), D(2026, 3, 31)),
            (D(2020, 3, 31), D(2025, 3, 31)),
            (D(2020, 4, 1), D(2025, 8, 31)),
            (D(2020, 2, 29), D(2025, 3, 31)),  # leap-day birth: 5 on 1 March 2025
        ],
    )
    def test_start_is_first_prescribed_day_on_or_after_fifth_birthday(self, dob, start):
        assert clock.compulsory_school_age_start(dob) == start

    @pytest.mark.parametrize(
        "dob,end",
        [
            # 16 on 31 August 2026: school year 2025/26, last Friday in June 2026.
            (D(2010, 8, 31), D(2026, 6, 26)),
            # 16 on 1 September 2026: school year 2026/27, June 2027.
            (D(2010, 9, 1), D(2027, 6, 25)),
            # 16 on 29 Feb 2028 (leap): school year 2027/28.
            (D(2012, 2, 29), D(2028, 6, 30)),
            # Born 29 Feb 2008, 16 on 29 Feb 2024: school year 2023/24; June 2024's
            # last Friday is the 28th.
            (D(2008, 2, 29), D(2024, 6, 28)),
            # June 2029 ends on a Saturday: last Friday is the 29th.
            (D(2013, 1, 15), D(2029, 6, 29)),
        ],
    )
    def test_end_is_last_friday_in_june_of_the_school_year_of_16th_birthday(self, dob, end):
        result = clock.compulsory_school_age_end(dob)
        assert result == end
        assert result.weekday() == 4

    def test_child_or_young_person(self):
        dob = D(2010, 8, 31)
        assert clock.is_child(dob, D(2026, 6, 26))
        assert not clock.is_child(dob, D(2026, 6, 27))

    def test_under_compulsory_school_age(self):
        dob = D(2020, 9, 1)
        assert clock.under_compulsory_school_age(dob, D(2025, 12, 30))
        assert not clock.under_compulsory_school_age(dob, D(2025, 12, 31))

    def test_ages_with_leap_day_birth(self):
        dob = D(2008, 2, 29)
        assert clock.age_on(dob, D(2025, 2, 28)) == 16
        assert clock.age_on(dob, D(2025, 3, 1)) == 17
        assert clock.age_on(dob, D(2024, 2, 29)) == 16


class TestReviews:
    @pytest.mark.parametrize(
        "last,due",
        [
            # "The period of 12 months starting with" the day: it ends the
            # day before the anniversary (CFA 2014 s44(1)).
            (D(2025, 3, 14), D(2026, 3, 13)),
            (D(2025, 8, 31), D(2026, 8, 30)),
            (D(2025, 1, 1), D(2025, 12, 31)),
            (D(2025, 3, 1), D(2026, 2, 28)),
            (D(2023, 3, 1), D(2024, 2, 29)),  # into a leap year
            # No anniversary for 29 February: the period ends with February.
            (D(2024, 2, 29), D(2025, 2, 28)),
            (D(2028, 2, 29), D(2029, 2, 28)),
            (D(2025, 12, 31), D(2026, 12, 30)),
        ],
    )
    def test_annual_review_by_the_end_of_the_12_month_period(self, last, due):
        assert clock.annual_review_due(last) == due

    def test_advice_and_invitations_two_weeks_before(self):
        meeting = D(2025, 3, 3)
        assert clock.review_advice_due(meeting) == D(2025, 2, 17)
        assert clock.review_invitation_due(meeting) == D(2025, 2, 17)
        assert clock.review_decision_due(meeting) == D(2025, 3, 31)

    @pytest.mark.parametrize(
        "phase,deadline",
        [
            # Done *before* 15 February / 31 March (reg 18(1)): the last
            # compliant days are the 14th and the 30th.
            (Phase.PRIMARY_TO_SECONDARY, D(2026, 2, 14)),
            (Phase.EARLY_YEARS_TO_PRIMARY, D(2026, 2, 14)),
            (Phase.INFANT_TO_JUNIOR, D(2026, 2, 14)),
            (Phase.PRIMARY_TO_MIDDLE, D(2026, 2, 14)),
            (Phase.MIDDLE_TO_SECONDARY, D(2026, 2, 14)),
            (Phase.SECONDARY_TO_POST_16, D(2026, 3, 30)),
        ],
    )
    def test_phase_transfer(self, phase, deadline):
        assert clock.phase_transfer_deadline(2026, phase) == deadline
        assert clock.phase_transfer_deadline(2026, phase.value) == deadline

    @pytest.mark.parametrize(
        "transfer,deadline",
        [
            (D(2026, 9, 1), D(2026, 4, 1)),  # at least 5 months before (reg 18(2))
            (D(2027, 1, 6), D(2026, 8, 6)),
            (D(2026, 7, 31), D(2026, 2, 28)),  # no 31 February: the month's end
            (D(2028, 7, 31), D(2028, 2, 29)),
        ],
    )
    def test_post_16_to_post_16_transfer(self, transfer, deadline):
        assert clock.post_16_transfer_deadline(transfer) == deadline


class TestYearGroups:
    @pytest.mark.parametrize(
        "born,on,group",
        [
            # The school year runs 1 September to 31 August; year N is the
            # year the class turns N + 5.
            (D(2010, 10, 15), D(2024, 10, 1), 9),  # turns 14 on 15 October 2024
            (D(2011, 3, 15), D(2024, 10, 1), 9),  # turns 14 in March 2025
            (D(2010, 9, 1), D(2024, 9, 1), 9),  # oldest in the year
            (D(2011, 8, 31), D(2024, 9, 1), 9),  # youngest in the year
            (D(2011, 9, 1), D(2024, 9, 1), 8),  # a day younger: a year below
            (D(2011, 8, 31), D(2024, 8, 31), 8),  # the day before year 9 starts
            (D(2019, 9, 1), D(2024, 9, 1), 0),  # reception: turns 5 this year
            (D(2020, 9, 1), D(2024, 9, 1), -1),  # not yet at school
        ],
    )
    def test_year_group_from_the_date_of_birth(self, born, on, group):
        assert clock.year_group(born, on) == group

    def test_preparing_for_adulthood_from_year_9_not_the_14th_birthday(self):
        born = D(2011, 8, 31)  # the youngest in their year: 13 all through year 9
        assert not clock.preparing_for_adulthood(born, D(2024, 8, 31))
        assert clock.preparing_for_adulthood(born, D(2024, 9, 1))
        assert clock.age_on(born, D(2024, 9, 1)) == 13

    def test_a_recorded_year_group_overrides_the_derived_one(self):
        born = D(2011, 8, 31)
        # Taught a year below their age group: not yet in year 9.
        assert not clock.preparing_for_adulthood(born, D(2024, 9, 1), recorded_year_group=8)
        assert clock.preparing_for_adulthood(born, D(2023, 9, 1), recorded_year_group=9)


class TestMediationAndTribunal:
    def test_three_working_days_skip_weekends_and_holidays(self):
        # Thursday 17 April 2025: Good Friday 18th and Easter Monday 21st are holidays.
        holidays = {D(2025, 4, 18), D(2025, 4, 21)}
        assert clock.mediation_notice_due(D(2025, 4, 17), holidays) == D(2025, 4, 24)
        assert clock.mediation_notice_due(D(2025, 4, 17)) == D(2025, 4, 22)
        # Requested on a Saturday: Monday, Tuesday, Wednesday.
        assert clock.mediation_notice_due(D(2025, 3, 1)) == D(2025, 3, 5)

    def test_thirty_days_and_five_weeks(self):
        assert clock.health_mediation_due(D(2025, 1, 31)) == D(2025, 3, 2)
        assert clock.tribunal_response_due(D(2025, 1, 31)) == D(2025, 3, 7)

    def test_negative_working_days_refused(self):
        with pytest.raises(ValueError):
            clock.add_working_days(D(2025, 1, 1), -1)


def test_clock_is_pure_python():
    import inspect
    import re

    source = inspect.getsource(clock)
    assert not re.search(r"^\s*(from|import) django", source, re.M)


class TestWhichClock:
    """Which deadline a piece of advice is held to (reg 8(1), reg 20(4))."""

    @pytest.mark.parametrize("process", ["needs_assessment", "reassessment"])
    def test_assessment_advice_six_weeks_from_receipt(self, process):
        # Even with a meeting date passed in, reg 8 advice is 6 weeks.
        assert clock.advice_due(process, D(2026, 9, 2), D(2026, 9, 30)) == D(2026, 10, 14)

    @pytest.mark.parametrize("process", ["annual_review", "phase_transfer"])
    def test_review_advice_two_weeks_before_the_meeting(self, process):
        # Meeting on Thursday 26 November 2026: advice by Thursday 12 November.
        assert clock.advice_due(process, D(2026, 9, 2), D(2026, 11, 26)) == D(2026, 11, 12)

    def test_review_without_a_meeting_date_falls_back_to_six_weeks(self):
        assert clock.advice_due("annual_review", D(2026, 9, 2), None) == D(2026, 10, 14)

    @pytest.mark.parametrize("process", ["mediation", "tribunal"])
    def test_mediation_and_tribunal_use_the_six_week_working_standard(self, process):
        assert clock.advice_due(process, D(2026, 9, 2)) == D(2026, 10, 14)

    def test_a_service_the_la_asked_directly_runs_from_its_own_receipt(self):
        # Health received the request on 2 September (due 14 October); the LA
        # asked speech and language therapy itself, which received it on 30
        # September: its 6 weeks end on 11 November.
        assert clock.contribution_due("needs_assessment", D(2026, 10, 14), D(2026, 9, 30)) == D(
            2026, 11, 11
        )

    def test_a_service_health_asked_shares_the_request_due_date(self):
        assert clock.contribution_due("needs_assessment", D(2026, 10, 14), None) == D(2026, 10, 14)

    def test_review_advice_is_due_before_the_meeting_however_asked(self):
        assert clock.contribution_due("annual_review", D(2026, 11, 12), D(2026, 10, 30)) == D(
            2026, 11, 12
        )

    @pytest.mark.parametrize(
        "event,inside",
        [
            (D(2026, 9, 1), False),  # the day before the clock started
            (D(2026, 9, 2), True),  # the first day
            (D(2026, 10, 14), True),  # the last day
            (D(2026, 10, 15), False),  # after the 6 weeks
        ],
    )
    def test_an_absence_or_missed_appointment_falls_within_the_six_weeks(self, event, inside):
        assert clock.exception_date_in_window(event, D(2026, 9, 2), D(2026, 10, 14)) is inside


class TestRecordedYearGroup:
    def test_a_recorded_year_group_moves_up_each_september(self):
        # Recorded in year 8 on 1 March 2025: still year 8 on 31 August 2025,
        # year 9 from 1 September 2025, year 10 a year later.
        recorded = D(2025, 3, 1)
        assert clock.recorded_year_group_on(8, recorded, D(2025, 8, 31)) == 8
        assert clock.recorded_year_group_on(8, recorded, D(2025, 9, 1)) == 9
        assert clock.recorded_year_group_on(8, recorded, D(2026, 9, 1)) == 10

    def test_recorded_on_the_first_day_of_the_school_year(self):
        assert clock.recorded_year_group_on(9, D(2025, 9, 1), D(2026, 8, 31)) == 9


class TestAnnualReviewEdges:
    @pytest.mark.parametrize(
        "reviewed,due",
        [
            (D(2024, 2, 29), D(2025, 2, 28)),  # plan made on 29 February
            (D(2025, 3, 1), D(2026, 2, 28)),  # the period ends the day before
            (D(2023, 3, 1), D(2024, 2, 29)),  # ... which is 29 February in a leap year
            (D(2025, 12, 31), D(2026, 12, 30)),
            (D(2026, 1, 1), D(2026, 12, 31)),
        ],
    )
    def test_the_day_before_the_anniversary(self, reviewed, due):
        assert clock.annual_review_due(reviewed) == due
