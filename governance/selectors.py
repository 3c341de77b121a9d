"""Reads for information governance: which children are due for erasure,
and what keeps a child's records (docs/information-governance.md,
"Retention")."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from ehc import registry
from ehc.models import Child
from governance.models import ErasureBatch, ErasureCandidate, LegalHold
from governance.retention import Due, Policy, erasure_due


def policy() -> Policy:
    """The retention schedule's numbers from the settings (``RETENTION_*``)."""
    return Policy(
        until_age=settings.RETENTION_UNTIL_AGE,
        until_age_if_17_at_end=settings.RETENTION_UNTIL_AGE_IF_17_AT_END,
        years_after_activity=settings.RETENTION_YEARS_AFTER_ACTIVITY,
        years_after_death=settings.RETENTION_YEARS_AFTER_DEATH,
    )


@dataclass(frozen=True)
class Candidate:
    child: Child
    due: Due
    last_activity: datetime.date


@dataclass(frozen=True)
class Kept:
    """A child whose records are due but must stay, and why."""

    child: Child
    due: Due
    why: str


@dataclass
class RetentionReview:
    due: list[Candidate] = field(default_factory=list)
    kept: list[Kept] = field(default_factory=list)


def why_kept(child_ids: list[int]) -> dict[int, str]:
    """Child id -> why its records may not be erased now, for the children
    that have a reason: an active legal hold, or open records (an open
    request, an undecided tribunal: each record type's ``open_when``)."""
    reasons: dict[int, str] = {}
    for child_id, names in registry.open_records(child_ids).items():
        reasons[child_id] = "Open: " + ", ".join(sorted(set(names)))
    held = LegalHold.objects.active().filter(child__in=child_ids).values_list("child_id", flat=True)
    for child_id in held:
        reasons[child_id] = "Legal hold"
    return reasons


def pending_lists(child_ids) -> dict[int, int]:
    """Child id -> the erasure list waiting for approval that already names it."""
    rows = ErasureCandidate.objects.filter(
        child__in=child_ids, batch__status=ErasureBatch.Status.PREPARED
    ).values_list("child_id", "batch_id")
    return dict(rows)


def due_for(children: list[Child], *, schedule: Policy | None = None) -> dict[int, tuple]:
    """Child id -> (:class:`~governance.retention.Due`, last activity) by the
    schedule (default :func:`policy`). A child with no dated activity counts
    from the day their record was made."""
    schedule = schedule or policy()
    activity = registry.last_activity([child.pk for child in children])
    result = {}
    for child in children:
        last = activity.get(child.pk) or timezone.localdate(child.created_at)
        due = erasure_due(child.date_of_birth, last, schedule, child.date_of_death)
        result[child.pk] = (due, last)
    return result


def _born_by(today: datetime.date, years: int) -> datetime.date:
    """The latest date of birth of anyone who has reached ``years`` by
    ``today`` (29 February: 1 March, a day too generous, never too strict)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return datetime.date(today.year - years, 3, 1)


def retention_review(*, today: datetime.date) -> RetentionReview:
    """The children whose records are due for erasure on ``today``, and
    those due but kept (legal hold, open records, already on a list waiting
    for approval). Only children who have reached the schedule's youngest
    age, or who died at least ``years_after_death`` years ago, are looked at:
    nobody else can be due (the death rule takes the place of the birthday,
    so a child who died young falls due before that age)."""
    schedule = policy()
    youngest = min(schedule.until_age, schedule.until_age_if_17_at_end)
    children = list(
        Child.objects.filter(
            Q(date_of_birth__lte=_born_by(today, youngest))
            | Q(date_of_death__lte=_born_by(today, schedule.years_after_death))
        )
        .select_related("local_authority")
        .order_by("pk")
    )
    dates = due_for(children, schedule=schedule)
    due = [child for child in children if dates[child.pk][0].on <= today]
    ids = [child.pk for child in due]
    reasons = why_kept(ids)
    waiting = pending_lists(ids)
    review = RetentionReview()
    for child in due:
        rule, last = dates[child.pk]
        why = reasons.get(child.pk)
        if why is None and child.pk in waiting:
            why = f"Already on erasure list {waiting[child.pk]}"
        if why is None:
            review.due.append(Candidate(child, rule, last))
        else:
            review.kept.append(Kept(child, rule, why))
    return review
