"""EHC plans as the LA issued them, the designated officer's audit of their
health sections (C and G), and the section G provision with whether it is
delivered (docs/plans.md). See :mod:`ehc.services` for how every service
saves.

Only those who follow the caseload (designated officers for their own
areas, administrators: ``portal.manage_caseload``) record plans and audit
them: anyone else gets PermissionDenied, and a child, plan or service
outside ``by``'s scope a ValidationError, so an importer or the API gets
the same answer as the pages.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError

from commissioning.models import Service
from core.audit import service_write
from ehc import plan_checklist
from ehc.models import (
    Child,
    EHCPlan,
    HealthAdviceRequest,
    PlanAnswer,
    PlanAudit,
    PlanProvision,
    ProvisionStatus,
)
from ehc.saving import assign, claim_version, save_versioned, validate

# What a caller may set on each record through ``values``.
PLAN_FIELDS = ("kind", "issued_on", "la_reference")
PROVISION_FIELDS = (
    "description",
    "service",
    "delivered_by",
    "specific",
    "quantified",
    "status",
    "waiting_since",
    "checked_on",
)

__all__ = [
    "PLAN_FIELDS",
    "PROVISION_FIELDS",
    "informing_problems",
    "record_plan",
    "remove_plan_provision",
    "save_plan_audit",
    "save_plan_provision",
    "update_plan",
]


def _check_permitted(by, what: str) -> None:
    if by is None or not by.has_perm("portal.manage_caseload"):
        raise PermissionDenied(f"Only a designated officer {what}.")


def _check_child(by, child: Child) -> None:
    if not Child.objects.visible_to(by).filter(pk=child.pk).exists():
        raise ValidationError({"child": "Choose a child or young person in your areas"})


def informing_problems(
    *, child: Child, issued_on: datetime.date | None, requests: Iterable[HealthAdviceRequest]
) -> list[str]:
    """Why ``requests`` cannot be the health advice that informed a plan for
    ``child`` issued on ``issued_on`` (empty when they can): each must be a
    request about the same child, received by health on or before the day
    the plan was issued (advice asked for after the plan cannot have
    informed it; docs/plans.md, "Recording a plan")."""
    problems = []
    for request in requests:
        if request.child_id != child.pk:
            problems.append(f"Request {request.reference} is about another child")
        elif issued_on and request.received_on > issued_on:
            problems.append(
                f"Request {request.reference} was received after the plan was issued "
                f"({request.received_on:%-d %B %Y})"
            )
    return problems


def _later_records_problem(plan: EHCPlan, issued_on: datetime.date) -> str | None:
    """Why ``plan`` cannot be dated ``issued_on``: its audit or a section G
    row checked before that day (None when nothing is). Two queries."""
    audit = PlanAudit.objects.filter(plan=plan, audited_on__lt=issued_on).first()
    if audit is not None:
        return f"The plan was audited on {audit.audited_on:%-d %B %Y}: it was issued before that"
    first_check = (
        PlanProvision.objects.filter(plan=plan, checked_on__lt=issued_on)
        .order_by("checked_on")
        .values_list("checked_on", flat=True)
        .first()
    )
    if first_check is not None:
        return (
            f"Section G provision was checked on {first_check:%-d %B %Y}: "
            "the plan was issued before that"
        )
    return None


def _save_plan(plan: EHCPlan, values: dict, informed_by, *, by, expected_version) -> EHCPlan:
    informed = list(informed_by) if informed_by is not None else None
    issued_on = values.get("issued_on", plan.issued_on)
    errors: dict = {}
    if informed is not None:
        if problems := informing_problems(child=plan.child, issued_on=issued_on, requests=informed):
            errors["informed_by"] = problems
    elif plan.pk is not None and issued_on:
        # A new date must still follow the advice already linked.
        linked = plan.informed_by.all()
        if problems := informing_problems(child=plan.child, issued_on=issued_on, requests=linked):
            errors["issued_on"] = problems
    if plan.pk is not None and issued_on and "issued_on" not in errors:
        # The plan's audit and provision checks cannot come before its new date.
        if problem := _later_records_problem(plan, issued_on):
            errors["issued_on"] = [problem]
    if errors:
        # The record's own problems are reported with these, all at once.
        assign(plan, values, allowed=frozenset(PLAN_FIELDS))
        validate(plan, errors)  # raises
    saved = save_versioned(
        instance=plan,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=frozenset(PLAN_FIELDS),
    )
    if informed is not None:
        saved.informed_by.set(informed)
    return saved


@service_write
def record_plan(
    *,
    child: Child,
    kind: str,
    issued_on: datetime.date,
    by,
    la_reference: str = "",
    informed_by: Iterable[HealthAdviceRequest] = (),
) -> EHCPlan:
    """Record a final or amended EHC plan the LA issued for ``child``.

    ``kind`` is a :class:`~ehc.models.PlanKind` value; ``issued_on`` the
    date on the plan (not after today, not before the child's birth, one
    plan a day per child); ``informed_by`` the requests for health advice
    whose advice informed it (the same child's, received on or before
    ``issued_on``). The annual review clock runs from the first final
    plan's date (Children and Families Act 2014 s44(1)). Raises
    PermissionDenied (not a designated officer or administrator) or
    ValidationError keyed ``child``, ``kind``, ``issued_on``,
    ``la_reference`` or ``informed_by``.
    """
    _check_permitted(by, "records EHC plans")
    _check_child(by, child)
    plan = EHCPlan(child=child)
    return _save_plan(
        plan,
        {"kind": kind, "issued_on": issued_on, "la_reference": la_reference},
        informed_by,
        by=by,
        expected_version=None,
    )


@service_write
def update_plan(
    *,
    plan: EHCPlan,
    values: Mapping,
    by,
    expected_version: int | None,
    informed_by: Iterable[HealthAdviceRequest] | None = None,
) -> EHCPlan:
    """Change ``plan``'s ``values`` (names in :data:`PLAN_FIELDS`, else
    TypeError) and, when given, the requests that ``informed_by`` it (the
    whole set, replacing the one held). The rules of :func:`record_plan`;
    a new date must still follow the advice already linked (keyed
    ``issued_on``). Raises PermissionDenied, ValidationError keyed by
    field, or :class:`~ehc.saving.StaleEdit` when ``expected_version`` is
    not the stored version."""
    _check_permitted(by, "records EHC plans")
    _check_child(by, plan.child)
    return _save_plan(plan, dict(values), informed_by, by=by, expected_version=expected_version)


@service_write
def save_plan_audit(
    *,
    plan: EHCPlan,
    audited_on: datetime.date,
    answers: Mapping[str, str],
    by,
    notes: str = "",
    expected_version: int | None = None,
) -> PlanAudit:
    """Record (or change) ``by``'s audit of ``plan``'s health sections.

    ``answers`` maps each criterion of :data:`ehc.plan_checklist.PLAN_CRITERIA`
    to a :class:`~ehc.models.PlanAnswer` value; a criterion left out is
    "not applicable". The score (per cent of the points possible: yes 2,
    partly 1, no 0) and the rating (green from 85%, amber from 55%) follow
    (docs/plans.md, "The checklist"). Raises PermissionDenied (not a
    designated officer or administrator), ValidationError keyed
    ``audited_on`` (after today, or before the plan was issued),
    ``answers`` (a name not on the checklist) or by criterion (an answer
    not offered; every one "not applicable"), or
    :class:`~ehc.saving.StaleEdit` for an edit of an older copy.
    """
    _check_permitted(by, "audits EHC plans")
    _check_child(by, plan.child)
    if unknown := sorted(set(answers) - set(plan_checklist.CRITERIA_NAMES)):
        raise ValidationError({"answers": f"Not on the checklist: {', '.join(unknown)}"})
    audit = getattr(plan, "audit", None) if plan.pk else None
    audit = audit or PlanAudit(plan=plan)
    values = {
        name: answers.get(name, PlanAnswer.NOT_APPLICABLE) for name in plan_checklist.CRITERIA_NAMES
    }
    values |= {"audited_on": audited_on, "notes": notes, "auditor": by}
    return save_versioned(instance=audit, values=values, by=by, expected_version=expected_version)


def _service_problem(service: Service, plan: EHCPlan) -> str:
    """Why ``service`` cannot be named for provision in ``plan`` ("" when it
    can): it must cover the child's local authority. One query."""
    if not service.local_authorities.filter(pk=plan.child.local_authority_id).exists():
        return f"{service.name} does not cover the child's local authority"
    return ""


@service_write
def save_plan_provision(
    *,
    plan: EHCPlan,
    values: Mapping,
    by,
    provision: PlanProvision | None = None,
    expected_version: int | None = None,
) -> PlanProvision:
    """Add a piece of section G provision to ``plan`` (``provision`` None)
    or change one of its rows, with ``values`` (names in
    :data:`PROVISION_FIELDS`, else TypeError).

    ``status`` is a :class:`~ehc.models.ProvisionStatus` value;
    ``waiting_since`` is given when, and only when, the provision is
    waited for, on or before ``checked_on``; neither after today.
    ``service``, when given, must cover the child's local authority;
    otherwise ``delivered_by`` says who delivers it. These rows are the
    plan side of the service gaps (:func:`ehc.plan_quality.provision_gaps`).
    Raises PermissionDenied, ValidationError keyed by field, or
    :class:`~ehc.saving.StaleEdit`.
    """
    _check_permitted(by, "records a plan's provision")
    _check_child(by, plan.child)
    if provision is not None and provision.plan_id != plan.pk:
        raise ValidationError("This provision belongs to another plan.")
    row = provision or PlanProvision(plan=plan)
    values = dict(values)
    if values.get("status", row.status) != ProvisionStatus.WAITING:
        values["waiting_since"] = None  # a date left in a hidden box means nothing
    service = values.get("service", row.service if row.service_id else None)
    if service is not None and (row.pk is None or service.pk != row.service_id):
        if problem := _service_problem(service, plan):
            raise ValidationError({"service": problem})
    return save_versioned(
        instance=row,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=frozenset(PROVISION_FIELDS),
    )


@service_write
def remove_plan_provision(*, provision: PlanProvision, by, expected_version: int | None) -> None:
    """Remove a section G row recorded by mistake (the audit log keeps what
    it said). Raises PermissionDenied (not a designated officer or
    administrator), ValidationError (the child outside ``by``'s scope) or
    :class:`~ehc.saving.StaleEdit` when ``expected_version`` is not the
    stored version (someone changed it since the form was opened)."""
    _check_permitted(by, "records a plan's provision")
    _check_child(by, provision.plan.child)
    claim_version(provision, expected_version)
    provision.delete()
