"""Casework: the child, the LA's request for health advice and each
service's contribution to it (the advice itself is in
:mod:`ehc.models.advice`).

The 6-week clock runs from the day the health body received the request
(``received_on``); its last day is stored as ``due_on`` on the request and
on each contribution, so that worklists and reminders select by an indexed
date.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from core.scoping import ScopedQuerySet
from ehc import clock
from ehc.identifiers import format_nhs_number, nhs_number_problem, normalise_nhs_number
from ehc.models.base import Tracked, areas_of, refuse_future
from ehc.models.choices import (
    OPEN_STATUSES,
    PROCESS_BY_LABEL,
    LateReason,
    LeftOutstanding,
    Outcome,
    PrimaryNeed,
    Process,
    Reg8Exception,
    RequestStatus,
)

# --- Children ---------------------------------------------------------------------------


class ChildQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        if user.role in (Role.DESIGNATED_OFFICER, Role.LA_OFFICER):
            return self.filter(local_authority__in=areas_of(user))
        if user.role == Role.HEALTH_PRACTITIONER:
            asked = Contribution.objects.filter(service__in=user.services.values("pk"))
            return self.filter(pk__in=asked.values("request__child_id"))
        return self.none()  # commissioners never see a child


# National curriculum year groups a child's record may hold (reception is 0).
YEAR_GROUPS = [(0, "Reception")] + [(n, f"Year {n}") for n in range(1, 15)]


class Child(Tracked):
    """A child or young person (0 to 25) the local authority asked about."""

    # The area is checked only when it changes (``ehc.services.update_child``);
    # a recorded year group is dated when it changes (``save``).
    CHECKED_WHEN_CHANGED = ("local_authority_id", "year_group")

    local_authority = models.ForeignKey(
        "commissioning.LocalAuthority", on_delete=models.PROTECT, related_name="children"
    )
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    la_reference = models.CharField(
        "LA reference", max_length=40, blank=True, help_text="The local authority's own reference."
    )
    given_name = models.CharField("first name", max_length=100)
    family_name = models.CharField("last name", max_length=100)
    date_of_birth = models.DateField()
    primary_need = models.CharField(
        max_length=4, choices=PrimaryNeed.choices, default=PrimaryNeed.NOT_KNOWN
    )
    looked_after = models.BooleanField("looked after", default=False)
    electively_home_educated = models.BooleanField(default=False)
    known_to_youth_justice = models.BooleanField(default=False)
    continuing_care = models.BooleanField(
        "eligible for continuing care",
        default=False,
        help_text="Assessed as eligible for children and young people's continuing care "
        "(or NHS Continuing Healthcare from 18).",
    )
    year_group = models.SmallIntegerField(
        "year group",
        choices=YEAR_GROUPS,
        null=True,
        blank=True,
        help_text="Only if the child is taught out of the year group for their age: "
        "otherwise the portal works it out from the date of birth.",
    )
    year_group_recorded_on = models.DateField(null=True, blank=True, editable=False)
    date_of_death = models.DateField(
        "date of death",
        null=True,
        blank=True,
        help_text="Only if the child or young person has died. The records are then kept "
        "8 years after the death (NHS Records Management Code of Practice).",
    )

    objects = ChildQuerySet.as_manager()

    constraint_fields = {
        "child_unique_nhs_number_per_la": "nhs_number",
        "child_unique_la_reference": "la_reference",
    }

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = "child or young person"
        verbose_name_plural = "children and young people"
        indexes = [
            # Lists sorted by name (the children list; the worklist's Child
            # column) read it in order instead of sorting every child.
            models.Index(fields=["family_name", "given_name", "id"], name="child_name"),
            # The API lists by last change (api.pagination.LastChangeCursor):
            # LA systems poll ``since`` their last call.
            models.Index(fields=["updated_at", "id"], name="child_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "nhs_number"],
                condition=~Q(nhs_number=""),
                name="child_unique_nhs_number_per_la",
                violation_error_message="A child with this NHS number is already recorded "
                "in this local authority.",
            ),
            models.UniqueConstraint(
                fields=["local_authority", "la_reference"],
                condition=~Q(la_reference=""),
                name="child_unique_la_reference",
                violation_error_message="A child with this LA reference is already recorded.",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        if self.year_group is None:
            self.year_group_recorded_on = None
        elif self.changed("year_group") or self.year_group_recorded_on is None:
            self.year_group_recorded_on = timezone.localdate()
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "year_group_recorded_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("ehc:child_detail", args=[self.pk])

    def clean_fields(self, exclude=None):
        # The NHS number is checked whole by clean(), with one message, after
        # the spaces people type are taken out.
        super().clean_fields(exclude={*(exclude or ()), "nhs_number"})

    def clean(self):
        """The NHS number's checksum (NHS Data Dictionary, modulus 11), and
        an age the portal records: born by today, 25 or under today. Raises
        ValidationError keyed by field."""
        super().clean()
        errors = {}
        if self.nhs_number:
            self.nhs_number = normalise_nhs_number(self.nhs_number)
            problem = nhs_number_problem(self.nhs_number)
            if problem:
                errors["nhs_number"] = problem
        if self.date_of_birth and clock.over_age_limit(self.date_of_birth, timezone.localdate()):
            errors["date_of_birth"] = (
                "The portal records children and young people up to 25. Check the year."
            )
        refuse_future(errors, self, "date_of_birth")
        if errors:
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def initials(self) -> str:
        return f"{self.given_name[:1]}{self.family_name[:1]}".upper()

    @property
    def nhs_number_display(self) -> str:
        return format_nhs_number(self.nhs_number) if self.nhs_number else ""

    # Derived facts shown on screen, as at ``on`` (default today).
    def age(self, on: datetime.date | None = None) -> int:
        return clock.age_on(self.date_of_birth, on or timezone.localdate())

    def is_child(self, on: datetime.date | None = None) -> bool:
        return clock.is_child(self.date_of_birth, on or timezone.localdate())

    def under_compulsory_school_age(self, on: datetime.date | None = None) -> bool:
        return clock.under_compulsory_school_age(self.date_of_birth, on or timezone.localdate())

    def year_group_on(self, on: datetime.date | None = None) -> int:
        """The child's year group on ``on`` (default today; reception is 0):
        the recorded one, moved up each September since it was recorded,
        else the one for their age (:func:`ehc.clock.year_group`)."""
        on = on or timezone.localdate()
        if self.year_group is not None and self.year_group_recorded_on is not None:
            return clock.recorded_year_group_on(self.year_group, self.year_group_recorded_on, on)
        return clock.year_group(self.date_of_birth, on)

    def preparing_for_adulthood(self, on: datetime.date | None = None) -> bool:
        """From year 9 (SEND Regulations 2014 reg 20(6)), in the year group
        of :meth:`year_group_on` (recorded, else derived from the date of
        birth), not from the 14th birthday."""
        on = on or timezone.localdate()
        return clock.preparing_for_adulthood(
            self.date_of_birth, on, recorded_year_group=self.year_group_on(on)
        )

    def in_adult_transition(self, on: datetime.date | None = None) -> bool:
        return 18 <= self.age(on) <= 25

    @property
    def flags(self) -> list[str]:
        labels = []
        if self.looked_after:
            labels.append("Looked after")
        if self.electively_home_educated:
            labels.append("Electively home educated")
        if self.known_to_youth_justice:
            labels.append("Known to youth justice")
        if self.continuing_care:
            labels.append("Eligible for continuing care")
        return labels


# --- Requests and contributions ------------------------------------------------------------


class HealthAdviceRequestQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        if user.role in (Role.DESIGNATED_OFFICER, Role.LA_OFFICER):
            return self.filter(local_authority__in=areas_of(user))
        if user.role == Role.HEALTH_PRACTITIONER:
            asked = Contribution.objects.filter(service__in=user.services.values("pk"))
            return self.filter(pk__in=asked.values("request_id"))
        return self.none()

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class HealthAdviceRequest(Tracked):
    """The LA's request to health for advice about one child for one process."""

    # Rules run only when these change (``ehc.services.update_request``).
    CHECKED_WHEN_CHANGED = ("sent_on", "owner_id", "received_on", "process", "review_id")

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="requests")
    local_authority = models.ForeignKey(
        "commissioning.LocalAuthority", on_delete=models.PROTECT, related_name="advice_requests"
    )
    la_reference = models.CharField(
        "LA request reference", max_length=40, blank=True, help_text="The LA's case reference."
    )
    process = models.CharField(max_length=20, choices=Process.choices)
    sent_on = models.DateField("date the LA sent the request")
    received_on = models.DateField(
        "date health received the request",
        help_text="The 6-week clock starts on this day.",
    )
    due_on = models.DateField("advice due", editable=False)
    review = models.ForeignKey(
        "ehc.ReviewInput",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        help_text="For an annual or phase transfer review: the record of health's input "
        "to that review, which holds the meeting date the advice is due before.",
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="owned_requests",
        limit_choices_to={"role": Role.DESIGNATED_OFFICER},
        help_text="The designated officer who follows this request.",
    )
    status = models.CharField(
        max_length=10, choices=RequestStatus.choices, default=RequestStatus.AWAITING
    )
    closed_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    # The worklist's stored keys (docs/ehc.md, "The worklist's order";
    # docs/performance.md): derived from the request's own rows and its
    # contributions, never from today's date, so a stored copy stays right
    # until one of those rows changes. Written only by
    # ehc.services.urgency.refresh_urgency, which every service that changes
    # them calls; the rules are ehc.selectors.with_worklist_keys.
    urgency = models.IntegerField(
        default=0,
        editable=False,
        help_text="The worklist's 'most urgent first' key (ehc.selectors.with_urgency), "
        "stored so that the order is indexable.",
    )
    working_due_on = models.DateField(
        "earliest working date owed",
        editable=False,
        help_text="The earliest working date (return by, else due) of the services still "
        "owed, else the advice due date: what the worklist's Due column sorts by.",
    )
    # The two dates "overdue" and "due within" compare with today
    # (ehc.selectors.overdue, due_within); with nobody asked yet, the
    # request's own due date; None when no service is owed.
    due_owed_on = models.DateField(
        "earliest due date owed",
        null=True,
        editable=False,
        help_text="The earliest statutory due date of the services still owed.",
    )
    due_unexcused_on = models.DateField(
        "earliest due date owed without an exception",
        null=True,
        editable=False,
        help_text="The earliest statutory due date of the services still owed that have no "
        "reg 8(2) exception: past it, an awaiting request is overdue.",
    )
    has_lawful_exception = models.BooleanField(
        "lawful exception",
        default=False,
        editable=False,
        help_text="A service with a reg 8(2) exception still owes its advice, or returned it "
        "late (ehc.selectors.lawful_exception).",
    )

    objects = HealthAdviceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-due_on", "-pk"]
        verbose_name = "health advice request"
        indexes = [
            models.Index(
                fields=["local_authority", "status", "due_on"], name="request_la_status_due"
            ),
            models.Index(fields=["status", "due_on"], name="request_status_due"),
            models.Index(fields=["owner", "status", "due_on"], name="request_owner_status_due"),
            models.Index(fields=["received_on"], name="request_received"),
            # The daily reminders read requests edited since their last run. Not
            # partial (status = awaiting): the planner would take a small index
            # of every awaiting request for any read of awaiting requests.
            models.Index(fields=["updated_at"], name="request_updated"),
            # The worklist picks a page of ids in its chosen order from these
            # (docs/performance.md, "The worklist"): area-scoped users by
            # area, administrators and practitioners across areas.
            models.Index(fields=["local_authority", "urgency", "id"], name="request_la_urgency"),
            models.Index(
                fields=["local_authority", "working_due_on", "id"], name="request_la_working_due"
            ),
            models.Index(fields=["urgency", "id"], name="request_urgency"),
            # The daily reminders read an awaiting request's owner's and
            # area's lines by its stored dates (docs/reminders.md, "Reading
            # only what changed"). Whole indexes led by the status, not
            # partial ones of awaiting requests: the planner would take a
            # small index of every awaiting request for any read of
            # awaiting requests (the worklist's overdue filter), and misjudge
            # how many rows a partial one holds. Each includes the other
            # columns that read selects, so PostgreSQL answers it from the
            # index alone (an index-only scan) instead of a heap page per
            # request (the national daily read: 33 to 21 ms).
            models.Index(
                fields=["status", "working_due_on"],
                include=["id", "due_owed_on", "local_authority", "owner"],
                name="request_status_work",
            ),
            models.Index(
                fields=["status", "due_owed_on"],
                include=["id", "working_due_on", "local_authority", "owner"],
                name="request_status_owed",
            ),
            # The Process column sorts by the process's words, not its code.
            models.Index(
                models.F("local_authority"),
                PROCESS_BY_LABEL,
                models.F("id"),
                name="request_la_process_label",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(received_on__gte=models.F("sent_on")),
                name="request_received_after_sent",
                violation_error_message="Health cannot receive the request before the LA sent it.",
            ),
            models.CheckConstraint(
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=models.F("received_on")),
                name="request_closed_after_received",
                violation_error_message="A request cannot close before health received it.",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        """Set what a save derives: the due date (:meth:`compute_due_on`)
        and the child's local authority when none is given. A bulk insert,
        which calls no ``save()``, calls this itself."""
        self.due_on = self.compute_due_on()
        if self.local_authority_id is None and self.child_id:
            self.local_authority_id = self.child.local_authority_id
        if self.working_due_on is None:
            # Nobody asked yet: its own due date, until refresh_urgency runs.
            self.working_due_on = self.due_on

    def get_absolute_url(self) -> str:
        return reverse("ehc:request_detail", args=[self.pk])

    def clean(self):
        """Date order and range: received on or after sent, neither after
        today; sent after the EHC system began (September 2014); the young
        person 25 or under on the day health received it; a linked review
        only on a review request, and of the same child. Raises
        ValidationError keyed by field."""
        super().clean()
        errors = {}
        sent, received = self.sent_on, self.received_on
        if sent and received and received < sent:
            errors["received_on"] = (
                "The date health received the request must be on or after the date the LA sent it"
            )
        if sent and clock.before_ehc_system(sent):
            errors["sent_on"] = "EHC plans began in September 2014: check the year"
        if (
            received
            and self.child_id
            and "received_on" not in errors
            and clock.over_age_limit(self.child.date_of_birth, received)
        ):
            errors["received_on"] = "The young person was over 25 on this date"
        if self.review_id and self.changed("review_id", "process"):
            if self.process not in clock.REVIEW_PROCESSES:
                errors["review"] = "Only a request for an annual or phase transfer review has one"
            elif self.child_id and self.review.child_id != self.child_id:
                errors["review"] = "Choose a review of this child or young person"
        refuse_future(errors, self, "sent_on", "received_on")
        if errors:
            raise ValidationError(errors)

    def compute_due_on(self) -> datetime.date:
        """The request's due date (:func:`ehc.clock.advice_due`): 2 weeks
        before the linked review's meeting, else 6 weeks from receipt."""
        meeting_on = self.review.meeting_on if self.review_id else None
        return clock.advice_due(self.process, self.received_on, meeting_on)

    @property
    def reference(self) -> str:
        return f"HA-{self.pk:06d}" if self.pk else "HA-new"

    @property
    def is_review(self) -> bool:
        return self.process in clock.REVIEW_PROCESSES

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_left(self, today: datetime.date | None = None) -> int:
        return clock.days_remaining(self.due_on, today or timezone.localdate())


def service_problem(service, local_authority_id: int, *, covers: bool | None = None) -> str:
    """Why ``service`` cannot be asked for advice about a child in the local
    authority ``local_authority_id`` ("" when it can): it must be active and
    cover that area (the services a DCO is offered). One query, unless the
    caller already knows whether it ``covers`` the area."""
    if not service.is_active:
        return f"{service.name} is no longer active: choose another service"
    if covers is None:
        covers = service.local_authorities.filter(pk=local_authority_id).exists()
    if not covers:
        return f"{service.name} does not cover the child's local authority"
    return ""


class ContributionQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        if user.role in (Role.DESIGNATED_OFFICER, Role.LA_OFFICER):
            return self.filter(request__local_authority__in=areas_of(user))
        if user.role == Role.HEALTH_PRACTITIONER:
            return self.filter(service__in=user.services.values("pk"))
        return self.none()

    def outstanding(self):
        """Still owed: not returned, and not left outstanding when the
        request was withdrawn or closed (the one marker,
        :class:`~ehc.models.choices.LeftOutstanding`)."""
        return self.filter(returned_on__isnull=True, left_outstanding="")

    def excepted(self):
        """With a recorded reg 8(2) exception (advice still owed, lawfully late)."""
        return self.exclude(exception="")


class Contribution(Tracked):
    """One service's part of a request: asked, returned, with what outcome."""

    request = models.ForeignKey(
        HealthAdviceRequest, on_delete=models.CASCADE, related_name="contributions"
    )
    service = models.ForeignKey(
        "commissioning.Service", on_delete=models.PROTECT, related_name="contributions"
    )
    # The request's local authority, copied so that the reports select a
    # scope's contributions by area and date from one index, without reading
    # the whole country's rows in the date range to join them to their
    # requests (docs/performance.md). A request's area never changes once
    # logged (ehc.checks.REQUEST_FIELDS leaves it out; a child's area cannot
    # change while the child has requests elsewhere), so the copy set on
    # creation (set_due_dates) stays exact.
    local_authority = models.ForeignKey(
        "commissioning.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        db_index=False,  # the indexes below lead with it
    )
    asked_on = models.DateField("date the service was asked")
    received_on = models.DateField(
        "date the service received the LA's request",
        null=True,
        blank=True,
        help_text="Only when the LA asked this service directly: its 6 weeks run from this day.",
    )
    due_on = models.DateField("advice due", editable=False)
    return_by = models.DateField(
        "return by",
        null=True,
        blank=True,
        help_text="An earlier date you ask the service to return by, so there is time to "
        "check the advice. Reminders and the worklist use it; the statutory figures never do.",
    )
    # The date work is chased by: return_by when set, otherwise due_on.
    working_due_on = models.DateField("return by or due", editable=False)
    left_outstanding = models.CharField(
        max_length=10, choices=LeftOutstanding.choices, blank=True, editable=False
    )
    returned_on = models.DateField("date returned", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    declined_reason = models.TextField("reason for declining", blank=True)
    late_reason = models.CharField(max_length=24, choices=LateReason.choices, blank=True)
    late_note = models.TextField("more about the delay", blank=True)
    exception = models.CharField(
        "reg 8(2) exception", max_length=32, choices=Reg8Exception.choices, blank=True
    )
    exception_evidence = models.TextField("evidence for the exception", blank=True)
    exception_on = models.DateField(
        "date of the absence or missed appointment",
        null=True,
        blank=True,
        help_text="For (b) the first day away from the area; for (c) the day of the "
        "missed appointment. It must fall within the 6 weeks.",
    )
    exception_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    exception_recorded_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = ContributionQuerySet.as_manager()

    constraint_fields = {"contribution_one_per_service": "service"}

    # Rules checked only when these change (or the contribution is new), so
    # that an old row broken by a later edit of its request can still have
    # its return or exception recorded.
    CHECKED_WHEN_CHANGED = (
        "asked_on",
        "received_on",
        "return_by",
        "returned_on",
        "late_reason",
        "late_note",
        "exception",
        "exception_on",
    )

    class Meta:
        ordering = ["service__name", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(returned_on__isnull=True, left_outstanding=""),
                name="contribution_outstanding_due",
            ),
            # With what the daily reminder read selects (PostgreSQL reads
            # it from the index alone; SQLite keeps the key only).
            models.Index(
                fields=["working_due_on"],
                condition=Q(returned_on__isnull=True, left_outstanding=""),
                include=["id", "request", "service"],
                name="contribution_outstanding_work",
            ),
            models.Index(fields=["service", "returned_on"], name="contribution_service_returned"),
            # The reports read contributions by due and returned date ranges.
            models.Index(fields=["due_on"], name="contribution_due"),
            models.Index(fields=["returned_on"], name="contribution_returned"),
            # ... and a scope's authorities by those dates (the reports'
            # parts: due in range, returned in range, still owed).
            models.Index(fields=["local_authority", "due_on"], name="contribution_la_due"),
            models.Index(
                fields=["local_authority", "returned_on"], name="contribution_la_returned"
            ),
            models.Index(
                fields=["local_authority", "due_on"],
                condition=Q(returned_on__isnull=True),
                name="contribution_la_unreturned",
            ),
            # The daily reminders read contributions edited since their last run.
            models.Index(fields=["updated_at"], name="contribution_updated"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["request", "service"],
                name="contribution_one_per_service",
                violation_error_message="This service has already been asked for this request.",
            ),
            models.CheckConstraint(
                condition=Q(returned_on__isnull=True) | Q(returned_on__gte=models.F("asked_on")),
                name="contribution_returned_after_asked",
                violation_error_message="Advice cannot be returned before the service was asked.",
            ),
            models.CheckConstraint(
                condition=(Q(returned_on__isnull=True) & Q(outcome=""))
                | (Q(returned_on__isnull=False) & ~Q(outcome="")),
                name="contribution_outcome_when_returned",
                violation_error_message="Give both the date returned and the outcome.",
            ),
            models.CheckConstraint(
                condition=~Q(outcome=Outcome.DECLINED) | ~Q(declined_reason=""),
                name="contribution_declined_has_reason",
                violation_error_message="Say why the service declined.",
            ),
            models.CheckConstraint(
                condition=Q(exception="") | ~Q(exception_evidence=""),
                name="contribution_exception_has_evidence",
                violation_error_message="Record the evidence for the exception.",
            ),
            models.CheckConstraint(
                condition=Q(return_by__isnull=True) | Q(return_by__lte=models.F("due_on")),
                name="contribution_return_by_not_after_due",
                violation_error_message="The return-by date cannot be after the due date.",
            ),
            models.CheckConstraint(
                condition=Q(exception="") | Q(exception__in=[c.value for c in Reg8Exception]),
                name="contribution_exception_lawful",
                violation_error_message="Only the three reg 8(2) reasons are exceptions.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} for {self.request}"

    # Whether the service covers the request's area, when the caller already
    # knows (a bulk insert loads it for every service at once): then clean()
    # asks the database nothing. None: clean() asks.
    covers_area: bool | None = None

    def save(self, *args, **kwargs):
        if self.request_id:
            self.set_due_dates()
        super().save(*args, **kwargs)

    def set_due_dates(self) -> None:
        """Statutory due date (:func:`ehc.clock.contribution_due`: from the
        day this service received the LA's request when the LA asked it
        directly, else the request's), and the working date reminders and
        the worklist chase by (the internal return-by date, if earlier);
        and the request's local authority, which the contribution copies."""
        request = self.request
        self.local_authority_id = request.local_authority_id
        self.due_on = clock.contribution_due(request.process, request.due_on, self.received_on)
        due = self.due_on
        self.working_due_on = min(self.return_by, due) if self.return_by else due

    def get_absolute_url(self) -> str:
        return reverse("ehc:request_detail", args=[self.request_id]) + f"#contribution-{self.pk}"

    @property
    def clock_started_on(self) -> datetime.date | None:
        """The day this service's clock started: the day it received the LA's
        request when asked directly, else the day health received it."""
        if self.received_on:
            return self.received_on
        return self.request.received_on if self.request_id else None

    def clean(self):
        """A new contribution asks an active service covering the request's
        area. Asked on or after the LA sent the request (and, when the
        health body asked it, after health received it); received, when the
        LA asked directly, on or after asked; an internal return-by date
        between asking and the statutory due date; returned on or after
        asked; none after today; returned after the due date says
        why (reg 8(1): the 6 weeks; "other" needs a note); a decline says
        why; a reg 8(2) exception has its evidence and, for (b) and (c), the
        date of the absence or missed appointment within the 6 weeks. The date and lateness
        rules are checked when those fields change (see
        :attr:`CHECKED_WHEN_CHANGED`). Raises ValidationError keyed by
        field, all of the record's problems at once."""
        super().clean()
        errors = {}
        if self.request_id:
            self.set_due_dates()
        if self._state.adding and self.service_id and self.request_id:
            problem = service_problem(
                self.service, self.request.local_authority_id, covers=self.covers_area
            )
            if problem:
                errors["service"] = problem
        if self.request_id and self.changed("asked_on", "received_on"):
            errors |= self._asking_date_problems()
        if self.changed("return_by", "asked_on", "received_on") and self.return_by:
            errors |= self._return_by_problems()
        if self.returned_on and self.asked_on and self.returned_on < self.asked_on:
            errors["returned_on"] = (
                f"The return cannot be before the service was asked ({self.asked_on:%-d %B %Y})"
            )
        if self.changed("asked_on", "returned_on"):
            refuse_future(errors, self, "asked_on", "returned_on")
        if self.outcome == Outcome.DECLINED and not self.declined_reason.strip():
            errors["declined_reason"] = "Say why the service declined"
        if self.is_late and self.changed("returned_on", "late_reason", "late_note"):
            if not self.late_reason:
                errors["late_reason"] = "Choose why the advice was late"
            elif self.late_reason == LateReason.OTHER and not self.late_note.strip():
                errors["late_note"] = "Say why the advice was late"
        if self.exception and not self.exception_evidence.strip():
            errors["exception_evidence"] = "Record the evidence for the exception"
        if self.changed("exception", "exception_on", "asked_on", "received_on"):
            errors |= self._exception_date_problems()
        if errors:
            raise ValidationError(errors)

    def _asking_date_problems(self) -> dict[str, str]:
        """A service the LA asked directly: asked on or after the LA sent the
        request, received on or after it was asked. A service the health
        body asked: asked on or after health received the request."""
        request, asked, received = self.request, self.asked_on, self.received_on
        errors: dict[str, str] = {}
        if asked and asked < request.sent_on:
            errors["asked_on"] = (
                "The service cannot be asked before the LA sent the request "
                f"({request.sent_on:%-d %B %Y})"
            )
        elif asked and received is None and asked < request.received_on:
            errors["asked_on"] = (
                "Health cannot ask a service before it received the request "
                f"({request.received_on:%-d %B %Y}). If the LA asked this service directly, "
                "give the date the service received the LA's request"
            )
        if received and asked and received < asked:
            errors["received_on"] = (
                f"The service cannot receive the request before it was asked ({asked:%-d %B %Y})"
            )
        refuse_future(errors, self, "received_on")
        return errors

    def _return_by_problems(self) -> dict[str, str]:
        """An internal return-by date falls between asking and the statutory
        due date (it may be earlier than the law, never later). The due date
        is the one :meth:`clean` has just set."""
        if self.asked_on and self.return_by < self.asked_on:
            return {"return_by": "The return-by date must be on or after the day it was asked"}
        if self.due_on and self.return_by > self.due_on:
            return {
                "return_by": "The return-by date must be on or before the statutory due date "
                f"({self.due_on:%-d %B %Y})"
            }
        return {}

    def _exception_date_problems(self) -> dict[str, str]:
        """For reg 8(2)(b) and (c) the day of the absence or the missed
        appointment is recorded and falls within the 6 weeks (SEND
        Regulations 2014 reg 8(2): the exception applies only to what
        happened in that period)."""
        needs_date = self.exception in (
            Reg8Exception.ABSENT_FROM_AREA,
            Reg8Exception.MISSED_APPOINTMENT,
        )
        if not needs_date:
            return {}
        what = (
            "the absence began"
            if self.exception == Reg8Exception.ABSENT_FROM_AREA
            else "of the missed appointment"
        )
        if self.exception_on is None:
            return {"exception_on": f"Give the date {what}"}
        if not self.request_id:
            return {}
        started = self.clock_started_on  # due_on as clean() has just set it
        if not clock.exception_date_in_window(self.exception_on, started, self.due_on):
            return {
                "exception_on": f"The date {what} must fall within the 6 weeks, between "
                f"{started:%-d %B %Y} and {self.due_on:%-d %B %Y}"
            }
        return {}

    @property
    def is_returned(self) -> bool:
        return self.returned_on is not None

    @property
    def is_late(self) -> bool:
        return (
            self.returned_on is not None
            and self.due_on is not None
            and self.returned_on > self.due_on
        )

    def lawfully_late(self, today: datetime.date | None = None) -> bool:
        """Past its due date (returned late, or still owed after it) with a
        reg 8(2) exception recorded: shown as "late: lawful exception", not
        as overdue. The advice is still owed."""
        if not self.exception or self.due_on is None:
            return False
        if self.returned_on is not None:
            return self.returned_on > self.due_on
        return (today or timezone.localdate()) > self.due_on

    @property
    def exception_letter(self) -> str:
        """ "a", "b" or "c" for the recorded reg 8(2) exception ("" without)."""
        letters = {
            Reg8Exception.EXCEPTIONAL_CIRCUMSTANCES: "a",
            Reg8Exception.ABSENT_FROM_AREA: "b",
            Reg8Exception.MISSED_APPOINTMENT: "c",
        }
        return letters.get(self.exception, "")

    def days_left(self, today: datetime.date | None = None) -> int:
        return clock.days_remaining(self.due_on, today or timezone.localdate())

    def timely(self, *, excluding_exceptions: bool) -> bool | None:
        return clock.counts_as_timely(
            self.due_on, self.returned_on, self.exception, excluding_exceptions=excluding_exceptions
        )
