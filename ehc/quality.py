"""The quality checklist for health advice: what good advice does, how a
review is scored and rated, and what the portal can tick for itself.

Pure rules: no database queries. Callers pass plain values or instances
already loaded. Source: docs/domain.md, "What good health advice looks
like" (nine criteria; 8 or 9 met is green, 5 to 7 amber, fewer red).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Protocol

from ehc import clock

# (field, label, hint): each field is a yes/no on a quality review.
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
CRITERIA_NAMES: tuple[str, ...] = tuple(name for name, _, _ in QUALITY_CRITERIA)
GREEN_FROM = 8  # 8 or 9 of 9 criteria met
AMBER_FROM = 5  # 5 to 7; fewer is red

# The ratings, as stored (the values of ehc.models.Rating).
GREEN, AMBER, RED = "green", "amber", "red"


def rating_for(score: int) -> str:
    """ "green", "amber" or "red" for a score (criteria met, 0 to 9)."""
    if score >= GREEN_FROM:
        return GREEN
    if score >= AMBER_FROM:
        return AMBER
    return RED


def met_criteria(review) -> list[str]:
    """The names of the criteria ``review`` (anything with one boolean
    attribute per criterion) meets, in checklist order."""
    return [name for name in CRITERIA_NAMES if getattr(review, name)]


def score(met: Iterable[str]) -> int:
    """How many checklist criteria are among the names ``met`` (0 to 9);
    names that are not criteria are ignored."""
    chosen = set(met)
    return sum(name in chosen for name in CRITERIA_NAMES)


def criteria_flags(met: Iterable[str]) -> dict[str, bool]:
    """``{criterion name: met?}`` for every criterion, from the names met."""
    chosen = set(met)
    return {name: name in chosen for name in CRITERIA_NAMES}


class _ProvisionRow(Protocol):
    frequency: str
    duration: str


def suggested_criteria(
    *,
    written_on: datetime.date,
    received_on: datetime.date,
    author_name: str,
    needs: str,
    outcomes: str,
    child_views: str,
    provision: Iterable[_ProvisionRow],
) -> dict[str, bool]:
    """What the portal can check for itself, to pre-tick a new review.

    ``written_on`` is the advice's date, ``received_on`` the date health
    received the request; the advice counts as recent when written within
    the 12 months before that. ``provision`` is the advice's rows (each with
    ``frequency`` and ``duration``), quantified when there is at least one
    and every row says both.
    """
    rows = list(provision)
    return {
        "dated_recently": written_on >= clock.add_months(received_on, -12),
        "author_named": bool(author_name.strip()),
        "provision_quantified": bool(rows) and all(p.frequency and p.duration for p in rows),
        "sections_separated": bool(needs.strip() and outcomes.strip()),
        "child_views": bool(child_views.strip()),
    }
