"""What designated officer posts did in a span of days: training delivered,
committee and board places held, CPD recorded (a roles selector module,
read-only).

Reports (the annual report's "Designated officers' work in the year") read
it; it knows nothing of reports. Figures are about staff, not children, so
nothing here is suppressed.
"""

from __future__ import annotations

import datetime
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, Sum

from roles.models import CPDEntry, Membership, TrainingSession
from roles.selectors import posts_covering


@dataclass(frozen=True)
class PostActivity:
    """One post's work in the span: training sessions delivered and the
    people who attended them, committee and board places held, CPD points."""

    post_id: int
    title: str
    role: str
    sessions: int = 0
    people: int = 0
    boards: int = 0
    cpd_points: Decimal = Decimal(0)


@dataclass
class OfficerActivity:
    """Every post covering the area at any time in the span, by title, and
    the committee and board places held by kind (BoardKind value -> count)."""

    posts: list[PostActivity]
    boards_by_kind: Counter = field(default_factory=Counter)


def officer_activity(
    *,
    local_authority_ids,
    commissioning_body_id: int | None,
    start: datetime.date,
    end: datetime.date,
) -> OfficerActivity:
    """What the posts covering ``local_authority_ids`` (or, given
    ``commissioning_body_id``, the body itself) at any time from ``start`` to
    ``end`` (inclusive) did in those days. Four queries, whatever the number
    of posts.

    A post covers the span when its start date (if any) is on or before
    ``end`` and its end date (if any) on or after ``start``; a membership
    counts when it overlaps the span the same way.
    """
    posts = posts_covering(
        local_authority_ids=local_authority_ids,
        body_id=commissioning_body_id,
        during=(start, end),
    )
    ids = posts.values("pk")
    post_rows = list(posts.order_by("title", "pk").values_list("pk", "title", "role"))
    training = {
        row["post_id"]: row
        for row in TrainingSession.objects.filter(post__in=ids, delivered_on__range=(start, end))
        .order_by()
        .values("post_id")
        .annotate(sessions=Count("pk"), people=Sum("attendees"))
    }
    cpd = {
        row["post_id"]: row["points"]
        for row in CPDEntry.objects.filter(post__in=ids, completed_on__range=(start, end))
        .order_by()
        .values("post_id")
        .annotate(points=Sum("points"))
    }
    boards: Counter = Counter()
    kinds: Counter = Counter()
    for post_id, kind, n in (
        Membership.objects.filter(post__in=ids)
        .filter(Q(since__isnull=True) | Q(since__lte=end))
        .filter(Q(until__isnull=True) | Q(until__gte=start))
        .order_by()
        .values("post_id", "kind")
        .annotate(n=Count("pk"))
        .values_list("post_id", "kind", "n")
    ):
        boards[post_id] += n
        kinds[kind] += n
    return OfficerActivity(
        posts=[
            PostActivity(
                post_id=pk,
                title=title,
                role=role,
                sessions=training.get(pk, {}).get("sessions", 0),
                people=training.get(pk, {}).get("people") or 0,
                boards=boards[pk],
                cpd_points=cpd.get(pk) or Decimal(0),
            )
            for pk, title, role in post_rows
        ],
        boards_by_kind=kinds,
    )
