"""The RAG rule (improvement/rag.py) at its edges, and its query twin
(``ActionQuerySet.with_rag``) giving the same rating on every status, due
date and override."""

from __future__ import annotations

import datetime
import itertools

import pytest

from improvement import rag

TODAY = datetime.date(2026, 11, 30)


def day(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.mark.parametrize(
    ("status", "due", "expected"),
    [
        (rag.COMPLETE, -100, rag.BLUE),
        (rag.COMPLETE, 100, rag.BLUE),
        (rag.SUPERSEDED, -1, rag.NOT_RATED),
        (rag.IN_PROGRESS, -1, rag.RED),
        (rag.NOT_STARTED, -1, rag.RED),
        (rag.IN_PROGRESS, 0, rag.GREEN),  # due today is not overdue
        (rag.NOT_STARTED, 0, rag.AMBER),
        (rag.NOT_STARTED, rag.AMBER_WITHIN_DAYS, rag.AMBER),
        (rag.NOT_STARTED, rag.AMBER_WITHIN_DAYS + 1, rag.GREEN),
        (rag.IN_PROGRESS, 5, rag.GREEN),
    ],
)
def test_derived_rating(status, due, expected):
    assert rag.derived(status, day(due), TODAY) == expected


def test_overdue_is_open_and_past_its_due_date():
    assert rag.is_overdue(rag.IN_PROGRESS, day(-1), TODAY)
    assert not rag.is_overdue(rag.IN_PROGRESS, TODAY, TODAY)
    assert not rag.is_overdue(rag.COMPLETE, day(-30), TODAY)


def test_an_override_applies_to_open_actions_not_overdue():
    assert rag.rating(rag.IN_PROGRESS, day(10), rag.RED, TODAY) == rag.RED
    assert rag.rating(rag.NOT_STARTED, day(3), rag.GREEN, TODAY) == rag.GREEN
    # Overdue stays red, whatever the override says.
    assert rag.rating(rag.IN_PROGRESS, day(-1), rag.GREEN, TODAY) == rag.RED
    # Complete stays blue; superseded unrated.
    assert rag.rating(rag.COMPLETE, day(10), rag.RED, TODAY) == rag.BLUE
    assert rag.rating(rag.SUPERSEDED, day(10), rag.AMBER, TODAY) == rag.NOT_RATED


@pytest.mark.django_db
def test_the_query_gives_the_same_rating_as_the_rule():
    from improvement.models import ImprovementAction
    from tests import factories as f

    plan = f.ImprovementPlanFactory()
    statuses = (rag.NOT_STARTED, rag.IN_PROGRESS, rag.COMPLETE, rag.SUPERSEDED)
    dues = (-2, -1, 0, 1, rag.AMBER_WITHIN_DAYS, rag.AMBER_WITHIN_DAYS + 1, 90)
    overrides = ("", rag.RED, rag.AMBER, rag.GREEN)
    expected = {}
    for status, due, override in itertools.product(statuses, dues, overrides):
        action = ImprovementAction.objects.create(
            plan=plan,
            plan_area="other",
            title="x",
            owner="y",
            due_on=day(due),
            status=status,
            completed_on=day(-5) if status == rag.COMPLETE else None,
            rag_override=override,
            rag_reason="because" if override else "",
        )
        expected[action.pk] = rag.rating(status, day(due), override, TODAY)
    got = dict(ImprovementAction.objects.with_rag(TODAY).values_list("pk", "rag"))
    assert got == expected
