"""What the plans list shows, sorts by and downloads (docs/plans.md, "The
plans list"). The sortable columns are a whitelist (:class:`core.lists.SortColumn`);
the download holds every row of the list with its filters and order."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, QuerySet

from core.lists import SortColumn
from ehc.models import EHCPlan, HealthAdviceRequest, ProvisionStatus

GAP_STATUSES = (ProvisionStatus.WAITING, ProvisionStatus.NOT_AVAILABLE)

PLAN_SORTS = (
    SortColumn("reference", "Plan", ("pk",)),
    SortColumn("child", "Child", ("child__family_name", "child__given_name", "pk")),
    SortColumn("la", "LA", ("child__local_authority__name", "pk")),
    SortColumn("kind", "Kind", ("kind", "pk")),
    SortColumn("issued", "Issued", ("issued_on", "pk")),
    SortColumn("score", "Audit", (F("audit__score"), F("pk"))),
    SortColumn("gaps", "Provision gaps", ("gap_count", "pk")),
)
PLAN_DEFAULT_SORT = "issued"  # newest first: the view turns it round


def plan_rows(queryset: QuerySet[EHCPlan]) -> QuerySet[EHCPlan]:
    """``queryset`` with what a row shows: the child and area, the audit,
    and counts of its section G provision (``provision_count``) and of the
    rows waited for or not available (``gap_count``). One query."""
    return queryset.select_related("child__local_authority", "audit").annotate(
        provision_count=Count("provision"),
        gap_count=Count("provision", filter=Q(provision__status__in=GAP_STATUSES)),
    )


def with_informing(queryset: QuerySet[EHCPlan]) -> QuerySet[EHCPlan]:
    """``queryset`` with the requests that informed each plan: one more query."""
    return queryset.prefetch_related(
        Prefetch("informed_by", queryset=HealthAdviceRequest.objects.order_by("pk"))
    )


PLAN_HEADERS = [
    "Plan",
    "LA plan reference",
    "Kind",
    "Date issued",
    "First name",
    "Last name",
    "NHS number",
    "Local authority",
    "Informed by",
    "Date audited",
    "Audit score (%)",
    "Audit rating",
    "Section G provision",
    "Waiting or not available",
]


def download_rows(plans):
    """One list of cells per plan (:data:`PLAN_HEADERS`), from plans made by
    :func:`plan_rows` and :func:`with_informing`."""
    for plan in plans:
        child = plan.child
        audit = getattr(plan, "audit", None)
        yield [
            plan.reference,
            plan.la_reference,
            plan.get_kind_display(),
            plan.issued_on,
            child.given_name,
            child.family_name,
            child.nhs_number_display,
            child.local_authority.name,
            "; ".join(request.reference for request in plan.informed_by.all()),
            audit.audited_on if audit else None,
            audit.score if audit else None,
            audit.get_rating_display() if audit else "Not audited",
            plan.provision_count,
            plan.gap_count,
        ]
