"""A contribution's local authority is its request's, whichever path wrote
it (ehc migration 0017; the reports select contributions by it)."""

from __future__ import annotations

import datetime

import pytest
from django.db.models import F

from ehc import services
from ehc.models import Contribution
from tests import factories as f
from tests.ehc.test_services_bulk import case

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture(autouse=True)
def today(today_is):
    return today_is(D(2026, 6, 15))


def copied_from_request(queryset) -> bool:
    """Every contribution of ``queryset`` (at least one) has its request's area."""
    assert queryset.exists()
    return not queryset.exclude(local_authority=F("request__local_authority")).exists()


def test_the_one_by_one_services_copy_the_requests_area(area, other_area):
    child = f.ChildFactory(local_authority=area.local_authority)
    request = services.log_request(
        child=child,
        by=area.officer,
        process="needs_assessment",
        sent_on=D(2026, 3, 2),
        received_on=D(2026, 3, 3),
        services=[area.service],
    )
    second = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
    services.add_contribution(
        request=request, service=second, asked_on=D(2026, 3, 4), by=area.officer
    )
    assert request.contributions.count() == 2
    assert copied_from_request(request.contributions.all())
    assert not request.contributions.filter(local_authority=other_area.local_authority).exists()


def test_the_bulk_path_copies_the_requests_area(area):
    services.create_many(by=area.officer, **case(area, 3))
    assert Contribution.objects.count() == 3
    assert copied_from_request(Contribution.objects.all())


def test_factories_copy_the_requests_area(area):
    f.ContributionFactory(request__child__local_authority=area.local_authority)
    assert Contribution.objects.get().local_authority == area.local_authority
