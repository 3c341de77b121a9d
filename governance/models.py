"""Information governance: legal holds, erasure lists and subject access
requests (docs/information-governance.md).

Only administrators see legal holds and erasure lists; designated officers
see the subject access exports of their own areas' children.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.scoping import local_authority_ids_for
from core.scoping import ScopedQuerySet
from governance.retention import Rule


class AdministratorsOnly(ScopedQuerySet):
    def scoped_for(self, user):
        return self.none()  # administrators see every row (ScopedQuerySet.visible_to)


class LegalHoldQuerySet(AdministratorsOnly):
    def active(self):
        return self.filter(lifted_at__isnull=True)


class LegalHold(models.Model):
    """An administrator's instruction to keep a child's records whatever the
    retention schedule says (an inquiry, a claim, a complaint). While a hold
    is active nothing of the child's is erased, on schedule or on request."""

    child = models.ForeignKey("ehc.Child", on_delete=models.PROTECT, related_name="legal_holds")
    reason = models.TextField(help_text="Why the records must be kept, for example the inquiry.")
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField(default=timezone.now)
    lifted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lifted_at = models.DateTimeField(null=True, blank=True)

    objects = LegalHoldQuerySet.as_manager()

    class Meta:
        ordering = ["-set_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["child"],
                condition=Q(lifted_at__isnull=True),
                name="legalhold_one_active_per_child",
                violation_error_message="This child's records are already under a legal hold.",
            )
        ]

    def __str__(self) -> str:
        return f"Legal hold {self.pk} ({'lifted' if self.lifted_at else 'active'})"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class ErasureBatch(models.Model):
    """A list of children whose records are to be erased, prepared by the
    monthly retention run or for one child on request, and erased only once
    an administrator approves it in the portal. After the erasure it keeps
    the counts of what went, never who."""

    class Kind(models.TextChoices):
        RETENTION = "retention", "Retention schedule"
        REQUEST = "request", "Erasure on request"

    class Status(models.TextChoices):
        PREPARED = "prepared", "Waiting for approval"
        ERASED = "erased", "Approved and erased"
        DISCARDED = "discarded", "Discarded"

    kind = models.CharField(max_length=10, choices=Kind.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREPARED)
    reason = models.TextField(
        blank=True,
        help_text="For an erasure on request: why. Kept after the erasure, so it must not "
        "name the child or their family.",
    )
    prepared_at = models.DateTimeField(default=timezone.now)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Empty when the monthly run prepared it.",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    counts = models.JSONField(
        default=dict,
        blank=True,
        help_text="What the erasure removed: children, rows per record type, files and the "
        "audit entries pseudonymised.",
    )

    objects = AdministratorsOnly.as_manager()

    class Meta:
        ordering = ["-prepared_at", "-pk"]
        verbose_name = "erasure list"
        indexes = [models.Index(fields=["status"], name="erasurebatch_status")]

    def __str__(self) -> str:
        return f"Erasure list {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("governance:batch_detail", args=[self.pk])

    @property
    def is_prepared(self) -> bool:
        return self.status == self.Status.PREPARED


class ErasureCandidate(models.Model):
    """One child on an erasure list. Identifies the child only through the
    link, which the erasure empties; the pseudonym, the area and the rule
    stay so the list still says what was done."""

    class Outcome(models.TextChoices):
        ERASED = "erased", "Erased"
        SKIPPED = "skipped", "Kept"

    RULES = [
        (Rule.AGE, "Age"),
        (Rule.AGE_17, "Age (17 when the work ended)"),
        (Rule.DEATH, "After death"),
        (Rule.ACTIVITY, "After the last activity"),
        (Rule.REQUEST, "On request"),
    ]

    batch = models.ForeignKey(ErasureBatch, on_delete=models.CASCADE, related_name="candidates")
    child = models.ForeignKey(
        "ehc.Child", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pseudonym = models.CharField(max_length=40)
    local_authority = models.ForeignKey(
        "commissioning.LocalAuthority", on_delete=models.PROTECT, related_name="+"
    )
    rule = models.CharField(max_length=10, choices=RULES)
    reason = models.CharField("reason due", max_length=100)
    due_on = models.DateField(
        null=True, blank=True, help_text="Cleared at erasure: it could point to a birthday."
    )
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    note = models.CharField(max_length=200, blank=True, help_text="Why a child was kept.")

    class Meta:
        ordering = ["batch", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["batch", "child"], name="erasurecandidate_once")
        ]

    def __str__(self) -> str:
        return self.pseudonym


class SubjectAccessExportQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        if user.role == Role.DESIGNATED_OFFICER:
            return self.filter(child__local_authority__in=local_authority_ids_for(user))
        return self.none()

    def pending(self):
        """Waiting for or being built, and not stuck: one asked for more than
        :data:`STUCK_AFTER` ago is taken to have died with its worker."""
        return self.filter(
            status__in=[SubjectAccessExport.Status.QUEUED, SubjectAccessExport.Status.BUILDING],
            created__gt=timezone.now() - STUCK_AFTER,
        )


def subject_access_path(instance, filename: str) -> str:
    # The stored name never contains the child's name.
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"subject-access/{instance.child_id}/{stamp}.zip"


# An export still waiting or building after this long is taken to have died
# with its worker: a new one may be asked for, and the page says so.
STUCK_AFTER = datetime.timedelta(hours=1)


class SubjectAccessExport(models.Model):
    """Everything held about a child, prepared as one ZIP for a subject
    access request by a worker (``governance.build_subject_access_export``,
    or in the request when there is no broker): who asked, when, how the
    preparation went, and the file once ready. The ZIP is a draft until the
    serious-harm check and the redaction of third parties. Its file is
    deleted ``SUBJECT_ACCESS_KEEP_DAYS`` after it was ready, by the
    retention run; the row stays as the record of the request."""

    class Status(models.TextChoices):
        QUEUED = "queued", "Waiting to be prepared"
        BUILDING = "building", "Being prepared"
        READY = "ready", "Ready to download"
        FAILED = "failed", "Could not be prepared"
        DELETED = "deleted", "File deleted"

    child = models.ForeignKey(
        "ehc.Child", on_delete=models.PROTECT, related_name="subject_access_exports"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    file = models.FileField(upload_to=subject_access_path, blank=True)
    created = models.DateTimeField("asked for", default=timezone.now)
    finished = models.DateTimeField(
        null=True, blank=True, help_text="When the ZIP was ready, or the preparation failed."
    )
    error = models.CharField(
        max_length=200,
        blank=True,
        help_text="Why the preparation failed, in words for the user (never the child's data).",
    )

    objects = SubjectAccessExportQuerySet.as_manager()

    class Meta:
        ordering = ["-created", "-pk"]
        verbose_name = "subject access export"
        indexes = [models.Index(fields=["status", "finished"], name="sae_status_finished")]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & Q(finished__isnull=False)),
                name="sae_ready_has_file",
                violation_error_message="A ready export has its file and the time it was ready.",
            )
        ]

    def __str__(self) -> str:
        return f"Subject access export {self.pk}"

    def get_absolute_url(self) -> str:
        return reverse("governance:subject_access_export", args=[self.pk])

    @property
    def download_url(self) -> str:
        return reverse("governance:subject_access_download", args=[self.pk])

    @property
    def is_ready(self) -> bool:
        return self.status == self.Status.READY

    @property
    def is_pending(self) -> bool:
        waiting = self.status in (self.Status.QUEUED, self.Status.BUILDING)
        return waiting and self.created > timezone.now() - STUCK_AFTER

    @property
    def is_stuck(self) -> bool:
        waiting = self.status in (self.Status.QUEUED, self.Status.BUILDING)
        return waiting and not self.is_pending
