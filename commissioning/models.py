"""Organisations: NHS commissioning bodies, local authorities, providers.

docs/domain.md, "Who is who": CCGs commissioned health services until 30 June
2022 and ICBs from 1 July 2022. One local authority can relate to several
commissioning bodies and one body to many authorities, and the links change
over time, so they are dated many-to-many links (:class:`CommissioningLink`).
Organisations carry their national codes (ODS for NHS bodies, GSS for local
authorities) so that imports and reports match national data.
"""

from __future__ import annotations

import datetime

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse

from core.scoping import ScopedQuerySet, scope_of

ods_code_validator = RegexValidator(
    r"^[A-Z0-9]{3,6}$",
    "Enter an ODS code of 3 to 6 capital letters or digits, for example QE1 or RXX.",
)
gss_code_validator = RegexValidator(
    # Upper-tier authorities only, the ones with SEND duties: unitary (E06),
    # metropolitan districts (E08), London boroughs (E09), counties (E10).
    # District councils (E07) have none.
    r"^E(06|08|09|10)\d{6}$",
    "“%(value)s” is not the GSS code of an English local authority with SEND duties: "
    "E06, E08, E09 or E10 followed by 6 digits, for example E10000016.",
)


class CommissioningBodyKind(models.TextChoices):
    ICB = "icb", "Integrated Care Board (ICB)"
    CCG = "ccg", "Clinical Commissioning Group (CCG)"


class CommissioningBodyQuerySet(ScopedQuerySet):
    def active_on(self, on: datetime.date):
        return self.filter(Q(active_from__isnull=True) | Q(active_from__lte=on)).filter(
            Q(active_to__isnull=True) | Q(active_to__gte=on)
        )

    def scoped_for(self, user):
        scope = scope_of(user)
        if scope.commissioning_body_id:
            # A commissioner sees their own body.
            return self.filter(pk=scope.commissioning_body_id)
        # Everyone else sees the bodies linked (at any time) to their areas.
        return self.filter(links__local_authority__in=scope.local_authority_ids).distinct()


class CommissioningBody(models.Model):
    """An ICB (or, historically, a CCG)."""

    ods_code = models.CharField(
        "ODS code", max_length=6, unique=True, validators=[ods_code_validator]
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(
        max_length=3, choices=CommissioningBodyKind.choices, default=CommissioningBodyKind.ICB
    )
    active_from = models.DateField(
        null=True, blank=True, help_text="The day the body took on its duties, if known."
    )
    active_to = models.DateField(
        null=True,
        blank=True,
        help_text="The last day the body existed (for example 30 June 2022 for a CCG). "
        "Leave blank while it is active.",
    )
    predecessors = models.ManyToManyField(
        "self",
        symmetrical=False,
        related_name="successors",
        blank=True,
        help_text="Bodies whose duties passed to this one (CCGs into an ICB, ICBs merging).",
    )

    objects = CommissioningBodyQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "commissioning body"
        verbose_name_plural = "commissioning bodies"
        constraints = [
            models.CheckConstraint(
                condition=Q(active_to__isnull=True)
                | Q(active_from__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="commissioningbody_active_to_after_from",
                violation_error_message="The end date must be on or after the start date.",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commissioning:body_detail", args=[self.ods_code])

    def is_active_on(self, on: datetime.date) -> bool:
        return (self.active_from is None or self.active_from <= on) and (
            self.active_to is None or on <= self.active_to
        )


class LocalAuthorityQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        return self.filter(pk__in=scope_of(user).local_authority_ids)


class LocalAuthority(models.Model):
    """An English local authority with SEND duties (it runs the EHC process)."""

    gss_code = models.CharField(
        "GSS code", max_length=9, unique=True, validators=[gss_code_validator]
    )
    name = models.CharField(max_length=200)
    commissioning_bodies = models.ManyToManyField(
        CommissioningBody, through="CommissioningLink", related_name="local_authorities"
    )

    objects = LocalAuthorityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = "local authority"
        verbose_name_plural = "local authorities"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("commissioning:la_detail", args=[self.gss_code])


class ChildPopulation(models.Model):
    """Mid-year child and young person population of a local authority.

    Used to size designated officer time (PAs per 70,000 children) and to
    report requests per 10,000 children.
    """

    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="populations"
    )
    year = models.PositiveSmallIntegerField(
        validators=[MinValueValidator(2000)], help_text="Mid-year estimate year, e.g. 2025."
    )
    aged_0_17 = models.PositiveIntegerField("children aged 0 to 17")
    aged_0_25 = models.PositiveIntegerField("children and young people aged 0 to 25")

    class Meta:
        ordering = ["local_authority", "-year"]
        verbose_name = "child population"
        verbose_name_plural = "child populations"
        constraints = [
            models.UniqueConstraint(
                fields=["local_authority", "year"], name="childpopulation_one_per_year"
            ),
            models.CheckConstraint(
                condition=Q(aged_0_25__gte=models.F("aged_0_17")),
                name="childpopulation_0_25_includes_0_17",
                violation_error_message="The 0 to 25 population cannot be smaller than the "
                "0 to 17 population.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.local_authority} {self.year}"


class CommissioningLinkQuerySet(models.QuerySet):
    def active_on(self, on: datetime.date):
        return self.filter(valid_from__lte=on).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=on)
        )


class CommissioningLink(models.Model):
    """A commissioning body's responsibility for (part of) a local authority, dated."""

    commissioning_body = models.ForeignKey(
        CommissioningBody, on_delete=models.CASCADE, related_name="links"
    )
    local_authority = models.ForeignKey(
        LocalAuthority, on_delete=models.CASCADE, related_name="links"
    )
    valid_from = models.DateField()
    valid_to = models.DateField(
        null=True, blank=True, help_text="The last day of the link. Blank while it is current."
    )

    objects = CommissioningLinkQuerySet.as_manager()

    class Meta:
        ordering = ["local_authority", "valid_from"]
        verbose_name = "commissioning link"
        constraints = [
            models.UniqueConstraint(
                fields=["commissioning_body", "local_authority", "valid_from"],
                name="commissioninglink_unique_start",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="commissioninglink_valid_to_after_from",
                violation_error_message="The end date must be on or after the start date.",
            ),
        ]

    def __str__(self) -> str:
        end = self.valid_to.isoformat() if self.valid_to else "now"
        return f"{self.commissioning_body} – {self.local_authority} ({self.valid_from} to {end})"

    def is_active_on(self, on: datetime.date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    @property
    def is_current(self) -> bool:
        from django.utils import timezone

        return self.is_active_on(timezone.localdate())


class ProviderQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        # Provider names and codes are public; every signed-in role may list them.
        return self.all()


class Provider(models.Model):
    """An organisation delivering health services (NHS trust, GP practice, ...)."""

    ods_code = models.CharField(
        "ODS code", max_length=6, unique=True, validators=[ods_code_validator]
    )
    name = models.CharField(max_length=200)
    is_active = models.BooleanField("active", default=True)

    objects = ProviderQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ServiceType(models.TextChoices):
    """The kinds of health service asked for EHC advice.

    See docs/domain.md, "Providers and services".
    """

    COMMUNITY_PAEDIATRICS = "community_paediatrics", "Community paediatrics"
    SPEECH_AND_LANGUAGE = "speech_language_therapy", "Speech and language therapy"
    OCCUPATIONAL_THERAPY = "occupational_therapy", "Occupational therapy"
    PHYSIOTHERAPY = "physiotherapy", "Physiotherapy"
    CAMHS = "camhs", "Child and adolescent mental health (CAMHS)"
    HEALTH_VISITING = "health_visiting", "Health visiting"
    SCHOOL_NURSING = "school_nursing", "School nursing"
    AUDIOLOGY = "audiology", "Audiology"
    CONTINUING_CARE = "continuing_care", "Continuing care"
    PALLIATIVE_CARE = "palliative_care", "Palliative care"
    LEARNING_DISABILITY = "learning_disability", "Learning disability"
    GP = "gp", "GP"
    OTHER = "other", "Other"


class ServiceQuerySet(ScopedQuerySet):
    def scoped_for(self, user):
        return self.all()


class Service(models.Model):
    """A service a provider runs; the unit asked for health advice."""

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="services")
    name = models.CharField(max_length=200)
    service_type = models.CharField(max_length=32, choices=ServiceType.choices)
    contact_email = models.EmailField(
        blank=True, help_text="Team mailbox for requests and deadline reminders."
    )
    local_authorities = models.ManyToManyField(
        LocalAuthority,
        related_name="services",
        blank=True,
        help_text="The local authority areas this service covers.",
    )
    is_active = models.BooleanField("active", default=True)

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["provider__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "name"], name="service_unique_name")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.provider})"
