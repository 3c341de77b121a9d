"""The enquiries log in the browser: the designated officer logs a general
enquiry (one mistake first), then one about a child from the child's page
with a follow-up today, sees it among the follow-ups due and closes it.
Every page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from enquiries.models import Enquiry, EnquiryStatus
from tests import factories as f
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import fill_date, new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_officer_logs_follows_up_and_closes_enquiries(new_page):  # noqa: F811
    area = make_area()
    child = f.ChildFactory(
        local_authority=area.local_authority, given_name="Ash", family_name="Journeychild"
    )
    today = datetime.date.today()

    officer = new_page()
    sign_in(officer, area.officer)
    officer.get_by_role("navigation", name="Menu").get_by_role("link", name="Enquiries").click()
    expect(officer.locator("body")).to_contain_text("No follow-ups are due.")
    assert_accessible(officer)

    # A general enquiry from a school, forgetting the question.
    officer.get_by_role("button", name="Log a general enquiry").click()
    assert_accessible(officer)
    fill_date(officer, "Date of the enquiry", today)
    officer.get_by_label("School or setting").check()
    officer.get_by_label("Organisation").fill("Birch Academy")
    officer.get_by_label("Topic").select_option(label="Medical conditions in school")
    officer.get_by_label("Time spent, in minutes").fill("20")
    officer.get_by_role("button", name="Save enquiry").click()
    assert officer.get_by_role("alert").is_visible()
    expect(officer.locator("body")).to_contain_text("Enter what they asked")
    assert officer.get_by_label("Organisation").input_value() == "Birch Academy"
    assert_accessible(officer)
    officer.get_by_label("What they asked").fill("Who trains staff to use an auto-injector?")
    officer.get_by_role("button", name="Save enquiry").click()
    expect(officer.locator("body")).to_contain_text("saved.")  # the save has answered
    general = Enquiry.objects.get(child=None)
    expect(officer.locator("body")).to_contain_text(f"Enquiry {general.reference} saved.")
    assert general.created_by == area.officer and general.minutes_spent == 20
    assert_accessible(officer)

    # An enquiry about a child, from the child's page, to follow up today.
    officer.goto(child.get_absolute_url())
    officer.get_by_role("link", name="Log an enquiry about this child").click()
    expect(officer.locator("body")).to_contain_text("Ash Journeychild")
    fill_date(officer, "Date of the enquiry", today)
    officer.get_by_label("Parent or young person").check()
    officer.get_by_label("Topic").select_option(label="EHC process")
    officer.get_by_label("What they asked").fill("When will the health advice be sent?")
    fill_date(officer, "Follow-up date (optional)", today)
    officer.get_by_role("button", name="Save enquiry").click()
    expect(officer.locator("body")).to_contain_text("saved.")
    about_child = Enquiry.objects.get(child=child)

    officer.get_by_role("link", name="Back to enquiries").click()
    due = officer.locator("#follow-ups-due")
    assert f"Enquiry {about_child.reference}" in due.inner_text()
    assert_accessible(officer)

    # Closed with the advice given.
    due.get_by_role("link", name=f"Enquiry {about_child.reference}").click()
    officer.get_by_role("button", name="Change this enquiry").click()
    assert_accessible(officer)
    officer.get_by_label("Advice given").fill("The LA's caseworker will confirm the date.")
    officer.get_by_label("Closed").check()
    officer.get_by_role("button", name="Save").click()
    expect(officer.locator("body")).to_contain_text("saved.")
    about_child.refresh_from_db()
    assert about_child.status == EnquiryStatus.CLOSED
    officer.get_by_role("link", name="Back to enquiries").click()
    expect(officer.locator("body")).to_contain_text("No follow-ups are due.")
