"""EHC plans as the local authority issued them.

The portal does not write plans: the LA does. A designated officer records
each final or amended plan issued for a child (its date, the LA's own
reference and which health advice informed it) so that the plan's health
sections can be audited and the annual review clock runs from the day the
plan was first made (Children and Families Act 2014 s44(1); an amended plan
does not restart it: docs/domain.md, "Reviews").
"""

from __future__ import annotations

from django.db import models

from ehc.models.base import Tracked
from ehc.models.casework import Child, HealthAdviceRequest
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

    def __str__(self) -> str:
        return f"{self.get_kind_display()} for {self.child} issued {self.issued_on}"
