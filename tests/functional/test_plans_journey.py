"""Plan quality in the browser: the designated officer records a child's
final plan from the child's page (one mistake first), adds its section G
provision (one piece waited for), audits sections C and G beside the
advice, finds the plan in the plans list and draws an audit sample. Every
page passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import datetime

import pytest
from playwright.sync_api import expect

from ehc.models import EHCPlan, Outcome, PlanAudit, PlanProvision
from tests import factories as f
from tests.access import make_area
from tests.functional.conftest import assert_accessible
from tests.functional.test_ehc_journey import fill_date, new_page, sign_in  # noqa: F401

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]


def test_officer_records_audits_and_follows_up_a_plan(new_page):  # noqa: F811
    area = make_area()
    today = datetime.date.today()
    received = today - datetime.timedelta(weeks=22)
    child = f.ChildFactory(
        local_authority=area.local_authority, given_name="Kai", family_name="Planchild"
    )
    request = f.HealthAdviceRequestFactory(child=child, sent_on=received, received_on=received)
    contribution = f.ContributionFactory(
        request=request,
        service=area.service,
        returned_on=received + datetime.timedelta(days=30),
        outcome=Outcome.ADVICE_GIVEN,
    )
    f.AdviceFactory(
        contribution=contribution,
        written_on=received + datetime.timedelta(days=29),
        needs="Seizures needing rescue medication at school.",
    )
    issued = received + datetime.timedelta(weeks=20)

    officer = new_page()
    sign_in(officer, area.officer)
    officer.goto(child.get_absolute_url())
    expect(officer.locator("body")).to_contain_text("No plans recorded.")
    officer.get_by_role("link", name="Record an EHC plan for Kai Planchild").click()
    assert_accessible(officer)

    # Forgetting the date first: the message is beside the field, the ticks kept.
    officer.get_by_label("Final plan").check()
    officer.get_by_label(f"{request.reference}:").check()
    officer.get_by_role("button", name="Save plan").click()
    expect(officer.locator("body")).to_contain_text("Enter the date the plan was issued")
    assert officer.get_by_role("alert").is_visible()
    assert officer.get_by_label(f"{request.reference}:").is_checked()
    assert_accessible(officer)
    fill_date(officer, "Date the plan was issued", issued)
    officer.get_by_label("LA plan reference").fill("EHCP-KAI-1")
    officer.get_by_role("button", name="Save plan").click()
    expect(officer.locator("body")).to_contain_text("saved. Now audit its health sections.")
    plan = EHCPlan.objects.get(child=child)
    assert list(plan.informed_by.all()) == [request]
    assert_accessible(officer)

    # Section G: a piece of provision the child is waiting for.
    officer.get_by_role("button", name="Add section G provision").click()
    officer.get_by_label("What the plan says").fill(
        "Epilepsy care plan reviewed by the specialist nurse each term"
    )
    officer.get_by_label("Health service").select_option(label=str(area.service))
    officer.get_by_label("It is specific").check()
    officer.get_by_label("Waiting", exact=True).check()
    fill_date(officer, "Waiting since", today - datetime.timedelta(weeks=6))
    assert_accessible(officer)
    officer.get_by_role("button", name="Save provision").click()
    expect(officer.locator("body")).to_contain_text("Provision saved.")
    row = PlanProvision.objects.get(plan=plan)
    assert (row.status, row.specific, row.quantified) == ("waiting", True, False)
    expect(officer.locator("#provision ~ div table")).to_contain_text("Waiting")
    assert_accessible(officer)

    # The audit, beside the advice; the portal has answered from section G.
    officer.get_by_role("button", name="Audit sections C and G").click()
    expect(officer.locator("body")).to_contain_text("Seizures needing rescue medication")
    specific = officer.get_by_role("group", name="Health provision in section G is specific")
    assert specific.get_by_label("Yes").is_checked()
    assert_accessible(officer)
    for legend, answer in (
        ("Every health need in the health advice appears in section C", "Yes"),
        ("Section G says who delivers each piece of health provision", "Yes"),
        ("Therapy that educates or trains is in section F, not G", "Not applicable"),
        ("Outcomes for the health needs are SMART", "Partly"),
        ("The child's or young person's views are reflected", "Yes"),
        ("No health need is left without provision", "Yes"),
    ):
        officer.get_by_role("group", name=legend).get_by_label(answer, exact=True).check()
    officer.get_by_label("Notes").fill("Say how often the nurse reviews the care plan.")
    officer.get_by_role("button", name="Save audit").click()
    expect(officer.locator("body")).to_contain_text("Audit saved")
    audit = PlanAudit.objects.get(plan=plan)
    # Yes x5 (10), partly (1), quantified no (0), one not applicable: 11 of 14.
    assert (audit.score, audit.rating) == (79, "amber")
    expect(officer.locator("body")).to_contain_text("79% of the points possible")
    assert_accessible(officer)

    # The plans list finds it by its gap; the sample draws it.
    officer.goto("/ehc/plans/?gaps=waiting")
    expect(officer.locator("body")).to_contain_text("EHCP-KAI-1")
    assert_accessible(officer)
    officer.get_by_role("link", name="Draw a plan audit sample").click()
    fill_date(officer, "From", issued - datetime.timedelta(days=1))
    fill_date(officer, "To", issued + datetime.timedelta(days=1))
    officer.get_by_label("How many").fill("5")
    officer.get_by_role("button", name="Draw sample").click()
    expect(officer.locator("body")).to_contain_text("1 plan")
    expect(officer.locator("table")).to_contain_text(plan.reference)
    assert_accessible(officer)
