"""A DCO's worklist in the browser: the filter panel behind its toggle, the
most urgent request first, finding a child before logging a request, the
worklist downloaded as .xlsx and opened with openpyxl, and the worklist
and children list reflowing at 320 CSS px. Every page passes axe-core at
WCAG 2.2 AA."""

from __future__ import annotations

import datetime

import pytest
from openpyxl import load_workbook

from ehc.models import HealthAdviceRequest
from tests import factories as f
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import fill_date, sign_in

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def page_is_not_wider_than(page, width: int) -> None:
    """Nothing makes the page scroll sideways (WCAG 2.2 1.4.10): a wide
    table scrolls inside its own region instead."""
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"{page.url} is {scroll} px wide at {width} px"


def test_find_a_child_log_a_request_and_download_the_worklist(page, tmp_path):
    area = make_area()
    today = datetime.date.today()
    for days_ago in (10, 130, 60, 20):
        child = f.ChildFactory(local_authority=area.local_authority)
        received = today - datetime.timedelta(days=days_ago)
        req = f.HealthAdviceRequestFactory(child=child, sent_on=received, received_on=received)
        f.ContributionFactory(request=req, service=area.service)
    longest_overdue = HealthAdviceRequest.objects.order_by("received_on").first()
    robin = f.ChildFactory(
        local_authority=area.local_authority,
        given_name="Robin",
        family_name="Findme",
        nhs_number="9434765919",
    )

    sign_in(page, area.officer)
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Requests").click()
    page.get_by_role("heading", name="Requests for health advice").wait_for()
    # The most urgent first; the filters wait behind their button.
    first_row = page.locator("tbody tr").first
    assert longest_overdue.reference in first_row.inner_text()
    assert "days overdue" in first_row.inner_text()
    show = page.get_by_role("button", name="Show filters")
    assert show.get_attribute("aria-expanded") == "false"
    assert not page.get_by_label("Reference, name or NHS number").is_visible()
    assert_accessible(page)
    # A keyboard user reaches the first request without passing every filter.
    page.locator("h1").click()
    presses = 0
    while presses < 40:
        presses += 1
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == longest_overdue.reference:
            break
    assert presses <= 20, presses
    show.click()
    assert page.get_by_label("Reference, name or NHS number").is_visible()
    assert_accessible(page)
    # A received-to date before the received-from date is refused beside it.
    fill_date(page, "Received from", today)
    fill_date(page, "Received to", today - datetime.timedelta(days=7))
    page.get_by_role("button", name="Apply filters").click()
    page.locator(".govuk-error-summary").wait_for()
    assert (
        "Received to must be the same as or after"
        in page.locator(".govuk-error-message").first.inner_text()
    )
    assert page.get_by_label("Reference, name or NHS number").is_visible()  # opened to fix it
    assert_accessible(page)

    # Log a new request: find the child first.
    page.goto("/ehc/requests/")
    page.get_by_role("button", name="Log a new request").click()
    # A link: wait for the page it opens before checking it.
    page.get_by_role("heading", name="Log a new request").wait_for()
    assert_accessible(page)
    page.get_by_label("NHS number").fill("943 476 5919")
    page.get_by_role("button", name="Search").click()
    page.get_by_role("heading", name="1 match").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Log a request for this child").click()
    page.get_by_text("Log a request for health advice").first.wait_for()
    received = today - datetime.timedelta(days=3)
    page.get_by_label("New EHC needs assessment").check()
    fill_date(page, "Date the LA sent the request", received)
    fill_date(page, "Date health received the request", received)
    page.get_by_label(area.service.name).check()
    page.get_by_role("button", name="Save request").click()
    page.locator("h1").filter(has_text="Request HA-").wait_for()
    logged = HealthAdviceRequest.objects.get(child=robin)

    # The worklist as a workbook, opened with the library.
    page.goto("/ehc/requests/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download Excel").click()
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    rows = list(load_workbook(saved).active.iter_rows(values_only=True))
    assert rows[0][0] == "Request"
    assert rows[1][0] == longest_overdue.reference
    assert {row[0] for row in rows[1:]} == {r.reference for r in HealthAdviceRequest.objects.all()}
    assert logged.reference in {row[0] for row in rows[1:]}

    # Both lists reflow at 320 CSS px: their tables scroll in their own region.
    page.set_viewport_size({"width": 320, "height": 640})
    for path in ("/ehc/requests/", "/ehc/children/"):
        page.goto(path)
        page_is_not_wider_than(page, 320)
        assert page.locator(".app-table-scroll").first.evaluate(
            "e => e.scrollWidth > e.clientWidth"
        )
        assert_accessible(page)
