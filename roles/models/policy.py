"""The PA policy's parameters, one row edited by administrators."""

from __future__ import annotations

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q


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
