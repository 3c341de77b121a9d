"""ehc.selectors: reads."""

import pytest

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
