"""The designated officer's caseload: requests, contributions, advice, quality
review, and what a child's record holds (the child's own pages are in
:mod:`ehc.child_views`, the lists in :mod:`ehc.list_views`). Views are thin: they load through
the user's scope, parse the input with a form, call a service in
:mod:`ehc.services` with the form's plain values and the signed-in user as
``by``, and show the service's ValidationError on the form.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.models import LocalAuthority
from core.decorators import permission_required
from core.forms import model_values
from core.scoping import get_object_for_user
from ehc import forms, selectors, services
from ehc.models import (
    Advice,
    Child,
    Contribution,
    HealthAdviceRequest,
    QualityReview,
)
from ehc.view_support import document_args, form_page, save_form, shown


@permission_required("portal.view_ehc")
def request_detail(request, pk: int):
    user = request.user
    advice_request = get_object_for_user(
        selectors.request_detail(HealthAdviceRequest.objects, user), user, pk=pk
    )
    shown(request, [advice_request.child_id], "Request")
    # Only the contributions in the user's scope: a practitioner sees their own
    # services' part of the request, never another service's advice, reasons
    # or exceptions.
    contributions = list(advice_request.contributions.all())
    can_manage = user.has_perm("portal.manage_caseload")
    can_record = user.has_perm("portal.record_advice")
    # The quality review is health's own: the officer's check, with feedback
    # for the service. The LA sees the advice returned, never the review.
    can_see_review = can_manage or can_record
    return render(
        request,
        "ehc/request_detail.html",
        {
            "req": advice_request,
            "child": advice_request.child,
            "contributions": contributions,
            "timeline": selectors.timeline(advice_request, contributions, reviews=can_see_review),
            "today": timezone.localdate(),
            "can_manage": can_manage,
            "can_record": can_record,
            "can_see_review": can_see_review,
        },
    )


@permission_required("portal.log_requests")
def request_create(request, child_pk: int):
    child = get_object_for_user(
        Child.objects, request.user, write_permission="ehc.edit_child", pk=child_pk
    )
    form = forms.RequestForm(request.POST or None, user=request.user, child=child)
    advice_request = save_form(
        request,
        form,
        services.log_request,
        lambda data: {
            "child": child,
            **model_values(form),
            "services": data.get("services") or [],
            "asked_on": data.get("asked_on"),
            "return_by": data.get("return_by"),
            "meeting_on": data.get("meeting_on"),
        },
    )
    if advice_request:
        messages.success(
            request,
            f"Request {advice_request.reference} logged. "
            f"Advice is due by {advice_request.due_on:%-d %B %Y}.",
        )
        return redirect(advice_request)
    shown(request, [child], "Log a request")
    return form_page(
        request,
        form,
        heading="Log a request for health advice",
        caption=child.full_name,
        back_url=child.get_absolute_url(),
    )


@permission_required("portal.manage_caseload")
def request_edit(request, pk: int):
    advice_request = get_object_for_user(
        HealthAdviceRequest.objects.select_related("child"),
        request.user,
        write_permission="ehc.edit_request",
        pk=pk,
    )
    form = forms.RequestEditForm(request.POST or None, instance=advice_request, user=request.user)
    saved = save_form(
        request,
        form,
        services.update_request,
        lambda data: {
            "request": advice_request,
            "values": model_values(form),
            "status": data["state"],
            "confirm_outstanding": data.get("confirm_outstanding", False),
        },
    )
    if saved:
        messages.success(request, "Request updated.")
        return redirect(advice_request)
    shown(request, [advice_request.child_id], "Change a request")
    return form_page(
        request,
        form,
        heading=f"Change request {advice_request.reference}",
        caption=advice_request.child.full_name,
        back_url=advice_request.get_absolute_url(),
    )


@permission_required("portal.manage_caseload")
def contribution_add(request, pk: int):
    advice_request = get_object_for_user(
        HealthAdviceRequest.objects.select_related("child"),
        request.user,
        write_permission="ehc.edit_request",
        pk=pk,
    )
    if not advice_request.is_open:
        messages.error(request, "This request is closed. Reopen it to ask another service.")
        return redirect(advice_request)
    form = forms.AddContributionForm(
        request.POST or None,
        request=advice_request,
        initial={"asked_on": advice_request.received_on},
    )
    contribution = save_form(
        request,
        form,
        services.add_contribution,
        lambda data: {
            "request": advice_request,
            "service": data["service"],
            "asked_on": data["asked_on"],
            "received_on": data.get("received_on"),
            "return_by": data.get("return_by"),
        },
    )
    if contribution:
        messages.success(request, f"{contribution.service.name} asked for advice.")
        return redirect(advice_request)
    return form_page(
        request,
        form,
        heading="Ask another service",
        caption=advice_request.reference,
        back_url=advice_request.get_absolute_url(),
    )


def _contribution(request, pk: int, permission: str) -> Contribution:
    """A contribution in the user's scope, with its advice if any."""
    return get_object_for_user(
        Contribution.objects.select_related("request__child", "service__provider", "advice"),
        request.user,
        write_permission=permission,
        pk=pk,
    )


@permission_required("portal.record_advice")
def contribution_return(request, pk: int):
    contribution = _contribution(request, pk, "ehc.record_return")
    form = forms.ReturnForm(request.POST or None, instance=contribution)
    saved = save_form(
        request,
        form,
        services.record_return,
        lambda data: {"contribution": contribution, **model_values(form)},
    )
    if saved:
        if contribution.outcome == "advice_given" and not hasattr(contribution, "advice"):
            messages.success(request, "Return saved. Now record the advice.")
            return redirect("ehc:advice_edit", pk=contribution.pk)
        messages.success(request, "Return saved.")
        return redirect(contribution.request)
    return form_page(
        request,
        form,
        heading=f"Record the return from {contribution.service.name}",
        caption=contribution.request.reference,
        back_url=contribution.request.get_absolute_url(),
        extra={"contribution": contribution},
    )


@permission_required("portal.manage_caseload")
def contribution_asking(request, pk: int):
    contribution = _contribution(request, pk, "ehc.edit_contribution")
    form = forms.AskingForm(request.POST or None, instance=contribution)
    saved = save_form(
        request,
        form,
        services.update_asking,
        lambda data: {"contribution": contribution, "values": model_values(form)},
    )
    if saved:
        messages.success(
            request,
            f"Saved. {contribution.service.name} is due by {contribution.due_on:%-d %B %Y}.",
        )
        return redirect(contribution.request)
    return form_page(
        request,
        form,
        heading=f"How {contribution.service.name} was asked",
        caption=contribution.request.reference,
        back_url=contribution.request.get_absolute_url(),
    )


@permission_required("portal.manage_caseload")
def contribution_exception(request, pk: int):
    contribution = _contribution(request, pk, "ehc.edit_contribution")
    form = forms.ExceptionForm(request.POST or None, instance=contribution)
    saved = save_form(
        request,
        form,
        services.record_exception,
        lambda data: {
            "contribution": contribution,
            "exception": data.get("exception") or "",
            "evidence": data.get("exception_evidence", ""),
            "exception_on": data.get("exception_on"),
        },
    )
    if saved:
        messages.success(
            request, "Exception saved." if contribution.exception else "Exception removed."
        )
        return redirect(contribution.request)
    return form_page(
        request,
        form,
        heading=f"Reg 8(2) exception for {contribution.service.name}",
        caption=contribution.request.reference,
        back_url=contribution.request.get_absolute_url(),
    )


# --- Advice and quality -----------------------------------------------------------------------


@permission_required("portal.record_advice")
def advice_edit(request, pk: int):
    contribution = _contribution(request, pk, "ehc.record_return")
    advice = getattr(contribution, "advice", None) or Advice(contribution=contribution)
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = forms.AdviceForm(data, files, instance=advice)
    formset = forms.ProvisionFormSet(data, instance=advice, prefix="provision")
    if formset.is_valid() and save_form(
        request,
        form,
        services.save_advice,
        lambda data: {
            "contribution": contribution,
            "values": model_values(form, leave_out=("document",)),
            "provision": forms.provision_rows(formset),
            **document_args(form),
        },
    ):
        if "add_row" in request.POST:
            # "Save and add another row" without JavaScript: saved, and back
            # to the form, whose spare rows now follow the saved ones.
            messages.success(request, "Advice saved. Add the next provision below.")
            return redirect(reverse("ehc:advice_edit", args=[contribution.pk]) + "#provision")
        messages.success(request, "Advice saved.")
        return redirect(contribution.request)
    shown(request, [contribution.request.child_id], "Advice")
    return render(
        request,
        "ehc/advice_form.html",
        {
            "form": form,
            "formset": formset,
            "contribution": contribution,
            "req": contribution.request,
        },
        status=400 if request.method == "POST" else 200,
    )


@permission_required("portal.view_ehc")
def advice_document(request, pk: int):
    advice = get_object_for_user(Advice.objects.select_related("contribution"), request.user, pk=pk)
    if not advice.document:
        raise Http404
    shown(request, [advice.contribution.request.child_id], "Advice document download")
    try:
        handle = advice.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    name = advice.document_name or advice.document.name.rsplit("/", 1)[-1]
    return FileResponse(handle, as_attachment=True, filename=name)


@permission_required("portal.manage_caseload")
def review_edit(request, pk: int):
    advice = get_object_for_user(
        Advice.objects.select_related(
            "contribution__request__child", "contribution__service", "review"
        ).prefetch_related("provision"),
        request.user,
        write_permission="ehc.review_advice",
        pk=pk,
    )
    review = getattr(advice, "review", None) or QualityReview(advice=advice)
    # Only a new review starts from what the portal can check for itself.
    suggested = None if review.pk else forms.suggested_criteria(advice, advice.contribution.request)
    form = forms.QualityReviewForm(request.POST or None, instance=review, suggested=suggested)
    saved = save_form(
        request,
        form,
        services.save_review,
        lambda data: {
            "advice": advice,
            "reviewed_on": data["reviewed_on"],
            "criteria": data.get("criteria") or [],
            "notes": data.get("notes", ""),
        },
    )
    if saved:
        messages.success(
            request,
            f"Review saved: {saved.score} of 9, rated {saved.get_rating_display().lower()}.",
        )
        return redirect(advice.contribution.request)
    shown(request, [advice.contribution.request.child_id], "Quality review of advice")
    return render(
        request,
        "ehc/review_form.html",
        {"form": form, "advice": advice, "req": advice.contribution.request},
        status=400 if form.is_bound else 200,
    )


@permission_required("portal.manage_caseload")
def audit_sample(request):
    form = forms.AuditSampleForm(request.GET or None)
    sample = []
    if form.is_bound and form.is_valid():
        start, end, size = (
            form.cleaned_data["start"],
            form.cleaned_data["end"],
            form.cleaned_data["size"],
        )
        pool = Advice.objects.visible_to(request.user).filter(
            written_on__gte=start, written_on__lte=end
        )
        # Seeded by the scope, dates and size, never by who asks: every
        # officer covering the same areas draws the same sample.
        areas = sorted(LocalAuthority.objects.visible_to(request.user).values_list("pk", flat=True))
        seed = f"{','.join(map(str, areas))}:{start}:{end}:{size}"
        ids = selectors.audit_sample(pool, size=size, seed=seed)
        sample = list(
            pool.filter(pk__in=ids)
            .select_related("contribution__request", "contribution__service", "review")
            .order_by("written_on", "pk")
        )
    return render(
        request,
        "ehc/audit_sample.html",
        {"form": form, "sample": sample},
        status=400 if form.is_bound and not form.is_valid() else 200,
    )
