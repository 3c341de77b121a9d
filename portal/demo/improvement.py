"""Demo improvement plans (docs/improvement.md): each demo local area has a
plan with its partner commissioning body (the first a written statement of
action after an inspection ten months ago, the others the area's own SEND
improvement plan) and a dozen synthetic actions across the areas of the
plan: some complete, some overdue, some starting late (amber), one
overridden with its reason, with dated progress notes and links to the
portal's reports as evidence. Dated relative to today, so the plans page,
the digest and the reports always have something to show. A rerun replaces
them. Deterministic: no randomness at all."""

from __future__ import annotations

import datetime

from auditlog.context import disable_auditlog
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from commissioning.models import CommissioningLink
from improvement.models import (
    ActionStatus,
    EvidenceLink,
    ImprovementAction,
    ImprovementPlan,
    PlanArea,
    PlanKind,
    ProgressNote,
)

# (number, area, action, owner, due in days from today, status, override, note, evidence)
ACTIONS = [
    (
        "1.1",
        PlanArea.LEADERSHIP,
        "Agree a joint SEND strategy with the local authority and the ICB",
        "Director of Children's Services and ICB Director of Nursing",
        -120,
        ActionStatus.COMPLETE,
        "",
        "Strategy signed off by the SEND partnership board.",
        "",
    ),
    (
        "1.2",
        PlanArea.DATA,
        "Report health advice timeliness to the SEND board every quarter",
        "Designated Clinical Officer",
        -30,
        ActionStatus.COMPLETE,
        "",
        "First quarterly report taken to the board.",
        "/reports/quarterly/",
    ),
    (
        "2.1",
        PlanArea.TIMELINESS,
        "Return 90% of health advice for EHC needs assessments within 6 weeks",
        "Designated Clinical Officer",
        90,
        ActionStatus.IN_PROGRESS,
        "",
        "Two providers now track returns weekly; the others start next month.",
        "/reports/dashboard/",
    ),
    (
        "2.2",
        PlanArea.TIMELINESS,
        "Agree a named contact for EHC requests in every health service",
        "Designated Clinical Officer",
        -14,
        ActionStatus.IN_PROGRESS,
        "",
        "Contacts named for 5 of 7 services.",
        "",
    ),
    (
        "3.1",
        PlanArea.QUALITY,
        "Audit the quality of health advice every quarter against the 9 criteria",
        "Designated Medical Officer",
        60,
        ActionStatus.IN_PROGRESS,
        "",
        "First audit sample reviewed.",
        "/ehc/quality/sample/",
    ),
    (
        "3.2",
        PlanArea.QUALITY,
        "Train practitioners to write outcome-focused advice",
        "Designated Clinical Officer",
        20,
        ActionStatus.NOT_STARTED,
        "",
        "",
        "",
    ),
    (
        "4.1",
        PlanArea.ACCESS,
        "Cut the wait for a neurodevelopmental assessment to 18 weeks",
        "ICB Head of Children's Commissioning",
        240,
        ActionStatus.IN_PROGRESS,
        "red",
        "Recruitment to two posts has failed twice; a new model is being costed.",
        "",
    ),
    (
        "4.2",
        PlanArea.ACCESS,
        "Publish waiting times for therapies on the local offer",
        "ICB Head of Children's Commissioning",
        -45,
        ActionStatus.NOT_STARTED,
        "",
        "",
        "",
    ),
    (
        "5.1",
        PlanArea.CO_PRODUCTION,
        "Co-produce the health pages of the local offer with the parent carer forum",
        "Designated Clinical Officer",
        120,
        ActionStatus.IN_PROGRESS,
        "",
        "Two workshops held with the forum.",
        "",
    ),
    (
        "6.1",
        PlanArea.ADULTHOOD,
        "Agree a transition protocol from children's to adult health services",
        "ICB Head of Children's Commissioning",
        150,
        ActionStatus.NOT_STARTED,
        "",
        "",
        "",
    ),
    (
        "7.1",
        PlanArea.WORKFORCE,
        "Fund designated officer time in line with the national survey",
        "ICB Director of Nursing",
        -60,
        ActionStatus.COMPLETE,
        "",
        "DCO time raised to 5 days a week.",
        "/roles/resourcing/",
    ),
    (
        "8.1",
        PlanArea.COMMISSIONING,
        "Jointly commission speech and language therapy for EHC plans",
        "ICB Head of Children's Commissioning",
        300,
        ActionStatus.SUPERSEDED,
        "",
        "Replaced by action 4.1's new model.",
        "",
    ),
]


def delete_demo_plans(local_authorities) -> int:
    """Delete every improvement plan of the demo ``local_authorities``; how many."""
    plans = ImprovementPlan.objects.filter(local_authority__in=local_authorities)
    count = plans.count()
    plans.delete()
    return count


def seed_improvement(organisations, *, today: datetime.date | None = None) -> int:
    """Replace the demo plans of ``organisations``' local authorities; the
    number of actions made."""
    today = today or timezone.localdate()
    made = 0
    with transaction.atomic(), disable_auditlog():
        delete_demo_plans(organisations.local_authorities)
        for i, la in enumerate(organisations.local_authorities):
            made += _plan(la, today, first=i == 0)
    return made


def _plan(la, today: datetime.date, *, first: bool) -> int:
    link = (
        CommissioningLink.objects.active_on(today)
        .filter(local_authority=la)
        .select_related("commissioning_body")
        .first()
    )
    body = link.commissioning_body if link else None
    officer = (
        User.objects.filter(role=Role.DESIGNATED_OFFICER, is_active=True, local_authorities=la)
        .order_by("email")
        .first()
    )
    commissioner = (
        User.objects.filter(role=Role.COMMISSIONER, is_active=True, commissioning_body=body)
        .order_by("email")
        .first()
        if body
        else None
    )
    starts = today - datetime.timedelta(days=240)
    plan = ImprovementPlan.objects.create(
        local_authority=la,
        commissioning_body=body,
        title=(
            f"{la.name} written statement of action"
            if first
            else f"{la.name} SEND improvement plan"
        ),
        kind=PlanKind.WRITTEN_STATEMENT if first else PlanKind.IMPROVEMENT,
        inspected_on=starts - datetime.timedelta(days=60) if first else None,
        starts_on=starts,
        ends_on=starts + datetime.timedelta(days=730),
        summary="Synthetic demo plan: timeliness and quality of health advice, access to "
        "services, co-production and preparing for adulthood.",
        created_by=officer,
    )
    actions = []
    for number, area, title, owner, due, status, override, _, _ in ACTIONS:
        due_on = today + datetime.timedelta(days=due)
        owner_user = commissioner if owner.startswith("ICB") else officer
        actions.append(
            ImprovementAction(
                plan=plan,
                number=number,
                plan_area=area,
                title=title,
                owner=owner,
                owner_user=owner_user,
                due_on=due_on,
                status=status,
                completed_on=due_on - datetime.timedelta(days=7)
                if status == ActionStatus.COMPLETE
                else None,
                rag_override=override,
                rag_reason="Recruitment has failed twice; the date is at risk." if override else "",
                created_by=officer,
            )
        )
    ImprovementAction.objects.bulk_create(actions)
    notes, links = [], []
    for action, (*_, note, evidence) in zip(actions, ACTIONS, strict=True):
        if note:
            notes.append(
                ProgressNote(
                    action=action,
                    written_on=min(today, action.due_on) - datetime.timedelta(days=10),
                    text=note,
                    created_by=officer,
                )
            )
        if evidence:
            links.append(
                EvidenceLink(
                    action=action,
                    label="Evidence in the portal",
                    path=evidence,
                    created_by=officer,
                )
            )
    ProgressNote.objects.bulk_create(notes)
    EvidenceLink.objects.bulk_create(links)
    return len(actions)
