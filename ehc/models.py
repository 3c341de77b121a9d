"""Children and young people, the health advice asked about them, and what
health owes the rest of the SEND process (domain.md, "The EHC process").

The unit of work is a :class:`HealthAdviceRequest`: the local authority asks
health for advice about one child for one process. Each service asked is a
:class:`Contribution` with its own return; each returned contribution may
carry :class:`Advice` (with structured :class:`ProvisionItem` rows) and a
:class:`QualityReview`. The 6-week clock runs from the day the health body
received the request (``received_on``); its last day is stored as
``due_on`` on the request and on each contribution, so that worklists and
reminders select by an indexed date.

Records people edit carry a ``version``: a save based on an older version
is refused (see :func:`ehc.services.save_versioned`).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.scoping import ScopedQuerySet, local_authority_ids_for
from ehc import clock
from ehc.identifiers import format_nhs_number, nhs_number_problem, normalise_nhs_number

# --- Codes ----------------------------------------------------------------------------


class PrimaryNeed(models.TextChoices):
    """SEN2 primary need codes (domain.md, "Codes that match national data")."""

    ASD = "ASD", "Autistic spectrum disorder (ASD)"
    SLCN = "SLCN", "Speech, language and communication needs (SLCN)"
    SEMH = "SEMH", "Social, emotional and mental health (SEMH)"
    MLD = "MLD", "Moderate learning difficulty (MLD)"
    SLD = "SLD", "Severe learning difficulty (SLD)"
    PMLD = "PMLD", "Profound and multiple learning difficulty (PMLD)"
    SPLD = "SPLD", "Specific learning difficulty (SPLD)"
    PD = "PD", "Physical disability (PD)"
    HI = "HI", "Hearing impairment (HI)"
    VI = "VI", "Vision impairment (VI)"
    MSI = "MSI", "Multi-sensory impairment (MSI)"
    DS = "DS", "Down syndrome (DS)"
    OTH = "OTH", "Other difficulty or disability (OTH)"
    NOT_KNOWN = "NK", "Not known yet"


class Process(models.TextChoices):
    """The part of the SEND process a request for health advice serves."""

    NEEDS_ASSESSMENT = "needs_assessment", "New EHC needs assessment"
    REASSESSMENT = "reassessment", "Reassessment"
    ANNUAL_REVIEW = "annual_review", "Annual review"
    PHASE_TRANSFER = "phase_transfer", "Phase transfer review"
    MEDIATION = "mediation", "Mediation"
    TRIBUNAL = "tribunal", "Tribunal"


class RequestStatus(models.TextChoices):
    AWAITING = "awaiting", "Awaiting advice"
    RETURNED = "returned", "All returned"
    CLOSED = "closed", "Closed"
    WITHDRAWN = "withdrawn", "Withdrawn"


OPEN_STATUSES = (RequestStatus.AWAITING, RequestStatus.RETURNED)


class Outcome(models.TextChoices):
    """What a service sent back."""

    ADVICE_GIVEN = "advice_given", "Advice given"
    NOT_KNOWN = "not_known", "Child or young person not known to the service"
    NO_HEALTH_NEEDS = "no_health_needs", "No health needs identified"
    DECLINED = "declined", "Declined"


class LateReason(models.TextChoices):
    """Why a contribution came back after its due date (docs/ehc.md).

    None of these stops the clock: only the three reg 8(2) exceptions do.
    """

    WAITING_LIST = "waiting_list", "Waiting list for assessment"
    STAFFING = "staffing", "Staff shortage or absence"
    REQUEST_INCOMPLETE = "request_incomplete", "LA request incomplete or without consent"
    FORWARDED_LATE = "forwarded_late", "Request reached the service late"
    APPOINTMENT_CAPACITY = "appointment_capacity", "No appointment available in time"
    ADMINISTRATIVE = "administrative", "Administrative delay"
    OTHER = "other", "Other (say why in the note)"


class Reg8Exception(models.TextChoices):
    """The only lawful exceptions to the 6-week limit (reg 8(2))."""

    EXCEPTIONAL_CIRCUMSTANCES = (
        clock.Reg8Exception.EXCEPTIONAL_CIRCUMSTANCES.value,
        "(a) Exceptional circumstances affecting the child, young person or parent",
    )
    ABSENT_FROM_AREA = (
        clock.Reg8Exception.ABSENT_FROM_AREA.value,
        "(b) Child, young person or parent away from the area for 4 weeks or more in a row",
    )
    MISSED_APPOINTMENT = (
        clock.Reg8Exception.MISSED_APPOINTMENT.value,
        "(c) Child or young person missed an appointment for an examination or test",
    )


class ProvisionSection(models.TextChoices):
    F = "F", "Section F (special educational provision)"
    G = "G", "Section G (health provision)"


class Rating(models.TextChoices):
    RED = "red", "Red"
    AMBER = "amber", "Amber"
    GREEN = "green", "Green"


class BudgetOutcome(models.TextChoices):
    UNDER_CONSIDERATION = "under_consideration", "Under consideration"
    AGREED = "agreed", "Agreed"
    DECLINED_BY_FAMILY = "declined_by_family", "Declined by the family"
    NOT_AGREED = "not_agreed", "Not agreed"


# --- Base -----------------------------------------------------------------------------


class Tracked(models.Model):
    """Edit version and timestamps for records people change."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


def _areas(user):
    return local_authority_ids_for(user)


# --- Children ---------------------------------------------------------------------------


class ChildQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        if user.role in (Role.DESIGNATED_OFFICER, Role.LA_OFFICER):
            return self.filter(local_authority__in=_areas(user))
        if user.role == Role.HEALTH_PRACTITIONER:
            asked = Contribution.objects.filter(service__in=user.services.values("pk"))
            return self.filter(pk__in=asked.values("request__child_id"))
        return self.none()  # commissioners never see a child


class Child(Tracked):
    """A child or young person (0 to 25) the local authority asked about."""

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

    objects = ChildQuerySet.as_manager()

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name = "child or young person"
        verbose_name_plural = "children and young people"
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

    def get_absolute_url(self) -> str:
        return reverse("ehc:child_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.nhs_number:
            self.nhs_number = normalise_nhs_number(self.nhs_number)
            problem = nhs_number_problem(self.nhs_number)
            if problem:
                raise ValidationError({"nhs_number": problem})

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

    def preparing_for_adulthood(self, on: datetime.date | None = None) -> bool:
        return self.age(on) >= 14

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
        return labels


# --- Requests and contributions ------------------------------------------------------------


class HealthAdviceRequestQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        if user.role in (Role.DESIGNATED_OFFICER, Role.LA_OFFICER):
            return self.filter(local_authority__in=_areas(user))
        if user.role == Role.HEALTH_PRACTITIONER:
            asked = Contribution.objects.filter(service__in=user.services.values("pk"))
            return self.filter(pk__in=asked.values("request_id"))
        return self.none()

    def open(self):
        return self.filter(status__in=OPEN_STATUSES)


class HealthAdviceRequest(Tracked):
    """The LA's request to health for advice about one child for one process."""

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
        self.due_on = clock.health_advice_due(self.received_on)
        if self.local_authority_id is None and self.child_id:
            self.local_authority_id = self.child.local_authority_id
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("ehc:request_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"HA-{self.pk:06d}" if self.pk else "HA-new"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    def days_left(self, today: datetime.date | None = None) -> int:
        return clock.days_remaining(self.due_on, today or timezone.localdate())


class ContributionQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        if user.role in (Role.DESIGNATED_OFFICER, Role.LA_OFFICER):
            return self.filter(request__local_authority__in=_areas(user))
        if user.role == Role.HEALTH_PRACTITIONER:
            return self.filter(service__in=user.services.values("pk"))
        return self.none()

    def outstanding(self):
        return self.filter(returned_on__isnull=True, request__status__in=OPEN_STATUSES)


class Contribution(Tracked):
    """One service's part of a request: asked, returned, with what outcome."""

    request = models.ForeignKey(
        HealthAdviceRequest, on_delete=models.CASCADE, related_name="contributions"
    )
    service = models.ForeignKey(
        "commissioning.Service", on_delete=models.PROTECT, related_name="contributions"
    )
    asked_on = models.DateField("date the service was asked")
    due_on = models.DateField("advice due", editable=False)
    returned_on = models.DateField("date returned", null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=Outcome.choices, blank=True)
    declined_reason = models.TextField("reason for declining", blank=True)
    late_reason = models.CharField(max_length=24, choices=LateReason.choices, blank=True)
    late_note = models.TextField("more about the delay", blank=True)
    exception = models.CharField(
        "reg 8(2) exception", max_length=32, choices=Reg8Exception.choices, blank=True
    )
    exception_evidence = models.TextField("evidence for the exception", blank=True)
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

    class Meta:
        ordering = ["service__name", "pk"]
        indexes = [
            models.Index(
                fields=["due_on"],
                condition=Q(returned_on__isnull=True),
                name="contribution_outstanding_due",
            ),
            models.Index(fields=["service", "returned_on"], name="contribution_service_returned"),
            # The reports read contributions by due and returned date ranges.
            models.Index(fields=["due_on"], name="contribution_due"),
            models.Index(fields=["returned_on"], name="contribution_returned"),
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
                condition=Q(exception="") | Q(exception__in=[c.value for c in Reg8Exception]),
                name="contribution_exception_lawful",
                violation_error_message="Only the three reg 8(2) reasons are exceptions.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} for {self.request}"

    def save(self, *args, **kwargs):
        if self.due_on is None and self.request_id:
            self.due_on = self.request.due_on
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("ehc:request_detail", args=[self.request_id]) + f"#contribution-{self.pk}"

    @property
    def is_returned(self) -> bool:
        return self.returned_on is not None

    @property
    def is_late(self) -> bool:
        return self.returned_on is not None and self.returned_on > self.due_on

    def days_left(self, today: datetime.date | None = None) -> int:
        return clock.days_remaining(self.due_on, today or timezone.localdate())

    def timely(self, *, excluding_exceptions: bool) -> bool | None:
        return clock.counts_as_timely(
            self.due_on, self.returned_on, self.exception, excluding_exceptions=excluding_exceptions
        )


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

    def __str__(self) -> str:
        return f"Advice from {self.contribution.service} ({self.written_on})"

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


# --- Quality review ----------------------------------------------------------------------------

# (field, label, hint) from domain.md, "What good health advice looks like".
QUALITY_CRITERIA: list[tuple[str, str, str]] = [
    ("dated_recently", "Dated within the last 12 months", ""),
    (
        "health_needs_stated",
        "Says clearly whether there are health needs",
        "Including 'no health needs' when none.",
    ),
    ("sections_separated", "Needs, outcomes and provision are set out separately", ""),
    (
        "outcomes_smart",
        "Outcomes are SMART",
        "Specific, measurable, achievable, relevant and timed.",
    ),
    ("provision_quantified", "Provision is quantified", "Who, what, how often and for how long."),
    (
        "placement_correct",
        "Provision is placed in the right section",
        "Educating or training in F, health provision in G.",
    ),
    ("child_views", "Captures the child's or young person's views", ""),
    ("jargon_free", "Free of jargon", "A parent could follow it."),
    ("author_named", "Names its author and the services consulted", ""),
]
GREEN_FROM = 8  # 8 or 9 of 9 criteria met
AMBER_FROM = 5  # 5 to 7; fewer is red


def rating_for(score: int) -> str:
    if score >= GREEN_FROM:
        return Rating.GREEN
    if score >= AMBER_FROM:
        return Rating.AMBER
    return Rating.RED


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

    def save(self, *args, **kwargs):
        self.score = sum(bool(getattr(self, name)) for name, _, _ in QUALITY_CRITERIA)
        self.rating = rating_for(self.score)
        super().save(*args, **kwargs)

    @property
    def criteria(self) -> list[tuple[str, bool]]:
        return [(label, getattr(self, name)) for name, label, _ in QUALITY_CRITERIA]


# --- Records about a child beyond the request ---------------------------------------------------


class ChildRecordQuerySet(ScopedQuerySet):
    """Records that hang off a child are seen by whoever may see the child,
    except practitioners, who see only the requests addressed to them."""

    def scoped_for(self, user):
        if user.role in (Role.DESIGNATED_OFFICER, Role.LA_OFFICER):
            return self.filter(child__local_authority__in=_areas(user))
        return self.none()


class Section23Notice(Tracked):
    """A health body's notice that a child under compulsory school age has,
    or probably has, SEN or a disability (Children and Families Act s23)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="section23_notices")
    provider = models.ForeignKey(
        "commissioning.Provider",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="section23_notices",
        help_text="The NHS trust or foundation trust that gave notice.",
    )
    commissioning_body = models.ForeignKey(
        "commissioning.CommissioningBody",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="section23_notices",
        help_text="Or the commissioning body, when it gave notice itself.",
    )
    professional_name = models.CharField("professional", max_length=150)
    professional_role = models.CharField("professional's role", max_length=150, blank=True)
    parent_told_on = models.DateField("date the parent was told")
    discussion_offered = models.BooleanField("parent offered a discussion", default=False)
    la_notified_on = models.DateField("date the LA was told", null=True, blank=True)
    voluntary_organisation = models.CharField(
        "voluntary organisation the parent was told about", max_length=200, blank=True
    )

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-parent_told_on"]
        verbose_name = "Section 23 notice"
        constraints = [
            models.CheckConstraint(
                condition=(Q(provider__isnull=False) & Q(commissioning_body__isnull=True))
                | (Q(provider__isnull=True) & Q(commissioning_body__isnull=False)),
                name="section23_one_notifying_body",
                violation_error_message="Choose the trust or the commissioning body that gave "
                "notice (one of them).",
            ),
            models.CheckConstraint(
                condition=Q(la_notified_on__isnull=True)
                | Q(la_notified_on__gte=models.F("parent_told_on")),
                name="section23_la_after_parent",
                violation_error_message="The LA is told after the parent.",
            ),
        ]

    def __str__(self) -> str:
        return f"Section 23 notice for {self.child} ({self.parent_told_on})"

    def clean(self):
        super().clean()
        if self.child_id and self.parent_told_on:
            if not clock.under_compulsory_school_age(self.child.date_of_birth, self.parent_told_on):
                start = clock.compulsory_school_age_start(self.child.date_of_birth)
                raise ValidationError(
                    {
                        "parent_told_on": "Section 23 applies only to children under compulsory "
                        f"school age. This child reached it on {start:%-d %B %Y}."
                    }
                )

    @property
    def notifying_organisation(self):
        return self.provider or self.commissioning_body


class ReviewInput(Tracked):
    """Health's part in an annual (or phase transfer) review of a plan."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="review_inputs")
    phase_transfer = models.BooleanField("phase transfer review", default=False)
    meeting_on = models.DateField("review meeting date")
    service = models.ForeignKey(
        "commissioning.Service",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_inputs",
        help_text="The service of the health professional invited.",
    )
    professional_name = models.CharField("health professional invited", max_length=150, blank=True)
    invited_on = models.DateField("date invited", null=True, blank=True)
    attended = models.BooleanField(null=True, blank=True)
    advice_sent_on = models.DateField("date health advice was sent", null=True, blank=True)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-meeting_on"]
        verbose_name = "review health input"
        constraints = [
            models.CheckConstraint(
                condition=Q(invited_on__isnull=True) | Q(invited_on__lte=models.F("meeting_on")),
                name="review_invited_before_meeting",
                violation_error_message="The invitation must come before the meeting.",
            )
        ]

    def __str__(self) -> str:
        return f"Review for {self.child} on {self.meeting_on}"

    @property
    def advice_due(self) -> datetime.date:
        return clock.review_advice_due(self.meeting_on)

    @property
    def invited_in_time(self) -> bool | None:
        if self.invited_on is None:
            return None
        return self.invited_on <= clock.review_invitation_due(self.meeting_on)

    @property
    def advice_in_time(self) -> bool | None:
        if self.advice_sent_on is None:
            return None
        return self.advice_sent_on <= self.advice_due

    @property
    def next_review_due(self) -> datetime.date:
        return clock.annual_review_due(self.meeting_on)


class MediationCase(Tracked):
    """Mediation that involves health: the LA's notice to the commissioning
    body (3 working days) and health-only mediation (30 days)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="mediation_cases")
    requested_on = models.DateField("date the LA received the mediation request")
    body_notified_on = models.DateField(
        "date the commissioning body was told", null=True, blank=True
    )
    health_only = models.BooleanField("health-only mediation", default=False)
    arranged_on = models.DateField("date mediation took place", null=True, blank=True)
    health_issues = models.TextField("health issues in dispute")
    outcome = models.TextField(blank=True)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(body_notified_on__isnull=True)
                | Q(body_notified_on__gte=models.F("requested_on")),
                name="mediation_notice_after_request",
                violation_error_message="The notice cannot come before the request.",
            )
        ]

    def __str__(self) -> str:
        return f"Mediation for {self.child} ({self.requested_on})"

    @property
    def notice_due(self) -> datetime.date:
        from ehc.holidays import bank_holidays

        return clock.mediation_notice_due(self.requested_on, bank_holidays())

    @property
    def notice_in_time(self) -> bool | None:
        if self.body_notified_on is None:
            return None
        return self.body_notified_on <= self.notice_due

    @property
    def mediation_due(self) -> datetime.date | None:
        if not self.health_only or self.body_notified_on is None:
            return None
        return clock.health_mediation_due(self.body_notified_on)


TRIBUNAL_HEALTH_RECOMMENDATIONS_FROM = datetime.date(2018, 4, 3)


class TribunalCase(Tracked):
    """A SEND Tribunal appeal with health issues and any health recommendations."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="tribunal_cases")
    registered_on = models.DateField("date the appeal was registered")
    decision_on = models.DateField("decision date", null=True, blank=True)
    health_issues = models.TextField("health issues in the appeal")
    recommendations = models.TextField("tribunal's health recommendations", blank=True)
    recommendations_received_on = models.DateField(
        "date the recommendations reached the commissioning body", null=True, blank=True
    )
    response_sent_on = models.DateField("date of the written response", null=True, blank=True)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-registered_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(decision_on__isnull=True)
                | Q(decision_on__gte=models.F("registered_on")),
                name="tribunal_decision_after_registration",
                violation_error_message="The decision cannot come before the appeal.",
            ),
            models.CheckConstraint(
                condition=Q(response_sent_on__isnull=True)
                | (
                    Q(recommendations_received_on__isnull=False)
                    & Q(response_sent_on__gte=models.F("recommendations_received_on"))
                ),
                name="tribunal_response_after_recommendations",
                violation_error_message="The response comes after the recommendations arrive.",
            ),
        ]

    def __str__(self) -> str:
        return f"Tribunal for {self.child} ({self.registered_on})"

    @property
    def response_due(self) -> datetime.date | None:
        if self.recommendations_received_on is None:
            return None
        return clock.tribunal_response_due(self.recommendations_received_on)

    @property
    def response_in_time(self) -> bool | None:
        if self.response_sent_on is None or self.response_due is None:
            return None
        return self.response_sent_on <= self.response_due


class PersonalHealthBudget(Tracked):
    """Consideration of a personal health budget (every plan must consider one)."""

    child = models.ForeignKey(Child, on_delete=models.PROTECT, related_name="health_budgets")
    considered_on = models.DateField()
    continuing_care = models.BooleanField(
        "in NHS continuing care",
        default=False,
        help_text="Children in continuing care have a legal right to a personal health budget.",
    )
    outcome = models.CharField(
        max_length=20, choices=BudgetOutcome.choices, default=BudgetOutcome.UNDER_CONSIDERATION
    )
    notes = models.TextField(blank=True)

    objects = ChildRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-considered_on"]

    def __str__(self) -> str:
        return f"Personal health budget for {self.child} ({self.considered_on})"


# --- Deadline reminders -----------------------------------------------------------------


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

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["finished_at"], name="reminderrun_finished")]

    def __str__(self) -> str:
        return f"Reminders for {self.run_for} ({'finished' if self.finished_at else 'running'})"


class ReminderKind(models.TextChoices):
    SERVICE = "service", "Service contact: its own contribution"
    OWNER = "owner", "Owning designated officer: their request"
    AREA_OVERDUE = "area_overdue", "Area's designated officers: overdue"


class Reminder(models.Model):
    """One reminder to one recipient about one item at one stage.

    The unique constraint is the claim: a second run, a second worker or a
    retry that tries to insert the same reminder gets nothing, so nothing is
    sent twice. ``sent_at`` is set once the digest carrying it has gone; a
    claimed reminder left unsent (a worker killed mid-run) is picked up by
    the next run once its claim is older than the lease.
    """

    recipient = models.EmailField()
    kind = models.CharField(max_length=12, choices=ReminderKind.choices)
    request = models.ForeignKey(
        HealthAdviceRequest, on_delete=models.CASCADE, related_name="reminders"
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
            models.Index(fields=["sent_at", "claimed_at"], name="reminder_unsent"),
            models.Index(fields=["run", "recipient"], name="reminder_run_recipient"),
        ]

    def __str__(self) -> str:
        return f"{self.stage} to {self.recipient} about {self.target}"
