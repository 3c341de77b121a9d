"""The reviews worklist in the browser: the designated officer goes from
their home page to the reviews due, filters for the overdue ones, opens a
child's page (next review due, phase transfer, flags), records that health
was invited to the arranged meeting and sees the step done on the
worklist. Every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from ehc.models import ReviewInput
from tests import factories as f
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import fill_date, new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_officer_follows_reviews_due(new_page):  # noqa: F811
    area = make_area()
    today = datetime.date.today()
    year_4 = datetime.date(today.year - 9, 1, 10)  # no phase transfer this year
    late = f.ChildFactory(
        local_authority=area.local_authority,
        given_name="Kit",
        family_name="Latereview",
        date_of_birth=year_4,
    )
    f.EHCPlanFactory(child=late, issued_on=today - datetime.timedelta(days=380))
    soon = f.ChildFactory(
        local_authority=area.local_authority,
        given_name="Ari",
        family_name="Soonreview",
        date_of_birth=year_4,
    )
    f.EHCPlanFactory(child=soon, issued_on=today - datetime.timedelta(days=340))
    meeting = today + datetime.timedelta(days=20)
    review = f.ReviewInputFactory(child=soon, meeting_on=meeting, professional_name="Dr Lee")

    page = new_page()
    sign_in(page, area.officer)
    page.get_by_role("link", name="Annual reviews due in the next 8 weeks or overdue").click()
    page.get_by_role("heading", name="Annual reviews due").wait_for()
    rows = page.locator("tbody tr")
    expect(rows).to_have_count(2)
    assert "Latereview" in rows.first.inner_text()  # the earliest due first
    assert "overdue" in rows.first.inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Show filters").click()
    page.get_by_label("Due", exact=True).select_option(label="Overdue")
    page.get_by_role("button", name="Apply filters").click()
    expect(page.locator("body")).to_contain_text("1 child or young person")
    assert "Soonreview" not in page.locator("tbody").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Kit Latereview").click()
    expect(page.locator("body")).to_contain_text("Next annual review due")
    expect(page.locator("body")).to_contain_text("12 months from the first plan")
    assert_accessible(page)

    # The arranged review: health was invited today.
    page.goto(soon.get_absolute_url())
    expect(page.locator("body")).to_contain_text("Invitation to health")
    page.get_by_role("link", name=f"Change review of {meeting:%-d %B %Y}").click()
    fill_date(page, "Date invited", today)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("body")).to_contain_text("saved.")
    review.refresh_from_db()
    assert review.invited_on == today
    page.goto("/ehc/reviews/?q=Soonreview")
    row = page.locator("tbody tr").first
    expect(row).to_contain_text("Done")
    assert ReviewInput.objects.get(pk=review.pk).advice_sent_on is None
    assert_accessible(page)
