"""The worklist's stored keys (ehc/services/urgency.py): after any sequence
of service calls, every request's stored ``urgency`` and ``working_due_on``
equal what ehc.selectors.with_worklist_keys computes from its rows; the
repair command finds and fixes keys changed behind the services' back."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehc import services
from ehc.models import Contribution, HealthAdviceRequest, RequestStatus, ReviewInput
from ehc.selectors import URGENCY_BAND, with_worklist_keys
from ehc.services.urgency import STORED, refresh_all, refresh_urgency
from tests.ehc.helpers import ADVICE, covering_service

pytestmark = pytest.mark.django_db

D = datetime.date
TODAY = D(2026, 11, 23)


def wrong_keys() -> list[dict]:
    """For every request whose stored keys differ from the rule's, its id
    and each key as stored and as computed."""
    names = [*STORED, *(f"computed_{name}" for name in STORED)]
    rows = with_worklist_keys(HealthAdviceRequest.objects.all()).values("pk", *names)
    return [row for row in rows if any(row[n] != row[f"computed_{n}"] for n in STORED)]


def days(n: int) -> datetime.date:
    return TODAY - datetime.timedelta(days=n)


# --- Every service, in any order -------------------------------------------------------------


class Casework:
    """Two requests (an assessment with two services; a review, due before
    its meeting, with one) and the service calls a sequence is made of.
    Each call reads the rows afresh and passes their current version."""

    def __init__(self, area):
        self.area = area
        self.by = area.officer
        self.spare = [covering_service(area), covering_service(area)]
        child = services.create_child(
            by=self.by,
            local_authority=area.local_authority,
            given_name="Sam",
            family_name="Example",
            date_of_birth=D(2016, 5, 1),
        )
        self.requests = [
            services.log_request(
                child=child,
                by=self.by,
                process="needs_assessment",
                sent_on=days(60),
                received_on=days(60),
                services=[area.service, self.spare[0]],
            ).pk,
            services.log_request(
                child=child,
                by=self.by,
                process="annual_review",
                sent_on=days(20),
                received_on=days(20),
                meeting_on=TODAY + datetime.timedelta(days=10),
                services=[area.service],
            ).pk,
        ]

    def request(self, which: int) -> HealthAdviceRequest:
        return HealthAdviceRequest.objects.get(pk=self.requests[which % 2])

    def contribution(self, which: int, index: int) -> Contribution | None:
        found = list(self.request(which).contributions.order_by("pk"))
        return found[index % len(found)] if found else None

    # Each step: (which request, which contribution, a day offset 0-30).
    def returned(self, which, index, offset):
        c = self.contribution(which, index)
        day = max(c.asked_on, days(offset))
        late = "staffing" if day > c.due_on else ""
        services.record_return(
            contribution=c,
            returned_on=day,
            outcome="advice_given",
            late_reason=late,
            by=self.by,
            expected_version=c.version,
        )

    def unreturned(self, which, index, offset):
        c = self.contribution(which, index)
        services.record_return(
            contribution=c, returned_on=None, outcome="", by=self.by, expected_version=c.version
        )

    def advice(self, which, index, offset):
        c = self.contribution(which, index)
        written = max(c.asked_on, days(offset))
        services.save_advice(
            contribution=c,
            values={**ADVICE, "written_on": min(written, c.due_on)},
            by=self.by,
            expected_version=getattr(getattr(c, "advice", None), "version", None),
        )

    def excepted(self, which, index, offset):
        c = self.contribution(which, index)
        services.record_exception(
            contribution=c,
            exception="exceptional_circumstances",
            evidence="Bereavement in the family.",
            by=self.by,
            expected_version=c.version,
        )

    def exception_cleared(self, which, index, offset):
        c = self.contribution(which, index)
        services.record_exception(
            contribution=c, exception="", evidence="", by=self.by, expected_version=c.version
        )

    def return_by(self, which, index, offset):
        c = self.contribution(which, index)
        day = c.asked_on + datetime.timedelta(days=offset)
        services.update_asking(
            contribution=c,
            values={"return_by": day if day <= c.due_on else None},
            by=self.by,
            expected_version=c.version,
        )

    def asked(self, which, index, offset):
        request = self.request(which)
        services.add_contribution(
            request=request,
            service=self.spare[index % 2],
            asked_on=max(request.received_on, days(offset)),
            by=self.by,
        )

    def status(self, which, index, offset):
        request = self.request(which)
        to = ("closed", "withdrawn", "open")[index % 3]
        services.change_status(
            request=request,
            to=to,
            by=self.by,
            expected_version=request.version,
            confirm_outstanding=True,
        )

    def received(self, which, index, offset):
        request = self.request(which)
        status = "open" if request.is_open else request.status
        services.update_request(
            request=request,
            values={"received_on": days(offset + 30), "sent_on": days(offset + 30)},
            status=status,
            by=self.by,
            expected_version=request.version,
            confirm_outstanding=True,
        )

    def meeting(self, which, index, offset):
        review = ReviewInput.objects.get(requests__pk=self.requests[1])
        services.save_child_record(
            record=review,
            child=review.child,
            values={"meeting_on": TODAY + datetime.timedelta(days=offset - 5)},
            by=self.by,
            expected_version=review.version,
        )


STEPS = [
    name
    for name in vars(Casework)
    if not name.startswith("_") and name not in ("request", "contribution")
]


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    steps=st.lists(
        st.tuples(
            st.sampled_from(STEPS),
            st.integers(0, 1),
            st.integers(0, 2),
            st.integers(0, 30),
        ),
        max_size=8,
    )
)
def test_stored_keys_equal_the_rule_after_any_service_calls(area, today_is, steps):
    today_is(TODAY)
    with transaction.atomic():
        work = Casework(area)
        assert wrong_keys() == []
        for name, which, index, offset in steps:
            try:
                getattr(work, name)(which, index, offset)
            except (ValidationError, services.StaleEdit):
                pass  # a refused call changes nothing (its transaction is rolled back)
            assert wrong_keys() == [], (name, which, index, offset)
        transaction.set_rollback(True)


def test_the_sequences_reach_every_band(area, today_is):
    """The steps above can make every band of the key, so the property
    covers each branch of the rule."""
    today_is(TODAY)
    work = Casework(area)
    bands = {HealthAdviceRequest.objects.get(pk=pk).urgency // URGENCY_BAND for pk in work.requests}
    work.excepted(1, 0, 0)
    bands.add(work.request(1).urgency // URGENCY_BAND)
    work.returned(1, 0, 1)
    bands.add(work.request(1).urgency // URGENCY_BAND)
    work.status(0, 0, 0)
    bands.add(work.request(0).urgency // URGENCY_BAND)
    assert bands == {0, 1, 2, 3}
    assert wrong_keys() == []


# --- What the keys hold --------------------------------------------------------------------------


def test_a_return_by_date_moves_the_key_and_the_due_column(area, today_is):
    today_is(TODAY)
    work = Casework(area)
    c = work.contribution(0, 0)
    before = work.request(0)
    work.return_by(0, 0, 3)
    after = work.request(0)
    assert after.working_due_on == c.asked_on + datetime.timedelta(days=3) < before.working_due_on
    assert after.urgency < before.urgency


def test_a_refresh_writes_only_keys_that_are_wrong(area, today_is):
    today_is(TODAY)
    work = Casework(area)
    assert refresh_urgency(work.requests) == 0
    HealthAdviceRequest.objects.filter(pk=work.requests[0]).update(status=RequestStatus.CLOSED)
    assert len(wrong_keys()) == 1  # an update behind the services' back
    assert refresh_urgency([*work.requests, work.requests[0], 10**9]) == 1
    assert wrong_keys() == []
    assert refresh_urgency([]) == 0


def test_the_repair_command_recomputes_every_request(area, today_is):
    today_is(TODAY)
    work = Casework(area)
    HealthAdviceRequest.objects.update(urgency=0, working_due_on=D(2000, 1, 1))
    assert len(wrong_keys()) == 2
    out = io.StringIO()
    call_command("refresh_urgency", stdout=out)
    assert out.getvalue().startswith("2 requests had keys that were out of date")
    assert wrong_keys() == []
    assert refresh_all() == 0
    assert (
        work.request(0).working_due_on
        == work.request(0).contributions.order_by("working_due_on").first().working_due_on
    )
