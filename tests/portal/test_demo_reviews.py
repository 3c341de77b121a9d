"""The demo plans and reviews (portal/demo/reviews.py): the reviews
worklist has overdue, due-soon and arranged reviews to show, a rerun
replaces them, and the same seed gives the same data."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command

from accounts.models import User
from ehc.models import Child, EHCPlan, PlanKind, ReviewInput
from ehc.reviews import selectors

pytestmark = pytest.mark.django_db


def plans():
    return sorted(EHCPlan.objects.values_list("child__la_reference", "kind", "issued_on"))


def test_the_demo_fills_the_reviews_worklist_and_reruns(settings):
    call_command("seed_demo", size="small", seed=3, force=True)
    first = plans()
    assert first and any(kind == PlanKind.AMENDED for _, kind, _ in first)
    dco = User.objects.get(email="dco@example.org")
    today = datetime.date.today()
    listed = selectors.worklist(Child.objects.visible_to(dco), today)
    rows = selectors.rows(list(listed), today)
    assert any(row.clock.overdue for row in rows)
    assert any(not row.clock.overdue and row.clock.due_on for row in rows)
    assert any(row.review and row.review.meeting_on > today for row in rows)
    assert ReviewInput.objects.filter(decision_on__isnull=False).exists()
    # Every review's dates keep the record's rules.
    for review in ReviewInput.objects.all():
        review.full_clean()
    call_command("seed_demo", size="small", seed=3, force=True)
    assert plans() == first
