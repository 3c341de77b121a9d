"""Services and their quarterly waiting times (docs/waits.md): the list of
the services a user covers, a service's page with its waiting-time trend
(a table and a chart with its data), and the forms entering a quarter.

The pages combine the services (``commissioning``), the waits entered
(``ehc``) and the suppression and charts of ``reports``, so they live on
the top floor (docs/architecture.md, "The floors"). Commissioners see the
figures suppressed (:mod:`reports.service_gaps`), everyone else exactly.
Each service is loaded through the user's scope
(:func:`ehc.models.services_covering`): 404 outside it.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from commissioning.models import Service
from core import periods
from core.decorators import permission_required
from core.forms import model_values
from core.scoping import get_object_for_user
from ehc import services
from ehc.forms.waits import NewWaitsForm, WaitsForm
from ehc.models import ServiceWait, services_covering
from ehc.view_support import form_page, save_form
from reports import service_gaps
from reports.shown import show_count
from reports.suppression import DISCLOSURE_NOTE, Figures

VIEW = "portal.view_service_waits"
RECORD = "portal.record_service_waits"
PAGE_SIZE = 50


def figures_for(user) -> Figures:
    """Exact figures for everyone but commissioners, who see aggregates
    suppressed (docs/domain.md, "Small-number suppression")."""
    return Figures(exact=user.role != Role.COMMISSIONER)


def _service(request, pk: int) -> Service:
    return get_object_or_404(services_covering(request.user).select_related("provider"), pk=pk)


def _latest(field: str):
    return Subquery(
        ServiceWait.objects.filter(service=OuterRef("pk"))
        .order_by("-financial_year", "-quarter")
        .values(field)[:1]
    )


@permission_required(VIEW)
def service_list(request):
    """The services the user covers, with each one's latest quarter entered.
    Two queries for a page, whatever the number of services."""
    rows = (
        services_covering(request.user)
        .select_related("provider")
        .annotate(
            latest_year=_latest("financial_year"),
            latest_quarter=_latest("quarter"),
            latest_waiting=_latest("waiting"),
        )
        .order_by("provider__name", "name", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    figures = figures_for(request.user)
    listed = []
    for service in page.object_list:
        latest = None
        if service.latest_year is not None:
            wait = ServiceWait(
                financial_year=service.latest_year,
                quarter=service.latest_quarter,
                waiting=service.latest_waiting,
            )
            latest = (wait.period.label, show_count(figures, wait.waiting).text)
        listed.append((service, latest))
    return render(
        request,
        "portal/service_list.html",
        {
            "page": page,
            "services": listed,
            "suppressed": not figures.exact,
            "disclosure_note": DISCLOSURE_NOTE,
        },
    )


@permission_required(VIEW)
def service_detail(request, pk: int):
    """A service's page: what it is, the areas it covers and its waiting
    times by quarter (a table, and a chart with its data table)."""
    service = _service(request, pk)
    waits = list(
        ServiceWait.objects.visible_to(request.user)
        .filter(service=service)
        .select_related("entered_by")
        .order_by("financial_year", "quarter")
    )
    figures = figures_for(request.user)
    table = service_gaps.trend_table(waits, figures)  # one row per wait, in the same order
    return render(
        request,
        "portal/service_detail.html",
        {
            "service": service,
            "areas": service.local_authorities.order_by("name"),
            "waits": waits,
            "table": table,
            "rows": list(zip(waits, table.rows, strict=True)),
            "notes": [wait for wait in waits if wait.notes],
            "chart": service_gaps.trend_chart(waits, figures) if waits else None,
            "may_record": request.user.has_perm(RECORD),
            "suppressed": not figures.exact,
            "disclosure_note": DISCLOSURE_NOTE,
        },
    )


@permission_required(RECORD)
def waits_create(request, pk: int):
    """Enter a quarter's waiting times for a service the user covers. A
    quarter already entered is changed, not added again
    (:func:`ehc.services.record_waits`)."""
    service = _service(request, pk)
    form = NewWaitsForm(request.POST or None, today=timezone.localdate())
    saved = save_form(
        request,
        form,
        services.record_waits,
        lambda data: {
            "service": service,
            "financial_year": periods.financial_year_of(data["quarter"].start),
            "quarter": periods.quarter_of(data["quarter"].start),
            **model_values(form),
        },
    )
    if saved:
        messages.success(request, f"Waiting times for {saved.period.label} saved.")
        return redirect("waits:service_detail", pk=service.pk)
    return form_page(
        request,
        form,
        heading="Enter waiting times",
        caption=str(service),
        back_url=reverse("waits:service_detail", args=[service.pk]),
    )


@permission_required(RECORD)
def waits_edit(request, pk: int):
    """Change one quarter's figures; an out-of-date copy is refused."""
    wait = get_object_for_user(
        ServiceWait.objects.select_related("service__provider"),
        request.user,
        write_permission="ehc.record_service_waits",
        pk=pk,
    )
    form = WaitsForm(request.POST or None, instance=wait)
    saved = save_form(
        request,
        form,
        services.update_waits,
        lambda data: {"wait": wait, "values": model_values(form)},
    )
    if saved:
        messages.success(request, f"Waiting times for {wait.period.label} saved.")
        return redirect("waits:service_detail", pk=wait.service_id)
    return form_page(
        request,
        form,
        heading=f"Change waiting times for {wait.period.label}",
        caption=str(wait.service),
        back_url=reverse("waits:service_detail", args=[wait.service_id]),
    )
