"""Stored report files.

Only the annual report is stored: its PDF takes seconds to render, so it is
built once per selection and per state of the data, kept here, and served
again until the data it reads changes (reports/services.py works out
the key). The figures themselves are never stored; they are always computed
from the casework by reports.metrics.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class FileStatus(models.TextChoices):
    PENDING = "pending", "Being prepared"
    READY = "ready", "Ready"
    FAILED = "failed", "Could not be prepared"


class AnnualReportFile(models.Model):
    """One rendered annual report PDF, shared by everyone whose selection
    gives the same key (same scope, year, exact or suppressed figures, and
    the same data)."""

    key = models.CharField(
        max_length=64,
        unique=True,
        help_text="SHA-256 of the scope, the year, whether the figures are exact, the day the "
        "figures run to and a fingerprint of the data the report reads.",
    )
    slot = models.CharField(
        max_length=64,
        db_index=True,
        help_text="SHA-256 of the same without the data fingerprint: files in one slot are "
        "versions of the same report, and only the newest is kept.",
    )
    status = models.CharField(max_length=7, choices=FileStatus.choices, default=FileStatus.PENDING)
    params = models.JSONField(
        help_text="What the worker needs to rebuild the report: scope, period, whether exact "
        "and the day the figures run to."
    )
    content = models.BinaryField(null=True, blank=True, editable=False)
    filename = models.CharField(max_length=200, help_text="Without the .pdf extension.")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who first asked for this file (others with the same selection reuse it).",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    queued_at = models.DateTimeField(
        default=timezone.now, help_text="When the build was last asked for (a retry resets it)."
    )
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker claimed the build; blank until then."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    render_seconds = models.FloatField(
        null=True, blank=True, help_text="Time taken to compute the figures and render the PDF."
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status=FileStatus.READY)
                | (Q(content__isnull=False) & Q(finished_at__isnull=False)),
                name="annualreportfile_ready_has_content",
                violation_error_message="A ready file needs its content and finish time.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"


class DataVersion(models.Model):
    """How many times the data of one local authority has changed (area 0:
    data not tied to one authority), kept in a few **shards** per area so
    a long transaction (a caseload import) holding one does not hold up
    other writers in its area; the area's version is the sum. Moved on by
    database triggers in the writing transaction (reports/data_versions.py),
    never by Python code that writes casework; read by the stored annual
    report's key."""

    area = models.PositiveIntegerField(
        help_text="A local authority's id, or 0 for data not tied to one authority."
    )
    shard = models.PositiveSmallIntegerField(default=0)
    version = models.BigIntegerField(
        default=0, help_text="One more for each statement that changed the area's data."
    )

    class Meta:
        verbose_name = "data version"
        constraints = [
            models.UniqueConstraint(fields=["area", "shard"], name="dataversion_area_shard")
        ]

    def __str__(self) -> str:
        return f"Area {self.area}, shard {self.shard}: version {self.version}"
