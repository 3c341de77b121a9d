"""Deadline reminders: the policy, each daily run, and each reminder sent."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from ehc.models.casework import Contribution, HealthAdviceRequest


class ReminderPolicy(models.Model):
    """Who is reminded, and when (one row, edited by administrators).

    See ``ehc/reminder_stages.py`` for how offsets and repeats become stages.
    """

    singleton = models.BooleanField(default=True, editable=False, unique=True)
    offsets = models.CharField(
        "days before the due date",
        max_length=40,
        default="14, 7, 2",
        help_text="Comma-separated, for example 14, 7, 2. Each is sent once.",
    )
    overdue_repeat_days = models.PositiveSmallIntegerField(
        "repeat once overdue, every (days)",
        default=7,
        validators=[MinValueValidator(1)],
    )
    remind_services = models.BooleanField(
        "remind services",
        default=True,
        help_text="Each service's contact mailbox hears about its own outstanding contributions.",
    )
    remind_owners = models.BooleanField(
        "remind owning designated officers",
        default=True,
        help_text="The designated officer who owns a request hears about all of theirs.",
    )
    area_overdue_digest = models.BooleanField(
        "overdue digest to each area's designated officers",
        default=True,
        help_text="Everything overdue in an area, to all its designated officers. They "
        "cannot switch this off in their profile.",
    )

    class Meta:
        verbose_name = "reminder policy"
        verbose_name_plural = "reminder policy"
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="reminderpolicy_single_row")
        ]

    def __str__(self) -> str:
        return "Reminder policy"

    def clean(self):
        from ehc.reminder_stages import parse_offsets

        try:
            self.offsets = ", ".join(str(o) for o in parse_offsets(self.offsets))
        except ValueError as error:
            raise ValidationError({"offsets": str(error)}) from None

    @classmethod
    def current(cls) -> ReminderPolicy:
        return cls.objects.order_by("pk").first() or cls()

    @property
    def offset_days(self) -> tuple[int, ...]:
        from ehc.reminder_stages import parse_offsets

        return parse_offsets(self.offsets)


class ReminderRun(models.Model):
    """One run of the daily reminders, for the record and for /healthz/."""

    run_for = models.DateField("reminders for")
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    claimed = models.PositiveIntegerField(default=0, help_text="Reminders this run claimed.")
    recipients = models.PositiveIntegerField(default=0, help_text="Digests queued.")
    sent = models.PositiveIntegerField(default=0, help_text="Reminders sent by this run.")
    failed = models.PositiveIntegerField(default=0, help_text="Digests that failed to send.")

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["finished_at"], name="reminderrun_finished")]

    def __str__(self) -> str:
        return f"Reminders for {self.run_for} ({'finished' if self.finished_at else 'running'})"


class ReminderKind(models.TextChoices):
    SERVICE = "service", "Service contact: its own contribution"
    OWNER = "owner", "Owning designated officer: their request"
    AREA_OVERDUE = "area_overdue", "Area's designated officers: overdue"


class Reminder(models.Model):
    """One reminder to one recipient about one item at one stage.

    The unique constraint is the claim: a second run, a second worker or a
    retry that tries to insert the same reminder gets nothing, so nothing is
    sent twice. ``sent_at`` is set once the digest carrying it has gone; a
    claimed reminder left unsent (a worker killed mid-run) is picked up by
    the next run once its claim is older than the lease.
    """

    recipient = models.EmailField()
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    request = models.ForeignKey(
        HealthAdviceRequest, on_delete=models.CASCADE, related_name="reminders"
    )
    contribution = models.ForeignKey(
        Contribution, on_delete=models.CASCADE, null=True, blank=True, related_name="reminders"
    )
    # "c<id>" or "r<id>": one non-null column to be unique on.
    target = models.CharField(max_length=20, editable=False)
    stage = models.CharField(max_length=16)
    due_on = models.DateField()
    run = models.ForeignKey(ReminderRun, on_delete=models.SET_NULL, null=True, related_name="+")
    claimed_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["recipient", "due_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "target", "stage", "due_on"], name="reminder_once"
            )
        ]
        indexes = [
            models.Index(fields=["sent_at", "claimed_at"], name="reminder_unsent"),
            models.Index(fields=["run", "recipient"], name="reminder_run_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} to {self.recipient} about {self.target}"
