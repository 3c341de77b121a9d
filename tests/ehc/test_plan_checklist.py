"""ehc.plan_checklist: scoring and rating a plan audit at the edges of its
thresholds (docs/plans.md, "The checklist")."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from ehc import plan_checklist as pc

NAMES = pc.CRITERIA_NAMES


def answers(yes=0, partly=0, no=0) -> dict:
    """The first ``yes`` criteria yes, the next ``partly`` partly, the next
    ``no`` no; the rest not applicable."""
    given = ["yes"] * yes + ["partly"] * partly + ["no"] * no
    return dict(zip(NAMES, given, strict=False))


def test_the_checklist_has_eight_criteria_covering_c_and_g():
    assert len(NAMES) == 8
    assert {"needs_in_c", "therapy_in_f", "needs_have_provision", "child_views"} <= set(NAMES)


@pytest.mark.parametrize(
    ("given", "score", "rating"),
    [
        (answers(yes=8), 100, "green"),
        (answers(yes=7, no=1), 88, "green"),  # 87.5% rounds half up
        (answers(yes=6, partly=1, no=1), 81, "amber"),  # 13 of 16
        (answers(yes=4, partly=1, no=3), 56, "amber"),  # 9 of 16 = 56.25%
        (answers(yes=4, no=4), 50, "red"),
        (answers(no=8), 0, "red"),
        (answers(partly=8), 50, "red"),
    ],
)
def test_score_and_rating(given, score, rating):
    assert pc.score(given) == score
    assert pc.rating_for(given) == rating


def test_not_applicable_leaves_a_criterion_out_of_the_points_possible():
    # 6 yes of 7 applicable: 12 of 14 = 85.7%: green. With the eighth a "no", amber.
    given = answers(yes=6, no=1) | {NAMES[7]: "na"}
    assert pc.points(given) == (12, 14)
    assert pc.rating_for(given) == "green"
    assert pc.rating_for(given | {NAMES[7]: "no"}) == "amber"


def test_exactly_85_and_55_per_cent_are_the_lower_edges(monkeypatch):
    """With ten criteria the edges fall on whole points: 17 of 20 is 85%
    (green), 16.5 cannot be; 11 of 20 is 55% (amber), 10 of 20 red."""
    ten = tuple(f"c{i}" for i in range(10))
    monkeypatch.setattr(pc, "CRITERIA_NAMES", ten)

    def given(yes, partly):
        return dict(zip(ten, ["yes"] * yes + ["partly"] * partly + ["no"] * 10, strict=False))

    assert pc.points(given(7, 3)) == (17, 20)
    assert (pc.score(given(7, 3)), pc.rating_for(given(7, 3))) == (85, "green")
    assert pc.rating_for(given(7, 2)) == "amber"  # 16 of 20
    assert (pc.score(given(5, 1)), pc.rating_for(given(5, 1))) == (55, "amber")
    assert pc.rating_for(given(5, 0)) == "red"  # 10 of 20


def test_nothing_applicable_has_no_score_and_an_unknown_answer_is_refused():
    assert pc.score({}) is None
    assert pc.rating_for(answers()) is None
    with pytest.raises(ValueError):
        pc.points({NAMES[0]: "maybe"})
    # Names that are not criteria are ignored.
    assert pc.points({"unknown": "yes", NAMES[0]: "yes"}) == (2, 2)


def row(specific=True, quantified=True, delivered_by="Nurse", service_id=None):
    return SimpleNamespace(
        specific=specific, quantified=quantified, delivered_by=delivered_by, service_id=service_id
    )


def test_suggested_answers_from_the_section_g_rows():
    assert pc.suggested_answers([]) == {}
    assert pc.suggested_answers([row(), row()]) == {
        "provision_specific": "yes",
        "provision_quantified": "yes",
        "provider_named": "yes",
    }
    mixed = pc.suggested_answers([row(), row(specific=False, quantified=False, delivered_by=" ")])
    assert mixed == {
        "provision_specific": "partly",
        "provision_quantified": "partly",
        "provider_named": "partly",
    }
    none = pc.suggested_answers([row(specific=False, quantified=False, delivered_by="")])
    assert set(none.values()) == {"no"}
    # A row naming its service names who delivers it.
    by_service = pc.suggested_answers([row(delivered_by="", service_id=7)])
    assert by_service["provider_named"] == "yes"
