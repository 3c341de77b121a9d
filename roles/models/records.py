"""The post-holder's record: committees and boards, training delivered and
CPD, each belonging to a post."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from roles.models.posts import Post

# No designated officer role existed before 2010, so no record of one can
# be older (docs/domain.md, "The role").
EARLIEST_RECORD_DATE = datetime.date(2010, 1, 1)
EARLIEST_MESSAGE = "Enter a date from 2010 onwards"


def too_early(**dates: datetime.date | None) -> dict[str, str]:
    """The record dates given (by field name) that fall before 2010, as
    ``{field: message}`` ready for a ValidationError; blanks are skipped."""
    return {
        name: EARLIEST_MESSAGE
        for name, value in dates.items()
        if value is not None and value < EARLIEST_RECORD_DATE
    }


class BoardKind(models.TextChoices):
    HEALTH_WELLBEING = "health_wellbeing", "Health and Wellbeing Board"
    SEND_PARTNERSHIP = "send_partnership", "SEND partnership board"
    HEALTH_SEND_GROUP = "health_send_group", "Health SEND working group"
    SAFEGUARDING = "safeguarding", "Safeguarding partnership"
    PANEL = "panel", "EHC or resource panel"
    ICB_QUALITY = "icb_quality", "ICB quality or governance committee"
    OTHER = "other", "Other"


class Membership(models.Model):
    """A committee or board the post-holder sits on."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="memberships")
    kind = models.CharField(max_length=18, choices=BoardKind.choices)
    name = models.CharField(max_length=200, help_text="The board or committee's own name.")
    role_on_board = models.CharField(
        "role", max_length=100, blank=True, help_text="For example member, adviser or chair."
    )
    since = models.DateField(null=True, blank=True)
    until = models.DateField(null=True, blank=True, help_text="Blank while current.")

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = "committee or board"
        verbose_name_plural = "committees and boards"
        constraints = [
            models.CheckConstraint(
                condition=Q(until__isnull=True)
                | Q(since__isnull=True)
                | Q(until__gte=models.F("since")),
                name="membership_until_after_since",
                violation_error_message="The end date must be on or after the start date.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        """Both dates from 2010; the end not before the start.

        Raises ValidationError keyed by ``since``/``until``."""
        errors = too_early(since=self.since, until=self.until)
        if "until" not in errors and self.since and self.until and self.until < self.since:
            errors["until"] = "The end date must be on or after the start date"
        if errors:
            raise ValidationError(errors)


class TrainingSession(models.Model):
    """Training the post-holder delivered."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="training_sessions")
    title = models.CharField(max_length=200)
    audience = models.CharField(
        max_length=200, help_text="Who it was for, for example GP trainees or SENCOs."
    )
    delivered_on = models.DateField("date")
    attendees = models.PositiveIntegerField(validators=[MaxValueValidator(100_000)])

    class Meta:
        ordering = ["-delivered_on", "pk"]
        verbose_name = "training delivered"
        verbose_name_plural = "training delivered"

    def __str__(self) -> str:
        return f"{self.title} ({self.delivered_on})"

    def clean(self) -> None:
        """Delivered from 2010. Raises ValidationError keyed by ``delivered_on``."""
        if errors := too_early(delivered_on=self.delivered_on):
            raise ValidationError(errors)


class CPDEntry(models.Model):
    """Continuing professional development for the role."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="cpd_entries")
    activity = models.CharField(max_length=200)
    completed_on = models.DateField("date")
    points = models.DecimalField(
        max_digits=4,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5")), MaxValueValidator(Decimal("50"))],
    )

    class Meta:
        ordering = ["-completed_on", "pk"]
        verbose_name = "CPD entry"
        verbose_name_plural = "CPD entries"
        constraints = [
            models.CheckConstraint(condition=Q(points__gt=0), name="cpdentry_points_positive")
        ]

    def __str__(self) -> str:
        return f"{self.activity} ({self.points} points)"

    def clean(self) -> None:
        """Completed from 2010; points in halves (1, 1.5, 2 ...).

        Raises ValidationError keyed by ``completed_on``/``points``."""
        errors = too_early(completed_on=self.completed_on)
        if self.points is not None and (Decimal(self.points) * 2) % 1:
            errors["points"] = "Enter the points in halves, for example 1 or 1.5"
        if errors:
            raise ValidationError(errors)
