"""A caseload import as a stored job (docs/caseload-import.md, "On the portal").

An uploaded tracker is checked (the preview), then imported when the
officer confirms, each step in the web request for a small file or in a
Celery worker for a large one (:mod:`ehc.caseload_import.jobs`). The job
row carries what the pages show meanwhile: the status, the progress, the
counts, the problems by line and column, the unknown columns and the
conflicts. The uploaded file is deleted once it can no longer be imported
(imported, failed, found wrong, or left unconfirmed for two days), and the
conflicts, which show what is held about children, are cleared with it;
the problems, which may quote a cell, are cleared two days on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from core.scoping import ScopedQuerySet


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "Waiting to be checked"
    CHECKING = "checking", "Being checked"
    CHECKED = "checked", "Checked"
    IMPORT_QUEUED = "import_queued", "Waiting to be imported"
    IMPORTING = "importing", "Being imported"
    IMPORTED = "imported", "Imported"
    FAILED = "failed", "Not imported"


# The statuses in which a worker (or the request) is still busy: the page refreshes.
BUSY = (
    ImportStatus.QUEUED,
    ImportStatus.CHECKING,
    ImportStatus.IMPORT_QUEUED,
    ImportStatus.IMPORTING,
)


class ImportJobQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        """Each user sees only the imports they started."""
        return self.filter(created_by=user)


class ImportJob(models.Model):
    """One uploaded tracker, from upload to import."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    finished_at = models.DateTimeField(null=True, blank=True)
    file_name = models.CharField(max_length=255, help_text="The name of the uploaded file.")
    file_path = models.CharField(
        max_length=255,
        blank=True,
        help_text="Where the upload is kept under MEDIA_ROOT until it is imported or "
        "abandoned; blank once deleted.",
    )
    status = models.CharField(
        max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED
    )
    rows = models.PositiveIntegerField(default=0, help_text="Data rows in the file.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Per cent done.")
    counts = models.JSONField(
        default=dict,
        blank=True,
        help_text='{"children"|"requests"|"services": {"create", "update", "unchanged"}}',
    )
    problems = models.JSONField(
        default=list, blank=True, help_text="[line, column, message] for every problem."
    )
    unknown_columns = models.JSONField(default=list, blank=True)
    conflicts = models.JSONField(
        default=list,
        blank=True,
        help_text="Records the file disagrees with (key, kind, line, record, url, "
        "differences); cleared when the job ends.",
    )
    chosen = models.JSONField(
        default=list, blank=True, help_text="The conflict keys the officer chose to update."
    )

    objects = ImportJobQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "caseload import"

    def __str__(self) -> str:
        return f"Import of {self.file_name} ({self.get_status_display()})"

    @property
    def busy(self) -> bool:
        return self.status in BUSY

    @property
    def can_confirm(self) -> bool:
        return self.status == ImportStatus.CHECKED and not self.problems and bool(self.file_path)
