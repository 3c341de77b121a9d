"""Designated officer posts: what each covers, its time (PAs a week), the
template version its job description adapts, and its local changes to duties."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OfficerKind, Role
from accounts.scoping import local_authority_ids_for
from core.scoping import ScopedQuerySet
from roles.models.templates import Duty, JobTemplate, SectionArea, TemplateKind, TemplateStatus
from roles.pa_policy import FULL_TIME_PAS

# A local agreement gives a post at most full time.
AGREEMENT_MAX_PAS = FULL_TIME_PAS


class CommissioningModel(models.TextChoices):
    SINGLE_BODY = "single_body", "By one commissioning body"
    JOINT_BODIES = "joint_bodies", "Jointly by several commissioning bodies"
    PROVIDER_SLA = "provider_sla", "By a provider under a service level agreement"
    BODY_AND_LA = "body_and_la", "By the commissioning body and the local authority together"


class PostQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        if user.role == Role.COMMISSIONER:
            return self.filter(commissioning_bodies=user.commissioning_body_id).distinct()
        if user.role == Role.DESIGNATED_OFFICER:
            return self.filter(
                Q(local_authorities__in=local_authority_ids_for(user)) | Q(holder=user)
            ).distinct()
        return self.none()

    def active_on(self, on: datetime.date):
        """Posts current on ``on`` (no start date or started by then, no end
        date or not ended before)."""
        return self.active_during(on, on)

    def active_during(self, start: datetime.date, end: datetime.date):
        """Posts current at any time from ``start`` to ``end`` inclusive."""
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=end)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=start)
        )


class Post(models.Model):
    """A designated officer post in a local area."""

    role = models.CharField(max_length=3, choices=OfficerKind.choices)
    title = models.CharField(max_length=200)
    local_authorities = models.ManyToManyField(
        "commissioning.LocalAuthority",
        related_name="designated_posts",
        help_text="The local authority areas the post covers.",
    )
    commissioning_bodies = models.ManyToManyField(
        "commissioning.CommissioningBody",
        related_name="designated_posts",
        help_text="The commissioning bodies the post advises.",
    )
    commissioning_model = models.CharField(
        "how the post is commissioned",
        max_length=12,
        choices=CommissioningModel.choices,
        default=CommissioningModel.SINGLE_BODY,
    )
    employer = models.CharField(
        max_length=200, help_text="The organisation that employs the post-holder."
    )
    accountable_to = models.CharField(
        max_length=200,
        help_text="Who the post-holder answers to for the role, for example the ICB's "
        "executive lead for SEND.",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="designated_posts",
        limit_choices_to={"role": Role.DESIGNATED_OFFICER},
        help_text="Leave blank while the post is vacant.",
    )
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True, help_text="Blank for a continuing post.")
    pas_per_week = models.DecimalField(
        "programmed activities a week",
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("12"))],
        help_text="Time for the role in PAs (4-hour blocks; 2 PAs is about a day, 10 is "
        "full time). A DCO's days a week are shown from this.",
    )
    template = models.ForeignKey(
        JobTemplate,
        on_delete=models.PROTECT,
        related_name="posts",
        # Not limit_choices_to: a post keeps a version after it is retired.
        # Choosing a version needs a published one (see clean()).
        help_text="The published template version this post's job description adapts.",
    )
    clinical_supervision = models.TextField(
        blank=True, help_text="Who provides clinical supervision, and how often."
    )
    managerial_supervision = models.TextField(
        blank=True, help_text="Who provides managerial supervision, and how often."
    )
    administrative_support = models.TextField(
        blank=True, help_text="Administrative support for the role (who, how much time)."
    )
    last_appraisal_on = models.DateField(
        "date of the post-holder's last appraisal", null=True, blank=True
    )
    # The local agreement on the post's time (BACCH/BACD model DMO job
    # description, 2014: a post beyond one commissioning body, one local
    # authority or 70,000 children needs additional PAs "agreed between CCGs
    # and Providers", not necessarily pro rata). All three or none (clean()
    # and the constraint below); roles.pa_policy clears the "needs additional
    # time" flags only when one is recorded.
    local_agreement_on = models.DateField(
        "date the local agreement on time was made",
        null=True,
        blank=True,
        help_text="When the commissioners and the provider agreed the post's time.",
    )
    local_agreement_parties = models.CharField(
        "parties to the local agreement",
        max_length=300,
        blank=True,
        help_text="Who agreed it, for example 'NHS Testshire ICB and Testshire Community "
        "Health Trust'.",
    )
    local_agreement_pas = models.DecimalField(
        "PAs a week agreed",
        max_digits=4,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="The post's time a week under the agreement, in PAs (more than 0, at most "
        "10, full time). It need not be the pro-rata figure.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    objects = PostQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(pas_per_week__gte=0) & Q(pas_per_week__lte=12),
                name="post_pas_in_range",
                violation_error_message="Enter between 0 and 12 PAs a week.",
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=models.F("start_date")),
                name="post_end_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
            models.CheckConstraint(
                condition=(
                    Q(local_agreement_on__isnull=True)
                    & Q(local_agreement_parties="")
                    & Q(local_agreement_pas__isnull=True)
                )
                | (
                    Q(local_agreement_on__isnull=False)
                    & ~Q(local_agreement_parties="")
                    # Not null spelled out: NULL > 0 is unknown, which a CHECK lets pass.
                    & Q(local_agreement_pas__isnull=False)
                    & Q(local_agreement_pas__gt=0)
                    & Q(local_agreement_pas__lte=AGREEMENT_MAX_PAS)
                ),
                name="post_local_agreement_complete",
                violation_error_message="A local agreement needs its date, its parties and "
                "more than 0 and at most 10 PAs a week, or none of them.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roles:post_detail", args=[self.pk])

    @property
    def is_vacant(self) -> bool:
        return self.holder_id is None

    @property
    def has_local_agreement(self) -> bool:
        return self.local_agreement_pas is not None

    @property
    def days_per_week(self) -> Decimal:
        from roles.pa_policy import pas_to_days

        return pas_to_days(self.pas_per_week)

    def clean(self):
        super().clean()
        if self.template_id:
            changed = (
                self.pk is None
                or not type(self).objects.filter(pk=self.pk, template_id=self.template_id).exists()
            )
            if changed and self.template.status != TemplateStatus.PUBLISHED:
                raise ValidationError({"template": "Choose a published template version."})
        if (
            self.template_id
            and self.role
            and self.template.kind not in (TemplateKind.COMBINED, self.role)
        ):
            raise ValidationError(
                {"template": "Choose a template for this role or a combined DCO/DMO template."}
            )
        if errors := local_agreement_errors(
            agreed_on=self.local_agreement_on,
            parties=self.local_agreement_parties,
            pas=self.local_agreement_pas,
        ):
            raise ValidationError(errors)


def local_agreement_errors(
    *, agreed_on: datetime.date | None, parties: str, pas: Decimal | None
) -> dict[str, str]:
    """What is wrong with a local agreement on a post's time, keyed by field
    (empty when nothing is): all three answers or none; the date not after
    today; more than 0 and at most 10 PAs a week (full time)."""
    parties = (parties or "").strip()
    given = {
        "local_agreement_on": agreed_on is not None,
        "local_agreement_parties": bool(parties),
        "local_agreement_pas": pas is not None,
    }
    errors: dict[str, str] = {}
    if any(given.values()):
        missing = {
            "local_agreement_on": "Enter the date the agreement was made",
            "local_agreement_parties": "Enter who agreed it, for example the ICB and the provider",
            "local_agreement_pas": "Enter the PAs a week agreed",
        }
        errors.update({name: missing[name] for name, ok in given.items() if not ok})
    if agreed_on is not None and agreed_on > timezone.localdate():
        errors["local_agreement_on"] = "The date of the agreement cannot be in the future"
    if pas is not None and not Decimal("0") < pas <= AGREEMENT_MAX_PAS:
        errors["local_agreement_pas"] = (
            "Enter more than 0 and at most 10 PAs a week (10 is full time)"
        )
    return errors


class DutyChangeKind(models.TextChoices):
    ADDED = "added", "Added"
    REMOVED = "removed", "Removed"
    REWORDED = "reworded", "Reworded"


class PostDutyChange(models.Model):
    """A local change to the template's duties for one post."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="duty_changes")
    kind = models.CharField(max_length=8, choices=DutyChangeKind.choices)
    duty = models.ForeignKey(
        Duty,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The template duty removed or reworded.",
    )
    section_area = models.CharField(
        "section",
        max_length=24,
        choices=SectionArea.choices,
        blank=True,
        help_text="For an added duty: the section it goes in.",
    )
    text = models.TextField(blank=True, help_text="The added duty, or the new wording.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "local change to a duty"
        verbose_name_plural = "local changes to duties"
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(kind="added") & Q(duty__isnull=True) & ~Q(section_area="") & ~Q(text="")
                )
                | (Q(kind="removed") & Q(duty__isnull=False))
                | (Q(kind="reworded") & Q(duty__isnull=False) & ~Q(text="")),
                name="postdutychange_fields_match_kind",
                violation_error_message="An added duty needs a section and its text; a "
                "removed duty needs the duty; a reworded duty needs the duty and its new "
                "wording.",
            ),
            models.UniqueConstraint(
                fields=["post", "duty"],
                condition=Q(duty__isnull=False),
                name="postdutychange_one_change_per_duty",
                violation_error_message="This duty already has a local change.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {(self.text or str(self.duty))[:60]}"

    def clean(self):
        super().clean()
        if self.duty_id and self.post_id and self.duty.section.template_id != self.post.template_id:
            raise ValidationError({"duty": "Choose a duty from the post's template version."})
