"""Reports in the browser: a commissioner reads the dashboard (suppressed,
no drill-down) and a designated officer drills from a figure to the
requests behind it. Every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import datetime

import pytest

from core import periods
from tests import factories as f
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_commissioner_reads_dashboard_and_officer_drills_down(new_page):  # noqa: F811
    area = make_area()
    today = datetime.date.today()
    quarter = periods.quarter_containing(today).previous()
    for day in range(9):
        received = quarter.start + datetime.timedelta(days=day)
        child = f.ChildFactory(local_authority=area.local_authority, family_name="Hiddenname")
        request = f.HealthAdviceRequestFactory(child=child, sent_on=received, received_on=received)
        f.ContributionFactory(
            request=request,
            service=area.service,
            returned_on=received + datetime.timedelta(days=20),
            outcome="advice_given",
        )

    commissioner = new_page()
    sign_in(commissioner, area.commissioner)
    commissioner.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    assert f"Health advice dashboard: {quarter.label}" in commissioner.content()
    tile = commissioner.locator("#tile-requests")
    assert tile.locator(".app-tile__value").inner_text().strip() == "10"  # 9 rounded
    assert "Hiddenname" not in commissioner.content()
    assert commissioner.locator("#tile-requests a").count() == 0
    assert_accessible(commissioner)
    # A bad custom range: a message next to the field, nothing lost.
    commissioner.get_by_label("Or from (a custom range)").fill("2026-04-01")
    commissioner.get_by_role("button", name="Show figures").click()
    assert commissioner.get_by_role("alert").is_visible()
    assert "Enter both dates of the range" in commissioner.content()
    assert commissioner.get_by_label("Or from (a custom range)").input_value() == "2026-04-01"
    assert_accessible(commissioner)

    officer = new_page()
    sign_in(officer, area.officer)
    officer.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    assert officer.locator("#tile-requests .app-tile__value").inner_text().startswith("9")
    assert_accessible(officer)
    officer.locator("#tile-requests a").click()
    assert "9 requests" in officer.content()
    assert "Hiddenname" in officer.content()


def test_quarterly_and_annual_reports_pass_axe(new_page):  # noqa: F811
    area = make_area()
    page = new_page()
    sign_in(page, area.commissioner)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Quarterly report for this selection").click()
    assert "Quarterly report:" in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the dashboard").click()
    page.get_by_role("link", name="Annual report for this selection").click()
    assert "annual report" in page.content().lower()
    assert_accessible(page)
