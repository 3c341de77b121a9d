"""The enquiries log's pages: the worklist, logging an enquiry (general or
about a child), an enquiry's page and changing it. Thin views: load
through the user's scope, parse with a form, save through
:mod:`enquiries.services`; every page showing an enquiry about a child
records an access event (:mod:`ehc.access_log`)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Case, IntegerField, Value, When
from django.db.models.functions import Coalesce
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from core.decorators import permission_required
from core.forms import model_values
from core.lists import filter_list
from core.scoping import get_object_for_user
from ehc.models import Child
from ehc.view_support import form_page, save_form, shown
from enquiries import services
from enquiries.filters import EnquiryFilter
from enquiries.forms import EnquiryForm, LogEnquiryForm
from enquiries.models import OPEN_STATUSES, Enquiry
from enquiries.selectors import follow_ups_due

PAGE_SIZE = 50
PERMISSION = "portal.log_enquiries"


@permission_required(PERMISSION)
def enquiry_list(request):
    """Open enquiries (or closed, or all), those with a follow-up first,
    earliest follow-up first, then the newest."""
    today = timezone.localdate()
    visible = Enquiry.objects.visible_to(request.user)
    rows = visible if request.GET.get("show") else visible.open()
    listed = filter_list(EnquiryFilter, request, rows)
    ordered = listed.queryset.select_related("local_authority", "child").order_by(
        Case(
            When(status__in=OPEN_STATUSES, then=Value(0)),
            default=Value(1),
            output_field=IntegerField(),
        ),
        Coalesce("follow_up_on", Value(datetime.date.max)),
        "-received_on",
        "-pk",
    )
    page = Paginator(ordered, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    shown(request, [e.child_id for e in page.object_list if e.child_id], "Enquiries")
    return render(
        request,
        "enquiries/enquiry_list.html",
        {
            "filter": listed.filterset,
            "filters_valid": listed.valid,
            "page": page,
            "enquiries": page.object_list,
            "due": follow_ups_due(visible, today=today),
            "today": today,
        },
        status=listed.status,
    )


def _log(request, child: Child | None):
    form = LogEnquiryForm(request.POST or None, user=request.user, child=child)
    saved = save_form(
        request,
        form,
        services.log_enquiry,
        lambda data: {
            "child": child,
            "local_authority": child.local_authority if child else data["local_authority"],
            **model_values(form, leave_out=("local_authority",)),
        },
    )
    if saved:
        messages.success(request, f"Enquiry {saved.reference} saved.")
        return redirect(saved)
    if child is not None:
        shown(request, [child], "Log an enquiry")
    return form_page(
        request,
        form,
        heading="Log an enquiry",
        caption=child.full_name if child else "General enquiry",
        back_url=child.get_absolute_url() if child else reverse("enquiries:enquiry_list"),
    )


@permission_required(PERMISSION)
def enquiry_create(request):
    """Log a general enquiry (not about one child)."""
    return _log(request, None)


@permission_required(PERMISSION)
def enquiry_create_for_child(request, pk: int):
    """Log an enquiry about a child in the user's scope (from the child's page)."""
    child = get_object_for_user(
        Child.objects.select_related("local_authority"), request.user, pk=pk
    )
    return _log(request, child)


def _enquiry(request, pk: int, *, write: bool = False) -> Enquiry:
    return get_object_for_user(
        Enquiry.objects.select_related("local_authority", "child", "created_by"),
        request.user,
        write_permission="enquiries.edit_enquiry" if write else None,
        pk=pk,
    )


@permission_required(PERMISSION)
def enquiry_detail(request, pk: int):
    enquiry = _enquiry(request, pk)
    if enquiry.child_id:
        shown(request, [enquiry.child_id], "Enquiry")
    return render(
        request,
        "enquiries/enquiry_detail.html",
        {"enquiry": enquiry, "today": timezone.localdate()},
    )


@permission_required(PERMISSION)
def enquiry_edit(request, pk: int):
    enquiry = _enquiry(request, pk, write=True)
    form = EnquiryForm(request.POST or None, instance=enquiry)
    saved = save_form(
        request,
        form,
        services.update_enquiry,
        lambda data: {"enquiry": enquiry, "values": model_values(form)},
    )
    if saved:
        messages.success(request, f"Enquiry {enquiry.reference} saved.")
        return redirect(enquiry)
    if enquiry.child_id:
        shown(request, [enquiry.child_id], "Change an enquiry")
    return form_page(
        request,
        form,
        heading=f"Change enquiry {enquiry.reference}",
        caption=enquiry.child.full_name if enquiry.child_id else "General enquiry",
        back_url=enquiry.get_absolute_url(),
    )
