"""The enquiries log: questions local partners put to the designated
officer, the advice given and the follow-up (SEND Code of Practice 2015,
3.45: the DMO/DCO is the point of contact for local partners).

An enquiry belongs to one local authority and, optionally, to one child
of that authority; without a child it is a general enquiry.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from accounts.roles import Role
from core.scoping import ScopedQuerySet
from ehc.models.base import Tracked, areas_of, refuse_future

# Time spent on one enquiry, in minutes: more than 100 hours is a typing
# slip (minutes typed as seconds), not an enquiry.
MAX_MINUTES = 6000


class EnquirySource(models.TextChoices):
    """Who asked: the local partners the Code of Practice (3.45) names."""

    LOCAL_AUTHORITY = "la", "Local authority"
    SCHOOL = "school", "School or setting"
    PARENT = "parent", "Parent or young person"
    PRACTITIONER = "practitioner", "Health practitioner"
    GP = "gp", "GP"
    OTHER = "other", "Other"


class EnquiryTopic(models.TextChoices):
    """What the enquiry is about (docs/enquiries.md, "Topics")."""

    EHC_PROCESS = "ehc_process", "EHC process"
    HEALTH_PROVISION = "health_provision", "Health provision"
    SECTION_23 = "section_23", "Section 23 notification"
    MEDICAL_CONDITIONS = "medical_conditions", "Medical conditions in school"
    TRANSITION = "transition", "Transition"
    COMPLAINT = "complaint", "Complaint"
    TRAINING = "training", "Training"
    OTHER = "other", "Other"


class EnquiryStatus(models.TextChoices):
    OPEN = "open", "Open"
    WAITING = "waiting", "Waiting for a reply"
    CLOSED = "closed", "Closed"


OPEN_STATUSES = (EnquiryStatus.OPEN, EnquiryStatus.WAITING)


class EnquiryQuerySet(ScopedQuerySet):
    """Designated officers see the enquiries of their own local
    authorities; administrators all (``visible_to``); nobody else any."""

    def scoped_for(self, user):
        if user.role == Role.DESIGNATED_OFFICER:
            return self.filter(local_authority__in=areas_of(user))
        return self.none()

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class Enquiry(Tracked):
    """One enquiry to the designated officer and the advice given."""

    local_authority = models.ForeignKey(
        "commissioning.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="enquiries",
        help_text="The local area the enquiry belongs to.",
    )
    child = models.ForeignKey(
        "ehc.Child",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="enquiries",
        help_text="The child or young person it is about; empty for a general enquiry.",
    )
    received_on = models.DateField("date of the enquiry")
    source = models.CharField("from", max_length=20, choices=EnquirySource.choices)
    enquirer_name = models.CharField("name of the person asking", max_length=150, blank=True)
    enquirer_contact = models.CharField(
        "their phone number or email",
        max_length=200,
        blank=True,
        help_text="Only if you need to reply.",
    )
    organisation = models.CharField(
        max_length=200, blank=True, help_text="The school, practice, service or LA team."
    )
    topic = models.CharField(max_length=30, choices=EnquiryTopic.choices)
    question = models.TextField("what they asked")
    advice_given = models.TextField("advice given", blank=True)
    minutes_spent = models.PositiveIntegerField(
        "time spent, in minutes",
        default=0,
        validators=[MaxValueValidator(MAX_MINUTES)],
        help_text="All the time spent on it so far, for example 45.",
    )
    follow_up_on = models.DateField(
        "follow-up date",
        null=True,
        blank=True,
        help_text="If you need to come back to it. It reaches your daily reminder email.",
    )
    status = models.CharField(
        max_length=10, choices=EnquiryStatus.choices, default=EnquiryStatus.OPEN
    )

    objects = EnquiryQuerySet.as_manager()

    constraint_fields = {
        "enquiry_follow_up_after_received": "follow_up_on",
        "enquiry_minutes_in_range": "minutes_spent",
    }

    class Meta:
        ordering = ["-received_on", "-pk"]
        verbose_name = "enquiry"
        verbose_name_plural = "enquiries"
        constraints = [
            models.CheckConstraint(
                condition=Q(follow_up_on__isnull=True)
                | Q(follow_up_on__gte=models.F("received_on")),
                name="enquiry_follow_up_after_received",
                violation_error_message="The follow-up date must be on or after the "
                "date of the enquiry.",
            ),
            models.CheckConstraint(
                condition=Q(minutes_spent__lte=MAX_MINUTES),
                name="enquiry_minutes_in_range",
                violation_error_message=f"Enter a time of {MAX_MINUTES} minutes or less.",
            ),
        ]
        indexes = [
            # The follow-up reminders and the worklist read open enquiries by date.
            models.Index(fields=["status", "follow_up_on"], name="enquiry_status_follow_up"),
        ]

    def __str__(self) -> str:
        return f"Enquiry {self.reference}"

    @property
    def reference(self) -> str:
        return f"E{self.pk}" if self.pk else "new"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def get_absolute_url(self) -> str:
        return reverse("enquiries:enquiry_detail", args=[self.pk])

    def clean(self):
        """The child, when named, is one of the enquiry's local authority
        (an enquiry belongs to one area); the enquiry's date is not after
        today; a follow-up comes on or after the enquiry (also a table
        constraint). Raises ValidationError keyed by field."""
        super().clean()
        errors: dict = {}
        if self.child_id and self.local_authority_id:
            if self.child.local_authority_id != self.local_authority_id:
                errors["local_authority"] = (
                    "Choose the local authority of the child or young person"
                )
        if self.received_on and self.follow_up_on and self.follow_up_on < self.received_on:
            errors["follow_up_on"] = (
                "The follow-up date must be on or after the date of the enquiry"
            )
        refuse_future(errors, self, "received_on")
        if errors:
            raise ValidationError(errors)
