"""api.intake.receive_request with plain values, as the API view calls it."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from api import intake
from api.errors import Conflict
from core.models import FormSubmission
from core.submissions import AlreadySent, create_once
from ehc.models import Child, HealthAdviceRequest
from tests import factories as f

pytestmark = pytest.mark.django_db


def values(area, **extra) -> dict:
    data = {
        "child": {
            "given_name": "Ann",
            "family_name": "Lee",
            "date_of_birth": datetime.date(2015, 1, 2),
            "la_reference": "CH-1",
        },
        "process": "needs_assessment",
        "la_reference": "EHC-7",
        "sent_on": timezone.localdate(),
        "services": [area.service.pk, area.service.pk],
    }
    data.update(extra)
    return data


def test_a_request_is_received_today_and_a_retry_finds_it(area):
    first = intake.receive_request(by=area.la_officer, values=values(area))
    assert first.created and first.request.received_on == timezone.localdate()
    assert first.request.contributions.count() == 1  # a service listed twice is asked once
    again = intake.receive_request(by=area.la_officer, values=values(area))
    assert not again.created and again.request == first.request
    # Another process under the same reference is another request.
    review = intake.receive_request(
        by=area.la_officer,
        values=values(area, process="reassessment"),
    )
    assert review.created and review.request.child == first.request.child


def test_the_same_key_gives_the_same_request(area):
    one = intake.receive_request(
        by=area.la_officer, values=values(area, la_reference=""), idempotency_key="k1"
    )
    two = intake.receive_request(
        by=area.la_officer, values=values(area, la_reference=""), idempotency_key="k1"
    )
    assert one.created and not two.created and one.request == two.request
    assert HealthAdviceRequest.objects.count() == 1


def test_a_key_claimed_by_someone_else_is_refused(area):
    token = intake.idempotency_token(area.la_officer, "k1")
    create_once(area.officer, token, lambda: f.ChildFactory())  # another user's token
    with pytest.raises(AlreadySent):
        intake.receive_request(by=area.la_officer, values=values(area), idempotency_key="k1")


def test_unknown_services_and_areas_are_refused_by_field(area, other_area):
    with pytest.raises(ValidationError) as raised:
        intake.receive_request(by=area.la_officer, values=values(area, services=[10**12]))
    assert raised.value.message_dict == {"services": ["Choose services from the list"]}
    child = dict(values(area)["child"], local_authority=other_area.local_authority.pk)
    with pytest.raises(ValidationError) as raised:
        intake.receive_request(by=area.la_officer, values=values(area, child=child))
    assert raised.value.message_dict == {
        "child.local_authority": ["Choose a local authority from the list"]
    }
    assert not Child.objects.exists()


def test_someone_with_several_areas_names_one(area, other_area):
    officer = f.DesignatedOfficerFactory(
        local_authorities=[area.local_authority, other_area.local_authority]
    )
    with pytest.raises(ValidationError, match="Choose a local authority"):
        intake.receive_request(by=officer, values=values(area))
    child = dict(values(area)["child"], local_authority=area.local_authority.pk)
    received = intake.receive_request(by=officer, values=values(area, child=child))
    assert received.request.local_authority == area.local_authority


def test_a_child_recorded_with_a_different_birth_date_is_left_to_the_rule(area):
    f.ChildFactory(local_authority=area.local_authority, la_reference="CH-1")
    with pytest.raises(ValidationError) as raised:
        intake.receive_request(by=area.la_officer, values=values(area))
    assert "child.la_reference" in raised.value.message_dict


def test_a_reference_sent_again_for_another_child_is_a_conflict(area):
    first = intake.receive_request(by=area.la_officer, values=values(area))
    other = values(area)
    other["child"] = {**other["child"], "date_of_birth": datetime.date(2012, 5, 6)}
    with pytest.raises(Conflict):
        intake.receive_request(by=area.la_officer, values=other)
    assert HealthAdviceRequest.objects.count() == 1
    # Once the first is withdrawn, the reference may be sent again.
    HealthAdviceRequest.objects.filter(pk=first.request.pk).update(status="withdrawn")
    again = intake.receive_request(by=area.la_officer, values=values(area))
    assert again.created and again.request != first.request


def test_a_key_claimed_before_bodies_were_recorded_is_still_a_retry(area):
    """Keys are kept 2 days: one claimed by a version that recorded no body
    answers its retry with its request, not a 422."""
    first = intake.receive_request(
        by=area.la_officer, values=values(area, la_reference=""), idempotency_key="k1"
    )
    FormSubmission.objects.filter(result_model=intake.BODY_RECORDED).delete()  # as before
    again = intake.receive_request(
        by=area.la_officer, values=values(area, la_reference=""), idempotency_key="k1"
    )
    assert not again.created and again.request == first.request
