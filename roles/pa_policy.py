"""Programmed activities policy: plain values in, plain values out.

(docs/architecture.md, "Pure rules in pure modules")

docs/domain.md, "The role": a PA is a 4-hour block (10 PAs is full time, so a
day is 2 PAs). The BACCH/BACD model DMO job description (2014) sets 2 PAs a
week as the minimum for a DMO post, covering one commissioning body and one
local authority with up to 70,000 children. Covering more bodies or
authorities, or more children, needs more time, agreed locally and *not
necessarily pro rata*: so this module flags the post and offers the pro-rata
figure only as a reference, never as a requirement.

Every number is a parameter (:class:`Policy`), edited by administrators in
``PAPolicySettings``; the defaults are the model job description's.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

PAS_PER_DAY = Decimal("2")
FULL_TIME_PAS = Decimal("10")
HOURS_PER_PA = Decimal("4")


@dataclass(frozen=True)
class Policy:
    dmo_minimum_pas: Decimal = Decimal("2")
    dco_minimum_pas: Decimal = Decimal("0")  # no national minimum for a DCO
    baseline_children: int = 70_000
    baseline_bodies: int = 1
    baseline_local_authorities: int = 1


@dataclass(frozen=True)
class PostFacts:
    """What the policy needs to know about a post."""

    role: str  # "dmo" or "dco"
    pas_per_week: Decimal
    children: int  # child population of the areas covered
    local_authorities: int
    commissioning_bodies: int
    vacant: bool = False


# Flag codes, with the words shown to people.
UNDER_MINIMUM = "under_minimum"
MORE_CHILDREN = "more_children"
MORE_LOCAL_AUTHORITIES = "more_local_authorities"
MORE_BODIES = "more_bodies"
VACANT = "vacant"
NO_POPULATION = "no_population"

FLAG_TEXT = {
    UNDER_MINIMUM: "Below the minimum time for the role",
    MORE_CHILDREN: "Covers more children than the minimum allows for",
    MORE_LOCAL_AUTHORITIES: "Covers more local authorities than the minimum allows for",
    MORE_BODIES: "Covers more commissioning bodies than the minimum allows for",
    VACANT: "Vacant: no designated time is being delivered",
    NO_POPULATION: "No child population recorded for the areas covered",
}


@dataclass(frozen=True)
class Assessment:
    minimum_pas: Decimal
    flags: tuple[str, ...] = field(default_factory=tuple)
    # The pro-rata figure is a reference only: the model job description says
    # extra time is agreed locally and not necessarily pro rata.
    pro_rata_reference_pas: Decimal | None = None

    @property
    def under_minimum(self) -> bool:
        return UNDER_MINIMUM in self.flags

    @property
    def needs_additional_time(self) -> bool:
        return any(f in self.flags for f in (MORE_CHILDREN, MORE_LOCAL_AUTHORITIES, MORE_BODIES))

    @property
    def messages(self) -> list[str]:
        return [FLAG_TEXT[f] for f in self.flags]


def minimum_for(role: str, policy: Policy) -> Decimal:
    return policy.dmo_minimum_pas if role == "dmo" else policy.dco_minimum_pas


def assess(post: PostFacts, policy: Policy = Policy()) -> Assessment:
    """Check one post against the policy.

    - under the minimum: fewer PAs than the role's minimum (only when the
      minimum is above 0);
    - needs additional time: more children, authorities or bodies than the
      baseline covers, unless the post already has at least the pro-rata
      reference (the flag asks for a local decision, it does not demand the
      pro-rata figure);
    - a vacant post delivers no time, whatever its funded PAs.
    """
    minimum = minimum_for(post.role, policy)
    flags: list[str] = []
    if post.vacant:
        flags.append(VACANT)
    if minimum > 0 and post.pas_per_week < minimum:
        flags.append(UNDER_MINIMUM)
    if post.children <= 0:
        flags.append(NO_POPULATION)

    reference = None
    if minimum > 0:
        over = []
        if post.children > policy.baseline_children:
            over.append(MORE_CHILDREN)
        if post.local_authorities > policy.baseline_local_authorities:
            over.append(MORE_LOCAL_AUTHORITIES)
        if post.commissioning_bodies > policy.baseline_bodies:
            over.append(MORE_BODIES)
        if over:
            reference = pro_rata_reference(post, policy)
            if post.pas_per_week < reference:
                flags.extend(over)
    return Assessment(minimum_pas=minimum, flags=tuple(flags), pro_rata_reference_pas=reference)


def pro_rata_reference(post: PostFacts, policy: Policy = Policy()) -> Decimal:
    """The minimum scaled by the largest of the three coverage ratios,
    rounded up to half a PA. Shown for reference only."""
    minimum = minimum_for(post.role, policy)
    ratio = max(
        Decimal(post.children) / Decimal(policy.baseline_children),
        Decimal(post.local_authorities) / Decimal(policy.baseline_local_authorities),
        Decimal(post.commissioning_bodies) / Decimal(policy.baseline_bodies),
        Decimal(1),
    )
    halves = math.ceil(minimum * ratio * 2)
    return Decimal(halves) / 2


def pas_to_days(pas: Decimal) -> Decimal:
    return (Decimal(pas) / PAS_PER_DAY).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def days_to_pas(days: Decimal) -> Decimal:
    return (Decimal(days) * PAS_PER_DAY).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def per_10000_children(pas: Decimal, children: int) -> Decimal | None:
    """PAs a week per 10,000 children, or None without a population."""
    if children <= 0:
        return None
    return (Decimal(pas) * 10_000 / Decimal(children)).quantize(
        Decimal("0.01"), rounding=ROUND_HALF_UP
    )


def format_number(value: Decimal) -> str:
    """2.00 -> "2", 0.50 -> "0.5"."""
    text = f"{Decimal(value).normalize():f}"
    return text


def describe_time(pas: Decimal) -> str:
    """ "2 PAs (1 day) a week" style wording, for both roles."""
    pas = Decimal(pas)
    days = pas_to_days(pas)
    pa_word = "PA" if pas == 1 else "PAs"
    day_word = "day" if days == 1 else "days"
    return f"{format_number(pas)} {pa_word} ({format_number(days)} {day_word}) a week"
