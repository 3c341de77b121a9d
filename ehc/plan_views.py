"""Plan quality assurance (docs/plans.md): the plans list and its download,
recording a plan from the child's page, a plan's page, the audit of its
health sections (C and G), its section G provision with the delivery of
each, and a reproducible audit sample of plans.

For those who follow the caseload (``portal.manage_caseload``: designated
officers for their own areas, administrators), as the quality review of
advice is; changes need the object permission ``ehc.edit_plan`` (the role
permission and the plan's child in scope). Thin like :mod:`ehc.views`:
load through the user's scope, parse with a form, save through
:mod:`ehc.services.plans`; every response that shows a child's plan names
the child in an access event.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.models import LocalAuthority
from core.decorators import permission_required
from core.forms import model_values
from core.lists import Sorting, download, filter_list, page_size, query_with
from core.scoping import get_object_for_user
from core.submissions import earlier_result
from core.views import render_form_page
from ehc import plan_checklist, plan_lists, selectors
from ehc.forms import AuditSampleForm
from ehc.forms.plans import (
    NewPlanAuditForm,
    NewPlanForm,
    NewPlanProvisionForm,
    PlanAuditForm,
    PlanForm,
    PlanProvisionForm,
)
from ehc.models import (
    Advice,
    Child,
    EHCPlan,
    HealthAdviceRequest,
    PlanAudit,
    PlanProvision,
)
from ehc.plan_filters import PlanFilter
from ehc.saving import StaleEdit
from ehc.services import plans as services
from ehc.view_support import form_page, save_form, shown

PERMISSION = "portal.manage_caseload"
EDIT = "ehc.edit_plan"
PROVISION_TEMPLATE = "ehc/plans/provision_form.html"


def _plans(request):
    """The list's filtered plans (in scope), and its order: newest issued
    first unless a column is chosen."""
    scoped = EHCPlan.objects.visible_to(request.user)
    listed = filter_list(PlanFilter, request, scoped, user=request.user)
    if Sorting.PARAMETER in request.GET:
        sorting = Sorting.from_request(request, plan_lists.PLAN_SORTS, plan_lists.PLAN_DEFAULT_SORT)
    else:
        sorting = Sorting(
            columns=plan_lists.PLAN_SORTS,
            key=plan_lists.PLAN_DEFAULT_SORT,
            descending=True,
            query=request.GET,
        )
    rows = plan_lists.plan_rows(listed.queryset).order_by(*sorting.order_by)
    return listed, sorting, rows


@permission_required(PERMISSION)
def plan_list(request):
    """Every plan in scope, a page at a time: filters, sortable columns,
    25, 50 or 100 rows a page, and the download of the same rows."""
    listed, sorting, rows = _plans(request)
    size = page_size(request, remember_as="plans_page_size")
    page = Paginator(rows, size).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    shown(request, [plan.child_id for plan in page.object_list], "EHC plans")
    return render(
        request,
        "ehc/plans/plan_list.html",
        {
            "filter": listed.filterset,
            "filters_valid": listed.valid,
            "page": page,
            "plans": page.object_list,
            "headings": sorting.headings(),
            "page_sizes": [
                {
                    "size": n,
                    "query": query_with(request.GET, per_page=n),
                    "current": n == size,
                }
                for n in (25, 50, 100)
            ],
            "download_query": query_with(request.GET, per_page=None),
        },
        status=listed.status,
    )


@permission_required(PERMISSION)
def plan_download(request, file_format: str):
    """The plans list with its filters and order, every row, as CSV or .xlsx."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    _, _, rows = _plans(request)
    plans = list(plan_lists.with_informing(rows))
    shown(request, [plan.child_id for plan in plans], f"EHC plans download ({file_format.upper()})")
    return download(
        file_format,
        name=f"ehc-plans-{timezone.localdate():%Y-%m-%d}",
        headers=plan_lists.PLAN_HEADERS,
        rows=plan_lists.download_rows(plans),
    )


def _plan(request, pk: int, *, write: bool = False, related=()) -> EHCPlan:
    return get_object_for_user(
        EHCPlan.objects.select_related("child__local_authority", *related),
        request.user,
        write_permission=EDIT if write else None,
        pk=pk,
    )


@permission_required(PERMISSION)
def plan_create(request, child_pk: int):
    """Record a final or amended plan for a child in the user's scope."""
    child = get_object_for_user(
        Child.objects.select_related("local_authority"),
        request.user,
        write_permission="ehc.edit_childrecord",
        pk=child_pk,
    )
    form = NewPlanForm(request.POST or None, child=child, user=request.user)
    saved = save_form(
        request,
        form,
        services.record_plan,
        lambda data: {
            "child": child,
            "informed_by": data["informed_by"],
            **model_values(form, leave_out=("informed_by",)),
        },
    )
    if saved:
        messages.success(request, f"Plan {saved.reference} saved. Now audit its health sections.")
        return redirect(saved)
    shown(request, [child], "Record an EHC plan")
    return form_page(
        request,
        form,
        heading="Record an EHC plan",
        caption=child.full_name,
        back_url=child.get_absolute_url(),
    )


@permission_required(PERMISSION)
def plan_detail(request, pk: int):
    """A plan: what the LA issued, the advice that informed it, the audit
    of sections C and G, and the section G provision with its delivery."""
    plan = _plan(request, pk, related=("audit__auditor",))
    informed = HealthAdviceRequest.objects.visible_to(request.user).filter(plans=plan)
    shown(request, [plan.child_id], "EHC plan")
    return render(
        request,
        "ehc/plans/plan_detail.html",
        {
            "plan": plan,
            "child": plan.child,
            "audit": getattr(plan, "audit", None),
            "informed": informed.order_by("received_on", "pk"),
            "provision": plan.provision.select_related("service__provider"),
            "today": timezone.localdate(),
        },
    )


@permission_required(PERMISSION)
def plan_edit(request, pk: int):
    plan = _plan(request, pk, write=True)
    form = PlanForm(request.POST or None, instance=plan, child=plan.child, user=request.user)
    saved = save_form(
        request,
        form,
        services.update_plan,
        lambda data: {
            "plan": plan,
            "informed_by": data["informed_by"],
            "values": model_values(form, leave_out=("informed_by",)),
        },
    )
    if saved:
        messages.success(request, f"Plan {plan.reference} saved.")
        return redirect(plan)
    shown(request, [plan.child_id], "Change an EHC plan")
    return form_page(
        request,
        form,
        heading=f"Change plan {plan.reference}",
        caption=plan.child.full_name,
        back_url=plan.get_absolute_url(),
    )


def _advice_of(plan: EHCPlan, user):
    """The advice (with its provision rows) of the requests that informed
    ``plan``, as far as ``user`` may see it: what section C is checked
    against. Three queries."""
    return (
        Advice.objects.visible_to(user)
        .filter(contribution__request__plans=plan)
        .select_related("contribution__service", "contribution__request")
        .prefetch_related("provision")
        .order_by("contribution__request__received_on", "contribution__service__name", "pk")
    )


@permission_required(PERMISSION)
def plan_audit(request, pk: int):
    """Audit a plan's sections C and G against the checklist, beside the
    advice that informed it and the section G rows recorded."""
    plan = _plan(request, pk, write=True, related=("audit",))
    token = request.POST.get("submission") if request.method == "POST" else None
    if token and earlier_result(request.user, token) is not None:
        # The first audit's form sent again (a double click): it is saved.
        return redirect(plan)
    audit = getattr(plan, "audit", None)
    provision = list(plan.provision.select_related("service"))
    if audit is None:
        audit = PlanAudit(plan=plan)
        form = NewPlanAuditForm(
            request.POST or None,
            instance=audit,
            suggested=plan_checklist.suggested_answers(provision),
        )
    else:
        form = PlanAuditForm(request.POST or None, instance=audit)
    saved = save_form(
        request,
        form,
        services.save_plan_audit,
        lambda data: {
            "plan": plan,
            "audited_on": data["audited_on"],
            "answers": form.answers(),
            "notes": data.get("notes", ""),
        },
    )
    if saved:
        messages.success(
            request, f"Audit saved: {saved.score}%, rated {saved.get_rating_display().lower()}."
        )
        return redirect(plan)
    shown(request, [plan.child_id], "Audit of an EHC plan")
    return render(
        request,
        "ehc/plans/audit_form.html",
        {
            "form": form,
            "plan": plan,
            "advice": _advice_of(plan, request.user),
            "provision": provision,
            "green_from": plan_checklist.GREEN_FROM,
            "amber_from": plan_checklist.AMBER_FROM,
        },
        status=400 if form.is_bound else 200,
    )


@permission_required(PERMISSION)
def provision_create(request, pk: int):
    """Add a piece of section G provision to a plan."""
    plan = _plan(request, pk, write=True)
    form = NewPlanProvisionForm(request.POST or None, child=plan.child)
    saved = save_form(
        request,
        form,
        services.save_plan_provision,
        lambda data: {"plan": plan, "values": model_values(form)},
    )
    if saved:
        messages.success(request, "Provision saved.")
        return redirect(plan.get_absolute_url() + "#provision")
    shown(request, [plan.child_id], "Add provision to an EHC plan")
    return form_page(
        request,
        form,
        heading="Add section G provision",
        caption=f"Plan {plan.reference}, {plan.child.full_name}",
        back_url=plan.get_absolute_url(),
    )


@permission_required(PERMISSION)
def provision_edit(request, pk: int):
    """Change a piece of section G provision: most often whether it is now
    in place."""
    row = _provision_row(request, pk)
    plan = row.plan
    if request.method == "POST" and "remove" in request.POST:
        return _remove(request, row)  # from the remove page
    form = PlanProvisionForm(request.POST or None, instance=row, child=plan.child)
    saved = save_form(
        request,
        form,
        services.save_plan_provision,
        lambda data: {"plan": plan, "provision": row, "values": model_values(form)},
    )
    if saved:
        messages.success(request, "Provision saved.")
        return redirect(plan.get_absolute_url() + "#provision")
    shown(request, [plan.child_id], "Change provision in an EHC plan")
    return render_form_page(
        request,
        form,
        heading="Change section G provision",
        caption=f"Plan {plan.reference}, {plan.child.full_name}",
        back_url=plan.get_absolute_url(),
        template=PROVISION_TEMPLATE,
        extra={"remove_url": reverse("ehc:provision_remove", args=[row.pk])},
    )


def _provision_row(request, pk: int) -> PlanProvision:
    return get_object_for_user(
        PlanProvision.objects.select_related("plan__child__local_authority"),
        request.user,
        write_permission=EDIT,
        pk=pk,
    )


def _remove(request, row: PlanProvision):
    """Remove ``row`` as the remove page's form asked (with the version it
    showed), then back to the plan; when someone changed the row since,
    nothing is removed and the row's form opens again saying why."""
    try:
        version = int(request.POST.get("version", ""))
    except ValueError:
        version = None
    try:
        services.remove_plan_provision(provision=row, by=request.user, expected_version=version)
    except StaleEdit:
        messages.warning(request, f"{StaleEdit.message} Nothing has been removed.")
        return redirect("ehc:provision_edit", pk=row.pk)
    messages.success(request, "Provision removed.")
    return redirect(row.plan.get_absolute_url() + "#provision")


@permission_required(PERMISSION)
def provision_remove(request, pk: int):
    """Ask before removing a piece of section G provision recorded by
    mistake. The answer is sent to :func:`provision_edit` (its "remove"),
    so the removal goes through the same access check and stale-edit rule
    as any change to the row."""
    row = _provision_row(request, pk)
    plan = row.plan
    shown(request, [plan.child_id], "Remove provision from an EHC plan")
    return render(
        request,
        "ehc/plans/provision_remove.html",
        {"row": row, "plan": plan},
    )


@permission_required(PERMISSION)
def plan_sample(request):
    """A random sample of the plans issued in a period, for the audit: the
    same areas, dates and size draw the same plans, whoever asks (the
    advice audit sample's rule, :func:`ehc.selectors.audit_sample`)."""
    form = AuditSampleForm(request.GET or None)
    sample = []
    if form.is_bound and form.is_valid():
        start, end, size = (form.cleaned_data[k] for k in ("start", "end", "size"))
        pool = EHCPlan.objects.visible_to(request.user).filter(issued_on__range=(start, end))
        areas = sorted(LocalAuthority.objects.visible_to(request.user).values_list("pk", flat=True))
        seed = f"plans:{','.join(map(str, areas))}:{start}:{end}:{size}"
        ids = selectors.audit_sample(pool, size=size, seed=seed)
        sample = list(
            pool.filter(pk__in=ids)
            .select_related("child__local_authority", "audit")
            .order_by("issued_on", "pk")
        )
        shown(request, [plan.child_id for plan in sample], "Plan audit sample")
    return render(
        request,
        "ehc/plans/plan_sample.html",
        {"form": form, "sample": sample},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )


__all__ = [
    "plan_audit",
    "plan_create",
    "plan_detail",
    "plan_download",
    "plan_edit",
    "plan_list",
    "plan_sample",
    "provision_create",
    "provision_edit",
    "provision_remove",
]
