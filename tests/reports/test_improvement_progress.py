"""Improvement plan progress in the reports (reports/improvement_progress.py):
the plans of the scope that ran in the period, their actions by rating and
status, completions in the period, overdue on the last day; and a change to
a plan or an action makes its own area's stored reports stale."""

from __future__ import annotations

import datetime

import pytest

from core import periods
from improvement.models import ActionStatus
from reports import data_versions
from reports.improvement_progress import improvement_section
from tests import factories as f

pytestmark = pytest.mark.django_db

YEAR = periods.financial_year(2025)  # 1 April 2025 to 31 March 2026
AS_OF = YEAR.end


def day(y, m, d) -> datetime.date:
    return datetime.date(y, m, d)


def cells(table) -> dict[str, list[str]]:
    return {row.label: [c.text for c in row.cells] for row in table.rows}


def test_plans_and_their_actions_on_the_last_day(area, other_area):
    plan = f.ImprovementPlanFactory(
        local_authority=area.local_authority, title="WSOA", starts_on=day(2025, 5, 1)
    )
    f.ImprovementActionFactory(plan=plan, due_on=day(2026, 2, 1))  # overdue on 31 March: red
    f.ImprovementActionFactory(plan=plan, due_on=day(2026, 4, 10))  # not started, 10 days: amber
    f.ImprovementActionFactory(
        plan=plan, due_on=day(2026, 9, 1), status=ActionStatus.IN_PROGRESS
    )  # green
    f.ImprovementActionFactory(
        plan=plan,
        due_on=day(2026, 1, 1),
        status=ActionStatus.COMPLETE,
        completed_on=day(2025, 12, 1),
    )  # complete on time, in the year
    f.ImprovementActionFactory(
        plan=plan,
        due_on=day(2025, 6, 1),
        status=ActionStatus.COMPLETE,
        completed_on=day(2025, 7, 1),
    )  # complete, late
    f.ImprovementActionFactory(plan=plan, due_on=day(2025, 6, 1), status=ActionStatus.SUPERSEDED)
    # Another area's plan, and one of this area that ended before the year.
    f.ImprovementPlanFactory(local_authority=other_area.local_authority, title="Theirs")
    f.ImprovementPlanFactory(
        local_authority=area.local_authority,
        title="Old plan",
        starts_on=day(2020, 1, 1),
        ends_on=day(2024, 12, 31),
    )

    section = improvement_section([area.local_authority.pk], YEAR, AS_OF)
    text = " ".join(b.item for b in section.blocks if b.kind == "p")
    assert "1 plan with 6 actions" in text
    assert "2 actions were completed in the period, 1 of them by the due date" in text
    assert "1 was overdue on 31 March 2026" in text
    plans, statuses = [b.item for b in section.blocks if b.kind == "table"]
    (label,) = cells(plans)
    assert label.startswith("WSOA (SEND improvement plan,")
    assert cells(plans)[label] == ["6", "1", "1", "1", "2", "1"]
    assert cells(statuses) == {
        "Not started": ["2"],
        "In progress": ["1"],
        "Complete": ["2"],
        "Superseded": ["1"],
    }


def test_no_plan_says_so(area):
    section = improvement_section([area.local_authority.pk], YEAR, AS_OF)
    assert [b.kind for b in section.blocks] == ["p"]
    assert "No improvement plan" in section.blocks[0].item


def test_a_plan_or_action_moves_its_own_area_on(area, other_area):
    def version(la):
        return data_versions.versions([la.pk]).get(la.pk, 0)

    mine, theirs = area.local_authority, other_area.local_authority
    before_mine, before_theirs = version(mine), version(theirs)
    plan = f.ImprovementPlanFactory(local_authority=mine)
    after_plan = version(mine)
    assert after_plan > before_mine
    f.ImprovementActionFactory(plan=plan)
    assert version(mine) > after_plan
    assert version(theirs) == before_theirs


def test_the_annual_report_ends_with_the_progress(area):
    from django.test import Client

    f.ImprovementPlanFactory(
        local_authority=area.local_authority, title="Borough plan", starts_on=day(2025, 5, 1)
    )
    client = Client()
    client.force_login(area.commissioner)
    page = client.get("/reports/annual/", {"period": "2025"}).content.decode()
    assert page.rindex('id="improvement"') > page.index('id="enquiries"')
    assert "Borough plan" in page
