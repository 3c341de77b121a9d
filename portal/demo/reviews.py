"""Demo plans and reviews (docs/reviews.md): a first plan for every demo
child whose casework has a review, and for about a third of the others;
an amended plan for some (which must not restart the clock); the LA's
decision recorded for most reviews held more than 4 weeks ago; and review
meetings arranged for some children whose review falls due in the next 8
weeks, so the reviews worklist, the child's page and the digest show
overdue, due soon and arranged reviews. Deterministic for a seed.

Runs after :func:`portal.demo.casework.seed_casework` (whose children and
review records it builds on) and :func:`portal.demo.plans.seed_plans`
(a child with an audited demo plan keeps it); ``portal.demo.plans.delete_demo_plans``
runs before the casework is replaced, since a plan protects its child.
"""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from ehc.models import Child, EHCPlan, PlanKind, ReviewInput
from ehc.reviews import clock as review_clock
from portal.demo.casework import DEMO_MARKER
from portal.demo.casework_content import FIRST_NAMES, LAST_NAMES

SHARE_WITH_PLAN = 0.35  # of demo children whose casework has no review
DECIDED_SHARE = 0.85  # reviews held over 4 weeks ago with the LA's decision recorded
ARRANGED_SHARE = 0.6  # reviews due in the next 8 weeks with a meeting arranged


def _days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def seed_reviews(*, seed: int, today: datetime.date | None = None) -> dict[str, int]:
    """Plans and review records for the demo children (see the module);
    counts of what was made by kind. A child that already has a plan
    keeps it and gets none from here."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    counts = {"plans": 0, "amended": 0, "decisions": 0, "arranged": 0}
    with transaction.atomic(), disable_auditlog():
        children = list(
            Child.objects.filter(la_reference__startswith=DEMO_MARKER, date_of_death__isnull=True)
            .exclude(plans__isnull=False)
            .order_by("pk")
        )
        reviews = defaultdict(list)
        for review in ReviewInput.objects.filter(child__in=children).order_by("meeting_on", "pk"):
            reviews[review.child_id].append(review)
        plans, decided, arranged = [], [], []
        for child in children:
            held = reviews.get(child.pk, [])
            if held:
                issued = held[0].meeting_on - _days(rng.randint(300, 355))
            elif rng.random() < SHARE_WITH_PLAN:
                roll = rng.random()
                if roll < 0.3:  # the review falls due in the next 8 weeks
                    issued = today - _days(rng.randint(310, 364))
                elif roll < 0.45:  # overdue
                    issued = today - _days(rng.randint(366, 420))
                else:
                    issued = today - _days(rng.randint(120, 700))
            else:
                continue
            issued = min(max(issued, child.date_of_birth + _days(400)), today)
            plans.append(EHCPlan(child=child, kind=PlanKind.FINAL, issued_on=issued))
            if rng.random() < 0.3 and (today - issued).days > 60:
                amended_on = issued + _days(rng.randint(30, (today - issued).days))
                plans.append(EHCPlan(child=child, kind=PlanKind.AMENDED, issued_on=amended_on))
                counts["amended"] += 1
            last_reviewed = None
            for review in held:
                if review.meeting_on <= today - _days(28) and rng.random() < DECIDED_SHARE:
                    review.decision_on = min(review.meeting_on + _days(rng.randint(5, 27)), today)
                    decided.append(review)
                if review.meeting_on <= today:
                    last_reviewed = review.decision_on or review.meeting_on
            due = review_clock.next_review_due(issued, last_reviewed)
            upcoming = any(r.meeting_on > today for r in held)
            soon = today <= due <= today + datetime.timedelta(weeks=review_clock.WORKLIST_WEEKS)
            if soon and not upcoming and rng.random() < ARRANGED_SHARE:
                meeting = max(due - _days(rng.randint(0, 21)), today + _days(1))
                invited = meeting - _days(rng.randint(14, 28))
                arranged.append(
                    ReviewInput(
                        child=child,
                        meeting_on=meeting,
                        professional_name=f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}",
                        invited_on=invited if invited <= today and rng.random() < 0.7 else None,
                    )
                )
        EHCPlan.objects.bulk_create(plans)
        ReviewInput.objects.bulk_update(decided, ["decision_on"])
        ReviewInput.objects.bulk_create(arranged)
    counts.update(
        plans=len(plans) - counts["amended"], decisions=len(decided), arranged=len(arranged)
    )
    return counts


def review_summary(counts: dict[str, int]) -> str:
    """The line ``seed_demo`` prints about what :func:`seed_reviews` made."""
    return (
        f"Demo plans and reviews: {counts['plans']} first plans, {counts['amended']} amended, "
        f"{counts['decisions']} decisions recorded, {counts['arranged']} meetings arranged."
    )
