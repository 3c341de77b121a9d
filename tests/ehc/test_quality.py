"""The pure quality checklist: criteria, score, rating, what the portal ticks."""

from __future__ import annotations

import datetime
from types import SimpleNamespace

import pytest

from ehc import quality

D = datetime.date


def test_nine_criteria_with_unique_names():
    assert len(quality.QUALITY_CRITERIA) == 9
    assert len(set(quality.CRITERIA_NAMES)) == 9


@pytest.mark.parametrize(
    "score, rating",
    [(9, "green"), (8, "green"), (7, "amber"), (5, "amber"), (4, "red"), (0, "red")],
)
def test_rating_for(score, rating):
    assert quality.rating_for(score) == rating


def test_score_counts_only_criteria():
    assert quality.score(["dated_recently", "jargon_free", "not_a_criterion"]) == 2
    assert quality.score(quality.CRITERIA_NAMES) == 9


def test_met_criteria_and_flags_agree():
    review = SimpleNamespace(**{name: name == "child_views" for name in quality.CRITERIA_NAMES})
    assert quality.met_criteria(review) == ["child_views"]
    flags = quality.criteria_flags(["child_views"])
    assert flags["child_views"] and sum(flags.values()) == 1


def advice(**overrides):
    values = {
        "written_on": D(2026, 10, 1),
        "received_on": D(2026, 9, 2),
        "author_name": "Dr A",
        "needs": "Needs.",
        "outcomes": "Outcomes.",
        "child_views": "",
        "provision": [SimpleNamespace(frequency="Weekly", duration="A term")],
    }
    return values | overrides


def test_suggested_criteria():
    assert quality.suggested_criteria(**advice()) == {
        "dated_recently": True,
        "author_named": True,
        "provision_quantified": True,
        "sections_separated": True,
        "child_views": False,
    }


def test_suggested_criteria_edges():
    old = quality.suggested_criteria(**advice(written_on=D(2025, 9, 1), provision=[]))
    assert not old["dated_recently"] and not old["provision_quantified"]
    exactly_a_year = quality.suggested_criteria(**advice(written_on=D(2025, 9, 2)))
    assert exactly_a_year["dated_recently"]
    vague = [SimpleNamespace(frequency="Weekly", duration="")]
    assert not quality.suggested_criteria(**advice(provision=vague))["provision_quantified"]
