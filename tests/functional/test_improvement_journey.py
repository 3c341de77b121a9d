"""The improvement plan in the browser: the designated officer starts a
written statement of action, adds an action (one mistake first), records
progress, links a report as evidence and marks it complete; the
commissioner reads the plan and is offered no changes. Every page passes
axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from improvement.models import ActionStatus, ImprovementAction, ImprovementPlan
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import fill_date, new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_officer_keeps_a_plan_and_the_commissioner_reads_it(new_page):  # noqa: F811
    area = make_area()
    today = datetime.date.today()

    officer = new_page()
    sign_in(officer, area.officer)
    officer.get_by_role("link", name="Improvement plans").click()
    expect(officer.locator("body")).to_contain_text("No improvement plans yet.")
    assert_accessible(officer)

    officer.get_by_role("button", name="Start a plan").click()
    assert_accessible(officer)
    officer.get_by_label("Title").fill("Written statement of action 2026")
    officer.get_by_label("Written statement of action").check()
    officer.get_by_label("Partner commissioning body (optional)").select_option(
        label=area.body.name
    )
    fill_date(officer, "Start date", today - datetime.timedelta(days=30))
    officer.get_by_role("button", name="Save plan").click()
    expect(officer.locator("body")).to_contain_text("saved.")
    plan = ImprovementPlan.objects.get()
    assert plan.commissioning_body == area.body and plan.created_by == area.officer
    assert_accessible(officer)

    # An action, forgetting its owner.
    officer.get_by_role("button", name="Add an action").click()
    officer.get_by_label("Action number (optional)").fill("2.1")
    officer.get_by_label("Area of the plan").select_option(
        label="Timeliness of EHC needs assessments and health advice"
    )
    officer.get_by_label("Action", exact=True).fill("Return 90% of advice within 6 weeks")
    fill_date(officer, "Due date", today + datetime.timedelta(days=10))
    officer.get_by_role("button", name="Save action").click()
    assert officer.get_by_role("alert").is_visible()
    expect(officer.locator("body")).to_contain_text("Enter who owns the action")
    assert officer.get_by_label("Action number (optional)").input_value() == "2.1"
    assert_accessible(officer)
    officer.get_by_label("Owner", exact=True).fill("Designated Clinical Officer")
    officer.get_by_role("button", name="Save action").click()
    expect(officer.locator("body")).to_contain_text("Action saved.")
    action = ImprovementAction.objects.get()
    # Not started, due in 10 days: amber.
    expect(officer.locator("#rating")).to_contain_text("Amber")
    assert_accessible(officer)

    officer.get_by_role("button", name="Add a progress note").click()
    officer.get_by_label("Progress").fill("Three providers now report weekly.")
    officer.get_by_role("button", name="Save progress note").click()
    expect(officer.locator("#progress-notes")).to_contain_text("Three providers now report weekly.")

    officer.get_by_role("button", name="Link evidence").click()
    officer.get_by_label("What it shows").fill("Quarterly report")
    officer.get_by_label("Address in the portal").fill("https://elsewhere.example.com/")
    officer.get_by_role("button", name="Save evidence link").click()
    expect(officer.locator("body")).to_contain_text("Enter the address of a page in this portal")
    assert_accessible(officer)
    officer.get_by_label("Address in the portal").fill("/reports/quarterly/")
    officer.get_by_role("button", name="Save evidence link").click()
    expect(officer.locator("body")).to_contain_text("Evidence link saved.")

    officer.get_by_role("button", name="Change this action").click()
    officer.get_by_label("Complete").check()
    officer.get_by_role("button", name="Save").click()
    expect(officer.locator("body")).to_contain_text("Action saved.")
    action.refresh_from_db()
    assert action.status == ActionStatus.COMPLETE and action.completed_on == today

    commissioner = new_page()
    sign_in(commissioner, area.commissioner)
    commissioner.get_by_role("link", name="Improvement plans").click()
    commissioner.get_by_role("link", name="Written statement of action 2026").click()
    expect(commissioner.locator("#progress-summary")).to_contain_text("1 complete")
    assert commissioner.get_by_role("button", name="Add an action").count() == 0
    assert_accessible(commissioner)
    commissioner.get_by_role("link", name="2.1 Return 90% of advice within 6 weeks").click()
    expect(commissioner.locator("body")).to_contain_text("Three providers now report weekly.")
    assert commissioner.get_by_role("link", name="Quarterly report").count() == 1
    assert_accessible(commissioner)
