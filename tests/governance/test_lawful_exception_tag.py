"""A health practitioner sees the "lawful exception" tag only for their own
services' contributions (issue 15): a reg 8(2) exception, and the absence or
missed appointment it records, is another service's record about the child.
Their request tag reads their own part (ehc.selectors.with_clock for the
user, docs/ehc.md "The worklist"); the worklist's "overdue only" filter is
still about the whole request.
Here because it is an information governance rule; the code is ehc's."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests import factories as f
from tests.ehc.helpers import covering_service

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
RECEIVED = datetime.date(2026, 10, 5)  # due 16 November, a week before TODAY
LAWFUL = "Late: lawful exception"
ABSENT = {
    "exception": "absent_from_area",
    "exception_evidence": "Family abroad for 5 weeks.",
    "exception_on": datetime.date(2026, 10, 12),
}

LATER = {
    "received_on": datetime.date(2026, 11, 2),
    "asked_on": datetime.date(2026, 11, 2),
    "return_by": datetime.date(2026, 12, 4),
}


@pytest.fixture(autouse=True)
def today(monkeypatch):
    from django.utils import timezone

    real = timezone.localdate
    monkeypatch.setattr(
        "django.utils.timezone.localdate",
        lambda value=None, timezone=None: TODAY if value is None else real(value, timezone),
    )


def case(area, *, own: dict, other: dict | None):
    """A request asking the practitioner's service (``own``: its fields) and,
    unless None, another service of the area (``other``)."""
    child = f.ChildFactory(local_authority=area.local_authority)
    req = f.HealthAdviceRequestFactory(child=child, sent_on=RECEIVED, received_on=RECEIVED)
    f.ContributionFactory(request=req, service=area.service, **own)
    if other is not None:
        f.ContributionFactory(request=req, service=covering_service(area), **other)
    return child, req


def signed_in(client, user):
    client.force_login(user)
    return client


def pages(client, child, req) -> dict[str, str]:
    return {
        "worklist": client.get(reverse("ehc:request_list")).content.decode(),
        "request": client.get(req.get_absolute_url()).content.decode(),
        "child": client.get(child.get_absolute_url()).content.decode(),
    }


def test_another_services_exception_is_not_shown_to_the_practitioner(client, area):
    # Theirs is late, excused; ours was asked by the LA directly on 2 November
    # (due 14 December) and is to return by 4 December.
    child, req = case(area, own=LATER, other=ABSENT)
    for name, page in pages(signed_in(client, area.officer), child, req).items():
        assert LAWFUL in page, name  # the officer sees the whole request
    practitioner = signed_in(client, area.practitioner)
    for name, page in pages(practitioner, child, req).items():
        assert LAWFUL not in page, name
        assert "Family abroad" not in page and "days overdue" not in page, name
    # The worklist's tag counts to what the practitioner's service owes.
    assert "11 days left" in pages(practitioner, child, req)["worklist"]
    # Nor does the filter find it by the other service's exception.
    listed = practitioner.get(reverse("ehc:request_list"), {"lawful_exception": "on"})
    assert req not in listed.context["requests"]
    officer = signed_in(client, area.officer)
    listed = officer.get(reverse("ehc:request_list"), {"lawful_exception": "on"})
    assert req in listed.context["requests"]


def test_their_own_services_exception_is_shown(client, area):
    child, req = case(area, own=ABSENT, other=None)
    practitioner = signed_in(client, area.practitioner)
    for name, page in pages(practitioner, child, req).items():
        assert LAWFUL in page, name
    listed = practitioner.get(reverse("ehc:request_list"), {"lawful_exception": "on"})
    assert req in listed.context["requests"]


def test_another_services_lateness_is_not_on_their_clock(client, area):
    # Another service is late without an exception: the practitioner's clock
    # reads their own part, which is not late; the "overdue only" filter is
    # about the whole request and still lists it.
    child, req = case(area, own=LATER, other={})
    practitioner = signed_in(client, area.practitioner)
    assert "7 days overdue" not in pages(practitioner, child, req)["worklist"]
    listed = practitioner.get(reverse("ehc:request_list"), {"overdue": "on"})
    assert req in listed.context["requests"]


def test_once_their_part_is_returned_they_are_told_so(client, area):
    returned = {"returned_on": datetime.date(2026, 11, 10), "outcome": "advice_given"}
    child, req = case(area, own=returned, other=ABSENT)
    page = pages(signed_in(client, area.practitioner), child, req)["worklist"]
    assert "Your part returned" in page
    assert LAWFUL not in page
