"""Information governance screens: subject access for designated officers
(their areas) and administrators; legal holds, erasure lists and their
approval for administrators only. Thin: load through the user's scope, call
one service, render."""

from __future__ import annotations

from auditlog.signals import accessed
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from core.decorators import permission_required
from core.forms import add_errors
from core.scoping import get_object_for_user
from core.submissions import AlreadySent, create_once
from core.views import render_form_page
from ehc.access_log import record_access
from ehc.models import Child
from governance import forms, selectors, services
from governance.models import ErasureBatch, LegalHold, SubjectAccessExport

# How often the status page of an export being prepared reloads itself.
REFRESH_SECONDS = 10


def _child(request, pk: int) -> Child:
    return get_object_for_user(Child.objects.select_related("local_authority"), request.user, pk=pk)


# --- Subject access -------------------------------------------------------------------------


def _request_export(request, child: Child, form: forms.SubjectAccessForm):
    """Ask for an export once per form token (a double click asks once) and
    go to its status page."""
    try:
        export, _created = create_once(
            request.user,
            form.submission_token,
            lambda: services.request_subject_access(child=child, by=request.user),
        )
    except AlreadySent as error:
        form.add_error(None, error.message)
        return None
    return redirect(export)


@permission_required("portal.prepare_subject_access")
def subject_access(request, pk: int):
    """GET: the child's subject access exports so far; POST: ask for a new
    ZIP of everything held about the child, prepared by a worker (or now,
    without one), and go to its status page."""
    child = _child(request, pk)
    form = forms.SubjectAccessForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid() and (response := _request_export(request, child, form)):
        return response
    exports = (
        SubjectAccessExport.objects.visible_to(request.user)
        .filter(child=child)
        .select_related("requested_by")
    )
    record_access(request, [child], "Subject access")
    return render(
        request,
        "governance/subject_access.html",
        {
            "child": child,
            "exports": exports,
            "form": form,
            "keep_days": settings.SUBJECT_ACCESS_KEEP_DAYS,
        },
        status=400 if form.is_bound else 200,
    )


def _export(request, pk: int) -> SubjectAccessExport:
    return get_object_for_user(
        SubjectAccessExport.objects.select_related("child", "requested_by"), request.user, pk=pk
    )


@permission_required("portal.prepare_subject_access")
def subject_access_export(request, pk: int):
    """One export's status. While it waits or is being prepared, the page's
    script (``static/js/export-progress.js``) asks
    :func:`subject_access_export_status` every :data:`REFRESH_SECONDS`
    seconds and loads the page again once the worker has finished; without
    JavaScript the page offers "Check again". Once ready it offers the
    download. POST asks for the child's ZIP again (a failed or deleted one),
    as the subject access page does."""
    export = _export(request, pk)
    form = forms.SubjectAccessForm(request.POST if request.method == "POST" else None)
    if form.is_bound and form.is_valid():
        response = _request_export(request, export.child, form)
        if response is not None:
            return response
    record_access(request, [export.child], "Subject access export")
    return render(
        request,
        "governance/subject_access_export.html",
        {
            "export": export,
            "child": export.child,
            "form": form,
            "refresh_seconds": REFRESH_SECONDS,
            "keep_days": settings.SUBJECT_ACCESS_KEEP_DAYS,
        },
        status=400 if form.is_bound else 200,
    )


@permission_required("portal.prepare_subject_access")
def subject_access_export_status(request, pk: int):
    """The export's state for the waiting page's script, as JSON:
    ``{"pending": bool, "status": text}``. It says nothing about the child
    (so it is not an access event, though it is scoped like the page), and
    nobody caches it."""
    export = _export(request, pk)
    response = JsonResponse({"pending": export.is_pending, "status": export.get_status_display()})
    response["Cache-Control"] = "private, no-store"
    return response


@permission_required("portal.prepare_subject_access")
def subject_access_download(request, pk: int):
    """The ready ZIP, as an attachment nobody caches; audited as a view of
    the export (django-auditlog's access entry) and an access event naming
    the child. 404 until it is ready, and once its file is deleted."""
    export = _export(request, pk)
    if not export.is_ready:
        raise Http404
    try:
        handle = export.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    accessed.send(sender=SubjectAccessExport, instance=export)
    record_access(request, [export.child], "Subject access download")
    day = timezone.localtime(export.finished).date()
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=f"subject-access-draft-{export.child_id}-{day:%Y-%m-%d}.zip",
    )
    response["Cache-Control"] = "private, no-store"
    return response


# --- Legal holds ----------------------------------------------------------------------------


@permission_required("portal.manage_retention")
def legal_hold(request, pk: int):
    """The child's legal holds: place one (with a reason) or lift the active one."""
    child = _child(request, pk)
    holds = list(
        LegalHold.objects.visible_to(request.user)
        .filter(child=child)
        .select_related("set_by", "lifted_by")
    )
    active = next((hold for hold in holds if hold.is_active), None)
    form = forms.ReasonForm(
        request.POST if request.method == "POST" and active is None else None,
        label="Why must the records be kept?",
        hint="For example, the inquiry or claim they are needed for.",
        button="Place a legal hold",
    )
    if request.method == "POST" and active is not None:
        try:
            services.lift_legal_hold(child=child, by=request.user)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, "The legal hold is lifted")
        return redirect("governance:legal_hold", pk=child.pk)
    if form.is_bound and form.is_valid():
        try:
            services.place_legal_hold(
                child=child, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, "The records are under a legal hold")
            return redirect("governance:legal_hold", pk=child.pk)
    record_access(request, [child], "Legal holds")
    return render(
        request,
        "governance/legal_hold.html",
        {"child": child, "holds": holds, "active": active, "form": form},
        status=400 if form.is_bound else 200,
    )


# --- Erasure --------------------------------------------------------------------------------


@permission_required("portal.manage_retention")
def erase_child(request, pk: int):
    """Step one of an erasure on request: a one-child list, with the reason,
    which an administrator then approves on the list's page."""
    child = _child(request, pk)
    form = forms.ReasonForm(
        request.POST or None,
        label="Why are the records to be erased?",
        hint="For example, the young person asked for erasure on 3 March 2031. This reason "
        "is kept after the erasure: do not name the child or their family.",
        button="Prepare the erasure",
    )
    if request.method == "POST" and form.is_valid():
        try:
            batch = services.request_erasure(
                child=child, reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, f"{batch} is ready: check it and approve it to erase")
            return redirect(batch)
    record_access(request, [child], "Erase on request")
    return render_form_page(
        request,
        form,
        heading="Erase these records on request",
        caption=child.full_name,
        back_url=child.get_absolute_url(),
        template="governance/erase_child.html",
    )


@permission_required("portal.manage_retention")
def batch_list(request):
    """The erasure lists, and who is due but kept; POST prepares a list now
    (the monthly run does the same)."""
    if request.method == "POST":
        batch = services.prepare_retention_batch(today=timezone.localdate(), by=request.user)
        if batch is None:
            messages.success(request, "Nobody's records are due for erasure today")
            return redirect("governance:batch_list")
        return redirect(batch)
    batches = (
        ErasureBatch.objects.visible_to(request.user)
        .select_related("prepared_by", "decided_by")
        .annotate(size=Count("candidates"))
    )
    review = selectors.retention_review(today=timezone.localdate())
    record_access(request, [kept.child for kept in review.kept], "Erasure lists (due but kept)")
    return render(request, "governance/batch_list.html", {"batches": batches, "review": review})


@permission_required("portal.manage_retention")
def batch_detail(request, pk: int):
    """One erasure list: its children, and (while it waits) approve and
    erase, or discard."""
    batch = get_object_for_user(
        ErasureBatch.objects.select_related("prepared_by", "decided_by"), request.user, pk=pk
    )
    form = None
    if batch.is_prepared:
        wants_discard = request.POST.get("action") == "discard"
        posted = request.method == "POST" and not wants_discard
        form = forms.ApproveForm(request.POST if posted else None)
        if request.method == "POST" and wants_discard:
            try:
                services.discard_batch(batch_id=batch.pk, by=request.user)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, f"{batch} is discarded: nothing was erased")
            return redirect(batch)
        if form.is_bound and form.is_valid():
            try:
                batch = services.approve_batch(batch_id=batch.pk, by=request.user)
            except ValidationError as error:
                add_errors(form, error)
            else:
                counts = batch.counts
                messages.success(
                    request,
                    f"{batch}: {counts['children']} children's records erased, "
                    f"{counts['kept']} kept",
                )
                return redirect(batch)
    candidates = list(batch.candidates.select_related("child", "local_authority"))
    record_access(request, [c.child_id for c in candidates if c.child_id], "Erasure list")
    return render(
        request,
        "governance/batch_detail.html",
        {"batch": batch, "candidates": candidates, "form": form},
        status=400 if form is not None and form.is_bound else 200,
    )
