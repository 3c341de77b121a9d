"""The demo EHC plans (portal/demo/plans.py): made for demo children with
advice back, audited with mixed ratings, with section G provision some of
which is waited for or not available; the same for a seed, and replaced
(not added to) on a rerun, even though a plan protects its child."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from ehc.models import EHCPlan, PlanAudit, PlanProvision
from ehc.services import plans as plan_services

pytestmark = pytest.mark.django_db


def snapshot():
    return (
        sorted(EHCPlan.objects.values_list("la_reference", "kind", "issued_on")),
        sorted(PlanAudit.objects.values_list("plan__la_reference", "score", "rating")),
        sorted(PlanProvision.objects.values_list("plan__la_reference", "status", "checked_on")),
    )


def test_demo_plans_show_every_part_of_the_feature_and_rerun_cleanly(settings):
    call_command("seed_demo", size="small", seed=3, force=True)
    first = snapshot()
    plans = EHCPlan.objects.select_related("child")
    assert plans.count() >= 10
    assert {plan.kind for plan in plans} == {"final", "amended"}
    for plan in plans:
        assert plan.child.la_reference.startswith("DEMO-")
        assert not plan_services.informing_problems(
            child=plan.child, issued_on=plan.issued_on, requests=plan.informed_by.all()
        )
        plan.full_clean()
    assert {audit.rating for audit in PlanAudit.objects.all()} == {"green", "amber", "red"}
    statuses = set(PlanProvision.objects.values_list("status", flat=True))
    assert statuses == {"in_place", "waiting", "not_available"}
    for row in PlanProvision.objects.all():
        row.full_clean()
    call_command("seed_demo", size="small", seed=3, force=True)
    assert snapshot() == first
