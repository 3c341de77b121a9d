"""A service's advice with its provision rows, and a designated officer's
quality review of it (the portal's checklist, :mod:`ehc.quality`)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from core.scoping import ScopedQuerySet
from ehc import quality
from ehc.models.base import Tracked, refuse_future
from ehc.models.casework import Contribution
from ehc.models.choices import ProvisionSection, Rating
from ehc.quality import QUALITY_CRITERIA

# --- Advice ----------------------------------------------------------------------------------

ADVICE_DOCUMENT_TYPES = ("pdf", "doc", "docx")


def advice_document_path(instance, filename: str) -> str:
    # The stored name never contains the child's name; the original is kept
    # in ``document_name`` for the download.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    return f"advice/{instance.contribution_id}/{stamp}.{ext}"


class AdviceQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        return self.filter(contribution__in=Contribution.objects.visible_to(user))


class Advice(Tracked):
    """A service's written health advice, with its provision as rows."""

    contribution = models.OneToOneField(
        Contribution, on_delete=models.CASCADE, related_name="advice"
    )
    written_on = models.DateField("date of the advice")
    author_name = models.CharField("author", max_length=150)
    author_profession = models.CharField("author's profession", max_length=150)
    needs = models.TextField("health needs", blank=True)
    outcomes = models.TextField(blank=True)
    child_views = models.TextField("the child's or young person's views", blank=True)
    document = models.FileField(
        upload_to=advice_document_path,
        blank=True,
        validators=[FileExtensionValidator(ADVICE_DOCUMENT_TYPES)],
    )
    document_name = models.CharField(max_length=200, blank=True, editable=False)

    objects = AdviceQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "advice"
        # The reports read advice written in a period (unavailable provision).
        indexes = [
            models.Index(fields=["written_on"], name="advice_written_on"),
            # The API lists by last change (api.pagination.LastChangeCursor).
            models.Index(fields=["updated_at", "id"], name="advice_updated"),
        ]

    def __str__(self) -> str:
        return f"Advice from {self.contribution.service} ({self.written_on})"

    def clean(self):
        """Dated by today. Raises ValidationError keyed by field."""
        super().clean()
        errors: dict = {}
        refuse_future(errors, self, "written_on")
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return self.contribution.get_absolute_url()


class ProvisionItem(models.Model):
    """One piece of provision the advice recommends: what, who, how often, how long."""

    advice = models.ForeignKey(Advice, on_delete=models.CASCADE, related_name="provision")
    position = models.PositiveSmallIntegerField(default=0)
    description = models.CharField("what", max_length=300)
    delivered_by = models.CharField("who delivers it", max_length=150)
    frequency = models.CharField("how often", max_length=100, help_text="For example: twice weekly")
    duration = models.CharField(
        "for how long", max_length=100, help_text="For example: 20 minutes for 12 weeks"
    )
    section = models.CharField(max_length=1, choices=ProvisionSection.choices)
    available = models.BooleanField(
        "available locally",
        default=True,
        help_text="Untick when the provision is needed but no local service offers it.",
    )

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.description


class QualityReviewQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        return self.filter(advice__in=Advice.objects.visible_to(user))


class QualityReview(Tracked):
    """A designated officer's check of one piece of advice against the checklist."""

    advice = models.OneToOneField(Advice, on_delete=models.CASCADE, related_name="review")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="quality_reviews"
    )
    reviewed_on = models.DateField()
    dated_recently = models.BooleanField(default=False)
    health_needs_stated = models.BooleanField(default=False)
    sections_separated = models.BooleanField(default=False)
    outcomes_smart = models.BooleanField(default=False)
    provision_quantified = models.BooleanField(default=False)
    placement_correct = models.BooleanField(default=False)
    child_views = models.BooleanField(default=False)
    jargon_free = models.BooleanField(default=False)
    author_named = models.BooleanField(default=False)
    score = models.PositiveSmallIntegerField(editable=False)
    rating = models.CharField(max_length=5, choices=Rating.choices, editable=False)
    notes = models.TextField("feedback for the service", blank=True)

    objects = QualityReviewQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["reviewed_on"], name="review_reviewed_on")]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__lte=len(QUALITY_CRITERIA)), name="review_score_in_range"
            )
        ]

    def __str__(self) -> str:
        return f"Review of {self.advice} ({self.score}/{len(QUALITY_CRITERIA)})"

    def clean(self):
        """Reviewed by today. Raises ValidationError keyed by field."""
        super().clean()
        errors: dict = {}
        refuse_future(errors, self, "reviewed_on")
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.set_score()
        super().save(*args, **kwargs)

    def set_score(self) -> None:
        """Score (criteria met, of 9) and rating from the ticked criteria."""
        self.score = quality.score(quality.met_criteria(self))
        self.rating = quality.rating_for(self.score)

    @property
    def criteria(self) -> list[tuple[str, bool]]:
        return [(label, getattr(self, name)) for name, label, _ in QUALITY_CRITERIA]
