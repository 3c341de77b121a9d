"""Service waiting times: each quarter, how many children and young people
are waiting for a service and how long they have waited (docs/waits.md).

One :class:`ServiceWait` per service per NHS financial-year quarter: the
number waiting on the quarter's last day and the median and longest wait of
those waiting, in weeks, as the service's own waiting list reports them.
Entered by the designated officer of an area the service covers or by one
of the service's own practitioners; a second entry for the same quarter
changes the first (``ehc.services.waits.record_waits``), never adds another.

These are figures about a service, not a child's record: nothing here
names a child, so the table is not in the child-record registry. Every
change is audited (django-auditlog, with the acting user).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.roles import Role
from commissioning.models import Service
from core import periods
from core.scoping import ScopedQuerySet, scope_of
from ehc.models.base import Tracked, areas_of

# The first financial year the portal takes waits for: the EHC system began
# on 1 September 2014 (Children and Families Act 2014 Part 3).
FIRST_YEAR = 2014
# Ten years: a longer wait is a typing slip (days typed as weeks), not a wait.
MAX_WEEKS = Decimal(520)
# More children waiting for one service than this is a typing slip.
MAX_WAITING = 100_000


def services_covering(user):
    """The services whose waiting times ``user`` may see, as a Service
    queryset (no duplicates): everything for an administrator; a
    practitioner's own services; for a designated officer or a
    commissioner, the services covering a local authority in their scope
    (a commissioner's: the areas their body is linked to today); nothing
    for anyone else."""
    scope = scope_of(user)
    if scope is None:
        return Service.objects.none()
    if scope.everything:
        return Service.objects.all()
    if user.role == Role.HEALTH_PRACTITIONER:
        return Service.objects.filter(pk__in=user.services.values("pk"))
    if user.role in (Role.DESIGNATED_OFFICER, Role.COMMISSIONER):
        covering = Service.objects.filter(local_authorities__in=areas_of(user)).values("pk")
        return Service.objects.filter(pk__in=covering)
    return Service.objects.none()


class ServiceWaitQuerySet(ScopedQuerySet):
    """A service's waits are seen by those who see the service
    (:func:`services_covering`)."""

    def scoped_for(self, user):
        return self.filter(service__in=services_covering(user).values("pk"))


class ServiceWait(Tracked):
    """One service's waiting list at the end of one financial-year quarter."""

    service = models.ForeignKey(
        "commissioning.Service", on_delete=models.PROTECT, related_name="waits"
    )
    financial_year = models.PositiveSmallIntegerField(
        help_text="The NHS financial year, by the calendar year it starts in: 2026 is 2026/27."
    )
    quarter = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        help_text="1 April to June, 2 July to September, 3 October to December, "
        "4 January to March.",
    )
    waiting = models.PositiveIntegerField(
        "number waiting",
        validators=[MaxValueValidator(MAX_WAITING)],
        help_text="Children and young people on the service's waiting list on the "
        "quarter's last day.",
    )
    median_weeks = models.DecimalField(
        "median wait (weeks)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_WEEKS)],
        help_text="The median time those waiting had waited, in weeks.",
    )
    longest_weeks = models.DecimalField(
        "longest wait (weeks)",
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(MAX_WEEKS)],
        help_text="The longest time anyone waiting had waited, in weeks.",
    )
    notes = models.TextField(
        blank=True,
        help_text="Anything a reader needs to know, such as a change in how the list is counted.",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        help_text="Who last entered these figures.",
    )

    objects = ServiceWaitQuerySet.as_manager()

    constraint_fields = {
        "servicewait_unique_quarter": "quarter",
        "servicewait_quarter_1_to_4": "quarter",
        "servicewait_median_within_longest": "median_weeks",
        "servicewait_weeks_when_waiting": "median_weeks",
    }

    class Meta:
        ordering = ["service", "-financial_year", "-quarter"]
        verbose_name = "service waiting times"
        verbose_name_plural = "service waiting times"
        constraints = [
            models.UniqueConstraint(
                fields=["service", "financial_year", "quarter"],
                name="servicewait_unique_quarter",
                violation_error_message="Waiting times for this quarter are already entered.",
            ),
            models.CheckConstraint(
                condition=Q(quarter__gte=1, quarter__lte=4),
                name="servicewait_quarter_1_to_4",
                violation_error_message="A financial year has quarters 1 to 4.",
            ),
            models.CheckConstraint(
                condition=Q(median_weeks__isnull=True)
                | Q(longest_weeks__isnull=True)
                | Q(median_weeks__lte=models.F("longest_weeks")),
                name="servicewait_median_within_longest",
                violation_error_message="The median wait cannot be longer than the longest wait.",
            ),
            # Nobody waiting: no wait to report. Someone waiting: both waits.
            models.CheckConstraint(
                condition=Q(waiting=0, median_weeks__isnull=True, longest_weeks__isnull=True)
                | Q(waiting__gt=0, median_weeks__isnull=False, longest_weeks__isnull=False),
                name="servicewait_weeks_when_waiting",
                violation_error_message="Give the median and longest waits when anyone is "
                "waiting, and leave them blank when no one is.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} – {self.period.label}"

    @property
    def period(self) -> periods.Period:
        """The quarter as a :class:`core.periods.Period`."""
        return periods.quarter(self.financial_year, self.quarter)

    def clean(self):
        """The quarter must have ended (the figures are as at its last day)
        and be in or after 2014/15; someone waiting needs both waits, no one
        waiting neither; the median is not longer than the longest. Raises
        ValidationError keyed by field."""
        super().clean()
        errors: dict[str, str] = {}
        if self.quarter in (1, 2, 3, 4) and self.financial_year is not None:
            if self.financial_year < FIRST_YEAR:
                errors["quarter"] = "Choose a quarter from 2014/15 on"
            else:
                end = self.period.end
                if end >= timezone.localdate():
                    errors["quarter"] = (
                        f"Enter waiting times once the quarter has ended ({self.period.label} "
                        f"ends on {end:%-d %B %Y})"
                    )
        if self.waiting:
            for name, what in (("median_weeks", "median"), ("longest_weeks", "longest")):
                if getattr(self, name) is None:
                    errors[name] = f"Enter the {what} wait in weeks, for example 12"
        elif self.waiting == 0:
            for name in ("median_weeks", "longest_weeks"):
                if getattr(self, name) is not None:
                    errors[name] = "Leave the waits blank when no one is waiting"
        if (
            "median_weeks" not in errors
            and self.median_weeks is not None
            and self.longest_weeks is not None
            and self.median_weeks > self.longest_weeks
        ):
            errors["median_weeks"] = "The median wait cannot be longer than the longest wait"
        if errors:
            raise ValidationError(errors)
