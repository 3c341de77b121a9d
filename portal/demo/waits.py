"""Demo waiting times and continuing-care flags (docs/waits.md): the last
six ended quarters of each demo service's waiting list, longest for
community paediatrics (autism assessment), CAMHS and speech and language
therapy as in most areas, a few services with a handful waiting (so a
commissioner sees "*"), and about one demo child in fifty eligible for
continuing care. Deterministic for a seed; replaced on each run."""

from __future__ import annotations

import datetime
import random
from decimal import Decimal

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from commissioning.models import ServiceType
from core import periods
from ehc.forms.waits import ended_quarters
from ehc.models import Child, HealthAdviceRequest, ServiceWait
from ehc.summary import refresh_summary
from portal.demo.casework import DEMO_MARKER

QUARTERS = 6
CONTINUING_CARE_SHARE = 0.02

# Service type -> (typical number waiting, typical median weeks): the long
# waits boards ask about first.
TYPICAL = {
    ServiceType.COMMUNITY_PAEDIATRICS: (320, 40),  # autism and ADHD assessment
    ServiceType.CAMHS: (260, 30),
    ServiceType.SPEECH_AND_LANGUAGE: (180, 22),
    ServiceType.OCCUPATIONAL_THERAPY: (90, 18),
    ServiceType.PHYSIOTHERAPY: (40, 10),
    ServiceType.AUDIOLOGY: (30, 8),
}
SMALL = (5, 6)  # any other service: a handful waiting, a few weeks


def seed_waits_and_flags(organisations, *, seed: int) -> str:
    """The demo waiting times (:func:`seed_waits`) and continuing-care flags
    (:func:`flag_continuing_care`), after the casework; a line saying what
    was made."""
    waits = seed_waits(organisations, seed=seed)
    flagged = flag_continuing_care(organisations, seed=seed)
    return f"Demo waiting times: {waits} quarters; {flagged} children eligible for continuing care."


def seed_waits(organisations, *, seed: int, today: datetime.date | None = None) -> int:
    """Replace the demo services' waiting times with the last
    :data:`QUARTERS` ended quarters; the number of records made."""
    today = today or timezone.localdate()
    rng = random.Random(f"waits:{seed}")
    quarters = list(reversed(ended_quarters(today, QUARTERS)))  # oldest first
    made = []
    with transaction.atomic(), disable_auditlog():
        ServiceWait.objects.filter(service__in=organisations.services).delete()
        for service in organisations.services:
            officer = (
                User.objects.filter(
                    role=Role.DESIGNATED_OFFICER,
                    local_authorities__in=service.local_authorities.all(),
                )
                .order_by("email")
                .first()
            )
            waiting, median = TYPICAL.get(service.service_type, SMALL)
            for index, quarter in enumerate(quarters):
                made.append(_wait(service, quarter, index, waiting, median, rng, officer))
        ServiceWait.objects.bulk_create(made)
    return len(made)


def _wait(service, quarter, index, waiting, median, rng, officer) -> ServiceWait:
    # Lists that grow a little each quarter, as most did.
    growth = 1 + 0.05 * index
    number = max(0, round(waiting * growth * rng.uniform(0.85, 1.15)))
    middle = Decimal(round(median * growth * rng.uniform(0.9, 1.1), 1)).quantize(Decimal("0.1"))
    longest = (middle * Decimal(rng.uniform(2.0, 3.0))).quantize(Decimal("0.1"))
    if number == 0:
        middle = longest = None
    return ServiceWait(
        service=service,
        financial_year=periods.financial_year_of(quarter.start),
        quarter=periods.quarter_of(quarter.start),
        waiting=number,
        median_weeks=middle,
        longest_weeks=min(longest, Decimal(520)) if longest is not None else None,
        notes="Includes autism assessment"
        if service.service_type == "community_paediatrics"
        else "",
        created_by=officer,
        entered_by=officer,
    )


def flag_continuing_care(organisations, *, seed: int) -> int:
    """Mark about one demo child in fifty as eligible for continuing care
    (from their own random stream, so the casework stays as it was); the
    number flagged."""
    rng = random.Random(f"continuing-care:{seed}")
    children = Child.objects.filter(
        local_authority__in=organisations.local_authorities, la_reference__startswith=DEMO_MARKER
    ).order_by("pk")
    chosen = [
        pk for pk in children.values_list("pk", flat=True) if rng.random() < CONTINUING_CARE_SHARE
    ]
    with disable_auditlog():
        Child.objects.filter(pk__in=chosen).update(continuing_care=True)
    # The flag is a breakdown of the reports' summary store: recount their requests.
    refresh_summary(
        HealthAdviceRequest.objects.filter(child_id__in=chosen).values_list("pk", flat=True)
    )
    return len(chosen)
