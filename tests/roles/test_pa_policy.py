"""The PA policy (roles/pa_policy.py): boundaries of the model DMO job
description's minimum and baseline, the local agreement that clears the
"needs additional time" flags (pro rata never does), and time shown in both
units."""

from decimal import Decimal

import pytest

from roles import pa_policy as p

D = Decimal


def dmo(pas="2", children=70_000, las=1, bodies=1, vacant=False, agreed=None):
    return p.PostFacts(
        role="dmo",
        pas_per_week=D(pas),
        children=children,
        local_authorities=las,
        commissioning_bodies=bodies,
        vacant=vacant,
        agreed_pas=None if agreed is None else D(agreed),
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


# --- Additional time: agreed locally, not necessarily pro rata -------------------------
#
# A DMO post covering 2 LAs (60,000 children, 1 body): the minimum is 2 PAs
# and the largest coverage ratio is 2/1, so the pro-rata reference is
# 2 x 2 = 4 PAs.


def test_two_las_with_the_minimum_and_no_agreement_is_flagged():
    result = p.assess(dmo(pas="2", las=2, children=60_000))
    assert result.flags == (p.MORE_LOCAL_AUTHORITIES,)
    assert result.needs_additional_time
    assert result.pro_rata_reference_pas == D("4")
    assert result.beyond_baseline == (p.MORE_LOCAL_AUTHORITIES,)
    assert not result.agreed_locally


def test_reaching_the_pro_rata_reference_without_an_agreement_is_still_flagged():
    # 4 PAs is the pro-rata figure, but the model job description asks for
    # time agreed locally, not pro rata: only an agreement clears the flag.
    result = p.assess(dmo(pas="4", las=2, children=60_000))
    assert result.flags == (p.MORE_LOCAL_AUTHORITIES,)
    assert result.pro_rata_reference_pas == D("4")


def test_even_more_than_pro_rata_without_an_agreement_is_still_flagged():
    assert p.assess(dmo(pas="10", las=2, children=60_000)).needs_additional_time


def test_an_agreement_of_3_pas_funded_at_3_clears_the_additional_time_flag():
    # 3 PAs is below the pro-rata 4, and that is fine: not necessarily pro rata.
    result = p.assess(dmo(pas="3", las=2, children=60_000, agreed="3"))
    assert result.flags == ()
    assert not result.needs_additional_time
    assert result.agreed_locally
    assert result.agreed_pas == D("3")
    # The reference is still reported, as a reference.
    assert result.pro_rata_reference_pas == D("4")
    assert result.reference_note == (
        "For reference: pro rata would be 4 PAs a week; the model job description says "
        "extra time is agreed locally, not necessarily pro rata."
    )


def test_an_agreement_of_3_pas_funded_at_2_5_is_the_funded_below_agreement_flag():
    result = p.assess(dmo(pas="2.5", las=2, children=60_000, agreed="3"))
    assert result.flags == (p.FUNDED_BELOW_AGREEMENT,)
    assert result.funded_below_agreement
    assert not result.needs_additional_time
    assert result.messages == ["Fewer PAs funded than the local agreement"]


def test_funded_above_the_agreement_is_not_flagged():
    assert p.assess(dmo(pas="3.5", las=2, children=60_000, agreed="3")).flags == ()


def test_an_agreement_clears_every_coverage_flag_but_not_the_minimum():
    # 200,000 children, 3 LAs, 2 bodies, 1 PA funded, 1 PA agreed: the
    # coverage flags clear, the funded time meets the agreement, but 1 PA is
    # still below the role's minimum of 2.
    result = p.assess(dmo(pas="1", children=200_000, las=3, bodies=2, agreed="1"))
    assert result.flags == (p.UNDER_MINIMUM,)
    assert result.beyond_baseline == (p.MORE_CHILDREN, p.MORE_LOCAL_AUTHORITIES, p.MORE_BODIES)


def test_an_agreement_on_a_post_within_the_baseline_is_held_to_its_pas():
    # Within the baseline nothing needs agreeing, but a recorded agreement
    # still sets what the post should be funded for.
    assert p.assess(dmo(pas="2", agreed="2")).flags == ()
    result = p.assess(dmo(pas="2", agreed="2.5"))
    assert result.flags == (p.FUNDED_BELOW_AGREEMENT,)
    assert not result.agreed_locally  # nothing beyond the baseline to agree
    assert result.reference_note == ""


@pytest.mark.parametrize(
    ("funded", "agreed", "below"),
    [
        ("2.5", "3", True),
        ("2.99", "3", True),
        ("3", "3", False),
        ("3.01", "3", False),
        ("0", "0.5", True),
        ("2", None, False),
    ],
)
def test_funded_below_agreement_edges(funded, agreed, below):
    assert p.funded_below_agreement(D(funded), None if agreed is None else D(agreed)) is below


def test_reference_note_says_pa_for_one():
    result = p.Assessment(minimum_pas=D("1"), pro_rata_reference_pas=D("1"))
    assert result.reference_note.startswith("For reference: pro rata would be 1 PA a week;")


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
