"""The designated officer role: job templates, posts and the post-holder's record.

domain.md, "The role": the DMO/DCO role is non-statutory and every local area
shapes it differently. Two national templates ship with the product (loaded by
a data migration from ``roles/template_content.py``); an area copies one,
adapts it, and bases its posts on a published version of it.

Versioning rules (enforced here, in ``roles/services.py`` and in admin):

- a template is a *family* of numbered versions; each version is draft,
  published or retired;
- only a draft can be changed; a published version is frozen, and "editing"
  it means :func:`roles.services.start_new_version`, which copies it to a new
  draft with the next version number;
- a post points at the exact version it adapts, so publishing a new version
  never changes a post's job description.

Every duty and person-specification criterion carries a ``key`` that copies
keep, so two versions can be compared item by item (added, removed, changed).
"""

from __future__ import annotations

import datetime
import uuid
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import OfficerKind, Role
from accounts.scoping import ScopedQuerySet, local_authority_ids_for


def new_key() -> str:
    return uuid.uuid4().hex[:12]


class TemplateKind(models.TextChoices):
    DMO = "dmo", "Designated Medical Officer (DMO)"
    DCO = "dco", "Designated Clinical Officer (DCO)"
    COMBINED = "dco_dmo", "Combined DCO and DMO"


class TemplateStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"
    RETIRED = "retired", "Retired"


class AppliesTo(models.TextChoices):
    """Which designated officer a duty or criterion is for."""

    BOTH = "both", "DCO and DMO"
    DCO = "dco", "DCO only"
    DMO = "dmo", "DMO only"

    @classmethod
    def for_role(cls, role: str) -> list[str]:
        """The markings that apply to a post of ``role`` (an OfficerKind value)."""
        return [cls.BOTH, role]


class SectionArea(models.TextChoices):
    """The duty areas of a designated officer's job description, in the
    usual order. A template's sections each name one area."""

    JOB_PURPOSE = "job_purpose", "Job purpose"
    WORKING_RELATIONSHIPS = "working_relationships", "Working relationships"
    INTER_AGENCY = "inter_agency", "Inter-agency working"
    ADVISORY = "advisory", "Advisory role"
    CLINICAL_EHC = "clinical_ehc", "Clinical role and contribution to EHC assessments and plans"
    COORDINATION = "coordination", "Co-ordination and communication"
    STRATEGY = "strategy", "Strategy and leadership"
    WORKFORCE = "workforce", "Workforce development"
    GOVERNANCE = "governance", "Governance, policy and procedure"
    TRAINING = "training", "Training"
    MONITORING = "monitoring", "Monitoring and improvement"
    PERSONAL_DEVELOPMENT = "personal_development", "Personal development"
    APPRAISAL = "appraisal", "Appraisal"
    ACCOUNTABILITY = "accountability", "Accountability"
    JOB_PLAN = "job_plan", "Job plan"


class CriterionCategory(models.TextChoices):
    QUALIFICATIONS = "qualifications", "Qualifications"
    KNOWLEDGE = "knowledge", "Knowledge"
    EXPERIENCE = "experience", "Experience"
    SKILLS = "skills", "Skills"
    OTHER = "other", "Other"


class Requirement(models.TextChoices):
    ESSENTIAL = "essential", "Essential"
    DESIRABLE = "desirable", "Desirable"


# --- Job templates --------------------------------------------------------------------


class JobTemplateQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        # Templates hold no personal data: anyone who may see posts may read
        # the published and retired ones. Drafts are administrators' work.
        return self.exclude(status=TemplateStatus.DRAFT)

    def published(self):
        return self.filter(status=TemplateStatus.PUBLISHED)


class JobTemplate(models.Model):
    """One version of a job description template."""

    family = models.SlugField(
        max_length=80,
        help_text="Identifies all versions of one template; copies for local adaptation "
        "start a new family.",
    )
    version = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    kind = models.CharField(max_length=7, choices=TemplateKind.choices)
    name = models.CharField(max_length=200)
    source = models.CharField(
        max_length=300,
        help_text="Where the template comes from, for example a national model job "
        "description and its year, or the local area that adapted it.",
    )
    status = models.CharField(
        max_length=9, choices=TemplateStatus.choices, default=TemplateStatus.DRAFT
    )
    summary = models.TextField(blank=True, help_text="A short note on what this template is for.")
    change_note = models.TextField(
        blank=True, help_text="What changed in this version, for people choosing between them."
    )
    based_on = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        help_text="The version this one was copied from.",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = JobTemplateQuerySet.as_manager()

    class Meta:
        ordering = ["name", "family", "-version"]
        verbose_name = "job template"
        constraints = [
            models.UniqueConstraint(
                fields=["family", "version"], name="jobtemplate_unique_version"
            ),
            models.UniqueConstraint(
                fields=["family"],
                condition=Q(status="draft"),
                name="jobtemplate_one_draft_per_family",
                violation_error_message="This template already has a draft version.",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="jobtemplate_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} (version {self.version}, {self.get_status_display().lower()})"

    def save(self, *args, **kwargs):
        if self.pk and not kwargs.pop("allow_frozen", False):
            stored = type(self).objects.filter(pk=self.pk).values_list("status", flat=True).first()
            if stored and stored != TemplateStatus.DRAFT:
                raise ValidationError(
                    "A published or retired version cannot be changed. Start a new version."
                )
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("roles:template_preview", args=[self.pk])

    def delete(self, *args, **kwargs):
        # A cascade would remove a frozen version's sections without asking
        # them; refuse here instead.
        if self.status != TemplateStatus.DRAFT:
            raise ValidationError("A published or retired version cannot be deleted.")
        return super().delete(*args, **kwargs)

    @property
    def is_editable(self) -> bool:
        return self.status == TemplateStatus.DRAFT


class FrozenWithTemplate(models.Model):
    """Parts of a template can only change while their template is a draft."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self._check_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._check_editable()
        return super().delete(*args, **kwargs)

    def owning_template(self) -> JobTemplate:  # pragma: no cover - each subclass says
        raise NotImplementedError

    def _check_editable(self):
        template = self.owning_template()
        if template is not None and template.pk and not template.is_editable:
            raise ValidationError(
                f"{template} is {template.get_status_display().lower()}: start a new "
                "version to change it."
            )


class TemplateSection(FrozenWithTemplate):
    template = models.ForeignKey(JobTemplate, on_delete=models.CASCADE, related_name="sections")
    area = models.CharField(max_length=24, choices=SectionArea.choices)
    heading = models.CharField(
        max_length=200, blank=True, help_text="Leave blank to use the area's name."
    )
    introduction = models.TextField(blank=True)
    order = models.PositiveIntegerField(default=0, help_text="Sections are shown lowest first.")
    key = models.CharField(max_length=12, default=new_key, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "section"
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="templatesection_unique_key")
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        return self.heading or self.get_area_display()

    def owning_template(self):
        return self.template


class Duty(FrozenWithTemplate):
    section = models.ForeignKey(TemplateSection, on_delete=models.CASCADE, related_name="duties")
    text = models.TextField()
    applies_to = models.CharField(max_length=4, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    order = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=12, default=new_key, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "duties"

    def __str__(self) -> str:
        return self.text[:80]

    def owning_template(self):
        return self.section.template


class Criterion(FrozenWithTemplate):
    """One row of a person specification."""

    template = models.ForeignKey(JobTemplate, on_delete=models.CASCADE, related_name="criteria")
    category = models.CharField(max_length=14, choices=CriterionCategory.choices)
    text = models.TextField()
    applies_to = models.CharField(max_length=4, choices=AppliesTo.choices, default=AppliesTo.BOTH)
    requirement = models.CharField(
        max_length=9, choices=Requirement.choices, default=Requirement.ESSENTIAL
    )
    order = models.PositiveIntegerField(default=0)
    key = models.CharField(max_length=12, default=new_key, editable=False)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = "person specification criterion"
        verbose_name_plural = "person specification criteria"
        constraints = [
            models.UniqueConstraint(fields=["template", "key"], name="criterion_unique_key")
        ]

    def __str__(self) -> str:
        return self.text[:80]

    def owning_template(self):
        return self.template


# --- PA policy parameters -------------------------------------------------------------


class PAPolicySettings(models.Model):
    """The parameters of the PA policy (``roles/pa_policy.py``), one row,
    edited by administrators. Defaults follow the BACCH/BACD model DMO job
    description (2014); each is a local decision, so each can change."""

    # Always True and unique: the database holds at most one row.
    singleton = models.BooleanField(default=True, editable=False, unique=True)

    dmo_minimum_pas = models.DecimalField(
        "DMO minimum PAs a week",
        max_digits=4,
        decimal_places=2,
        default=Decimal("2"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    dco_minimum_pas = models.DecimalField(
        "DCO minimum PAs a week",
        max_digits=4,
        decimal_places=2,
        default=Decimal("0"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="There is no national minimum for a DCO; 0 means none is checked.",
    )
    baseline_children = models.PositiveIntegerField(
        "children covered by the minimum",
        default=70_000,
        validators=[MinValueValidator(1)],
    )
    baseline_bodies = models.PositiveSmallIntegerField(
        "commissioning bodies covered by the minimum",
        default=1,
        validators=[MinValueValidator(1)],
    )
    baseline_local_authorities = models.PositiveSmallIntegerField(
        "local authorities covered by the minimum",
        default=1,
        validators=[MinValueValidator(1)],
    )
    population_includes_young_people = models.BooleanField(
        "count young people aged 18 to 25",
        default=False,
        help_text="Untick to size posts on children aged 0 to 17 (the model job "
        "description's 'children'); tick to use the 0 to 25 population.",
    )
    cpd_points_target = models.DecimalField(
        "CPD points a year",
        max_digits=5,
        decimal_places=1,
        default=Decimal("4"),
        validators=[MinValueValidator(Decimal("0"))],
        help_text="The annual CPD target for a designated officer's role (4 in the model "
        "DMO job description).",
    )
    appraisal_interval_months = models.PositiveSmallIntegerField(
        "months between appraisals",
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = "PA policy"
        verbose_name_plural = "PA policy"
        constraints = [
            models.CheckConstraint(condition=Q(singleton=True), name="papolicy_single_row")
        ]

    def __str__(self) -> str:
        return "PA policy"

    @classmethod
    def current(cls) -> PAPolicySettings:
        obj = cls.objects.order_by("pk").first()
        return obj if obj is not None else cls()

    def as_policy(self):
        from roles.pa_policy import Policy

        return Policy(
            dmo_minimum_pas=self.dmo_minimum_pas,
            dco_minimum_pas=self.dco_minimum_pas,
            baseline_children=self.baseline_children,
            baseline_bodies=self.baseline_bodies,
            baseline_local_authorities=self.baseline_local_authorities,
        )


# --- Posts ----------------------------------------------------------------------------


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
        return self.filter(Q(start_date__isnull=True) | Q(start_date__lte=on)).filter(
            Q(end_date__isnull=True) | Q(end_date__gte=on)
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
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("roles:post_detail", args=[self.pk])

    @property
    def is_vacant(self) -> bool:
        return self.holder_id is None

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


# --- The post-holder's record ---------------------------------------------------------


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
