"""Enquiries in the reports (reports/metrics.py ``_enquiries``,
``Presenter.enquiries_table``, the quarterly and annual reports): counted by
the date made, by source and topic, with the time spent; exact for officers,
suppressed for commissioners, with no breakdown of a handful."""

from __future__ import annotations

import datetime

import pytest

from core.periods import parse_period
from reports import metrics
from reports.indicators import Scope
from reports.presentation import Presenter
from reports.suppression import Figures
from tests import factories as f
from tests.access import get_as

pytestmark = pytest.mark.django_db

Q1 = parse_period("2026-q1")  # April to June 2026
TODAY = datetime.date(2026, 8, 1)


def enquiries(area, n: int, *, day=datetime.date(2026, 5, 4), **kwargs):
    return [
        f.EnquiryFactory(local_authority=area.local_authority, received_on=day, **kwargs)
        for _ in range(n)
    ]


def report(area):
    return metrics.compute(Scope(label="x", body_id=area.body.pk), Q1, today=TODAY)


def test_counted_by_date_made_source_topic_and_time(area, other_area):
    enquiries(area, 2, source="gp", topic="training", minutes_spent=30)
    enquiries(area, 1, source="parent", topic="complaint", minutes_spent=45)
    enquiries(area, 1, day=datetime.date(2026, 3, 31), minutes_spent=600)  # Q4 2025/26
    enquiries(other_area, 3)
    q1 = report(area).current
    assert q1.enquiries == 3
    assert q1.enquiries_by_source == {"gp": 2, "parent": 1}
    assert q1.enquiries_by_topic == {"training": 2, "complaint": 1}
    assert q1.enquiry_minutes == 105
    assert report(area).previous.enquiries == 1


def rows_of(table) -> dict[str, list[str]]:
    return {row.label: [cell.text for cell in row.cells] for row in table.rows}


def test_officers_see_exact_figures_and_hours(area):
    enquiries(area, 3, source="school", topic="medical_conditions", minutes_spent=40)
    rows = rows_of(Presenter(report(area), Figures(exact=True)).enquiries_table())
    assert rows["Enquiries"][0] == "3"
    assert rows["From: School or setting"][0] == "3"
    assert rows["About: Medical conditions in school"][0] == "3"
    assert rows["Time spent"][0] == "2 hours"
    assert "From: GP" not in rows  # nothing in any period


def test_commissioners_see_no_breakdown_of_a_handful(area):
    enquiries(area, 3, source="parent", topic="complaint")
    table = Presenter(report(area), Figures(exact=False)).enquiries_table()
    assert rows_of(table) == {"Enquiries": ["*", "0", "0"]}
    assert "Too few enquiries" in table.note


def test_commissioners_see_rounded_counts_and_suppressed_small_cells(area):
    enquiries(area, 9, source="school", topic="training", minutes_spent=60)
    enquiries(area, 2, source="gp", topic="training", minutes_spent=60)
    rows = rows_of(Presenter(report(area), Figures(exact=False)).enquiries_table())
    assert rows["Enquiries"][0] == "10"
    assert rows["From: School or setting"][0] == "10"
    assert rows["From: GP"][0] == "*"
    assert rows["Time spent"][0] == "11 hours"


def test_the_quarterly_and_annual_reports_show_the_table(area):
    enquiries(area, 2)
    quarterly = get_as(area.officer, "/reports/quarterly/?period=2026-q1").content.decode()
    assert "Enquiries to the designated officers" in quarterly
    annual = get_as(area.officer, "/reports/annual/?period=2026").content.decode()
    assert "Enquiries to the designated officers" in annual


def test_a_period_with_a_handful_is_not_broken_down_beside_a_larger_one(area):
    """This quarter has enough enquiries to break down; the quarter before
    has three, all parents' complaints. Its column shows "*" in every row
    of the breakdown, zeros included: "From: Parent *" beside "From: School 0"
    would say what the three were about."""
    enquiries(area, 10, source="school", topic="training", minutes_spent=30)
    enquiries(area, 3, day=datetime.date(2026, 3, 2), source="parent", topic="complaint")
    rows = rows_of(Presenter(report(area), Figures(exact=False)).enquiries_table())
    assert rows["Enquiries"][:2] == ["10", "*"]
    for label in (
        "From: School or setting",
        "From: Parent or young person",
        "About: Complaint",
        "Time spent",
    ):
        assert rows[label][1] == "*", label
    assert rows["From: School or setting"][0] == "10"
    # An officer sees the exact figures in both columns.
    exact = rows_of(Presenter(report(area), Figures(exact=True)).enquiries_table())
    assert (exact["From: Parent or young person"][1], exact["From: School or setting"][1]) == (
        "3",
        "0",
    )


def test_every_breakdown_hides_a_column_whose_own_total_is_suppressed(area):
    """The same rule for the requests' breakdowns: a period with 1 to 7
    requests shows "*" for every need, zeros included."""
    from ehc.models import PrimaryNeed

    service = area.service
    for _ in range(9):
        f.ContributionFactory(
            request=f.HealthAdviceRequestFactory(
                child__local_authority=area.local_authority,
                child__primary_need=PrimaryNeed.ASD,
                received_on=datetime.date(2026, 5, 4),
                sent_on=datetime.date(2026, 5, 4),
            ),
            service=service,
        )
    f.ContributionFactory(
        request=f.HealthAdviceRequestFactory(
            child__local_authority=area.local_authority,
            child__primary_need=PrimaryNeed.SLCN,
            received_on=datetime.date(2026, 3, 2),
            sent_on=datetime.date(2026, 3, 2),
        ),
        service=service,
    )
    presenter = Presenter(report(area), Figures(exact=False))
    by_need = next(t for t in presenter.demand_tables() if t.key == "by_need")
    rows = rows_of(by_need)
    assert rows[PrimaryNeed.ASD.label][:2] == ["10", "*"]
    assert rows[PrimaryNeed.SLCN.label][:2] == ["0", "*"]
