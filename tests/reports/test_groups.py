"""Requests by group (reports/groups.py, the count in reports/metrics.py):
the hand-worked example of docs/reports.md, "Requests by group", exact for
an officer and suppressed for a commissioner, on every report that shows
the demand tables."""

from __future__ import annotations

import datetime

import pytest

from core import periods
from ehc.models import Child
from reports import metrics
from reports.indicators import Scope
from reports.presentation import Presenter
from reports.suppression import Figures
from tests import factories as f

pytestmark = pytest.mark.django_db

D = datetime.date
Q1 = periods.quarter(2026, 1)  # 1 April to 30 June 2026
TODAY = D(2026, 11, 30)


@pytest.fixture
def worked(area):
    """docs/reports.md, "Requests by group": eight requests, seven children."""
    la = area.local_authority

    def child(born, **flags):
        return f.ChildFactory(local_authority=la, date_of_birth=born, **flags)

    def request(someone, received):
        return f.HealthAdviceRequestFactory(child=someone, sent_on=received, received_on=received)

    a = child(D(2012, 8, 31))
    b = child(D(2012, 9, 1))
    c = child(D(2013, 1, 10))
    Child.objects.filter(pk=c.pk).update(year_group=9, year_group_recorded_on=D(2025, 10, 1))
    d = child(D(2008, 4, 10))
    e = child(D(2001, 6, 15), looked_after=True, continuing_care=True)
    g = child(D(2019, 3, 1), electively_home_educated=True)
    h = child(D(2010, 11, 20), looked_after=True, known_to_youth_justice=True)
    request(a, D(2026, 5, 1))
    request(b, D(2026, 5, 1))
    request(c, D(2026, 5, 1))
    request(d, D(2026, 4, 9))
    request(d, D(2026, 6, 1))
    request(e, D(2026, 6, 1))
    request(g, D(2026, 5, 15))
    request(h, D(2026, 5, 15))
    request(child(D(2015, 1, 1), looked_after=True), D(2026, 7, 1))  # Q2: not counted
    return la


def test_the_hand_worked_counts(worked):
    report = metrics.compute(Scope("Test", la_ids=frozenset({worked.pk})), Q1, today=TODAY)
    assert report.current.requests == 8
    assert report.current.by_group == {
        "year_9": 6,
        "18_25": 2,
        "looked_after": 2,
        "home_educated": 1,
        "youth_justice": 1,
        "continuing_care": 1,
    }


def table_of(la, figures):
    report = metrics.compute(Scope("Test", la_ids=frozenset({la.pk})), Q1, today=TODAY)
    tables = Presenter(
        report,
        figures,
        drill=lambda q: "/ehc/requests/?" + "&".join(f"{k}={v}" for k, v in q.items()),
    ).demand_tables()
    return next(t for t in tables if t.key == "by_group")


def test_the_table_exact_and_suppressed(worked):
    exact = table_of(worked, Figures(exact=True))
    assert [(r.label, r.cells[0].text) for r in exact.rows] == [
        ("Year 9 or above (preparing for adulthood)", "6"),
        ("Aged 18 to 25", "2"),
        ("Looked after", "2"),
        ("Electively home educated", "1"),
        ("Known to youth justice", "1"),
        ("Eligible for continuing care", "1"),
    ]
    # The previous quarter and a year earlier had no requests: 0, not hidden.
    assert {c.text for r in exact.rows for c in r.cells[1:]} == {"0"}
    assert "do not add up" in exact.note
    # Flags link to the worklist filtered by the group; ages (counted at receipt) do not.
    assert exact.rows[0].link is None and exact.rows[1].link is None
    assert "group=looked_after" in exact.rows[2].link
    suppressed = table_of(worked, Figures(exact=False))
    assert [r.cells[0].text for r in suppressed.rows] == ["*"] * 6


def test_no_breakdown_of_a_handful(area):
    someone = f.ChildFactory(local_authority=area.local_authority, looked_after=True)
    f.HealthAdviceRequestFactory(child=someone, sent_on=D(2026, 5, 1), received_on=D(2026, 5, 1))
    table = table_of(area.local_authority, Figures(exact=False))
    assert table.rows == [] and "Too few requests" in table.empty
