"""The designated officer's caseload: requests, contributions, advice, quality
review, and what a child's record holds. Views are thin: they load through
the user's scope, parse the input with a form, call a service in
:mod:`ehc.services` with the form's plain values and the signed-in user as
``by``, and show the service's ValidationError on the form.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import models
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone

from commissioning.models import LocalAuthority
from core.decorators import permission_required
from core.forms import VersionedForm, add_errors, model_values
from core.scoping import get_object_for_user
from core.submissions import AlreadySent, OnceForm, create_once, earlier_result
from core.views import render_form_page
from ehc import clock, forms, selectors, services
from ehc.access_log import access_history, record_access
from ehc.models import (
    Advice,
    Child,
    Contribution,
    HealthAdviceRequest,
    MediationCase,
    PersonalHealthBudget,
    QualityReview,
    ReviewInput,
    Section23Notice,
    TribunalCase,
)

PAGE_SIZE = 50


def _shown(request, children, page: str) -> None:
    """Record that this response shows ``children`` (instances or ids) to
    the signed-in user: one access event (:mod:`ehc.access_log`)."""
    record_access(request, children, page)


def _form_page(request, form, *, heading: str, caption: str = "", back_url: str = "", extra=None):
    return render_form_page(
        request,
        form,
        heading=heading,
        caption=caption,
        back_url=back_url,
        template="ehc/form.html",
        extra=extra,
    )


def _save(request, form, save, values: Callable[[dict], dict]):
    """Hand the plain values of a valid POSTed ``form`` to ``save`` (a
    service in :mod:`ehc.services`) with the acting user and, for a form
    that carries one, the version of the record the user opened.
    ``values`` makes the service's keyword arguments from the form's
    cleaned data.

    Returns what ``save`` returns, or None when nothing was saved: not a
    POST, the form is invalid, a business rule refused it, or someone else
    saved the record meanwhile (the form then says why).
    """
    if request.method != "POST":
        return None
    if isinstance(form, OnceForm) and request.POST.get("submission"):
        # Sent before and saved: the same record again, not a second one.
        earlier = earlier_result(request.user, request.POST["submission"])
        if earlier is not None:
            return earlier
    if not form.is_valid():
        return None
    kwargs = values(form.cleaned_data)
    if isinstance(form, VersionedForm) and form.instance.pk is not None:
        kwargs["expected_version"] = form.expected_version
    try:
        if isinstance(form, OnceForm):  # a creating form: sent twice, saved once
            token = form.cleaned_data.get("submission")
            saved, _ = create_once(request.user, token, lambda: save(by=request.user, **kwargs))
            return saved
        return save(by=request.user, **kwargs)
    except services.StaleEdit:
        form.add_error(None, services.StaleEdit.message)
    except AlreadySent:
        form.add_error(None, AlreadySent.message)
    except ValidationError as error:
        add_errors(form, error)
    return None


def _document(form) -> dict:
    """The advice document's arguments for :func:`ehc.services.save_advice`:
    nothing when unchanged, False when cleared, else the upload and its name."""
    if "document" not in form.changed_data:
        return {}
    upload = form.cleaned_data.get("document")
    if not upload:
        return {"document": False}
    return {"document": upload, "document_name": getattr(upload, "name", "")}


# --- Requests (the worklist is in ehc/list_views.py) ----------------------------------------


@permission_required("portal.view_ehc")
def request_detail(request, pk: int):
    user = request.user
    advice_request = get_object_for_user(
        selectors.request_detail(HealthAdviceRequest.objects, user), user, pk=pk
    )
    _shown(request, [advice_request.child_id], "Request")
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
    advice_request = _save(
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
    _shown(request, [child], "Log a request")
    return _form_page(
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
    saved = _save(
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
    _shown(request, [advice_request.child_id], "Change a request")
    return _form_page(
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
    contribution = _save(
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
    return _form_page(
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
    saved = _save(
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
    return _form_page(
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
    saved = _save(
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
    return _form_page(
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
    saved = _save(
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
    return _form_page(
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
    if formset.is_valid() and _save(
        request,
        form,
        services.save_advice,
        lambda data: {
            "contribution": contribution,
            "values": model_values(form, leave_out=("document",)),
            "provision": forms.provision_rows(formset),
            **_document(form),
        },
    ):
        if "add_row" in request.POST:
            # "Save and add another row" without JavaScript: saved, and back
            # to the form, whose spare rows now follow the saved ones.
            messages.success(request, "Advice saved. Add the next provision below.")
            return redirect(reverse("ehc:advice_edit", args=[contribution.pk]) + "#provision")
        messages.success(request, "Advice saved.")
        return redirect(contribution.request)
    _shown(request, [contribution.request.child_id], "Advice")
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
    _shown(request, [advice.contribution.request.child_id], "Advice document download")
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
    saved = _save(
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
    _shown(request, [advice.contribution.request.child_id], "Quality review of advice")
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


# --- Children -------------------------------------------------------------------------------------


@permission_required("portal.log_requests")
def child_edit(request, pk: int):
    child = get_object_for_user(
        Child.objects, request.user, write_permission="ehc.edit_child", pk=pk
    )
    form = forms.ChildForm(request.POST or None, instance=child, user=request.user)
    saved = _save(
        request,
        form,
        services.update_child,
        lambda data: {"child": child, "values": model_values(form)},
    )
    if saved:
        messages.success(request, "Details saved.")
        return redirect(child)
    _shown(request, [child], "Change a child's details")
    return _form_page(
        request,
        form,
        heading=f"Change details for {child.full_name}",
        back_url=child.get_absolute_url(),
    )


@permission_required("portal.view_ehc")
def child_detail(request, pk: int):
    child = get_object_for_user(
        Child.objects.select_related("local_authority"), request.user, pk=pk
    )
    _shown(request, [child], "Child's page")
    user = request.user
    today = timezone.localdate()
    requests = selectors.with_clock(
        HealthAdviceRequest.objects.visible_to(user).filter(child=child), user=user
    ).order_by("-received_on", "-pk")
    return render(
        request,
        "ehc/child_detail.html",
        {
            "child": child,
            "requests": requests,
            "today": today,
            "year_group": child.year_group_on(today),
            # Section 23 notices are for a day before this (what the form checks).
            "school_age_from": clock.compulsory_school_age_start(child.date_of_birth),
            "preparing_for_adulthood": child.preparing_for_adulthood(today),
            "can_manage": user.has_perm("portal.manage_caseload"),
            "can_log": user.has_perm("portal.log_requests"),
            "can_see_access": user.has_perm("portal.view_access_history"),
            "record_tables": [
                (
                    kind,
                    record.table,
                    record.model.objects.visible_to(user)
                    .filter(child=child)
                    .select_related(*record.related),
                )
                for kind, record in RECORD_KINDS.items()
            ],
        },
    )


@permission_required("portal.view_access_history")
def child_access_history(request, pk: int):
    """Who has looked at this child's record: every access event naming the
    child, newest first (designated officers for their areas, and
    administrators). Read only: nobody can change or delete an entry."""
    child = get_object_for_user(Child.objects, request.user, pk=pk)
    page = Paginator(access_history(child), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "ehc/child_access_history.html", {"child": child, "page": page})


class RecordKind(NamedTuple):
    """A kind of record about a child beyond the requests."""

    model: type[models.Model]
    form: type[VersionedForm]
    label: str  # "Section 23 notice", in the form's heading and the saved message
    table: str  # its table on the child's page, extending ehc/_records.html
    related: tuple[str, ...] = ()  # what that table shows from other rows
    # "a" or "an", said as the label is spoken ("an annual review ...", "a
    # Section 23 notice"): written down, not guessed from the first letter.
    article: str = "a"

    @property
    def one(self) -> str:
        """The label with its indefinite article: "an annual review health input"."""
        return f"{self.article} {self.label}"


# URL kind -> the record, in the order the child's page shows them.
RECORD_KINDS = {
    "section-23": RecordKind(
        Section23Notice,
        forms.Section23Form,
        "Section 23 notice",
        "ehc/_records_section23.html",
        ("provider", "commissioning_body"),
    ),
    "reviews": RecordKind(
        ReviewInput,
        forms.ReviewInputForm,
        "annual review health input",
        "ehc/_records_reviews.html",
        ("service",),
        article="an",
    ),
    "mediation": RecordKind(
        MediationCase, forms.MediationForm, "mediation case", "ehc/_records_mediation.html"
    ),
    "tribunal": RecordKind(
        TribunalCase, forms.TribunalForm, "tribunal case", "ehc/_records_tribunal.html"
    ),
    "health-budgets": RecordKind(
        PersonalHealthBudget,
        forms.BudgetForm,
        "personal health budget",
        "ehc/_records_budgets.html",
    ),
}


@permission_required("portal.manage_caseload")
def child_record_edit(request, child_pk: int, kind: str, record_pk: int | None = None):
    if kind not in RECORD_KINDS:
        raise Http404
    record_kind = RECORD_KINDS[kind]
    model, label = record_kind.model, record_kind.label
    child = get_object_for_user(
        Child.objects, request.user, write_permission="ehc.edit_child", pk=child_pk
    )
    if record_pk is None:
        record = model(child=child)
    else:
        record = get_object_for_user(
            model.objects.filter(child=child),
            request.user,
            write_permission="ehc.edit_childrecord",
            pk=record_pk,
        )
    form = record_kind.form(request.POST or None, instance=record, child=child)
    saved = _save(
        request,
        form,
        services.save_child_record,
        lambda data: {"record": record, "child": child, "values": model_values(form)},
    )
    if saved:
        messages.success(request, f"{label[:1].upper()}{label[1:]} saved.")
        return redirect(child)
    heading = f"Record {record_kind.one}" if record_pk is None else f"Change the {label}"
    _shown(request, [child], heading)
    return _form_page(
        request,
        form,
        heading=heading,
        caption=child.full_name,
        back_url=child.get_absolute_url(),
    )
