"""EHC models against a real database: constraints, derived dates and who
sees what (ehc/models.py; docs/domain.md, "The EHC process and health's clocks")."""

import calendar
import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ehc import models as ehc
from ehc import quality
from ehc.quality import QUALITY_CRITERIA
from tests import factories as f
from tests.access import make_area

pytestmark = pytest.mark.django_db

D = dt.date


def refused_by_database(factory, **kwargs):
    """Create with ``kwargs`` and expect the database to refuse it."""
    with pytest.raises(IntegrityError), transaction.atomic():
        factory(**kwargs)


# --- Health advice requests -----------------------------------------------------------


class TestRequest:
    def test_due_on_is_six_weeks_after_receipt(self):
        request = f.HealthAdviceRequestFactory(sent_on=D(2026, 9, 1), received_on=D(2026, 9, 2))
        request.refresh_from_db()
        assert request.due_on == D(2026, 10, 14)  # 42 days: Wednesday to Wednesday

    def test_due_on_ignores_weekends_and_holidays(self):
        # Received on a Saturday; Christmas and New Year fall inside the six weeks.
        request = f.HealthAdviceRequestFactory(sent_on=D(2025, 11, 28), received_on=D(2025, 11, 29))
        assert request.due_on == D(2026, 1, 10)
        assert request.due_on.weekday() == 5

    def test_due_on_follows_a_corrected_received_date(self):
        request = f.HealthAdviceRequestFactory(sent_on=D(2026, 9, 1), received_on=D(2026, 9, 2))
        request.received_on = D(2026, 9, 9)
        request.save()
        request.refresh_from_db()
        assert request.due_on == D(2026, 10, 21)

    def test_local_authority_comes_from_the_child_when_not_given(self):
        child = f.ChildFactory()
        request = f.HealthAdviceRequestFactory(child=child, local_authority=None)
        assert request.local_authority == child.local_authority

    def test_received_before_sent_is_refused(self):
        refused_by_database(
            f.HealthAdviceRequestFactory, sent_on=D(2026, 9, 2), received_on=D(2026, 9, 1)
        )

    def test_received_on_the_day_it_was_sent_is_allowed(self):
        request = f.HealthAdviceRequestFactory(sent_on=D(2026, 9, 2), received_on=D(2026, 9, 2))
        assert request.pk

    def test_closed_before_received_is_refused(self):
        refused_by_database(
            f.HealthAdviceRequestFactory,
            received_on=D(2026, 9, 2),
            closed_on=D(2026, 9, 1),
            status=ehc.RequestStatus.CLOSED,
        )
        request = f.HealthAdviceRequestFactory(
            received_on=D(2026, 9, 2), closed_on=D(2026, 9, 2), status=ehc.RequestStatus.CLOSED
        )
        assert not request.is_open

    def test_reference_and_open_statuses(self):
        request = f.HealthAdviceRequestFactory()
        assert request.reference == f"HA-{request.pk:06d}"
        assert ehc.HealthAdviceRequest(process=ehc.Process.TRIBUNAL).reference == "HA-new"
        assert request.is_open
        request.status = ehc.RequestStatus.RETURNED
        assert request.is_open
        request.status = ehc.RequestStatus.WITHDRAWN
        assert not request.is_open
        assert request.days_left(D(2026, 10, 14)) == 0
        assert request.days_left(D(2026, 10, 15)) == -1

    def test_open_queryset(self):
        awaiting = f.HealthAdviceRequestFactory()
        returned = f.HealthAdviceRequestFactory(status=ehc.RequestStatus.RETURNED)
        f.HealthAdviceRequestFactory(status=ehc.RequestStatus.CLOSED)
        f.HealthAdviceRequestFactory(status=ehc.RequestStatus.WITHDRAWN)
        assert set(ehc.HealthAdviceRequest.objects.open()) == {awaiting, returned}


# --- Contributions ------------------------------------------------------------------------


class TestContribution:
    def test_due_on_is_the_request_due_date(self):
        contribution = f.ContributionFactory(
            request__sent_on=D(2025, 1, 6), request__received_on=D(2025, 1, 6)
        )
        contribution.refresh_from_db()
        assert contribution.due_on == D(2025, 2, 17)

    def test_one_contribution_per_service_per_request(self):
        first = f.ContributionFactory()
        refused_by_database(f.ContributionFactory, request=first.request, service=first.service)
        # The same service on another request, or another service on this one, is fine.
        f.ContributionFactory(service=first.service)
        f.ContributionFactory(request=first.request)
        assert first.request.contributions.count() == 2

    def test_returned_before_asked_is_refused(self):
        refused_by_database(
            f.ContributionFactory,
            asked_on=D(2026, 9, 10),
            returned_on=D(2026, 9, 9),
            outcome=ehc.Outcome.ADVICE_GIVEN,
        )

    def test_returned_on_the_day_asked_is_allowed(self):
        contribution = f.ContributionFactory(
            asked_on=D(2026, 9, 10), returned_on=D(2026, 9, 10), outcome=ehc.Outcome.ADVICE_GIVEN
        )
        assert contribution.is_returned

    def test_returned_needs_an_outcome(self):
        refused_by_database(f.ContributionFactory, returned_on=D(2026, 9, 20), outcome="")

    def test_an_outcome_needs_a_return_date(self):
        refused_by_database(
            f.ContributionFactory, returned_on=None, outcome=ehc.Outcome.NO_HEALTH_NEEDS
        )

    def test_declined_needs_a_reason(self):
        refused_by_database(
            f.ContributionFactory,
            returned_on=D(2026, 9, 20),
            outcome=ehc.Outcome.DECLINED,
            declined_reason="",
        )
        contribution = f.ContributionFactory(
            returned_on=D(2026, 9, 20),
            outcome=ehc.Outcome.DECLINED,
            declined_reason="Not a service for this age group.",
        )
        assert contribution.pk

    def test_exception_needs_evidence(self):
        refused_by_database(
            f.ContributionFactory,
            exception=ehc.Reg8Exception.ABSENT_FROM_AREA,
            exception_evidence="",
        )
        contribution = f.ContributionFactory(
            exception=ehc.Reg8Exception.ABSENT_FROM_AREA,
            exception_evidence="Family abroad 3 March to 14 April.",
        )
        assert contribution.pk

    @pytest.mark.parametrize("reason", ["waiting_list", "school_holidays", "staffing"])
    def test_only_the_three_reg_8_2_reasons_are_exceptions(self, reason):
        refused_by_database(
            f.ContributionFactory, exception=reason, exception_evidence="Long waiting list."
        )

    @pytest.mark.parametrize(
        "reason", ["exceptional_circumstances", "absent_from_area", "missed_appointment"]
    )
    def test_each_lawful_exception_is_stored(self, reason):
        contribution = f.ContributionFactory(exception=reason, exception_evidence="Recorded.")
        contribution.refresh_from_db()
        assert contribution.exception == reason

    def test_lateness_and_timeliness(self):
        contribution = f.ContributionFactory(
            request__sent_on=D(2025, 1, 6), request__received_on=D(2025, 1, 6)
        )
        assert contribution.due_on == D(2025, 2, 17)
        assert not contribution.is_late
        assert contribution.timely(excluding_exceptions=False) is None  # outstanding
        contribution.returned_on, contribution.outcome = D(2025, 2, 17), ehc.Outcome.ADVICE_GIVEN
        contribution.save()
        assert not contribution.is_late
        assert contribution.timely(excluding_exceptions=True) is True
        contribution.returned_on = D(2025, 2, 18)
        contribution.exception = ehc.Reg8Exception.MISSED_APPOINTMENT
        contribution.exception_evidence = "Did not attend on 3 February."
        contribution.save()
        assert contribution.is_late
        assert contribution.timely(excluding_exceptions=False) is False
        assert contribution.timely(excluding_exceptions=True) is None
        assert contribution.days_left(D(2025, 2, 10)) == 7

    def test_outstanding_excludes_returned_and_closed(self):
        outstanding = f.ContributionFactory()
        f.ContributionFactory(returned_on=D(2026, 9, 20), outcome=ehc.Outcome.NOT_KNOWN)
        f.ContributionFactory(
            request__status=ehc.RequestStatus.WITHDRAWN,
            left_outstanding=ehc.LeftOutstanding.WITHDRAWN,
        )
        assert list(ehc.Contribution.objects.outstanding()) == [outstanding]


# --- Children -------------------------------------------------------------------------------


class TestChildIdentifiers:
    def test_nhs_number_unique_within_a_local_authority(self):
        child = f.ChildFactory(nhs_number="9434765919")
        refused_by_database(
            f.ChildFactory, local_authority=child.local_authority, nhs_number="9434765919"
        )

    def test_same_nhs_number_allowed_in_another_local_authority(self):
        f.ChildFactory(nhs_number="9434765919")
        other = f.ChildFactory(nhs_number="9434765919")
        assert ehc.Child.objects.filter(nhs_number="9434765919").count() == 2
        assert other.pk

    def test_blank_nhs_number_allowed_many_times(self):
        la = f.LocalAuthorityFactory()
        f.ChildFactory.create_batch(3, local_authority=la, nhs_number="")
        assert ehc.Child.objects.filter(local_authority=la, nhs_number="").count() == 3

    def test_la_reference_unique_within_a_local_authority_when_set(self):
        child = f.ChildFactory(la_reference="EHC/123")
        refused_by_database(
            f.ChildFactory, local_authority=child.local_authority, la_reference="EHC/123"
        )
        f.ChildFactory(la_reference="EHC/123")  # another LA
        f.ChildFactory.create_batch(2, local_authority=child.local_authority, la_reference="")

    def test_full_clean_reports_the_duplicate_nhs_number(self):
        child = f.ChildFactory(nhs_number="9434765919")
        duplicate = f.ChildFactory.build(
            local_authority=child.local_authority, nhs_number="9434765919"
        )
        with pytest.raises(ValidationError) as exc:
            duplicate.full_clean()
        assert "already recorded" in str(exc.value)

    def test_clean_normalises_a_typed_nhs_number(self):
        # The form normalises before the model sees the value (12 characters
        # would fail max_length in clean_fields); clean() does it as well.
        child = f.ChildFactory.build(local_authority=f.LocalAuthorityFactory())
        child.nhs_number = "943-476-5919"
        child.clean()
        assert child.nhs_number == "9434765919"
        child.full_clean()
        assert child.nhs_number_display == "943 476 5919"

    @pytest.mark.parametrize("number", ["9434765918", "1111111111", "94347659A9"])
    def test_clean_refuses_an_invalid_nhs_number(self, number):
        child = f.ChildFactory.build(local_authority=f.LocalAuthorityFactory(), nhs_number=number)
        with pytest.raises(ValidationError) as exc:
            child.full_clean()
        assert "nhs_number" in exc.value.message_dict

    def test_blank_nhs_number_is_valid_and_not_displayed(self):
        child = f.ChildFactory.build(local_authority=f.LocalAuthorityFactory(), nhs_number="")
        child.full_clean()
        assert child.nhs_number_display == ""


def last_friday_of_june(year: int) -> dt.date:
    fridays = [
        week[calendar.FRIDAY]
        for week in calendar.monthcalendar(year, 6)
        if week[calendar.FRIDAY] != 0
    ]
    return D(year, 6, fridays[-1])


class TestChildAges:
    # Born 14 May 2016: fifth birthday 14 May 2021, so compulsory school age
    # starts on the next prescribed day, 31 August 2021. Sixteen on 14 May
    # 2032, in the school year 2031/32, so it ends on the last Friday of June 2032.
    DOB = D(2016, 5, 14)

    @pytest.fixture
    def child(self):
        return f.ChildFactory(date_of_birth=self.DOB, given_name="Sam", family_name="Jones")

    def test_names(self, child):
        assert child.full_name == "Sam Jones"
        assert str(child) == "Sam Jones"
        assert child.initials == "SJ"

    def test_age_turns_on_the_birthday(self, child):
        assert child.age(D(2026, 5, 13)) == 9
        assert child.age(D(2026, 5, 14)) == 10

    def test_leap_day_birthday(self):
        child = f.ChildFactory(date_of_birth=D(2012, 2, 29))
        assert child.age(D(2025, 2, 28)) == 12
        assert child.age(D(2025, 3, 1)) == 13
        assert child.age(D(2024, 2, 29)) == 12

    def test_under_compulsory_school_age_until_the_prescribed_day(self, child):
        assert child.under_compulsory_school_age(D(2021, 8, 30))
        assert not child.under_compulsory_school_age(D(2021, 8, 31))

    def test_child_until_the_last_friday_in_june_of_year_eleven(self, child):
        end = last_friday_of_june(2032)
        assert end == D(2032, 6, 25)
        assert child.is_child(end)
        assert not child.is_child(end + dt.timedelta(days=1))
        assert child.is_child(D(2032, 5, 14))  # already 16, still a child

    def test_preparing_for_adulthood_from_year_nine(self, child):
        # Born 14 May 2016: year 9 is 2029/30, the school year they turn 14
        # (reg 20(6)), so from 1 September 2029, not the 14th birthday.
        assert not child.preparing_for_adulthood(D(2029, 8, 31))
        assert child.preparing_for_adulthood(D(2029, 9, 1))
        assert child.preparing_for_adulthood(D(2030, 5, 13))

    def test_adult_transition_from_eighteen_to_twenty_five(self, child):
        assert not child.in_adult_transition(D(2034, 5, 13))
        assert child.in_adult_transition(D(2034, 5, 14))
        assert child.in_adult_transition(D(2042, 5, 13))  # still 25
        assert not child.in_adult_transition(D(2042, 5, 14))  # 26

    def test_defaults_to_today(self, child):
        today = dt.date.today()
        assert child.age() == child.age(today)
        assert child.is_child() == child.is_child(today)

    def test_flags(self):
        assert f.ChildFactory().flags == []
        child = f.ChildFactory(
            looked_after=True, electively_home_educated=True, known_to_youth_justice=True
        )
        assert child.flags == [
            "Looked after",
            "Electively home educated",
            "Known to youth justice",
        ]
        assert f.ChildFactory(known_to_youth_justice=True).flags == ["Known to youth justice"]
        assert f.ChildFactory(continuing_care=True).flags == ["Eligible for continuing care"]


# --- Quality reviews -------------------------------------------------------------------------


def review_with(score: int, **kwargs):
    met = {name: i < score for i, (name, _, _) in enumerate(QUALITY_CRITERIA)}
    return ehc.QualityReview.objects.create(
        advice=f.AdviceFactory(),
        reviewer=f.DesignatedOfficerFactory(),
        reviewed_on=D(2026, 10, 20),
        **(met | kwargs),
    )


class TestQualityReview:
    def test_the_checklist_and_bands(self):
        assert len(QUALITY_CRITERIA) == 9
        assert quality.GREEN_FROM == 8  # 8 or 9 of 9
        assert quality.AMBER_FROM == 5  # 5 to 7

    @pytest.mark.parametrize(
        "score,rating",
        [
            (9, ehc.Rating.GREEN),
            (quality.GREEN_FROM, ehc.Rating.GREEN),
            (quality.GREEN_FROM - 1, ehc.Rating.AMBER),
            (6, ehc.Rating.AMBER),
            (quality.AMBER_FROM, ehc.Rating.AMBER),
            (quality.AMBER_FROM - 1, ehc.Rating.RED),
            (1, ehc.Rating.RED),
            (0, ehc.Rating.RED),
        ],
    )
    def test_score_and_rating_computed_on_save(self, score, rating):
        review = review_with(score)
        review.refresh_from_db()
        assert review.score == score
        assert review.rating == rating

    def test_score_counts_the_criteria_met_whichever_they_are(self):
        review = review_with(0, child_views=True, jargon_free=True, author_named=True)
        assert review.score == 3
        assert review.rating == ehc.Rating.RED
        assert [met for _, met in review.criteria].count(True) == 3

    def test_resave_recomputes(self):
        review = review_with(quality.AMBER_FROM - 1)
        assert review.rating == ehc.Rating.RED
        review.author_named = True
        review.jargon_free = True
        review.save()
        review.refresh_from_db()
        assert (review.score, review.rating) == (quality.AMBER_FROM + 1, ehc.Rating.AMBER)

    def test_score_cannot_be_forced(self):
        review = review_with(2)
        review.score = 9
        review.rating = ehc.Rating.GREEN
        review.save()
        review.refresh_from_db()
        assert (review.score, review.rating) == (2, ehc.Rating.RED)

    def test_score_above_the_checklist_is_refused_by_the_database(self):
        review = review_with(9)
        with pytest.raises(IntegrityError), transaction.atomic():
            ehc.QualityReview.objects.filter(pk=review.pk).update(score=10)

    def test_one_review_per_advice(self):
        review = review_with(5)
        with pytest.raises(IntegrityError), transaction.atomic():
            ehc.QualityReview.objects.create(
                advice=review.advice, reviewer=review.reviewer, reviewed_on=D(2026, 10, 21)
            )


# --- Section 23 notices ------------------------------------------------------------------


class TestSection23Notice:
    DOB = D(2021, 3, 10)  # five on 10 March 2026: compulsory school age from 31 March 2026

    @staticmethod
    def covering_provider(child):
        """A trust running a service in the child's area."""
        service = f.ServiceFactory()
        service.local_authorities.set([child.local_authority])
        return service.provider

    @staticmethod
    def covering_body(child):
        """A commissioning body commissioning for the child's area."""
        return f.CommissioningLinkFactory(local_authority=child.local_authority).commissioning_body

    def notice(self, child, **kwargs):
        values = {
            "child": child,
            "provider": self.covering_provider(child),
            "professional_name": "Dr H Visitor",
            "parent_told_on": D(2025, 6, 1),
        }
        values.update(kwargs)
        return ehc.Section23Notice(**values)

    def test_a_child_under_compulsory_school_age_is_accepted(self):
        child = f.ChildFactory(date_of_birth=self.DOB)
        notice = self.notice(child, parent_told_on=D(2026, 3, 30))
        notice.full_clean()
        notice.save()
        assert notice.notifying_organisation == notice.provider

    @pytest.mark.parametrize("told", [D(2026, 3, 31), D(2026, 9, 1), D(2030, 1, 1)])
    def test_a_child_at_or_over_compulsory_school_age_is_refused(self, told):
        child = f.ChildFactory(date_of_birth=self.DOB)
        notice = self.notice(child, parent_told_on=told)
        with pytest.raises(ValidationError) as exc:
            notice.full_clean()
        messages = exc.value.message_dict["parent_told_on"]
        assert "31 March 2026" in messages[0]

    def test_fifth_birthday_on_a_prescribed_day(self):
        # Five on 31 August 2026: compulsory school age starts that same day.
        child = f.ChildFactory(date_of_birth=D(2021, 8, 31))
        self.notice(child, parent_told_on=D(2026, 8, 30)).full_clean()
        with pytest.raises(ValidationError):
            self.notice(child, parent_told_on=D(2026, 8, 31)).full_clean()

    def test_commissioning_body_alone_is_accepted(self):
        child = f.ChildFactory(date_of_birth=self.DOB)
        body = self.covering_body(child)
        notice = self.notice(child, provider=None, commissioning_body=body)
        notice.full_clean()
        notice.save()
        assert notice.notifying_organisation == body

    @pytest.mark.parametrize("both", [True, False])
    def test_exactly_one_notifying_body(self, both):
        child = f.ChildFactory(date_of_birth=self.DOB)
        kwargs = (
            {"commissioning_body": f.CommissioningBodyFactory()}
            if both
            else {"provider": None, "commissioning_body": None}
        )
        with pytest.raises(ValidationError) as exc:
            self.notice(child, **kwargs).full_clean()
        # Keyed to the field to correct, so the form shows it there.
        if both:
            assert exc.value.message_dict == {
                "commissioning_body": ["Choose the trust or the commissioning body, not both"]
            }
        else:
            assert exc.value.message_dict == {
                "provider": ["Choose the trust or the commissioning body that gave notice"]
            }
        with pytest.raises(IntegrityError), transaction.atomic():
            self.notice(child, **kwargs).save()

    def test_the_notifying_organisation_covers_the_childs_area(self):
        child = f.ChildFactory(date_of_birth=self.DOB)
        elsewhere = "Choose an organisation that covers the child's local authority"
        with pytest.raises(ValidationError) as exc:
            self.notice(child, provider=f.ProviderFactory()).full_clean()
        assert exc.value.message_dict == {"provider": [elsewhere]}
        with pytest.raises(ValidationError) as exc:
            self.notice(
                child, provider=None, commissioning_body=f.CommissioningBodyFactory()
            ).full_clean()
        assert exc.value.message_dict == {"commissioning_body": [elsewhere]}

    def test_la_told_before_the_parent_is_refused(self):
        child = f.ChildFactory(date_of_birth=self.DOB)
        with pytest.raises(IntegrityError), transaction.atomic():
            self.notice(child, parent_told_on=D(2025, 6, 2), la_notified_on=D(2025, 6, 1)).save()
        notice = self.notice(child, parent_told_on=D(2025, 6, 2), la_notified_on=D(2025, 6, 2))
        notice.save()
        assert notice.pk


# --- Reviews, mediation, tribunal -----------------------------------------------------------


class TestReviewInput:
    MEETING = D(2026, 3, 20)  # advice and invitations are due two weeks before: 6 March

    def review(self, **kwargs):
        return ehc.ReviewInput.objects.create(
            child=f.ChildFactory(), meeting_on=self.MEETING, **kwargs
        )

    def test_advice_due_two_weeks_before_the_meeting(self):
        assert self.review().advice_due == D(2026, 3, 6)

    @pytest.mark.parametrize(
        "invited,in_time",
        [(None, None), (D(2026, 2, 20), True), (D(2026, 3, 6), True), (D(2026, 3, 7), False)],
    )
    def test_invited_with_two_weeks_notice(self, invited, in_time):
        assert self.review(invited_on=invited).invited_in_time is in_time

    @pytest.mark.parametrize(
        "sent,in_time",
        [(None, None), (D(2026, 3, 6), True), (D(2026, 3, 9), False), (D(2026, 3, 20), False)],
    )
    def test_advice_in_time(self, sent, in_time):
        assert self.review(advice_sent_on=sent).advice_in_time is in_time

    def test_next_review_within_twelve_months(self):
        # The 12-month period starting with the 20 March 2026 meeting ends
        # on 19 March 2027 (CFA 2014 s44(1)).
        assert self.review().next_review_due == D(2027, 3, 19)
        leap = ehc.ReviewInput.objects.create(child=f.ChildFactory(), meeting_on=D(2024, 2, 29))
        assert leap.next_review_due == D(2025, 2, 28)

    def test_invitation_after_the_meeting_is_refused(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            self.review(invited_on=D(2026, 3, 21))
        assert self.review(invited_on=self.MEETING).invited_in_time is False


class TestMediationCase:
    def case(self, **kwargs):
        values = {"child": f.ChildFactory(), "health_issues": "Therapy hours in section G."}
        values.update(kwargs)
        return ehc.MediationCase.objects.create(**values)

    @pytest.mark.parametrize(
        "requested,due",
        [
            (D(2025, 6, 9), D(2025, 6, 12)),  # Monday: Tue, Wed, Thu
            (D(2025, 6, 12), D(2025, 6, 17)),  # Thursday: Fri, Mon, Tue
            (D(2025, 6, 14), D(2025, 6, 18)),  # Saturday: Mon, Tue, Wed
            (D(2025, 4, 17), D(2025, 4, 24)),  # Good Friday and Easter Monday skipped
            (D(2026, 5, 22), D(2026, 5, 28)),  # spring bank holiday 25 May skipped
            (D(2025, 12, 23), D(2025, 12, 30)),  # Christmas and Boxing Day skipped
            (D(2026, 12, 23), D(2026, 12, 30)),  # 24th counts; 25th and substitute 28th not
            (D(2021, 12, 23), D(2021, 12, 30)),  # substitute 27th and 28th skipped
        ],
    )
    def test_notice_due_in_three_working_days(self, requested, due):
        assert self.case(requested_on=requested).notice_due == due

    @pytest.mark.parametrize(
        "notified,in_time",
        [(None, None), (D(2025, 6, 12), True), (D(2025, 6, 13), False)],
    )
    def test_notice_in_time(self, notified, in_time):
        case = self.case(requested_on=D(2025, 6, 9), body_notified_on=notified)
        assert case.notice_in_time is in_time

    def test_health_only_mediation_due_thirty_days_after_notice(self):
        case = self.case(
            requested_on=D(2025, 6, 9), body_notified_on=D(2025, 6, 11), health_only=True
        )
        assert case.mediation_due == D(2025, 7, 11)

    def test_no_mediation_due_when_not_health_only_or_not_notified(self):
        assert (
            self.case(requested_on=D(2025, 6, 9), body_notified_on=D(2025, 6, 11)).mediation_due
            is None
        )
        assert self.case(requested_on=D(2025, 6, 9), health_only=True).mediation_due is None

    def test_notice_before_the_request_is_refused(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            self.case(requested_on=D(2025, 6, 9), body_notified_on=D(2025, 6, 8))


class TestTribunalCase:
    def case(self, **kwargs):
        values = {
            "child": f.ChildFactory(),
            "registered_on": D(2025, 1, 15),
            "health_issues": "Occupational therapy in section G.",
        }
        values.update(kwargs)
        return ehc.TribunalCase.objects.create(**values)

    def test_response_due_five_weeks_after_the_recommendations_arrive(self):
        case = self.case(recommendations_received_on=D(2025, 6, 2))
        assert case.response_due == D(2025, 7, 7)

    def test_nothing_due_without_recommendations(self):
        case = self.case()
        assert case.response_due is None
        assert case.response_in_time is None

    @pytest.mark.parametrize(
        "sent,in_time",
        [(None, None), (D(2025, 6, 2), True), (D(2025, 7, 7), True), (D(2025, 7, 8), False)],
    )
    def test_response_in_time(self, sent, in_time):
        case = self.case(recommendations_received_on=D(2025, 6, 2), response_sent_on=sent)
        assert case.response_in_time is in_time

    def test_decision_before_registration_is_refused(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            self.case(decision_on=D(2025, 1, 14))

    def test_response_needs_recommendations_first(self):
        with pytest.raises(IntegrityError), transaction.atomic():
            self.case(response_sent_on=D(2025, 6, 2))
        with pytest.raises(IntegrityError), transaction.atomic():
            self.case(recommendations_received_on=D(2025, 6, 2), response_sent_on=D(2025, 6, 1))


# --- Who sees what ----------------------------------------------------------------------


class Casework:
    """Records in two areas, built for the scoping tests.

    In ``area``: ``asked`` has a request that asks the area's service;
    ``elsewhere`` has a request that asks another service only; ``quiet``
    has no request. In ``other``: ``other_child`` asks the other area's
    service. Each child has a section 23 notice.
    """

    def __init__(self, area, other):
        la, other_la = area.local_authority, other.local_authority
        self.asked = f.ChildFactory(local_authority=la, date_of_birth=D(2021, 3, 10))
        self.elsewhere = f.ChildFactory(local_authority=la, date_of_birth=D(2021, 3, 10))
        self.quiet = f.ChildFactory(local_authority=la, date_of_birth=D(2021, 3, 10))
        self.other_child = f.ChildFactory(local_authority=other_la, date_of_birth=D(2021, 3, 10))

        self.asked_request = f.HealthAdviceRequestFactory(child=self.asked)
        self.own = f.ContributionFactory(request=self.asked_request, service=area.service)
        # The same request also asks another service the practitioner is not in.
        self.sibling = f.ContributionFactory(request=self.asked_request)
        self.elsewhere_request = f.HealthAdviceRequestFactory(child=self.elsewhere)
        self.elsewhere_contribution = f.ContributionFactory(request=self.elsewhere_request)
        self.other_request = f.HealthAdviceRequestFactory(child=self.other_child)
        self.other_contribution = f.ContributionFactory(
            request=self.other_request, service=other.service
        )

        self.advice = {
            c.pk: f.AdviceFactory(contribution=c)
            for c in (self.own, self.sibling, self.elsewhere_contribution, self.other_contribution)
        }
        self.notices = {
            child.pk: ehc.Section23Notice.objects.create(
                child=child,
                provider=area.provider,
                professional_name="Health visitor",
                parent_told_on=D(2025, 6, 1),
            )
            for child in (self.asked, self.elsewhere, self.quiet, self.other_child)
        }

    @property
    def area_children(self):
        return {self.asked, self.elsewhere, self.quiet}

    @property
    def area_requests(self):
        return {self.asked_request, self.elsewhere_request}

    @property
    def area_contributions(self):
        return {self.own, self.sibling, self.elsewhere_contribution}


@pytest.fixture
def work(area, other_area):
    return Casework(area, other_area)


def visible(model, user) -> set:
    return set(model.objects.visible_to(user))


class TestVisibleTo:
    @pytest.mark.parametrize("role", ["officer", "la_officer"])
    def test_area_roles_see_their_local_authority(self, area, work, role):
        user = area.user(role)
        assert visible(ehc.Child, user) == work.area_children
        assert visible(ehc.HealthAdviceRequest, user) == work.area_requests
        assert visible(ehc.Contribution, user) == work.area_contributions
        assert visible(ehc.Advice, user) == {work.advice[c.pk] for c in work.area_contributions}
        assert visible(ehc.Section23Notice, user) == {
            work.notices[c.pk] for c in work.area_children
        }

    @pytest.mark.parametrize("role", ["officer", "la_officer"])
    def test_the_other_area_sees_only_its_own(self, other_area, work, role):
        user = other_area.user(role)
        assert visible(ehc.Child, user) == {work.other_child}
        assert visible(ehc.HealthAdviceRequest, user) == {work.other_request}
        assert visible(ehc.Contribution, user) == {work.other_contribution}
        assert visible(ehc.Advice, user) == {work.advice[work.other_contribution.pk]}
        assert visible(ehc.Section23Notice, user) == {work.notices[work.other_child.pk]}

    def test_practitioner_sees_what_asks_their_services(self, area, work):
        user = area.practitioner
        assert visible(ehc.Child, user) == {work.asked}
        assert visible(ehc.HealthAdviceRequest, user) == {work.asked_request}
        # Only their own service's part of the request, not the sibling's.
        assert visible(ehc.Contribution, user) == {work.own}
        assert visible(ehc.Advice, user) == {work.advice[work.own.pk]}
        assert visible(ehc.Section23Notice, user) == set()

    def test_practitioner_scope_follows_their_services(self, area, work):
        user = area.practitioner
        user.services.add(work.elsewhere_contribution.service)
        assert visible(ehc.Child, user) == {work.asked, work.elsewhere}
        assert visible(ehc.Contribution, user) == {work.own, work.elsewhere_contribution}
        user.services.clear()
        assert visible(ehc.Child, user) == set()
        assert visible(ehc.HealthAdviceRequest, user) == set()

    def test_a_child_asked_about_twice_appears_once(self, area, work):
        second = f.HealthAdviceRequestFactory(
            child=work.asked, process=ehc.Process.ANNUAL_REVIEW, received_on=D(2026, 9, 20)
        )
        f.ContributionFactory(request=second, service=area.service)
        children = list(ehc.Child.objects.visible_to(area.practitioner))
        assert children == [work.asked]

    def test_commissioner_sees_no_casework(self, area, work):
        user = area.commissioner
        for model in (
            ehc.Child,
            ehc.HealthAdviceRequest,
            ehc.Contribution,
            ehc.Advice,
            ehc.Section23Notice,
        ):
            assert visible(model, user) == set(), model.__name__

    def test_administrator_sees_everything(self, area, work):
        user = area.administrator
        assert visible(ehc.Child, user) == work.area_children | {work.other_child}
        assert visible(ehc.HealthAdviceRequest, user) == work.area_requests | {work.other_request}
        assert len(visible(ehc.Contribution, user)) == 4
        assert len(visible(ehc.Advice, user)) == 4
        assert len(visible(ehc.Section23Notice, user)) == 4

    def test_inactive_user_sees_nothing(self, area, work):
        user = area.officer
        user.is_active = False
        assert visible(ehc.Child, user) == set()
        assert visible(ehc.HealthAdviceRequest, user) == set()

    def test_officer_with_two_areas_sees_both(self, area, other_area, work):
        user = area.officer
        user.local_authorities.add(other_area.local_authority)
        assert visible(ehc.Child, user) == work.area_children | {work.other_child}

    def test_make_area_is_self_contained(self):
        first, second = make_area(), make_area()
        assert first.local_authority != second.local_authority
        assert first.service != second.service
