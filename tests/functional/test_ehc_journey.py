"""The whole life of a request in the browser: the DCO adds a child and logs
the LA's request, the practitioner records the return (the decline reason
revealed only under "Declined") and the advice (adding a provision row
without a reload), the DCO reviews its quality beside the advice. Every page
on the way passes axe-core at WCAG 2.2 AA."""

from __future__ import annotations

import datetime

import pytest

from ehc import clock
from ehc.models import Advice, HealthAdviceRequest, QualityReview
from tests.access import make_area
from tests.functional.conftest import assert_accessible

pytestmark = [pytest.mark.functional, pytest.mark.django_db(transaction=True)]

PASSWORD = "a-long-test-password"


@pytest.fixture
def new_page(browser, live_server):
    """Opens a page in a fresh browser context (one per person); every context
    is closed before the live server stops, so no request is left in flight."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="en-GB")
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def sign_in(page, user):
    page.goto("/accounts/login/")
    page.get_by_label("Email address").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def fill_date(page, legend: str, day: datetime.date) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_request_from_logging_to_quality_review(new_page, live_server):
    area = make_area()
    received = datetime.date.today() - datetime.timedelta(days=10)
    sent = received - datetime.timedelta(days=2)

    # The DCO adds a child, making one mistake first.
    officer = new_page()
    sign_in(officer, area.officer)
    assert "awaiting health advice" in officer.content(), officer.url
    assert_accessible(officer)
    officer.get_by_role("navigation", name="Menu").get_by_role("link", name="Children").click()
    officer.get_by_role("button", name="Add a child or young person").click()
    officer.get_by_label("First name").fill("Robin")
    officer.get_by_label("Last name").fill("Journeytest")
    fill_date(officer, "Date of birth", datetime.date(2019, 6, 1))
    officer.get_by_label("NHS number").fill("943 476 5918")  # wrong check digit
    officer.get_by_role("button", name="Save").click()
    summary = officer.locator(".govuk-error-summary")
    assert "the last digit does not match" in summary.inner_text()
    assert officer.get_by_label("First name").input_value() == "Robin"  # nothing typed is lost
    assert_accessible(officer)
    officer.get_by_label("NHS number").fill("943 476 5919")
    officer.get_by_role("button", name="Save").click()

    # ... then logs the LA's request, asking the area's service.
    officer.get_by_text("Log a request for health advice").first.wait_for()
    assert_accessible(officer)
    officer.get_by_label("New EHC needs assessment").check()
    fill_date(officer, "Date the LA sent the request", sent)
    fill_date(officer, "Date health received the request", received)
    officer.get_by_label(area.service.name).check()
    officer.get_by_role("button", name="Save request").click()
    officer.locator("h1").filter(has_text="Request HA-").wait_for()
    request = HealthAdviceRequest.objects.get(child__family_name="Journeytest")
    due = clock.health_advice_due(received)
    assert f"Advice is due by {due.day} {due:%B %Y}" in officer.content()
    assert_accessible(officer)

    # The worklist shows it, with its clock.
    officer.get_by_role("navigation", name="Menu").get_by_role("link", name="Requests").click()
    row = officer.get_by_role("row").filter(has_text=request.reference)
    assert "32 days left" in row.inner_text()
    assert_accessible(officer)

    # The practitioner records the return, then the advice with its provision.
    practitioner = new_page()
    sign_in(practitioner, area.practitioner)
    practitioner.goto(request.get_absolute_url())
    practitioner.get_by_role("link", name=f"Record return from {area.service.name}").click()
    assert_accessible(practitioner)
    fill_date(practitioner, "Date returned", datetime.date.today())
    # The reason for declining shows only under "Declined" (conditional reveal).
    reason = practitioner.get_by_label("Why did the service decline?")
    assert not reason.is_visible()
    practitioner.get_by_label("Declined").check()
    assert reason.is_visible()
    assert_accessible(practitioner)
    practitioner.get_by_label("Advice given").check()
    assert not reason.is_visible()
    practitioner.get_by_role("button", name="Save").click()
    practitioner.get_by_role("heading", name=f"Advice from {area.service.name}").wait_for()
    assert_accessible(practitioner)
    fill_date(practitioner, "Date of the advice", datetime.date.today())
    practitioner.get_by_label("Author", exact=True).fill("Dr Pat Example")
    practitioner.get_by_label("Author's profession").fill("Community paediatrician")
    practitioner.get_by_label("Health needs").fill("Needs support with motor skills.")
    practitioner.get_by_label("Outcomes").fill("Will dress independently by next summer.")
    first = practitioner.get_by_role("group", name="Provision 1")
    first.get_by_label("What").fill("Occupational therapy programme")
    first.get_by_label("Who delivers it").fill("Occupational therapist")
    first.get_by_label("How often").fill("Fortnightly")
    first.get_by_label("For how long").fill("Two terms")
    first.get_by_role("radio").nth(1).check()  # section G
    # Two rows are offered; a third is added without reloading the page.
    total = practitioner.locator("#id_provision-TOTAL_FORMS")
    assert total.input_value() == "2"
    practitioner.get_by_role("button", name="Add another provision row").click()
    third = practitioner.get_by_role("group", name="Provision 3")
    assert total.input_value() == "3"
    assert third.get_by_label("What").evaluate("field => field === document.activeElement")
    assert_accessible(practitioner)
    third.get_by_label("What").fill("Handwriting group")
    third.get_by_label("Who delivers it").fill("Teaching assistant")
    third.get_by_label("How often").fill("Weekly")
    third.get_by_label("For how long").fill("A term")
    third.get_by_role("radio").nth(0).check()  # section F
    practitioner.get_by_role("button", name="Save advice").click()
    practitioner.get_by_text("Advice saved.").wait_for()
    assert "Occupational therapy programme" in practitioner.content()
    assert_accessible(practitioner)
    advice = Advice.objects.get(contribution__request=request)
    assert sorted(advice.provision.values_list("description", "section")) == [
        ("Handwriting group", "F"),
        ("Occupational therapy programme", "G"),
    ]

    # The DCO reviews the quality of the advice.
    officer.goto(request.get_absolute_url())
    officer.get_by_role("link", name=f"Review this advice from {area.service.name}").click()
    assert_accessible(officer)
    officer.get_by_label("Provision is placed in the right section").check()
    officer.get_by_role("button", name="Save review").click()
    officer.get_by_text("Review saved:").wait_for()
    review = QualityReview.objects.get(advice=advice)
    assert f"{review.score} of 9" in officer.content()
    assert_accessible(officer)

    # A colleague in another area cannot open it.
    stranger_area = make_area()
    stranger = new_page()
    sign_in(stranger, stranger_area.officer)
    response = stranger.goto(request.get_absolute_url())
    assert response.status == 404


def test_request_page_with_a_lawful_exception_and_a_service_the_la_asked(new_page, live_server):
    """The officer reads each service's own dates on the request page (one
    late with a reg 8(2)(c) exception, one the LA asked directly with an
    earlier return-by date), then moves the return-by date. Every page
    passes axe-core."""
    from ehc.models import Contribution
    from tests import factories as f

    area = make_area()
    today = datetime.date.today()
    received = today - datetime.timedelta(days=50)  # due 8 days ago
    child = f.ChildFactory(local_authority=area.local_authority)
    request = f.HealthAdviceRequestFactory(
        child=child, sent_on=received, received_on=received, owner=area.officer
    )
    f.ContributionFactory(
        request=request,
        service=area.service,
        asked_on=received,
        exception="missed_appointment",
        exception_evidence="Did not attend the clinic.",
        exception_on=received + datetime.timedelta(days=10),
    )
    audiology = f.ServiceFactory(
        provider=area.provider, local_authorities=[area.local_authority], name="Audiology"
    )
    direct = f.ContributionFactory(
        request=request,
        service=audiology,
        asked_on=today - datetime.timedelta(days=21),
        received_on=today - datetime.timedelta(days=20),  # due in 22 days
        return_by=today + datetime.timedelta(days=10),
    )

    def long_date(day):
        return f"{day.day} {day:%B %Y}"

    officer = new_page()
    sign_in(officer, area.officer)
    officer.goto(request.get_absolute_url())
    text = officer.locator("main").inner_text()
    assert "Late: lawful exception (reg 8(2)(c))" in text
    assert "overdue" not in text
    assert (
        f"received from the LA on {long_date(direct.received_on)} (its 6 weeks run from then)"
        in text
    )
    assert long_date(direct.due_on) in text
    assert f"Asked to return by {long_date(direct.return_by)}" in text
    assert "10 days left" in text
    assert_accessible(officer)

    officer.get_by_role("link", name="Change how it was asked (Audiology)").click()
    officer.get_by_role("heading", name="How Audiology was asked").wait_for()
    assert_accessible(officer)
    sooner = today + datetime.timedelta(days=5)
    fill_date(officer, "Ask it to return by (optional)", sooner)
    officer.get_by_role("button", name="Save").click()
    officer.get_by_text("Saved. Audiology is due by").wait_for()
    assert f"Asked to return by {long_date(sooner)}" in officer.locator("main").inner_text()
    assert "5 days left" in officer.locator("main").inner_text()
    assert_accessible(officer)
    assert Contribution.objects.get(pk=direct.pk).working_due_on == sooner
