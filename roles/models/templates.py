"""Job description templates: a family of numbered versions, each draft,
published or retired, with its sections, duties and person specification.

Only a draft changes. A published or retired version is frozen: saving or
deleting it (or one of its parts) raises ``ValidationError``. Every section,
duty and criterion carries a ``key`` that copies keep, so two versions can be
compared item by item (``roles.selectors.compare_templates``).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from core.scoping import ScopedQuerySet


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
