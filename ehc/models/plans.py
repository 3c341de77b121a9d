"""EHC plans as the local authority issued them.

The portal does not write plans: the LA does. A designated officer records
each final or amended plan issued for a child (its date, the LA's own
reference and which health advice informed it) so that the plan's health
sections can be audited and the annual review clock runs from the day the
plan was first made (Children and Families Act 2014 s44(1); an amended plan
does not restart it: docs/domain.md, "Reviews").
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.scoping import ScopedQuerySet
from ehc import plan_checklist
from ehc.models.base import Tracked, refuse_future
from ehc.models.casework import Child, HealthAdviceRequest
from ehc.models.choices import Rating
from ehc.models.records import ChildRecordQuerySet


class PlanKind(models.TextChoices):
    """Whether the plan was the first one made for the child or an amendment."""

    FINAL = "final", "Final plan"
    AMENDED = "amended", "Amended plan"


class EHCPlan(Tracked):
    """One final or amended EHC plan the LA issued for a child."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="plans")
    kind = models.CharField(max_length=10, choices=PlanKind.choices, default=PlanKind.FINAL)
    issued_on = models.DateField("date the plan was issued")
    la_reference = models.CharField(
        "LA plan reference",
        max_length=40,
        blank=True,
        help_text="The local authority's own reference for this plan.",
    )
    informed_by = models.ManyToManyField(
        HealthAdviceRequest,
        blank=True,
        related_name="plans",
        help_text="The requests for health advice whose advice informed this plan.",
    )

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-pk"]
        verbose_name = "EHC plan"
        indexes = [models.Index(fields=["child", "issued_on"], name="ehc_plan_child_issued")]
        constraints = [
            # One plan a day per child: a second is the same plan typed twice.
            models.UniqueConstraint(
                fields=["child", "issued_on"],
                name="plan_one_a_day_per_child",
                violation_error_message="A plan issued on this date is already recorded for "
                "this child.",
            )
        ]

    constraint_fields = {"plan_one_a_day_per_child": "issued_on"}

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child} issued {self.issued_on}"

    def clean(self):
        """Issued by today and not before the child was born. Raises
        ValidationError keyed ``issued_on``. (Which requests may inform the
        plan is checked by :func:`ehc.services.plans.record_plan`: a
        many-to-many is not set until the plan is saved.)"""
        super().clean()
        errors: dict = {}
        refuse_future(errors, self, "issued_on")
        child = self.child if self.child_id else None
        if "issued_on" not in errors and self.issued_on and child is not None:
            if self.issued_on < child.date_of_birth:
                errors["issued_on"] = (
                    f"The plan cannot be issued before the child was born "
                    f"({child.date_of_birth:%-d %B %Y})"
                )
        if errors:
            raise ValidationError(errors)

    def get_absolute_url(self) -> str:
        return reverse("ehc:plan_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        """The portal's own short reference for the plan ("P12")."""
        return f"P{self.pk}"


# --- The audit of sections C and G ------------------------------------------------------------


class PlanAnswer(models.TextChoices):
    """An answer to one criterion of the plan checklist (docs/plans.md)."""

    YES = plan_checklist.YES, "Yes"
    PARTLY = plan_checklist.PARTLY, "Partly"
    NO = plan_checklist.NO, "No"
    NOT_APPLICABLE = plan_checklist.NOT_APPLICABLE, "Not applicable"


class PlanRecordQuerySet(ScopedQuerySet):
    """Rows hanging off a plan are seen by whoever may see the plan."""

    def scoped_for(self, user):
        return self.filter(plan__in=EHCPlan.objects.visible_to(user))


def _answer_field(label: str) -> models.CharField:
    return models.CharField(
        label, max_length=6, choices=PlanAnswer.choices, default=PlanAnswer.NOT_APPLICABLE
    )


_LABELS = {name: label for name, label, _ in plan_checklist.PLAN_CRITERIA}


class PlanAudit(Tracked):
    """A designated officer's audit of one plan's health sections (C and G)
    against the checklist (:mod:`ehc.plan_checklist`): one answer per
    criterion, the score (per cent of points possible) and the rating."""

    plan = models.OneToOneField(EHCPlan, on_delete=models.CASCADE, related_name="audit")
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_audits"
    )
    audited_on = models.DateField("date of the audit")
    needs_in_c = _answer_field(_LABELS["needs_in_c"])
    provision_specific = _answer_field(_LABELS["provision_specific"])
    provision_quantified = _answer_field(_LABELS["provision_quantified"])
    provider_named = _answer_field(_LABELS["provider_named"])
    therapy_in_f = _answer_field(_LABELS["therapy_in_f"])
    outcomes_smart = _answer_field(_LABELS["outcomes_smart"])
    child_views = _answer_field(_LABELS["child_views"])
    needs_have_provision = _answer_field(_LABELS["needs_have_provision"])
    score = models.PositiveSmallIntegerField(
        editable=False, help_text="Per cent of the points possible (yes 2, partly 1, no 0)."
    )
    rating = models.CharField(max_length=5, choices=Rating.choices, editable=False)
    notes = models.TextField(
        "notes", blank=True, help_text="What to improve, for the LA's plan writers."
    )

    objects = PlanRecordQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["audited_on"], name="plan_audit_audited_on")]
        constraints = [
            models.CheckConstraint(condition=Q(score__lte=100), name="plan_audit_score_in_range")
        ]

    def __str__(self) -> str:
        return f"Audit of {self.plan} ({self.score}%)"

    @property
    def answers(self) -> dict[str, str]:
        """``{criterion name: answer}`` in checklist order."""
        return {name: getattr(self, name) for name in plan_checklist.CRITERIA_NAMES}

    @property
    def criteria(self) -> list[tuple[str, str, str]]:
        """``(label, answer value, answer label)`` per criterion, in order."""
        shown = dict(PlanAnswer.choices)
        return [
            (label, getattr(self, name), shown[getattr(self, name)])
            for name, label, _ in plan_checklist.PLAN_CRITERIA
        ]

    @property
    def passed(self) -> bool:
        return self.rating == Rating.GREEN

    def clean(self):
        """Audited by today, not before the plan was issued, and at least
        one criterion answered other than "not applicable". Raises
        ValidationError keyed ``audited_on`` or by the first criterion."""
        super().clean()
        errors: dict = {}
        refuse_future(errors, self, "audited_on")
        plan = self.plan if self.plan_id else None
        if "audited_on" not in errors and self.audited_on and plan is not None:
            if self.audited_on < plan.issued_on:
                errors["audited_on"] = (
                    f"The audit cannot be before the plan was issued ({plan.issued_on:%-d %B %Y})"
                )
        try:
            scored = plan_checklist.score(self.answers)
        except ValueError:
            scored = 0  # an answer not offered: clean_fields says so beside it
        if scored is None:
            errors[plan_checklist.CRITERIA_NAMES[0]] = (
                "Answer at least one question with yes, partly or no"
            )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.set_score()
        super().save(*args, **kwargs)

    def set_score(self) -> None:
        """Score and rating from the answers (:mod:`ehc.plan_checklist`)."""
        self.score = plan_checklist.score(self.answers) or 0
        self.rating = plan_checklist.rating_for(self.answers) or Rating.RED


# --- Section G provision and whether it is delivered -----------------------------------------


class ProvisionStatus(models.TextChoices):
    """Whether a piece of section G provision is being delivered: the plan
    side of the service gaps (docs/plans.md, "Provision in section G")."""

    IN_PLACE = "in_place", "In place"
    WAITING = "waiting", "Waiting"
    NOT_AVAILABLE = "not_available", "Not available"


class PlanProvision(Tracked):
    """One piece of health provision in section G of a plan: what, who
    delivers it, whether it is specific and quantified, and whether it is
    in place, waited for (since when) or not available at all."""

    plan = models.ForeignKey(EHCPlan, on_delete=models.CASCADE, related_name="provision")
    description = models.CharField("what the plan says", max_length=300)
    service = models.ForeignKey(
        "commissioning.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="plan_provision",
        help_text="The health service that delivers it, if it is one the portal knows.",
    )
    delivered_by = models.CharField(
        "who delivers it",
        max_length=150,
        blank=True,
        help_text="As the plan names them, for example 'Community nursing team'. Leave "
        "blank if the plan does not say.",
    )
    specific = models.BooleanField(
        "specific", default=False, help_text="It says exactly what will be provided."
    )
    quantified = models.BooleanField(
        "quantified", default=False, help_text="It says how often and for how long."
    )
    status = models.CharField(
        "delivery", max_length=13, choices=ProvisionStatus.choices, default=ProvisionStatus.IN_PLACE
    )
    waiting_since = models.DateField(
        "waiting since",
        null=True,
        blank=True,
        help_text="The day the child was referred or joined the waiting list.",
    )
    checked_on = models.DateField(
        "date checked", help_text="When you last checked whether it is delivered."
    )

    objects = PlanRecordQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        verbose_name = "plan provision"
        verbose_name_plural = "plan provision"
        indexes = [models.Index(fields=["checked_on"], name="plan_provision_checked_on")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=ProvisionStatus.WAITING) & Q(waiting_since__isnull=False))
                | (~Q(status=ProvisionStatus.WAITING) & Q(waiting_since__isnull=True)),
                name="plan_provision_waiting_since",
                violation_error_message="Give the date the wait started for provision that "
                "is waited for, and only then.",
            ),
            models.CheckConstraint(
                condition=Q(waiting_since__isnull=True)
                | Q(waiting_since__lte=models.F("checked_on")),
                name="plan_provision_waiting_before_check",
                violation_error_message="The wait cannot start after the date checked.",
            ),
        ]

    constraint_fields = {
        "plan_provision_waiting_since": "waiting_since",
        "plan_provision_waiting_before_check": "waiting_since",
    }

    def __str__(self) -> str:
        return self.description

    def clean(self):
        """Dates not after today, the date checked not before the plan was
        issued; who delivers it named one way or the other. Raises
        ValidationError keyed by field."""
        super().clean()
        errors: dict = {}
        refuse_future(errors, self, "waiting_since", "checked_on")
        plan = self.plan if self.plan_id else None
        if "checked_on" not in errors and self.checked_on and plan and plan.issued_on:
            if self.checked_on < plan.issued_on:
                errors["checked_on"] = (
                    f"The date checked cannot be before the plan was issued "
                    f"({plan.issued_on:%-d %B %Y})"
                )
        if not self.service_id and not self.delivered_by.strip():
            errors["delivered_by"] = "Choose the service or say who delivers it"
        if errors:
            raise ValidationError(errors)

    def waiting_days(self, on: datetime.date) -> int | None:
        """Days waited by ``on`` (from ``waiting_since``), None unless waiting."""
        if self.status != ProvisionStatus.WAITING or self.waiting_since is None:
            return None
        return (on - self.waiting_since).days
