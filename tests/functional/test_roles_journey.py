"""The designated officer's post in the browser: the DCO finds their post,
records CPD (with one mistake first) and training, reads the job
description; the commissioner checks the area's resourcing. Every page
passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from roles.models import CPDEntry, TrainingSession
from tests import factories as f
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import fill_date, new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_post_holder_keeps_their_record_and_commissioner_sees_resourcing(new_page):  # noqa: F811
    area = make_area()
    post = f.PostFactory(
        role="dco",
        title="DCO for Journeyshire",
        holder=area.officer,
        pas_per_week=Decimal("6"),
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )
    f.PostFactory(
        role="dmo",
        title="DMO for Journeyshire",
        pas_per_week=Decimal("1"),
        holder=f.DesignatedOfficerFactory(officer_kind="dmo"),
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )
    today = datetime.date.today()

    officer = new_page()
    sign_in(officer, area.officer)
    officer.get_by_role("navigation", name="Menu").get_by_role("link", name="Posts").click()
    assert "DMO for Journeyshire" in officer.content()
    assert "Below the minimum time for the role" in officer.content()
    assert_accessible(officer)

    officer.get_by_role("link", name="DCO for Journeyshire").click()
    assert "6 PAs (3 days) a week" in officer.content()
    assert "Appraisal overdue" in officer.content()
    assert_accessible(officer)

    # CPD with a mistake: points not in halves.
    officer.get_by_role("link", name="Record CPD").click()
    officer.get_by_label("Activity").fill("Regional DCO network day")
    fill_date(officer, "Date completed", today)
    officer.get_by_label("CPD points").fill("1.3")
    officer.get_by_role("button", name="Save").click()
    assert officer.get_by_role("alert").is_visible()
    assert "Enter the points in halves" in officer.content()
    assert officer.get_by_label("Activity").input_value() == "Regional DCO network day"
    assert_accessible(officer)
    officer.get_by_label("CPD points").fill("1.5")
    officer.get_by_role("button", name="Save").click()
    assert "1.5 of 4 points" in officer.content()
    assert CPDEntry.objects.get(post=post).points == Decimal("1.5")

    officer.get_by_role("link", name="Record training you delivered").click()
    assert_accessible(officer)
    officer.get_by_label("Title or topic").fill("Writing health advice")
    officer.get_by_label("Audience").fill("Speech and language therapists")
    fill_date(officer, "Date delivered", today)
    officer.get_by_label("Number of people who attended").fill("18")
    officer.get_by_role("button", name="Save").click()
    assert TrainingSession.objects.get(post=post).attendees == 18

    officer.get_by_role("link", name="Job description", exact=True).click()
    assert "Person specification" in officer.content()
    assert "Duty only a DMO does" not in officer.content()
    assert_accessible(officer)

    commissioner = new_page()
    sign_in(commissioner, area.commissioner)
    commissioner.get_by_role("navigation", name="Menu").get_by_role(
        "link", name="Resourcing"
    ).click()
    assert "Both DCO and DMO" in commissioner.content()
    assert_accessible(commissioner)
    commissioner.get_by_role("link", name=area.local_authority.name).click()
    assert "In the 'Half a day' band" in commissioner.content()
    assert_accessible(commissioner)
    # A commissioner reads the record but cannot add to it.
    commissioner.get_by_role("link", name="DCO for Journeyshire").click()
    assert "Record CPD" not in commissioner.content()
