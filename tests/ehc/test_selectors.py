"""ehc.selectors: reads."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehc import selectors
from ehc.models import Advice
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_audit_sample_is_reproducible(area):
    advice = [f.AdviceFactory() for _ in range(6)]
    pool = Advice.objects.filter(pk__in=[a.pk for a in advice])
    first = selectors.audit_sample(pool, size=3, seed="s")
    assert first == selectors.audit_sample(pool, size=3, seed="s")
    assert len(first) == 3
    assert selectors.audit_sample(pool, size=10, seed="s") == sorted(a.pk for a in advice)


def test_with_clock_reads_the_outstanding_contributions(area, today_is):
    """Received 5 October 2026 (due 16 November). One service excused by
    reg 8(2)(a), one asked by the LA directly and received on 14 October
    (due 25 November) to return by 20 November, and one returned, which
    is not counted."""
    import datetime

    from ehc.models import HealthAdviceRequest

    D = datetime.date
    today_is(D(2026, 11, 23))
    child = f.ChildFactory(local_authority=area.local_authority)
    request = f.HealthAdviceRequestFactory(
        child=child, sent_on=D(2026, 10, 1), received_on=D(2026, 10, 5)
    )

    def service():
        return f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])

    f.ContributionFactory(
        request=request,
        service=service(),
        exception="exceptional_circumstances",
        exception_evidence="Hospital stay.",
    )
    f.ContributionFactory(
        request=request,
        service=service(),
        asked_on=D(2026, 10, 12),
        received_on=D(2026, 10, 14),
        return_by=D(2026, 11, 20),
    )
    f.ContributionFactory(
        request=request, service=service(), returned_on=D(2026, 11, 1), outcome="not_known"
    )
    row = selectors.with_clock(HealthAdviceRequest.objects.filter(pk=request.pk)).get()
    assert row.work_due_on == D(2026, 11, 16)  # the excused one's due date, earliest
    assert row.owed_due_on == D(2026, 11, 16)
    assert row.unexcepted_due_on == D(2026, 11, 25)
    assert row.excepted_due_on == D(2026, 11, 16)
    scoped = HealthAdviceRequest.objects.filter(pk=request.pk)
    # Late only with a lawful exception: neither overdue nor due soon.
    assert selectors.caseload_summary(scoped, D(2026, 11, 23)) == {
        "awaiting": 1,
        "overdue": 0,
        "due_soon": 0,
    }
    assert scoped.filter(selectors.lawful_exception()).exists()
    # Two days later the LA-direct service is late too, without an exception.
    assert selectors.caseload_summary(scoped, D(2026, 11, 26))["overdue"] == 1


# --- The worklist's page: its dates worked out in Python equal with_clock's SQL ---------------

_PAGE_KEYS = (
    "work_due_on",
    "owed_due_on",
    "unexcepted_due_on",
    "excepted_due_on",
    "asked_count",
    "returned_count",
    "own_part",
    "sort_on",
)

# One contribution: its due date (days after 1 Nov 2026), how much earlier
# its return-by date is (0: none), returned (days after its due date, or
# None), left outstanding at withdrawal (if not returned), with a reg 8(2)
# exception, and its service: 0 another, 1 or 2 one of the practitioner's
# own two.
_PART = st.tuples(
    st.integers(0, 20),
    st.integers(0, 5),
    st.one_of(st.none(), st.integers(-5, 5)),
    st.booleans(),
    st.booleans(),
    st.integers(0, 2),
)


@settings(
    max_examples=30,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(requests=st.lists(st.lists(_PART, max_size=4), min_size=1, max_size=4))
def test_the_worklist_page_reads_what_the_worklist_aggregates(area, requests):
    """For any contributions, :func:`selectors.worklist_page` (two plain
    reads, the dates worked out in Python) gives every request the values
    :func:`selectors.worklist` aggregates in SQL, for a designated officer
    (the whole request) and a practitioner (their own services' part)."""
    import datetime

    from django.db import transaction

    from ehc.models import Contribution, HealthAdviceRequest

    start = datetime.date(2026, 11, 1)
    with transaction.atomic():
        others = [
            f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
            for _ in range(3)
        ]
        second = f.ServiceFactory(provider=area.provider, local_authorities=[area.local_authority])
        area.practitioner.services.add(second)
        own = {1: area.service, 2: second}
        ids = []
        for parts in requests:
            request = f.HealthAdviceRequestFactory(
                child=f.ChildFactory(local_authority=area.local_authority)
            )
            ids.append(request.pk)
            spare = iter(others)
            for due, earlier, returned, left, excepted, which in parts:
                due_on = start + datetime.timedelta(days=due)
                service = own[which] if which else next(spare, None)
                if service is None or request.contributions.filter(service=service).exists():
                    continue
                made = f.ContributionFactory(request=request, service=service)
                Contribution.objects.filter(pk=made.pk).update(
                    asked_on=start - datetime.timedelta(days=30),
                    due_on=due_on,
                    working_due_on=due_on - datetime.timedelta(days=earlier),
                    returned_on=None
                    if returned is None
                    else due_on + datetime.timedelta(days=returned),
                    left_outstanding="withdrawn" if left and returned is None else "",
                    outcome="" if returned is None else "advice_given",
                    exception="exceptional_circumstances" if excepted else "",
                    exception_evidence="A stay in hospital." if excepted else "",
                )
        for user in (area.officer, area.practitioner):
            scoped = HealthAdviceRequest.objects.filter(pk__in=ids)
            page = selectors.worklist_page(scoped, ids[::-1], user=user)
            aggregated = {row.pk: row for row in selectors.worklist(scoped, user=user)}
            assert [row.pk for row in page] == ids[::-1]
            for row in page:
                expected = [getattr(aggregated[row.pk], key) for key in _PAGE_KEYS]
                assert [getattr(row, key) for key in _PAGE_KEYS] == expected, user.role
        transaction.set_rollback(True)


def test_the_worklist_page_leaves_out_requests_outside_the_scope(area, other_area):
    from ehc.models import HealthAdviceRequest

    mine = f.HealthAdviceRequestFactory(child=f.ChildFactory(local_authority=area.local_authority))
    theirs = f.HealthAdviceRequestFactory(
        child=f.ChildFactory(local_authority=other_area.local_authority)
    )
    scoped = HealthAdviceRequest.objects.visible_to(area.officer)
    page = selectors.worklist_page(scoped, [theirs.pk, mine.pk], user=area.officer)
    assert [row.pk for row in page] == [mine.pk]
    # A practitioner sees the requests their services were asked for only.
    f.ContributionFactory(request=mine, service=area.service)
    scoped = HealthAdviceRequest.objects.visible_to(area.practitioner)
    page = selectors.worklist_page(scoped, [theirs.pk, mine.pk], user=area.practitioner)
    assert [row.pk for row in page] == [mine.pk]
    assert (page[0].asked_count, page[0].own_part) == (1, True)


@pytest.mark.parametrize("a_status_at_a_time", [False, True])
def test_status_counts_count_each_status_of_the_scoped_and_filtered_requests(
    area, a_status_at_a_time
):
    """A count for every status, 0 for one with no request; the requests
    of another area and those a filter leaves out are not counted. The
    same whether grouped or counted a status at a time."""
    from ehc.models import HealthAdviceRequest, Process, RequestStatus

    child = f.ChildFactory(local_authority=area.local_authority)
    made = {
        RequestStatus.AWAITING: 3,
        RequestStatus.CLOSED: 2,
        RequestStatus.WITHDRAWN: 1,
    }
    for status, n in made.items():
        for _ in range(n):
            f.HealthAdviceRequestFactory(child=child, status=status)
    f.HealthAdviceRequestFactory(
        child=child, status=RequestStatus.CLOSED, process=Process.ANNUAL_REVIEW
    )
    elsewhere = f.ChildFactory(local_authority=f.LocalAuthorityFactory())
    f.HealthAdviceRequestFactory(child=elsewhere, status=RequestStatus.AWAITING)

    scoped = HealthAdviceRequest.objects.visible_to(area.officer)

    def counts(queryset):
        return selectors.status_counts(queryset, a_status_at_a_time=a_status_at_a_time)

    needs_assessments = scoped.filter(process=Process.NEEDS_ASSESSMENT)
    assert counts(needs_assessments) == [
        (status.value, status.label, made.get(status, 0)) for status in RequestStatus
    ]
    assert dict((s, n) for s, _, n in counts(scoped))[RequestStatus.CLOSED] == 3
    assert [n for _, _, n in counts(scoped.none())] == [0] * len(RequestStatus)
    nothing = scoped.filter(received_on__lt="1900-01-01")  # reaches the database, matches none
    assert [n for _, _, n in counts(nothing)] == [0] * len(RequestStatus)
