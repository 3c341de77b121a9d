"""The inspection evidence pack in the browser: the designated officer
opens it from the dashboard (for sharing: small numbers hidden), switches
to exact figures for their own use and downloads the PDF; the commissioner
gets the pack for sharing only. Every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from core import periods
from tests import factories as f
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_officer_prepares_the_pack_for_sharing_and_for_own_use(new_page):  # noqa: F811
    area = make_area()
    year = periods.financial_year(periods.financial_year_of(datetime.date.today()))
    received = year.start  # in the year to date, whatever today is
    for _ in range(9):
        request = f.HealthAdviceRequestFactory(
            child=f.ChildFactory(local_authority=area.local_authority),
            sent_on=received,
            received_on=received,
        )
        f.ContributionFactory(
            request=request,
            service=area.service,
            returned_on=received + datetime.timedelta(days=20),
            outcome="advice_given",
        )
    f.ImprovementPlanFactory(
        local_authority=area.local_authority, title="Borough SEND plan", starts_on=year.start
    )

    officer = new_page()
    sign_in(officer, area.officer)
    officer.get_by_role("link", name="Inspection evidence pack").click()
    expect(officer.locator("#figures-kind")).to_contain_text("For sharing")
    requests = officer.locator("#table-timeliness tbody tr").first
    expect(requests).to_contain_text("10")  # 9, rounded for sharing
    expect(officer.locator("#improvement")).to_contain_text("Improvement plan progress")
    assert "Borough SEND plan" in officer.content()
    assert_accessible(officer)

    officer.get_by_label("Exact: for the designated officers' own use").check()
    officer.get_by_role("button", name="Show figures").click()
    expect(officer.locator("#figures-kind")).to_contain_text("Exact")
    expect(officer.locator("#table-timeliness tbody tr").first).to_contain_text("9")
    assert_accessible(officer)
    with officer.expect_download() as download:
        officer.get_by_role("button", name="Download the PDF").click()
    assert download.value.suggested_filename.endswith("-exact.pdf")

    commissioner = new_page()
    sign_in(commissioner, area.commissioner)
    commissioner.get_by_role("link", name="Inspection evidence pack").click()
    expect(commissioner.locator("#figures-kind")).to_contain_text("For sharing")
    assert commissioner.get_by_label("Exact: for the designated officers' own use").count() == 0
    assert_accessible(commissioner)
