import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from accounts.models import User
from commissioning.models import LocalAuthority
from ehc import clock
from ehc.identifiers import is_valid_nhs_number
from ehc.models import (
    Advice,
    Child,
    Contribution,
    HealthAdviceRequest,
    MediationCase,
    PersonalHealthBudget,
    ProvisionItem,
    QualityReview,
    RequestStatus,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)
from portal.demo.casework import DEMO_MARKER, seed_casework
from portal.demo.organisations import seed_organisations

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 6, 16)


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", size="small")


def _snapshot():
    return (
        list(
            Child.objects.order_by("la_reference").values_list(
                "la_reference",
                "local_authority__gss_code",
                "nhs_number",
                "given_name",
                "family_name",
                "date_of_birth",
                "primary_need",
                "looked_after",
            )
        ),
        list(
            HealthAdviceRequest.objects.order_by(
                "local_authority__gss_code", "la_reference"
            ).values_list(
                "la_reference",
                "child__la_reference",
                "process",
                "sent_on",
                "received_on",
                "due_on",
                "status",
                "closed_on",
                "owner__email",
            )
        ),
        list(
            Contribution.objects.order_by(
                "request__local_authority__gss_code", "request__la_reference", "service__pk"
            ).values_list(
                "service__provider__ods_code",
                "service__name",
                "asked_on",
                "due_on",
                "returned_on",
                "outcome",
                "late_reason",
                "exception",
            )
        ),
        list(
            Advice.objects.order_by(
                "contribution__request__local_authority__gss_code",
                "contribution__request__la_reference",
                "contribution__service__pk",
            ).values_list("written_on", "author_name", "needs", "review__score")
        ),
        ProvisionItem.objects.count(),
        ProvisionItem.objects.filter(available=False).count(),
        [
            m.objects.count()
            for m in (
                Section23Notice,
                ReviewInput,
                MediationCase,
                TribunalCase,
                PersonalHealthBudget,
            )
        ],
    )


def test_small_seed_has_requests_in_every_status(seeded):
    statuses = set(HealthAdviceRequest.objects.values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    # Every home authority has a worklist, and there is something due soon and overdue.
    assert HealthAdviceRequest.objects.count() >= 50
    for la in LocalAuthority.objects.all():
        assert la.advice_requests.count() >= 25
    today = timezone.localdate()
    awaiting = HealthAdviceRequest.objects.filter(status=RequestStatus.AWAITING)
    assert awaiting.filter(due_on__gte=today).exists()
    assert awaiting.filter(due_on__lt=today).exists()
    returned = Contribution.objects.exclude(returned_on=None)
    late = [c for c in returned if c.is_late]
    assert 0.5 < 1 - len(late) / returned.count() < 0.9
    assert any(c.late_reason for c in late)
    assert any(c.exception and c.exception_evidence for c in late)
    assert ProvisionItem.objects.filter(available=False).exists()
    assert QualityReview.objects.exists()
    for model in (Section23Notice, ReviewInput, MediationCase, TribunalCase, PersonalHealthBudget):
        assert model.objects.exists(), model


def test_due_dates_follow_the_clock(seeded):
    requests = HealthAdviceRequest.objects.select_related("review").prefetch_related(
        "contributions"
    )
    for request in requests:
        if request.process in clock.REVIEW_PROCESSES:
            # Linked to a review of the same child: due 2 weeks before its meeting.
            assert request.review is not None
            assert request.review.child_id == request.child_id
            assert request.review.phase_transfer is (request.process == "phase_transfer")
            assert request.due_on == request.review.meeting_on - datetime.timedelta(weeks=2)
            assert request.due_on > request.received_on
        else:
            assert request.review is None
        meeting_on = request.review.meeting_on if request.review else None
        assert request.due_on == clock.advice_due(request.process, request.received_on, meeting_on)
        assert request.sent_on <= request.received_on
        for contribution in request.contributions.all():
            assert contribution.due_on == request.due_on
            assert contribution.asked_on >= request.received_on
            if contribution.returned_on:
                assert contribution.asked_on <= contribution.returned_on <= timezone.localdate()
                assert contribution.outcome
            else:
                assert not contribution.outcome


def test_statuses_are_consistent(seeded):
    for request in HealthAdviceRequest.objects.prefetch_related("contributions"):
        contributions = list(request.contributions.all())
        outstanding = any(c.returned_on is None for c in contributions)
        if request.status == RequestStatus.AWAITING:
            assert outstanding or not contributions
            assert request.closed_on is None
        elif request.status == RequestStatus.RETURNED:
            assert contributions and not outstanding
            assert request.closed_on is None
        elif request.status == RequestStatus.CLOSED:
            assert contributions and not outstanding
            assert request.received_on <= request.closed_on <= timezone.localdate()
        else:
            assert request.status == RequestStatus.WITHDRAWN
            assert request.received_on <= request.closed_on <= timezone.localdate()


def test_advice_provision_and_reviews_fit_their_contributions(seeded):
    for advice in Advice.objects.select_related("contribution"):
        assert advice.contribution.outcome == "advice_given"
        assert advice.contribution.asked_on <= advice.written_on <= advice.contribution.returned_on
        assert 1 <= advice.provision.count() <= 3
    for review in QualityReview.objects.select_related("advice__contribution"):
        assert review.reviewed_on >= review.advice.contribution.returned_on
        expected = sum(bool(label) for _, label in review.criteria if label)
        assert review.score == expected
    assert Advice.objects.filter(review__isnull=True).exists()


def test_children_are_synthetic_and_of_age(seeded):
    today = timezone.localdate()
    children = list(Child.objects.all())
    assert children
    for child in children:
        assert child.nhs_number.startswith("999")
        assert is_valid_nhs_number(child.nhs_number)
        assert 0 <= child.age(today) <= 25
        assert child.la_reference.startswith(DEMO_MARKER)
    assert len({c.nhs_number for c in children}) == len(children)
    for notice in Section23Notice.objects.select_related("child"):
        assert clock.under_compulsory_school_age(notice.child.date_of_birth, notice.parent_told_on)
        notice.full_clean()


def test_scoping_dco_and_practitioner_see_casework_commissioner_none(seeded):
    dco = User.objects.get(email="dco@example.org")
    visible = HealthAdviceRequest.objects.visible_to(dco)
    assert visible.count() == HealthAdviceRequest.objects.count() > 0
    assert visible.filter(owner=dco).exists()
    assert HealthAdviceRequest.objects.visible_to(dco).open().exists()
    practitioner = User.objects.get(email="practitioner@example.org")
    assert HealthAdviceRequest.objects.visible_to(practitioner).exists()
    commissioner = User.objects.get(email="commissioner@example.org")
    assert not HealthAdviceRequest.objects.visible_to(commissioner).exists()
    assert not Child.objects.visible_to(commissioner).exists()


def test_rerun_does_not_duplicate_and_keeps_other_children(seeded):
    la = LocalAuthority.objects.order_by("gss_code").first()
    kept = Child.objects.create(
        local_authority=la,
        given_name="Real",
        family_name="Entry",
        date_of_birth=datetime.date(2015, 1, 1),
        la_reference="LA-1",
    )
    counts = (Child.objects.count(), HealthAdviceRequest.objects.count())
    contributions = Contribution.objects.count()
    call_command("seed_demo", size="small")
    assert (Child.objects.count(), HealthAdviceRequest.objects.count()) == counts
    assert Contribution.objects.count() == contributions
    assert Child.objects.filter(pk=kept.pk).exists()


def test_same_seed_same_data_other_seed_other_data(settings):
    settings.DEBUG = True
    organisations = seed_organisations("small", 3)
    counts = seed_casework(organisations, seed=3, size="small", today=TODAY)
    first = _snapshot()
    assert counts["requests"] == HealthAdviceRequest.objects.count()
    assert seed_casework(organisations, seed=3, size="small", today=TODAY) == counts
    assert _snapshot() == first
    seed_casework(organisations, seed=4, size="small", today=TODAY)
    assert _snapshot() != first
    assert Child.objects.filter(date_of_birth__gt=TODAY).count() == 0


def test_need_mix_and_volume_follow_national_figures(settings):
    from collections import Counter

    from commissioning.models import ChildPopulation
    from ehc.models import Child, HealthAdviceRequest

    settings.DEBUG = True
    call_command("seed_demo", size="medium")
    needs = Counter(Child.objects.values_list("primary_need", flat=True))
    total = sum(needs.values())
    # ASD is about a third of plans nationally, SLCN and SEMH about a fifth each.
    assert 0.22 < needs["ASD"] / total < 0.42
    assert needs["ASD"] > needs["MLD"] > needs["VI"]
    # Requests follow child population: requests per child are about the same
    # in every authority of the same kind, however big it is.
    by_la = Counter(HealthAdviceRequest.objects.values_list("local_authority_id", flat=True))
    sizes = dict(
        ChildPopulation.objects.order_by("year").values_list("local_authority_id", "aged_0_17")
    )
    dco = User.objects.get(email="dco@example.org")
    home = set(dco.local_authorities.values_list("pk", flat=True))
    for group in (home, set(by_la) - home):
        assert len({sizes[la] for la in group}) > 1, "the demo areas differ in size"
        rates = [by_la[la] / sizes[la] for la in group]
        assert max(rates) / min(rates) < 1.3


def test_review_requests_have_their_meeting_and_advice_both_sides_of_it(seeded):
    """The reports' review measure has data: review advice returned on time
    and late against 2 weeks before the meeting, and every linked review
    record is valid."""
    linked = HealthAdviceRequest.objects.filter(review__isnull=False).select_related("review")
    assert linked.exists()
    for request in linked:
        request.review.full_clean()
    returned = Contribution.objects.filter(
        request__review__isnull=False, returned_on__isnull=False
    ).select_related("request")
    verdicts = {c.returned_on <= c.request.due_on for c in returned}
    assert verdicts == {True, False}
    for contribution in returned:
        assert contribution.due_on == contribution.request.due_on


def test_unreturned_advice_on_withdrawn_or_closed_requests_is_marked(seeded):
    from ehc.models import Contribution, LeftOutstanding, RequestStatus

    unreturned = Contribution.objects.filter(returned_on__isnull=True)
    for status, marker in (
        (RequestStatus.WITHDRAWN, LeftOutstanding.WITHDRAWN),
        (RequestStatus.CLOSED, LeftOutstanding.CLOSED),
    ):
        rows = unreturned.filter(request__status=status)
        assert list(rows.exclude(left_outstanding=marker)) == []
    assert unreturned.filter(request__status=RequestStatus.WITHDRAWN).exists()
    # Every (b) or (c) exception has its date within the 6 weeks.
    for c in Contribution.objects.filter(
        exception__in=["absent_from_area", "missed_appointment"]
    ).select_related("request"):
        assert c.exception_on is not None
        assert c.clock_started_on <= c.exception_on <= c.due_on
