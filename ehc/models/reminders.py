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
    uncertain_resends = models.PositiveSmallIntegerField(
        "resend a digest whose delivery is uncertain (times)",
        default=1,
        help_text="When the mail server may or may not have kept a digest (the connection "
        "dropped or timed out after the whole message was sent), a later run sends it again "
        "this many times at most, marked as a possible repeat with the same Message-ID. "
        "0: never; the reminders stay marked 'delivery uncertain' in Django admin.",
    )
    uncertain_resend_after = models.PositiveIntegerField(
        "wait before resending an uncertain digest (minutes)",
        default=60,
        help_text="Counted from when the uncertain attempt started.",
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

    @property
    def key(self) -> str:
        """What selection depends on, as text: a run under a different key
        is no base for reading only changes (ReminderRun.policy_key)."""
        offsets = ",".join(str(o) for o in self.offset_days)
        switches = "".join(
            "1" if on else "0"
            for on in (self.remind_services, self.remind_owners, self.area_overdue_digest)
        )
        return f"{offsets}/{self.overdue_repeat_days}/{switches}"


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
    uncertain = models.PositiveIntegerField(
        default=0, help_text="Digests whose delivery the mail server left uncertain."
    )
    taken_over = models.PositiveIntegerField(
        default=0,
        help_text="Reminders taken over from an earlier claim (stale, failed, uncertain).",
    )
    recovery = models.BooleanField(
        default=False,
        help_text="A recovery run: it only takes over what earlier runs left unsent "
        "(not counted as the daily run by /healthz/).",
    )
    policy_key = models.CharField(
        max_length=80,
        blank=True,
        editable=False,
        help_text="The policy the run selected by (offsets, repeat, who is told). The next "
        "run reads only what changed since this one while the policy is the same.",
    )
    selected_since = models.DateField(
        null=True,
        blank=True,
        help_text="The day of the earlier run this one read changes since; blank when it "
        "read everything due.",
    )

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["finished_at"], name="reminderrun_finished")]

    def __str__(self) -> str:
        return f"Reminders for {self.run_for} ({'finished' if self.finished_at else 'running'})"


class ReminderKind(models.TextChoices):
    SERVICE = "service", "Service contact: its own contribution"
    OWNER = "owner", "Owning designated officer: their request"
    AREA_OVERDUE = "area_overdue", "Area's designated officers: overdue"


class ReminderState(models.TextChoices):
    """Where one reminder is on its way (docs/reminders.md, "Exactly once").

    claimed -> sending -> sent; sending -> claimed (the mail server refused,
    a retry will follow) or failed (retries used up: the next run takes it
    at once) or uncertain (the outcome is unknown: resent by policy, marked
    as a possible repeat). dropped: the item was returned, closed or
    withdrawn before it was sent, so nothing was sent."""

    CLAIMED = "claimed", "Claimed, not yet sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Sent"
    FAILED = "failed", "Failed, waiting for the next run"
    UNCERTAIN = "uncertain", "Delivery uncertain"
    DROPPED = "dropped", "Not sent: no longer owed"


class Reminder(models.Model):
    """One reminder to one recipient about one item at one stage.

    The unique constraint makes each reminder exist once: a second run, a
    second worker or a retry that tries to insert it gets nothing. The
    *claim* says which run may send it: ``run`` and ``claim_attempt``
    (1 for the run that inserted it, one more for each takeover). The
    sender moves its rows to "sending" only while they still carry its
    claim, so a task whose claim was taken over sends nothing; a takeover
    takes only rows whose claim lease and sending lease have both passed
    (``ehc/reminders/claims.py``). ``sent_at`` is set when the row is
    settled: sent, or dropped because the item is no longer owed.
    """

    recipient = models.EmailField()
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    source = models.CharField(
        max_length=40,
        default="ehc.contributions",
        help_text="The registered source of the item (ehc/reminders/sources.py).",
    )
    request = models.ForeignKey(
        HealthAdviceRequest,
        on_delete=models.CASCADE,
        related_name="reminders",
        null=True,
        blank=True,
        help_text="The request the item belongs to (empty for items of other apps).",
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
    claim_attempt = models.PositiveIntegerField(
        default=1, help_text="1 for the first claim, one more for each takeover."
    )
    state = models.CharField(
        max_length=10, choices=ReminderState.choices, default=ReminderState.CLAIMED
    )
    sending_started_at = models.DateTimeField(
        null=True, blank=True, help_text="When the last attempt to send it began."
    )
    message_id = models.CharField(
        max_length=200,
        blank=True,
        help_text="The Message-ID of the digest last sent or tried with it.",
    )
    resends = models.PositiveSmallIntegerField(
        default=0, help_text="Times resent after an uncertain delivery."
    )
    repeat = models.BooleanField(
        default=False, help_text="Its next digest is marked as a possible repeat."
    )
    last_error = models.CharField(max_length=200, blank=True)
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
            models.Index(fields=["state", "claimed_at"], name="reminder_state_claimed"),
            models.Index(fields=["run", "recipient"], name="reminder_run_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} to {self.recipient} about {self.target}"
