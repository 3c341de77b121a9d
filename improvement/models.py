"""The area's SEND improvement plan: what the local area partnership (the
local authority and its integrated care board) has committed to improve,
often after an area SEND inspection (the Ofsted and CQC area SEND
inspection framework, 2023: a written statement of action or a priority
action plan follows a judgement of widespread or systemic failings).

A plan belongs to one local authority and, optionally, the commissioning
body that is its partner in the plan; its actions carry an owner, a due
date, a status, a RAG rating (:mod:`improvement.rag`), dated progress notes
(append-only) and links to the evidence the portal holds. Actions are about
the area, never about a child: nothing here is registered in the child
record registry (``ehc/registry.py``).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, Q, Value, When
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.scoping import ScopedQuerySet
from ehc.models.base import Tracked, areas_of, refuse_future
from improvement import rag


class PlanKind(models.TextChoices):
    """What kind of plan it is (docs/improvement.md, "Plans"): the area's
    own SEND improvement plan; a written statement of action, which the
    area SEND inspection framework requires after widespread or systemic
    failings; an accelerated progress plan, which the Department for
    Education asks for after a revisit finds too little progress."""

    IMPROVEMENT = "improvement", "SEND improvement plan"
    WRITTEN_STATEMENT = "wsoa", "Written statement of action"
    ACCELERATED_PROGRESS = "app", "Accelerated progress plan"


class PlanArea(models.TextChoices):
    """The area of the plan an action belongs to (docs/improvement.md,
    "Areas of the plan"): the themes the area SEND inspection framework
    (2023) looks at, as health sees them. Kept short so that counts by area
    mean something; "other" is for the rest."""

    LEADERSHIP = "leadership", "Leadership, governance and strategy"
    COMMISSIONING = "commissioning", "Joint commissioning"
    IDENTIFICATION = "identification", "Identifying and assessing needs"
    TIMELINESS = "timeliness", "Timeliness of EHC needs assessments and health advice"
    QUALITY = "quality", "Quality of health advice and EHC plans"
    ACCESS = "access", "Access to services and waiting times"
    CO_PRODUCTION = "co_production", "Co-production and families' experience"
    ADULTHOOD = "adulthood", "Preparing for adulthood and transitions"
    WORKFORCE = "workforce", "Workforce and training"
    DATA = "data", "Data, quality assurance and reporting"
    OTHER = "other", "Other"


class ActionStatus(models.TextChoices):
    NOT_STARTED = rag.NOT_STARTED, "Not started"
    IN_PROGRESS = rag.IN_PROGRESS, "In progress"
    COMPLETE = rag.COMPLETE, "Complete"
    SUPERSEDED = rag.SUPERSEDED, "Superseded"


class Rating(models.TextChoices):
    """An officer's override of the derived rating (:mod:`improvement.rag`)."""

    RED = rag.RED, "Red"
    AMBER = rag.AMBER, "Amber"
    GREEN = rag.GREEN, "Green"


OPEN_STATUSES = rag.OPEN


class PlanQuerySet(ScopedQuerySet):
    """Designated officers see the plans of their own local authorities,
    commissioners those of the authorities their body is linked to today;
    administrators all (``visible_to``); nobody else any."""

    def scoped_for(self, user):
        if user.role in (Role.DESIGNATED_OFFICER, Role.COMMISSIONER):
            return self.filter(local_authority__in=areas_of(user))
        return self.none()


class ImprovementPlan(Tracked):
    """One improvement plan of a local area."""

    local_authority = models.ForeignKey(
        "commissioning.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="improvement_plans",
        help_text="The local area the plan is for.",
    )
    commissioning_body = models.ForeignKey(
        "commissioning.CommissioningBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="improvement_plans",
        help_text="The commissioning body that is the local authority's partner in the plan.",
    )
    title = models.CharField(max_length=200)
    kind = models.CharField("kind of plan", max_length=20, choices=PlanKind.choices)
    inspected_on = models.DateField(
        "date of the inspection",
        null=True,
        blank=True,
        help_text="The area SEND inspection the plan answers, if any.",
    )
    starts_on = models.DateField("start date")
    ends_on = models.DateField(
        "end date", null=True, blank=True, help_text="When the plan is due to be completed."
    )
    summary = models.TextField(
        blank=True, help_text="What the plan is for: the priorities or areas for improvement."
    )

    objects = PlanQuerySet.as_manager()

    constraint_fields = {"improvement_plan_ends_after_start": "ends_on"}

    class Meta:
        ordering = ["-starts_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=F("starts_on")),
                name="improvement_plan_ends_after_start",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("improvement:plan_detail", args=[self.pk])

    def clean(self):
        """The partner body, when named, is one the authority is (or was)
        linked to; the inspection is not after today; the plan ends on or
        after it starts (also a table constraint). Raises ValidationError
        keyed by field."""
        super().clean()
        errors: dict = {}
        if self.commissioning_body_id and self.local_authority_id:
            from commissioning.models import CommissioningLink

            linked = CommissioningLink.objects.filter(
                commissioning_body_id=self.commissioning_body_id,
                local_authority_id=self.local_authority_id,
            ).exists()
            if not linked:
                errors["commissioning_body"] = (
                    "Choose a commissioning body the local authority is linked to"
                )
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            errors["ends_on"] = "The end date must be on or after the start date"
        refuse_future(errors, self, "inspected_on")
        if errors:
            raise ValidationError(errors)


class ActionQuerySet(ScopedQuerySet):
    """Actions are seen with their plan."""

    def scoped_for(self, user):
        return self.filter(plan__in=ImprovementPlan.objects.visible_to(user))

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)

    def overdue(self, today: datetime.date):
        """Open actions past their due date (:func:`improvement.rag.is_overdue`)."""
        return self.open().filter(due_on__lt=today)

    def with_rag(self, today: datetime.date):
        """Each action with ``rag``: :func:`improvement.rag.rating` written
        as a query, so lists filter and count by it in the database. The
        tests check the two agree on every status, due date and override."""
        amber_from = today + datetime.timedelta(days=rag.AMBER_WITHIN_DAYS)
        is_open = Q(status__in=OPEN_STATUSES)
        return self.annotate(
            rag=Case(
                When(status=rag.COMPLETE, then=Value(rag.BLUE)),
                When(~is_open, then=Value(rag.NOT_RATED)),
                When(due_on__lt=today, then=Value(rag.RED)),
                When(~Q(rag_override=""), then=F("rag_override")),
                When(status=rag.NOT_STARTED, due_on__lte=amber_from, then=Value(rag.AMBER)),
                default=Value(rag.GREEN),
                output_field=models.CharField(),
            )
        )


class ImprovementAction(Tracked):
    """One action of a plan."""

    # Checked only when given or changed (ehc.models.base.Tracked.changed).
    CHECKED_WHEN_CHANGED = ("rag_override", "due_on")

    plan = models.ForeignKey(ImprovementPlan, on_delete=models.CASCADE, related_name="actions")
    number = models.CharField(
        "action number",
        max_length=12,
        blank=True,
        help_text="As the plan numbers it, for example 2.3.",
    )
    plan_area = models.CharField("area of the plan", max_length=20, choices=PlanArea.choices)
    title = models.CharField("action", max_length=300)
    success_measure = models.TextField(
        "what success looks like",
        blank=True,
        help_text="The measure or evidence that will show it is done.",
    )
    owner = models.CharField(
        max_length=150,
        help_text="The person or team responsible, for example Designated Clinical Officer.",
    )
    owner_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="improvement_actions",
        verbose_name="owner's portal account",
        help_text="If the owner uses the portal, overdue reminders go to them.",
    )
    due_on = models.DateField("due date")
    status = models.CharField(
        max_length=20, choices=ActionStatus.choices, default=ActionStatus.NOT_STARTED
    )
    completed_on = models.DateField(
        "date completed",
        null=True,
        blank=True,
        help_text="The day it was done. Leave blank for today when you mark it complete now.",
    )
    rag_override = models.CharField(
        "RAG rating override", max_length=10, choices=Rating.choices, blank=True
    )
    rag_reason = models.TextField("reason for the override", blank=True)

    objects = ActionQuerySet.as_manager()

    constraint_fields = {
        "improvement_action_override_has_reason": "rag_reason",
        "improvement_action_completed_when_complete": "completed_on",
        "improvement_action_number_once": "number",
    }

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rag_override="") | ~Q(rag_reason=""),
                name="improvement_action_override_has_reason",
                violation_error_message="Enter the reason for overriding the RAG rating.",
            ),
            models.CheckConstraint(
                condition=Q(status=rag.COMPLETE, completed_on__isnull=False)
                | (~Q(status=rag.COMPLETE) & Q(completed_on__isnull=True)),
                name="improvement_action_completed_when_complete",
                violation_error_message="A complete action has a completion date; others "
                "have none.",
            ),
            models.UniqueConstraint(
                fields=["plan", "number"],
                condition=~Q(number=""),
                name="improvement_action_number_once",
                violation_error_message="Another action of this plan has that number.",
            ),
        ]
        indexes = [
            # The reminder source and the overdue counts read open actions by date.
            models.Index(fields=["status", "due_on"], name="improvement_action_status_due"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    def get_absolute_url(self) -> str:
        return reverse("improvement:action_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def rating(self, today: datetime.date | None = None) -> str:
        """The RAG rating on ``today`` (default the portal's today)."""
        return rag.rating(
            self.status, self.due_on, self.rag_override, today or timezone.localdate()
        )

    def is_overdue(self, today: datetime.date | None = None) -> bool:
        return rag.is_overdue(self.status, self.due_on, today or timezone.localdate())

    def clean(self):
        """An override needs a reason (also a table constraint), and is
        refused when the action is already overdue or closed (it would not
        apply: :func:`improvement.rag.may_override`; an override given
        earlier lapses when the action falls overdue, by the rating's rule);
        the due date is not before the plan starts. Raises ValidationError
        keyed by field."""
        super().clean()
        errors: dict = {}
        today = timezone.localdate()
        if self.rag_override and not self.rag_reason.strip():
            errors["rag_reason"] = "Enter the reason for overriding the RAG rating"
        # Only an override being given now: one that has lapsed since stays
        # on the record (ignored by the rating) and never blocks other edits.
        if self.rag_override and self.status and self.due_on and self.changed("rag_override"):
            if not rag.may_override(self.status, self.due_on, today):
                errors["rag_override"] = (
                    "An overdue or closed action keeps its own rating: to re-plan it, "
                    "change the due date and add a progress note"
                )
        refuse_future(errors, self, "completed_on")
        plan = self.plan if self.plan_id else None
        starts_on = plan.starts_on if plan is not None else None
        if self.completed_on and starts_on and self.completed_on < starts_on:
            errors["completed_on"] = (
                f"The action cannot be completed before the plan starts ({starts_on:%-d %B %Y})"
            )
        if self.due_on and starts_on and self.due_on < starts_on and self.changed("due_on"):
            errors["due_on"] = (
                f"The due date cannot be before the plan starts ({starts_on:%-d %B %Y})"
            )
        if errors:
            raise ValidationError(errors)


class ProgressNote(models.Model):
    """A dated note of progress on an action. Append-only: a note is never
    changed or deleted through the portal; a correction is a later note."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="notes")
    written_on = models.DateField("date of the update")
    text = models.TextField("progress")
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["-written_on", "-pk"]

    def __str__(self) -> str:
        return f"Progress note of {self.written_on:%-d %B %Y}"

    def clean(self):
        """Written by today and not before the action's plan starts. Raises
        ValidationError keyed ``written_on``."""
        errors: dict = {}
        refuse_future(errors, self, "written_on")
        plan = self.action.plan if self.action_id else None
        if "written_on" not in errors and self.written_on and plan and plan.starts_on:
            if self.written_on < plan.starts_on:
                errors["written_on"] = (
                    f"The update cannot be before the plan starts ({plan.starts_on:%-d %B %Y})"
                )
        if errors:
            raise ValidationError(errors)


class EvidenceLink(models.Model):
    """A link from an action to evidence the portal holds (a report, the
    quality audit sample, resourcing): a path inside the portal checked by
    :func:`improvement.evidence.clean_path`, never an address elsewhere."""

    action = models.ForeignKey(ImprovementAction, on_delete=models.CASCADE, related_name="evidence")
    label = models.CharField("what it shows", max_length=200)
    path = models.CharField(
        "address in the portal",
        max_length=500,
        help_text="Copy it from the address bar, for example /reports/quarterly/?period=2026-q1",
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return self.label
