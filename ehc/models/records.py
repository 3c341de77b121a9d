"""Records about a child beyond the requests: Section 23 notices, annual
review input, mediation and tribunal cases, personal health budgets."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, router, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role
from core.scoping import ScopedQuerySet
from ehc import clock
from ehc.models.base import Tracked, areas_of, refuse_future
from ehc.models.casework import Child, service_problem
from ehc.models.choices import BudgetOutcome


class ChildRecordQuerySet(ScopedQuerySet):
    """Records that hang off a child are seen by whoever may see the child,
    except practitioners, who see only the requests addressed to them."""

    def scoped_for(self, user):
        if user.role in (Role.DESIGNATED_OFFICER, Role.LA_OFFICER):
            return self.filter(child__local_authority__in=areas_of(user))
        return self.none()


class ChildAreaQuerySet(ChildRecordQuerySet):
    """The records of :class:`ChildRecord`: scoped as any record about a
    child, and inserted in bulk with their child's area."""

    def bulk_create(self, objs, *args, **kwargs):
        """As Django's, each record given its child's area first (as
        :meth:`ChildRecord.save` does)."""
        objs = list(objs)
        for record in objs:
            record.copy_area()
        return super().bulk_create(objs, *args, **kwargs)


class ChildRecord(Tracked):
    """A record about a child that keeps a copy of the child's area
    (``local_authority``), so that the reports read an area's records by
    area and date from one index instead of joining every child of the
    area (docs/reports.md, "At scale"). Set on every save and bulk insert;
    when a child's area changes, ``ehc.services.children.update_child``
    moves the child's records with it."""

    local_authority = models.ForeignKey(
        "commissioning.LocalAuthority",
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
        # The (area, date) index of each table leads with it.
        db_index=False,
        help_text="The child's local authority, copied from the child.",
    )

    objects = ChildAreaQuerySet.as_manager()

    class Meta:
        abstract = True

    def copy_area(self) -> None:
        """Take the child's area as loaded (the child as given, even one
        not saved yet when the record was made, or read once by its id):
        for records inserted in bulk with the children just made or read
        in the same transaction."""
        if self.child_id is not None or self._meta.get_field("child").is_cached(self):
            self.local_authority_id = self.child.local_authority_id

    def save(self, *args, **kwargs):
        """Save with the child's area as stored now: read from the child's
        row, locked when inside a transaction, so a move of the child
        (``update_child``, which locks that row by saving it) either comes
        first and is read, or waits and then moves this record too."""
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            if not update_fields:  # Django's "save nothing"
                return
            kwargs["update_fields"] = {*update_fields, "local_authority"}
        if self.child_id is not None:
            children = Child.objects.filter(pk=self.child_id)
            if transaction.get_connection(router.db_for_write(Child)).in_atomic_block:
                children = children.select_for_update(no_key=True)
            self.local_authority_id = children.values_list("local_authority_id", flat=True).get()
        else:
            self.copy_area()
        super().save(*args, **kwargs)


class Section23Notice(ChildRecord):
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

    CHECKED_WHEN_CHANGED = ("provider_id", "commissioning_body_id")

    class Meta:
        ordering = ["-parent_told_on"]
        # The reports read these records by date range.
        indexes = [
            models.Index(fields=["parent_told_on"], name="section23_told"),
            models.Index(fields=["local_authority", "parent_told_on"], name="section23_area_told"),
        ]
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
        """The LA is told on or after the parent, neither after today; the
        child is under compulsory school age on the day the parent is told
        (Children and Families Act 2014 s23); exactly one of the trust and
        the commissioning body gave notice (also a table constraint), and it
        covers the child's local authority (the trust runs a service there,
        the body commissions for it). Raises ValidationError keyed by field,
        so a form shows each message beside its field."""
        super().clean()
        errors = {}
        if self.provider_id and self.commissioning_body_id:
            errors["commissioning_body"] = "Choose the trust or the commissioning body, not both"
        elif not self.provider_id and not self.commissioning_body_id:
            errors["provider"] = "Choose the trust or the commissioning body that gave notice"
        elif self.child_id and self.changed("provider_id", "commissioning_body_id"):
            errors |= self._notifier_problems(self.child.local_authority_id)
        told, la = self.parent_told_on, self.la_notified_on
        if told and la and la < told:
            errors["la_notified_on"] = "The LA is told on or after the day the parent is told"
        if self.child_id and told:
            if told < self.child.date_of_birth:
                # A notice is about a child, so the child is born by then.
                errors["parent_told_on"] = (
                    "The parent is told on or after the day the child was born "
                    f"({self.child.date_of_birth:%-d %B %Y})"
                )
            elif not clock.under_compulsory_school_age(self.child.date_of_birth, told):
                start = clock.compulsory_school_age_start(self.child.date_of_birth)
                errors["parent_told_on"] = (
                    "Section 23 applies only to children under compulsory "
                    f"school age. This child reached it on {start:%-d %B %Y}."
                )
        refuse_future(errors, self, "parent_told_on", "la_notified_on")
        if errors:
            raise ValidationError(errors)

    def _notifier_problems(self, local_authority_id: int) -> dict[str, str]:
        """The notifying organisation must cover the child's area: the trust
        runs a service there, or the body commissions for it. One query."""
        wrong = "Choose an organisation that covers the child's local authority"
        if self.provider_id:
            covers = self.provider.services.filter(local_authorities=local_authority_id)
            return {} if covers.exists() else {"provider": wrong}
        covers = self.commissioning_body.links.filter(local_authority=local_authority_id)
        return {} if covers.exists() else {"commissioning_body": wrong}

    @property
    def notifying_organisation(self):
        return self.provider or self.commissioning_body


# How far ahead a review meeting may be recorded: reviews are at most 12
# months apart (Children and Families Act 2014 s44(1)), so a later date is a
# typing slip (2100 for 2026), which would also hide the reminders due now.
MEETING_HORIZON = datetime.timedelta(days=366)


class ReviewInput(ChildRecord):
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
    decision_on = models.DateField(
        "date of the LA's decision after the review",
        null=True,
        blank=True,
        help_text="The LA decides to keep, amend or cease the plan within 4 weeks of the "
        "meeting. The review is complete on this day, and the next one is due within 12 "
        "months of it.",
    )

    CHECKED_WHEN_CHANGED = ("service_id",)

    class Meta:
        ordering = ["-meeting_on"]
        # The reports read these records by date range.
        indexes = [
            models.Index(fields=["meeting_on"], name="reviewinput_meeting"),
            models.Index(fields=["local_authority", "meeting_on"], name="reviewinput_area_meeting"),
            # The daily reminders read undecided reviews by meeting date and
            # those saved since their last run (docs/reminders.md).
            models.Index(
                fields=["meeting_on"],
                condition=Q(decision_on__isnull=True),
                name="reviewinput_undecided",
            ),
            models.Index(fields=["updated_at"], name="reviewinput_updated"),
        ]
        verbose_name = "review health input"
        constraints = [
            models.CheckConstraint(
                condition=Q(invited_on__isnull=True) | Q(invited_on__lte=models.F("meeting_on")),
                name="review_invited_before_meeting",
                violation_error_message="The invitation must come before the meeting.",
            ),
            models.CheckConstraint(
                condition=Q(decision_on__isnull=True) | Q(decision_on__gte=models.F("meeting_on")),
                name="review_decision_after_meeting",
                violation_error_message="The LA decides after the meeting.",
            ),
        ]

    def __str__(self) -> str:
        return f"Review for {self.child} on {self.meeting_on}"

    def clean(self):
        """Invited before the meeting; attendance known only once the meeting
        has happened; the LA's decision on or after the meeting; invited,
        advice sent and decision by today (the meeting may be ahead, by up
        to a year: :data:`MEETING_HORIZON`); the meeting not before the
        child was born. Raises ValidationError keyed by field."""
        super().clean()
        errors = {}
        meeting = self.meeting_on
        if meeting and self.invited_on and self.invited_on > meeting:
            errors["invited_on"] = "The invitation must be sent before the meeting"
        if meeting and self.attended is not None and meeting > timezone.localdate():
            errors["attended"] = "The meeting has not happened yet"
        if meeting and self.decision_on and self.decision_on < meeting:
            errors["decision_on"] = "The LA decides on or after the day of the meeting"
        if meeting and meeting > timezone.localdate() + MEETING_HORIZON:
            errors["meeting_on"] = (
                "A review meeting is arranged within the coming year: check the year"
            )
        child = self.child if self.child_id else None
        if meeting and child is not None and meeting < child.date_of_birth:
            errors["meeting_on"] = (
                f"The meeting cannot be before the child was born ({child.date_of_birth:%-d %B %Y})"
            )
        if self.service_id and self.child_id and self.changed("service_id"):
            if problem := service_problem(self.service, self.child.local_authority_id):
                errors["service"] = problem
        refuse_future(errors, self, "invited_on", "advice_sent_on", "decision_on")
        if errors:
            raise ValidationError(errors)

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
    def reviewed_on(self) -> datetime.date:
        """The day the plan counts as reviewed: the LA's decision after the
        meeting, when the review is complete (SEND Regulations 2014 reg
        20(10)); until it is recorded, the meeting, which is never later."""
        return self.decision_on or self.meeting_on

    @property
    def decision_due(self) -> datetime.date:
        """The LA decides within 4 weeks of the meeting (reg 20(10))."""
        return clock.review_decision_due(self.meeting_on)

    @property
    def next_review_due(self) -> datetime.date:
        """The last day for the next review: the end of the 12 months
        starting with the day this one counts as reviewed (Children and
        Families Act 2014 s44(1), :func:`ehc.clock.annual_review_due`)."""
        return clock.annual_review_due(self.reviewed_on)


class MediationCase(ChildRecord):
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

    class Meta:
        ordering = ["-requested_on"]
        # The reports read these records by date range.
        indexes = [
            models.Index(fields=["requested_on"], name="mediation_requested"),
            models.Index(
                fields=["local_authority", "requested_on"], name="mediation_area_requested"
            ),
        ]
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

    def clean(self):
        """The commissioning body is told, and mediation held, on or after
        the request; none of the dates after today. Raises ValidationError
        keyed by field."""
        super().clean()
        errors = {}
        requested = self.requested_on
        if requested and self.body_notified_on and self.body_notified_on < requested:
            errors["body_notified_on"] = "The commissioning body cannot be told before the request"
        if requested and self.arranged_on and self.arranged_on < requested:
            errors["arranged_on"] = "Mediation cannot take place before it was requested"
        refuse_future(errors, self, "requested_on", "body_notified_on", "arranged_on")
        if errors:
            raise ValidationError(errors)

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


class TribunalCase(ChildRecord):
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

    class Meta:
        ordering = ["-registered_on"]
        # The reports read these records by date range.
        indexes = [
            models.Index(fields=["registered_on"], name="tribunal_registered"),
            models.Index(
                fields=["local_authority", "registered_on"], name="tribunal_area_registered"
            ),
        ]
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

    def clean(self):
        """Decision on or after registration; health recommendations only
        for decisions from 3 April 2018 (the national trial, extended
        powers); the response after the recommendations arrived; none of
        the dates after today. Raises ValidationError keyed by field."""
        super().clean()
        errors = {}
        registered, decided = self.registered_on, self.decision_on
        received, responded = self.recommendations_received_on, self.response_sent_on
        if registered and decided and decided < registered:
            errors["decision_on"] = "The decision cannot come before the appeal was registered"
        if (
            self.recommendations.strip()
            and decided
            and decided < TRIBUNAL_HEALTH_RECOMMENDATIONS_FROM
        ):
            errors["recommendations"] = (
                "The tribunal could make health recommendations only from 3 April 2018"
            )
        if responded and not received:
            errors["recommendations_received_on"] = "Enter when the recommendations arrived"
        elif responded and received and responded < received:
            errors["response_sent_on"] = "The response comes after the recommendations arrive"
        refuse_future(
            errors,
            self,
            "registered_on",
            "decision_on",
            "recommendations_received_on",
            "response_sent_on",
        )
        if errors:
            raise ValidationError(errors)

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


class PersonalHealthBudget(ChildRecord):
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

    class Meta:
        ordering = ["-considered_on"]
        # The reports read these records by date range.
        indexes = [
            models.Index(fields=["considered_on"], name="budget_considered"),
            models.Index(
                fields=["local_authority", "considered_on"], name="budget_area_considered"
            ),
        ]

    def __str__(self) -> str:
        return f"Personal health budget for {self.child} ({self.considered_on})"

    def clean(self):
        """Considered by today. Raises ValidationError keyed by field."""
        super().clean()
        errors: dict = {}
        refuse_future(errors, self, "considered_on")
        if errors:
            raise ValidationError(errors)


#: The records that keep a copy of the child's area (:class:`ChildRecord`).
CHILD_RECORDS = (Section23Notice, ReviewInput, MediationCase, TribunalCase, PersonalHealthBudget)
