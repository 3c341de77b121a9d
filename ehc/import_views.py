"""The caseload import pages (docs/caseload-import.md, "On the portal").

Upload a tracker (``/ehc/import/``), see the preview with every problem by
line and column and the conflicts (``/ehc/import/<id>/``, which also shows
the progress while a worker checks or imports a large file; its static
script asks ``/ehc/import/<id>/progress/`` and reloads when done), then
confirm (``/ehc/import/<id>/confirm/``). Designated officers and
administrators only (``portal.manage_caseload``); each sees only the
imports they started. The work is :mod:`ehc.caseload_import.jobs`.
"""

from __future__ import annotations

from crispy_forms_gds.layout import Field
from django import forms
from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from core.decorators import permission_required
from core.forms import helper
from core.scoping import get_object_for_user
from core.submissions import AlreadySent, OnceForm, create_once, earlier_result
from ehc.access_log import record_access
from ehc.caseload_import import jobs, reading
from ehc.caseload_import.headers import COLUMNS
from ehc.models import ImportJob, ImportStatus

MAX_UPLOAD_MB = 20


class UploadForm(OnceForm, forms.Form):
    tracker = forms.FileField(
        label="Your tracker",
        help_text=f"A CSV file or an Excel workbook (.xlsx), up to {MAX_UPLOAD_MB} MB. "
        "Line 1 names the columns; each line after it is one service asked.",
        error_messages={"required": "Choose the file to import"},
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = helper(Field("tracker"), button="Upload and check")

    def clean_tracker(self):
        upload = self.cleaned_data["tracker"]
        if upload.size > MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(f"The file must be smaller than {MAX_UPLOAD_MB} MB")
        try:
            reading.kind_of(upload.name)
        except reading.FileProblem as error:
            raise forms.ValidationError(str(error)) from None
        return upload


@permission_required("portal.manage_caseload")
def upload(request):
    posted = request.method == "POST"
    form = UploadForm(request.POST if posted else None, request.FILES if posted else None)
    if posted:
        earlier = earlier_result(request.user, request.POST.get("submission"))
        if earlier is not None:
            return redirect("ehc:import_job", pk=earlier.pk)
        if form.is_valid():
            upload_file = form.cleaned_data["tracker"]
            try:
                job, _ = create_once(
                    request.user,
                    form.submission_token,
                    lambda: jobs.start(
                        by=request.user, name=upload_file.name, data=upload_file.read()
                    ),
                )
            except reading.FileProblem as error:
                form.add_error("tracker", str(error))
            except AlreadySent:
                form.add_error(None, AlreadySent.message)
            else:
                return redirect("ehc:import_job", pk=job.pk)
    recent = ImportJob.objects.visible_to(request.user)[:5]
    return render(
        request,
        "ehc/import/upload.html",
        {"form": form, "recent": recent, "columns": COLUMNS},
        status=400 if form.is_bound else 200,
    )


def _job(request, pk: int) -> ImportJob:
    return get_object_for_user(ImportJob.objects, request.user, pk=pk)


@permission_required("portal.manage_caseload")
def job_detail(request, pk: int):
    job = _job(request, pk)
    # The conflicts show what the portal holds about children: say who saw them.
    record_access(request, [c["child_id"] for c in job.conflicts], "Caseload import preview")
    return render(
        request,
        "ehc/import/job.html",
        {
            "job": job,
            "progress": jobs.progress_of(job),
            "problems": job.problems,
            "more_problems": max(job.counts.get("problems", 0) - len(job.problems), 0),
            "Status": ImportStatus,
        },
    )


@permission_required("portal.manage_caseload")
def job_progress(request, pk: int):
    """The job's status for the page's script: ``{"busy": bool, "progress":
    per cent, "status": text}``."""
    job = _job(request, pk)
    return JsonResponse(
        {"busy": job.busy, "progress": jobs.progress_of(job), "status": job.get_status_display()}
    )


@permission_required("portal.manage_caseload")
def job_confirm(request, pk: int):
    job = _job(request, pk)
    if request.method == "POST":
        if jobs.confirm(job=job, chosen=request.POST.getlist("update")):
            job.refresh_from_db()
            if job.status == ImportStatus.IMPORTED:
                messages.success(request, "Your tracker has been imported.")
    return redirect(reverse("ehc:import_job", args=[job.pk]))
