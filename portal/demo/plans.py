"""Demo EHC plans (docs/plans.md): for demo children whose needs assessment
advice is back, the final plan the LA issued about 20 weeks after the
request (some later amended), most audited against the checklist with the
mixed quality inspections find, and their section G provision, most in
place, some waited for and a few not available, so the plans list, the
audit, the child's page and the reports' service gaps have something to
show. Deterministic for a seed; replaced on each run."""

from __future__ import annotations

import datetime
import random

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from commissioning.models import Service, ServiceType
from ehc import plan_checklist
from ehc.models import (
    REG8_PROCESSES,
    EHCPlan,
    HealthAdviceRequest,
    PlanAudit,
    PlanKind,
    PlanProvision,
    ProvisionStatus,
)
from portal.demo.casework import DEMO_MARKER

PER_AUTHORITY = 16  # plans a demo area gets, at most
AUDITED = 0.75  # the share of plans audited
# Answers drawn for each criterion, by how well the plan was written: about a
# third good, the rest needing improvement (inspections find plan quality
# needing improvement in most areas: docs/domain.md).
ANSWERS = {
    "good": ["yes"] * 17 + ["partly"] * 2 + ["na"],
    "fair": ["yes"] * 11 + ["partly"] * 6 + ["no"] * 2 + ["na"],
    "poor": ["yes"] * 6 + ["partly"] * 6 + ["no"] * 8,
}
QUALITY = ["good"] * 3 + ["fair"] * 5 + ["poor"] * 2

# (service type, what section G says, specific, quantified): synthetic.
PROVISION = [
    (
        ServiceType.CONTINUING_CARE,
        "Overnight care by a trained carer, 4 nights a week",
        True,
        True,
    ),
    (
        ServiceType.COMMUNITY_PAEDIATRICS,
        "Review of epilepsy medication by the community paediatrician every 6 months",
        True,
        True,
    ),
    (ServiceType.SCHOOL_NURSING, "Support from the school nurse as needed", False, False),
    (
        ServiceType.PHYSIOTHERAPY,
        "Postural management programme reviewed by a physiotherapist each term",
        True,
        True,
    ),
    (ServiceType.CAMHS, "Access to CAMHS", False, False),
    (
        ServiceType.OCCUPATIONAL_THERAPY,
        "Specialist seating assessment by an occupational therapist",
        True,
        False,
    ),
    (
        ServiceType.AUDIOLOGY,
        "Hearing aid review by paediatric audiology every 3 months",
        True,
        True,
    ),
]
# Delivery of each piece: mostly in place, a quarter waited for, a few not available.
STATUSES = (
    [ProvisionStatus.IN_PLACE] * 13
    + [ProvisionStatus.WAITING] * 5
    + [ProvisionStatus.NOT_AVAILABLE] * 2
)


def delete_demo_plans(local_authorities=None) -> int:
    """Delete the plans (with their audits and provision) of demo children,
    before the demo casework they hang from is replaced; how many."""
    plans = EHCPlan.objects.filter(child__la_reference__startswith=DEMO_MARKER)
    if local_authorities is not None:
        plans = plans.filter(child__local_authority__in=local_authorities)
    PlanAudit.objects.filter(plan__in=plans).delete()
    PlanProvision.objects.filter(plan__in=plans).delete()
    deleted, _ = plans.delete()
    return deleted


def seed_plans(organisations, *, seed: int, today: datetime.date | None = None) -> dict:
    """Replace the demo plans of ``organisations``' local authorities.
    Returns counts: ``plans``, ``audits``, ``provision`` and ``gaps``
    (provision waiting or not available)."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    counts = {"plans": 0, "audits": 0, "provision": 0, "gaps": 0}
    with transaction.atomic(), disable_auditlog():
        delete_demo_plans(organisations.local_authorities)
        for la in organisations.local_authorities:
            _seed_area(la, rng, today, counts)
    return counts


def plans_summary(counts: dict) -> str:
    """The line ``seed_demo`` prints about the plans made."""
    return (
        f"Demo EHC plans: {counts['plans']} plans, {counts['audits']} audited, "
        f"{counts['gaps']} of {counts['provision']} pieces of provision waiting or not available."
    )


def _seed_area(la, rng: random.Random, today: datetime.date, counts: dict) -> None:
    officers = list(
        User.objects.filter(
            role=Role.DESIGNATED_OFFICER, is_active=True, local_authorities=la
        ).order_by("email")
    )
    services = {
        service.service_type: service
        for service in Service.objects.filter(local_authorities=la, is_active=True).order_by("pk")
    }
    # The oldest needs assessments with advice back, one per child.
    latest = today - datetime.timedelta(weeks=21)
    requests = (
        HealthAdviceRequest.objects.filter(
            local_authority=la,
            child__la_reference__startswith=DEMO_MARKER,
            process__in=REG8_PROCESSES,
            received_on__lte=latest,
            contributions__returned_on__isnull=False,
        )
        .distinct()
        .order_by("-received_on", "pk")
    )
    chosen, seen = [], set()
    for request in requests[: PER_AUTHORITY * 3]:
        if request.child_id not in seen:
            seen.add(request.child_id)
            chosen.append(request)
        if len(chosen) == PER_AUTHORITY:
            break
    for number, request in enumerate(chosen):
        issued = request.received_on + datetime.timedelta(weeks=20, days=rng.randint(-21, 14))
        issued = min(issued, today - datetime.timedelta(days=1))
        plan = EHCPlan.objects.create(
            child_id=request.child_id,
            kind=PlanKind.FINAL,
            issued_on=issued,
            la_reference=f"EHCP-{la.gss_code[-4:]}-{number + 1:04d}",
        )
        plan.informed_by.add(request)
        counts["plans"] += 1
        _provision(plan, services, rng, today, counts)
        if rng.random() < AUDITED and officers:
            _audit(plan, rng.choice(officers), rng, today)
            counts["audits"] += 1
        # Every fourth child's plan was amended after a review.
        amended_on = issued + datetime.timedelta(days=rng.randint(200, 330))
        if number % 4 == 3 and amended_on < today:
            amended = EHCPlan.objects.create(
                child_id=request.child_id,
                kind=PlanKind.AMENDED,
                issued_on=amended_on,
                la_reference=f"EHCP-{la.gss_code[-4:]}-{number + 1:04d}A",
            )
            amended.informed_by.add(request)
            counts["plans"] += 1
            _provision(amended, services, rng, today, counts)


def _provision(plan, services, rng: random.Random, today: datetime.date, counts: dict) -> None:
    for service_type, description, specific, quantified in rng.sample(PROVISION, rng.randint(1, 3)):
        service = services.get(service_type)
        status = rng.choice(STATUSES)
        checked = today - datetime.timedelta(days=rng.randint(0, 80))
        checked = max(checked, plan.issued_on)
        waiting_since = None
        if status == ProvisionStatus.WAITING:
            waiting_since = checked - datetime.timedelta(weeks=rng.randint(2, 40))
        PlanProvision.objects.create(
            plan=plan,
            description=description,
            service=service,
            delivered_by="" if service else "Named in the plan as 'health'",
            specific=specific,
            quantified=quantified,
            status=status,
            waiting_since=waiting_since,
            checked_on=checked,
        )
        counts["provision"] += 1
        counts["gaps"] += status != ProvisionStatus.IN_PLACE


def _audit(plan, officer, rng: random.Random, today: datetime.date) -> None:
    drawn = ANSWERS[rng.choice(QUALITY)]
    answers = {name: rng.choice(drawn) for name in plan_checklist.CRITERIA_NAMES}
    if plan_checklist.score(answers) is None:
        answers["needs_in_c"] = "yes"
    audited = min(today, plan.issued_on + datetime.timedelta(days=rng.randint(7, 90)))
    PlanAudit.objects.create(
        plan=plan,
        auditor=officer,
        audited_on=audited,
        notes="Section G should say how often and who delivers each piece of provision."
        if answers["provision_quantified"] != "yes"
        else "",
        **answers,
    )
