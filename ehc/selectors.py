"""Reads for the EHC screens: each issues a fixed number of queries."""

from __future__ import annotations

import datetime
import random

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.db.models import Count, Prefetch, Q

from ehc.identifiers import normalise_nhs_number
from ehc.models import (
    Advice,
    Contribution,
    HealthAdviceRequest,
    ProvisionItem,
    QualityReview,
    RequestStatus,
)


def worklist(queryset):
    """Requests with what the worklist shows, in one query."""
    return queryset.select_related("child", "local_authority", "owner").annotate(
        asked_count=Count("contributions"),
        returned_count=Count("contributions", filter=Q(contributions__returned_on__isnull=False)),
    )


def status_counts(queryset) -> list[tuple[str, str, int]]:
    """(status, label, count) for every status, in one query."""
    totals = queryset.order_by().aggregate(
        **{status.value: Count("pk", filter=Q(status=status)) for status in RequestStatus}
    )
    return [(status.value, status.label, totals[status.value]) for status in RequestStatus]


def request_detail(queryset, user):
    """A request with its child, and the contributions ``user`` may see (a
    practitioner only their own services') with advice, provision and review."""
    return queryset.select_related("child", "local_authority", "owner").prefetch_related(
        Prefetch(
            "contributions",
            queryset=Contribution.objects.visible_to(user)
            .select_related(
                "service__provider",
                "exception_recorded_by",
                "advice",
                "advice__review",
                "advice__review__reviewer",
            )
            .prefetch_related("advice__provision"),
        )
    )


def timeline(request: HealthAdviceRequest, contributions: list[Contribution]) -> list[dict]:
    """Every recorded change to the request and to the given contributions
    (those the viewer may see) and what hangs off them, oldest first, from the
    audit log (views are logged too, but not shown here)."""
    advice = [c.advice for c in contributions if _has(c, "advice")]
    reviews = [a.review for a in advice if _has(a, "review")]
    provision = [p for a in advice for p in a.provision.all()]
    types = ContentType.objects.get_for_models(
        HealthAdviceRequest, Contribution, Advice, QualityReview, ProvisionItem
    )
    condition = Q(content_type=types[HealthAdviceRequest], object_id=request.pk)
    for model, objects in (
        (Contribution, contributions),
        (Advice, advice),
        (QualityReview, reviews),
        (ProvisionItem, provision),
    ):
        if objects:
            condition |= Q(content_type=types[model], object_id__in=[o.pk for o in objects])
    entries = (
        LogEntry.objects.filter(condition)
        .exclude(action=LogEntry.Action.ACCESS)
        .select_related("actor")
        .order_by("timestamp", "pk")
    )
    models_by_type = {ct.pk: model for model, ct in types.items()}
    return [_describe(entry, models_by_type[entry.content_type_id]) for entry in entries]


ACTION_WORDS = {
    LogEntry.Action.CREATE: "added",
    LogEntry.Action.UPDATE: "changed",
    LogEntry.Action.DELETE: "removed",
}


def _describe(entry: LogEntry, model) -> dict:
    """What a timeline line says: who did what to which part, and which
    fields changed (names only: values stay in the audit log)."""
    fields = []
    if entry.action == LogEntry.Action.UPDATE:
        for name in entry.changes_dict:
            try:
                fields.append(str(model._meta.get_field(name).verbose_name))
            except FieldDoesNotExist:
                fields.append(name.replace("_", " "))
    return {
        "timestamp": entry.timestamp,
        "actor": entry.actor.full_name if entry.actor else "The portal",
        "action": ACTION_WORDS.get(entry.action, "changed"),
        "thing": model._meta.verbose_name,
        "object": entry.object_repr,
        "fields": fields,
    }


def _has(obj, related: str) -> bool:
    try:
        return getattr(obj, related) is not None
    except ObjectDoesNotExist:
        return False


# What "overdue" and "due soon" mean for a request, wherever they are counted
# or filtered (home pages, the worklist's filters): still awaiting advice, by
# its due date. A request with every service returned is neither.


def overdue(today: datetime.date) -> Q:
    return Q(status=RequestStatus.AWAITING, due_on__lt=today)


def due_within(today: datetime.date, days: int) -> Q:
    until = today + datetime.timedelta(days=days)
    return Q(status=RequestStatus.AWAITING, due_on__gte=today, due_on__lte=until)


def caseload_summary(queryset, today) -> dict[str, int]:
    """What a home page shows about the user's open requests, in one query:
    awaiting advice, overdue, and due in the next 7 days."""
    return queryset.order_by().aggregate(
        awaiting=Count("pk", filter=Q(status=RequestStatus.AWAITING)),
        overdue=Count("pk", filter=overdue(today)),
        due_soon=Count("pk", filter=due_within(today, 7)),
    )


def child_search(text: str, *, via: str = "") -> Q:
    """The condition finding children by ``text``: part of a first or last
    name, the LA's reference (exactly, any case) or the NHS number (10
    digits, spaces allowed). ``via`` is the path to the child from the
    model searched ("child__" for requests, "" for children)."""
    text = text.strip()
    condition = (
        Q(**{f"{via}family_name__icontains": text})
        | Q(**{f"{via}given_name__icontains": text})
        | Q(**{f"{via}la_reference__iexact": text})
    )
    digits = normalise_nhs_number(text)
    if digits.isdigit() and len(digits) == 10:
        condition |= Q(**{f"{via}nhs_number": digits})
    return condition


def search_children(queryset, text: str):
    """Children in ``queryset`` found by ``text`` (see :func:`child_search`);
    the whole queryset when ``text`` is blank."""
    if not text.strip():
        return queryset
    return queryset.filter(child_search(text))


def audit_sample(queryset, *, size: int, seed: str) -> list[int]:
    """Ids of a random sample of ``size`` advice records from ``queryset``
    (sorted), reproducible for the same ``seed`` (the DCO can redraw the
    same sample); all of them when there are no more than ``size``. One
    query."""
    ids = sorted(queryset.values_list("pk", flat=True))
    if len(ids) <= size:
        return ids
    return sorted(random.Random(seed).sample(ids, size))
