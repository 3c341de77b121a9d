"""Services' waiting times in the browser: the practitioner opens their
service from their home page, enters a quarter (one mistake first), sees
it in the trend table and the chart's data, and enters a later quarter;
the commissioner sees the same service's figures suppressed. Every page
passes axe-core at WCAG 2.2 AA (target size on)."""

from __future__ import annotations

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ehc.forms.waits import ended_quarters
from ehc.models import ServiceWait
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_practitioner_enters_waits_and_sees_the_trend(new_page):  # noqa: F811
    area = make_area()
    latest, earlier = ended_quarters(timezone.localdate())[:2]

    practitioner = new_page()
    sign_in(practitioner, area.practitioner)
    practitioner.get_by_role("link", name=area.service.name).click()
    expect(practitioner.locator("body")).to_contain_text("No waiting times entered yet.")
    assert_accessible(practitioner)

    # The earlier quarter, with the median longer than the longest wait.
    practitioner.get_by_role("button", name="Enter waiting times for a quarter").click()
    assert_accessible(practitioner)
    practitioner.get_by_label("Quarter").select_option(earlier.slug)
    practitioner.get_by_label("Number waiting").fill("6")
    practitioner.get_by_label("Median wait (weeks)").fill("30")
    practitioner.get_by_label("Longest wait (weeks)").fill("20")
    practitioner.get_by_role("button", name="Save waiting times").click()
    expect(practitioner.locator("body")).to_contain_text(
        "The median wait cannot be longer than the longest wait"
    )
    assert practitioner.get_by_role("alert").is_visible()
    assert practitioner.get_by_label("Number waiting").input_value() == "6"
    assert_accessible(practitioner)
    practitioner.get_by_label("Longest wait (weeks)").fill("44.5")
    practitioner.get_by_role("button", name="Save waiting times").click()
    expect(practitioner.locator("body")).to_contain_text(
        f"Waiting times for {earlier.label} saved."
    )
    assert ServiceWait.objects.get().entered_by == area.practitioner

    # The latest quarter, then the trend.
    practitioner.get_by_role("button", name="Enter waiting times for a quarter").click()
    practitioner.get_by_label("Number waiting").fill("12")
    practitioner.get_by_label("Median wait (weeks)").fill("32")
    practitioner.get_by_label("Longest wait (weeks)").fill("50")
    practitioner.get_by_role("button", name="Save waiting times").click()
    expect(practitioner.locator("body")).to_contain_text(f"Waiting times for {latest.label} saved.")
    table = practitioner.locator("#table-waits")
    expect(table).to_contain_text(earlier.label)
    expect(table).to_contain_text("44.5 weeks")
    expect(table).to_contain_text("50 weeks")
    practitioner.get_by_text("Show the data for this chart").click()
    expect(practitioner.locator(".app-chart__data")).to_contain_text("32")
    assert_accessible(practitioner)
    assert ServiceWait.objects.count() == 2

    # The commissioner sees the same service with its small numbers hidden.
    commissioner = new_page()
    sign_in(commissioner, area.commissioner)
    commissioner.get_by_role("link", name="Services and their waiting times").click()
    commissioner.get_by_role("link", name=area.service.name).click()
    expect(commissioner.locator("body")).to_contain_text("Small numbers are hidden")
    table = commissioner.locator("#table-waits")
    expect(table).to_contain_text("10")  # 12 waiting, to the nearest 5
    expect(table).not_to_contain_text("44.5 weeks")  # the wait of 6 children
    assert commissioner.get_by_role("button", name="Enter waiting times for a quarter").count() == 0
    assert_accessible(commissioner)
