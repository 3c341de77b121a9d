"""The audit checklist for the health sections of an EHC plan (section C,
health needs, and section G, health provision): the criteria, how an audit
is scored and rated, and what the portal can suggest for itself.

Pure rules: no database queries. Source: docs/plans.md, "The checklist",
which follows the SEND Regulations 2014 reg 12(1) (a plan's sections: A the
child's views, C health needs, F special educational provision, G health
provision), the Children and Families Act 2014 s21(5) (health provision
that educates or trains is special educational provision, so it belongs in
F), the SEND Code of Practice (January 2015) chapter 9 (provision detailed,
specific and normally quantified; outcomes SMART) and the plan audits the
CDC designated officer handbook (2019) describes.

Each criterion is answered yes, partly, no or not applicable. A "yes" scores
2 points, "partly" 1 and "no" 0; "not applicable" leaves the criterion out.
The score is the points as a whole percentage of the points possible
(rounded half up), and the rating follows the advice checklist's bar
(:mod:`ehc.quality`: 8 of 9 is green, 5 of 9 amber): **green from 85%,
amber from 55%, red below**. An audit passes when it is green.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from fractions import Fraction
from typing import Protocol

# (field, label, hint): each field holds one answer on a plan audit.
PLAN_CRITERIA: list[tuple[str, str, str]] = [
    (
        "needs_in_c",
        "Every health need in the health advice appears in section C",
        "Compare section C with the advice that informed the plan.",
    ),
    (
        "provision_specific",
        "Health provision in section G is specific",
        "It says exactly what will be provided, not 'access to' or 'as needed'.",
    ),
    (
        "provision_quantified",
        "Health provision in section G is quantified",
        "How often and for how long, for example 30 minutes weekly for a term.",
    ),
    (
        "provider_named",
        "Section G says who delivers each piece of health provision",
        "The service or professional, not only 'health'.",
    ),
    (
        "therapy_in_f",
        "Therapy that educates or trains is in section F, not G",
        "Provision that educates or trains is special educational provision "
        "(Children and Families Act 2014 s21(5)).",
    ),
    (
        "outcomes_smart",
        "Outcomes for the health needs are SMART",
        "Specific, measurable, achievable, relevant and timed.",
    ),
    (
        "child_views",
        "The child's or young person's views are reflected",
        "Their views, interests and aspirations shape the health sections.",
    ),
    (
        "needs_have_provision",
        "No health need is left without provision",
        "Each need in section C is met by provision in section F or G.",
    ),
]
CRITERIA_NAMES: tuple[str, ...] = tuple(name for name, _, _ in PLAN_CRITERIA)

# The answers, as stored (the values of ehc.models.PlanAnswer).
YES, PARTLY, NO, NOT_APPLICABLE = "yes", "partly", "no", "na"
POINTS = {YES: 2, PARTLY: 1, NO: 0}  # "not applicable" scores nothing and counts nothing

GREEN_FROM = 85  # per cent of the points possible
AMBER_FROM = 55
GREEN, AMBER, RED = "green", "amber", "red"  # the values of ehc.models.Rating


def points(answers: Mapping[str, str]) -> tuple[int, int]:
    """``(scored, possible)`` points for ``answers`` (criterion name ->
    answer). Criteria answered "not applicable", left out, or not on the
    checklist count for nothing. Raises ValueError for an answer that is
    not yes, partly, no or not applicable."""
    scored = possible = 0
    for name in CRITERIA_NAMES:
        answer = answers.get(name, NOT_APPLICABLE)
        if answer == NOT_APPLICABLE:
            continue
        if answer not in POINTS:
            raise ValueError(f"{answer!r} is not an answer on the plan checklist")
        scored += POINTS[answer]
        possible += 2
    return scored, possible


def score(answers: Mapping[str, str]) -> int | None:
    """The score as a whole percentage (0 to 100, half rounded up) of the
    points possible; None when every criterion is "not applicable" (there
    is nothing to score)."""
    scored, possible = points(answers)
    if not possible:
        return None
    fraction = Fraction(scored * 100, possible)
    return int(fraction + Fraction(1, 2))  # half up: 87.5 -> 88


def rating_for(answers: Mapping[str, str]) -> str | None:
    """ "green", "amber" or "red" for ``answers``, judged on the exact share
    of points (so rounding the shown score never moves a plan across a
    line); None when nothing is applicable."""
    scored, possible = points(answers)
    if not possible:
        return None
    share = Fraction(scored * 100, possible)
    if share >= GREEN_FROM:
        return GREEN
    if share >= AMBER_FROM:
        return AMBER
    return RED


class _ProvisionRow(Protocol):
    specific: bool
    quantified: bool
    delivered_by: str


def suggested_answers(provision: Iterable[_ProvisionRow]) -> dict[str, str]:
    """What the portal can answer from the section G rows recorded for the
    plan (each with ``specific``, ``quantified`` and ``delivered_by``), to
    start a new audit: "yes" when every row has it, "partly" when some do,
    "no" when none do. Nothing when no rows are recorded: whether the plan
    needs health provision at all is the officer's call."""
    rows = list(provision)
    if not rows:
        return {}

    def answer(flags: list[bool]) -> str:
        if all(flags):
            return YES
        return PARTLY if any(flags) else NO

    return {
        "provision_specific": answer([row.specific for row in rows]),
        "provision_quantified": answer([row.quantified for row in rows]),
        # A row names who delivers it by its service or in words.
        "provider_named": answer([bool(r.service_id or r.delivered_by.strip()) for r in rows]),
    }
