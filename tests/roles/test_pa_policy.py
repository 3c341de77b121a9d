"""The PA policy (roles/pa_policy.py): boundaries of the model DMO job
description's minimum and baseline, and time shown in both units."""

from decimal import Decimal

import pytest

from roles import pa_policy as p

D = Decimal


def dmo(pas="2", children=70_000, las=1, bodies=1, vacant=False):
    return p.PostFacts(
        role="dmo",
        pas_per_week=D(pas),
        children=children,
        local_authorities=las,
        commissioning_bodies=bodies,
        vacant=vacant,
    )


def test_minimum_post_at_the_baseline_has_no_flags():
    result = p.assess(dmo())
    assert result.flags == ()
    assert result.minimum_pas == D("2")
    assert result.pro_rata_reference_pas is None


def test_exactly_70000_children_is_covered_by_the_minimum():
    assert p.MORE_CHILDREN not in p.assess(dmo(children=70_000)).flags


def test_one_child_more_than_70000_needs_additional_time():
    result = p.assess(dmo(children=70_001))
    assert result.flags == (p.MORE_CHILDREN,)
    assert result.needs_additional_time
    # 2 x 70,001/70,000 rounded up to half a PA: a reference, not a rule.
    assert result.pro_rata_reference_pas == D("2.5")


def test_under_two_pas_is_under_the_minimum():
    result = p.assess(dmo(pas="1.5"))
    assert result.flags == (p.UNDER_MINIMUM,)
    assert result.under_minimum
    assert not result.needs_additional_time


def test_two_local_authorities_need_additional_time():
    result = p.assess(dmo(las=2, children=60_000))
    assert result.flags == (p.MORE_LOCAL_AUTHORITIES,)
    assert result.pro_rata_reference_pas == D("4")


def test_two_bodies_need_additional_time():
    assert p.assess(dmo(bodies=2, children=50_000)).flags == (p.MORE_BODIES,)


def test_extra_time_at_or_above_the_pro_rata_reference_is_not_flagged():
    # Two LAs with 4 PAs: the pro-rata reference is met, so no flag; the
    # reference is still reported.
    result = p.assess(dmo(pas="4", las=2, children=60_000))
    assert result.flags == ()
    assert result.pro_rata_reference_pas == D("4")


def test_some_extra_time_below_pro_rata_is_still_flagged_for_a_local_decision():
    result = p.assess(dmo(pas="3", children=140_000))
    assert result.flags == (p.MORE_CHILDREN,)
    assert result.pro_rata_reference_pas == D("4")


def test_all_coverage_flags_and_under_minimum_together():
    result = p.assess(dmo(pas="1", children=200_000, las=3, bodies=2))
    assert result.flags == (
        p.UNDER_MINIMUM,
        p.MORE_CHILDREN,
        p.MORE_LOCAL_AUTHORITIES,
        p.MORE_BODIES,
    )
    # The largest ratio wins: 200,000/70,000 = 2.86 -> 5.71 -> 6 PAs.
    assert result.pro_rata_reference_pas == D("6")


def test_vacant_post_is_flagged_whatever_its_funded_time():
    result = p.assess(dmo(pas="2", vacant=True))
    assert result.flags == (p.VACANT,)
    assert "Vacant" in result.messages[0]


def test_post_without_population_is_flagged():
    assert p.NO_POPULATION in p.assess(dmo(children=0)).flags


def test_dco_has_no_minimum_by_default():
    facts = p.PostFacts("dco", D("0.5"), 200_000, 3, 2)
    result = p.assess(facts)
    assert result.flags == ()
    assert result.minimum_pas == 0


def test_dco_minimum_applies_when_an_administrator_sets_one():
    policy = p.Policy(dco_minimum_pas=D("4"))
    assert p.assess(p.PostFacts("dco", D("2"), 10_000, 1, 1), policy).flags == (p.UNDER_MINIMUM,)


def test_parameters_change_the_boundaries():
    policy = p.Policy(
        dmo_minimum_pas=D("3"), baseline_children=50_000, baseline_local_authorities=2
    )
    assert p.assess(dmo(pas="3", children=50_000, las=2), policy).flags == ()
    assert p.assess(dmo(pas="3", children=50_001, las=2), policy).flags == (p.MORE_CHILDREN,)
    assert p.assess(dmo(pas="2.5", children=10_000), policy).flags == (p.UNDER_MINIMUM,)


@pytest.mark.parametrize(
    ("pas", "days", "text"),
    [
        ("2", "1", "2 PAs (1 day) a week"),
        ("1", "0.5", "1 PA (0.5 days) a week"),
        ("0.5", "0.25", "0.5 PAs (0.25 days) a week"),
        ("10", "5", "10 PAs (5 days) a week"),
        ("3", "1.5", "3 PAs (1.5 days) a week"),
    ],
)
def test_time_is_shown_in_pas_and_days(pas, days, text):
    assert p.pas_to_days(D(pas)) == D(days)
    assert p.describe_time(D(pas)) == text
    assert p.days_to_pas(D(days)) == D(pas)


def test_per_10000_children():
    assert p.per_10000_children(D("2"), 70_000) == D("0.29")
    assert p.per_10000_children(D("2"), 0) is None
