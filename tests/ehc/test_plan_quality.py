"""ehc.plan_quality.provision_gaps (the plan side of the service gaps) and
the plan tables' constraints, which hold whatever route a row takes."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError, transaction

from ehc.models import PlanAudit, PlanProvision
from ehc.plan_quality import provision_gaps
from tests import factories as f

pytestmark = pytest.mark.django_db
D = datetime.date


def test_gaps_are_counted_by_service_in_the_period_most_gaps_first(area):
    plan = f.EHCPlanFactory(child=f.ChildFactory(local_authority=area.local_authority))
    quiet = f.ServiceFactory(name="Audiology", local_authorities=[area.local_authority])
    for status, since in (("waiting", D(2026, 3, 1)), ("waiting", D(2026, 1, 5))):
        f.PlanProvisionFactory(plan=plan, service=area.service, status=status, waiting_since=since)
    f.PlanProvisionFactory(plan=plan, service=area.service, status="not_available")
    f.PlanProvisionFactory(plan=plan, service=quiet, status="in_place")
    f.PlanProvisionFactory(plan=plan, service=None, status="not_available")
    f.PlanProvisionFactory(
        plan=plan, service=quiet, status="not_available", checked_on=D(2025, 1, 1)
    )
    gaps = provision_gaps(PlanProvision.objects.all(), start=D(2026, 4, 1), end=D(2026, 12, 31))
    assert [(g.service_name, g.waiting, g.not_available, g.in_place) for g in gaps] == [
        (area.service.name, 2, 1, 0),
        ("Service not recorded", 0, 1, 0),
        ("Audiology", 0, 0, 1),
    ]
    assert gaps[0].waiting_since == D(2026, 1, 5) and gaps[0].gaps == 3
    assert gaps[0].provider_id == area.provider.pk
    # Only what the caller's queryset holds is counted.
    assert (
        provision_gaps(PlanProvision.objects.none(), start=D(2026, 4, 1), end=D(2026, 12, 31)) == []
    )


@pytest.mark.parametrize(
    ("fields", "constraint"),
    [
        ({"status": "waiting", "waiting_since": None}, "plan_provision_waiting_since"),
        ({"status": "in_place", "waiting_since": D(2026, 1, 1)}, "plan_provision_waiting_since"),
        (
            {"status": "waiting", "waiting_since": D(2026, 12, 1), "checked_on": D(2026, 11, 2)},
            "plan_provision_waiting_before_check",
        ),
    ],
)
def test_the_database_refuses_a_wait_that_does_not_add_up(fields, constraint):
    with pytest.raises(IntegrityError, match=constraint), transaction.atomic():
        f.PlanProvisionFactory(**fields)


def test_the_database_refuses_two_plans_a_day_and_a_score_over_100(area):
    plan = f.EHCPlanFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        f.EHCPlanFactory(child=plan.child, issued_on=plan.issued_on)
    audit = PlanAudit.objects.create(
        plan=plan, auditor=area.officer, audited_on=plan.issued_on, needs_in_c="yes"
    )
    with pytest.raises(IntegrityError), transaction.atomic():
        PlanAudit.objects.filter(pk=audit.pk).update(score=101)
