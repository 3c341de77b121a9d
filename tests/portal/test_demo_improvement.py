"""The demo improvement plans (portal/demo/improvement.py): one plan per
demo area with every rating on show, records the services would accept,
evidence inside the portal, and a rerun replacing rather than adding."""

from __future__ import annotations

import datetime

import pytest

from improvement import rag
from improvement.evidence import clean_path
from improvement.models import EvidenceLink, ImprovementAction, ImprovementPlan
from portal.demo.improvement import ACTIONS, seed_improvement
from tests import factories as f

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 30)


def test_each_area_gets_a_plan_showing_every_rating(area, other_area):
    class Organisations:
        local_authorities = [area.local_authority, other_area.local_authority]

    f.ChildFactory()  # unrelated rows are left alone
    made = seed_improvement(Organisations, today=TODAY)
    assert made == 2 * len(ACTIONS)
    plans = ImprovementPlan.objects.order_by("pk")
    assert [p.kind for p in plans] == ["wsoa", "improvement"]
    assert plans[0].commissioning_body == area.body
    ratings = {a.rating(TODAY) for a in ImprovementAction.objects.filter(plan=plans[0])}
    assert ratings == {rag.RED, rag.AMBER, rag.GREEN, rag.BLUE, rag.NOT_RATED}
    for record in [*plans, *ImprovementAction.objects.all()]:
        record.full_clean()
    for link in EvidenceLink.objects.all():
        assert clean_path(link.path) == link.path
    # The area's officer owns some actions, so their digest shows the overdue ones.
    assert ImprovementAction.objects.filter(owner_user=area.officer).exists()
    # A rerun replaces.
    seed_improvement(Organisations, today=TODAY)
    assert ImprovementPlan.objects.count() == 2
    assert ImprovementAction.objects.count() == made
