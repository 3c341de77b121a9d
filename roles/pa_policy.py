"""Programmed activities policy: plain values in, plain values out.

(docs/architecture.md, "Pure rules in pure modules")

docs/domain.md, "The role": a PA is a 4-hour block (10 PAs is full time, so a
day is 2 PAs). The BACCH/BACD model DMO job description (2014) sets 2 PAs a
week as the minimum for a DMO post, covering one commissioning body and one
local authority with up to 70,000 children. Covering more bodies or
authorities, or more children, needs additional PAs "agreed between CCGs and
Providers", *not necessarily on a pro rata basis* (the job description's
footnote). So this module flags such a post until a local agreement on its
time is recorded, whatever its PAs; the pro-rata figure is offered only as a
reference, never as a requirement. Once an agreement is recorded, the post is
checked against it instead: fewer PAs funded than agreed is a flag of its own.

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
    # PAs a week of the local agreement on the post's time, or None when no
    # agreement is recorded (the agreement's date and parties are the
    # model's; the rule needs only whether there is one and its PAs).
    agreed_pas: Decimal | None = None


# Flag codes, with the words shown to people.
UNDER_MINIMUM = "under_minimum"
MORE_CHILDREN = "more_children"
MORE_LOCAL_AUTHORITIES = "more_local_authorities"
MORE_BODIES = "more_bodies"
VACANT = "vacant"
NO_POPULATION = "no_population"
FUNDED_BELOW_AGREEMENT = "funded_below_agreement"

# Coverage beyond the baseline: each needs additional time agreed locally.
COVERAGE_FLAGS = (MORE_CHILDREN, MORE_LOCAL_AUTHORITIES, MORE_BODIES)

FLAG_TEXT = {
    UNDER_MINIMUM: "Below the minimum time for the role",
    MORE_CHILDREN: "Covers more children than the minimum allows for, "
    "and no local agreement on its time is recorded",
    MORE_LOCAL_AUTHORITIES: "Covers more local authorities than the minimum allows for, "
    "and no local agreement on its time is recorded",
    MORE_BODIES: "Covers more commissioning bodies than the minimum allows for, "
    "and no local agreement on its time is recorded",
    VACANT: "Vacant: no designated time is being delivered",
    NO_POPULATION: "No child population recorded for the areas covered",
    FUNDED_BELOW_AGREEMENT: "Fewer PAs funded than the local agreement",
}


@dataclass(frozen=True)
class Assessment:
    minimum_pas: Decimal
    flags: tuple[str, ...] = field(default_factory=tuple)
    # The pro-rata figure is a reference only: the model job description says
    # extra time is agreed locally and not necessarily pro rata.
    pro_rata_reference_pas: Decimal | None = None
    # Where the post goes beyond the baseline (COVERAGE_FLAGS codes), whether
    # or not a local agreement has cleared the flags.
    beyond_baseline: tuple[str, ...] = field(default_factory=tuple)
    # PAs a week of the recorded local agreement, or None.
    agreed_pas: Decimal | None = None

    @property
    def under_minimum(self) -> bool:
        return UNDER_MINIMUM in self.flags

    @property
    def needs_additional_time(self) -> bool:
        """Beyond the baseline with no local agreement recorded."""
        return any(f in self.flags for f in COVERAGE_FLAGS)

    @property
    def agreed_locally(self) -> bool:
        """Beyond the baseline, and a local agreement on its time is recorded."""
        return bool(self.beyond_baseline) and self.agreed_pas is not None

    @property
    def funded_below_agreement(self) -> bool:
        return FUNDED_BELOW_AGREEMENT in self.flags

    @property
    def messages(self) -> list[str]:
        return [FLAG_TEXT[f] for f in self.flags]

    @property
    def reference_note(self) -> str:
        """The pro-rata figure in words, as a reference only ("" when the
        post is within the baseline)."""
        if self.pro_rata_reference_pas is None:
            return ""
        pas = self.pro_rata_reference_pas
        return (
            f"For reference: pro rata would be {format_number(pas)} "
            f"{'PA' if pas == 1 else 'PAs'} a week; the model job description says extra "
            "time is agreed locally, not necessarily pro rata."
        )


def minimum_for(role: str, policy: Policy) -> Decimal:
    return policy.dmo_minimum_pas if role == "dmo" else policy.dco_minimum_pas


def assess(post: PostFacts, policy: Policy = Policy()) -> Assessment:
    """Check one post against the policy.

    - under the minimum: fewer PAs than the role's minimum (only when the
      minimum is above 0);
    - needs additional time: more children, authorities or bodies than the
      baseline covers (one flag for each), until a local agreement on the
      post's time is recorded (``agreed_pas`` is not None). Reaching the
      pro-rata reference does not clear the flags: the model job description
      asks for time agreed locally, "not necessarily on a pro rata basis",
      so the flag asks for that agreement, not for the pro-rata figure,
      which is returned for reference whenever the post is beyond the
      baseline;
    - fewer PAs funded than the local agreement (:func:`funded_below_agreement`),
      whatever the post covers;
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
    over: list[str] = []
    if minimum > 0:
        if post.children > policy.baseline_children:
            over.append(MORE_CHILDREN)
        if post.local_authorities > policy.baseline_local_authorities:
            over.append(MORE_LOCAL_AUTHORITIES)
        if post.commissioning_bodies > policy.baseline_bodies:
            over.append(MORE_BODIES)
        if over:
            reference = pro_rata_reference(post, policy)
            if post.agreed_pas is None:
                flags.extend(over)
    if funded_below_agreement(post.pas_per_week, post.agreed_pas):
        flags.append(FUNDED_BELOW_AGREEMENT)
    return Assessment(
        minimum_pas=minimum,
        flags=tuple(flags),
        pro_rata_reference_pas=reference,
        beyond_baseline=tuple(over),
        agreed_pas=post.agreed_pas,
    )


def funded_below_agreement(pas_per_week: Decimal, agreed_pas: Decimal | None) -> bool:
    """Whether a post is funded for fewer PAs a week than its local agreement.

    The BACCH/BACD model DMO job description (2014) says a post covering more
    than one commissioning body or local authority, or more than 70,000
    children, needs additional PAs "agreed between CCGs and Providers", not
    necessarily pro rata. Once such an agreement is recorded it, not the
    pro-rata figure, is what the post's funded time is held to: ``True``
    when ``pas_per_week`` is below ``agreed_pas``. Equal is not below; no
    agreement (``None``) is never below.
    """
    return agreed_pas is not None and Decimal(pas_per_week) < Decimal(agreed_pas)


def pro_rata_reference(post: PostFacts, policy: Policy = Policy()) -> Decimal:
    """The minimum scaled by the largest of the three coverage ratios,
    rounded up to half a PA. Shown for reference only: reaching it clears no
    flag (see :func:`assess`)."""
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
