"""The EHC casework screens. Records about a child, the audit of views, and query counts."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ehc import clock
from ehc.models import (
    AccessEvent,
    Contribution,
    HealthAdviceRequest,
    PersonalHealthBudget,
    ReviewInput,
    Section23Notice,
)
from tests import factories as f
from tests.ehc.helpers import case_in, date_data, login

pytestmark = pytest.mark.django_db


# --- Records about a child ----------------------------------------------------------------------


def test_section_23_refused_at_compulsory_school_age(client, area, case):
    child, _, _ = case  # born 14 May 2016: school age from 1 September 2021
    login(client, area.officer)
    url = reverse("ehc:child_record_create", args=[child.pk, "section-23"])
    data = {
        "provider": area.provider.pk,
        "professional_name": "Health visitor",
        **date_data("parent_told_on", datetime.date(2022, 1, 10)),
        **date_data("la_notified_on", None),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "under compulsory school age" in response.content.decode()
    data.update(date_data("parent_told_on", datetime.date(2016, 5, 13)))
    response = client.post(url, data)
    assert response.status_code == 400
    assert response.context["form"].errors["parent_told_on"] == [
        "The parent is told on or after the day the child was born (14 May 2016)"
    ]
    data.update(date_data("parent_told_on", datetime.date(2020, 1, 10)))
    data.update(date_data("la_notified_on", datetime.date(2020, 1, 12)))
    assert client.post(url, data).status_code == 302
    assert Section23Notice.objects.get(child=child).provider == area.provider


def test_section_23_names_the_field_when_both_or_neither_body_is_chosen(client, area, case):
    child, _, _ = case
    login(client, area.officer)
    url = reverse("ehc:child_record_create", args=[child.pk, "section-23"])
    data = {
        "professional_name": "Health visitor",
        **date_data("parent_told_on", datetime.date(2020, 1, 10)),
        **date_data("la_notified_on", None),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors["provider"] == [
        "Choose the trust or the commissioning body that gave notice"
    ]
    response = client.post(
        url, {**data, "provider": area.provider.pk, "commissioning_body": area.body.pk}
    )
    assert response.status_code == 400
    assert response.context["form"].errors["commissioning_body"] == [
        "Choose the trust or the commissioning body, not both"
    ]
    assert not Section23Notice.objects.filter(child=child).exists()


@pytest.mark.parametrize("field", ["provider", "commissioning_body"])
def test_section_23_shows_one_message_for_an_organisation_elsewhere(
    client, area, other_area, case, field
):
    child, _, _ = case
    login(client, area.officer)
    url = reverse("ehc:child_record_create", args=[child.pk, "section-23"])
    notifier = {"provider": other_area.provider, "commissioning_body": other_area.body}[field]
    data = {
        field: notifier.pk,
        "professional_name": "Health visitor",
        **date_data("parent_told_on", datetime.date(2020, 1, 10)),
        **date_data("la_notified_on", None),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors[field] == ["Choose an organisation that covers the child's local authority"]
    page = response.content.decode()
    assert "Choose the trust or the commissioning body that gave notice" not in page
    assert page.count("covers the child&#x27;s local authority") == 2  # summary and field
    assert not Section23Notice.objects.exists()


def test_health_budget_edit_is_versioned(client, area, case):
    child, _, _ = case
    budget = PersonalHealthBudget.objects.create(
        child=child, considered_on=datetime.date(2026, 1, 5)
    )
    login(client, area.officer)
    url = reverse("ehc:child_record_edit", args=[child.pk, "health-budgets", budget.pk])
    data = {
        "version": budget.version,
        "outcome": "agreed",
        **date_data("considered_on", datetime.date(2026, 1, 6)),
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 400  # the same old version again
    budget.refresh_from_db()
    assert budget.outcome == "agreed"


def test_unknown_child_record_kind_is_not_found(client, area, case):
    child, _, _ = case
    login(client, area.officer)
    url = f"/ehc/children/{child.pk}/letters/new/"
    assert client.get(url).status_code == 404


def test_child_records_are_hidden_from_practitioners(client, area, case):
    child, _, _ = case
    PersonalHealthBudget.objects.create(child=child, considered_on=datetime.date(2026, 1, 5))
    login(client, area.practitioner)
    page = client.get(child.get_absolute_url()).content.decode()
    assert "Personal health budgets" not in page
    login(client, area.officer)
    assert "Personal health budgets" in client.get(child.get_absolute_url()).content.decode()


def test_section_23_offers_only_organisations_covering_the_childs_area(
    client, area, other_area, case
):
    child, _, _ = case
    login(client, area.officer)
    url = reverse("ehc:child_record_create", args=[child.pk, "section-23"])
    form = client.get(url).context["form"]
    assert list(form.fields["provider"].queryset) == [area.provider]
    assert list(form.fields["commissioning_body"].queryset) == [area.body]
    data = {
        "commissioning_body": other_area.body.pk,
        "professional_name": "Health visitor",
        **date_data("parent_told_on", datetime.date(2020, 1, 10)),
        **date_data("la_notified_on", None),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert not Section23Notice.objects.exists()


def test_child_page_shows_the_health_mediation_deadline(client, area, case):
    from ehc.models import MediationCase

    child, _, _ = case
    notified = datetime.date(2026, 3, 2)
    MediationCase.objects.create(
        child=child,
        requested_on=datetime.date(2026, 2, 27),
        body_notified_on=notified,
        health_only=True,
        health_issues="Speech therapy hours",
    )
    login(client, area.officer)
    page = client.get(child.get_absolute_url()).content.decode()
    assert f"{clock.health_mediation_due(notified):%-d %b %Y}" in page


def test_review_input_takes_a_meeting_ahead_and_shows_it_again(client, area, case):
    from ehc.models import ReviewInput

    child, _, _ = case
    login(client, area.officer)
    url = reverse("ehc:child_record_create", args=[child.pk, "reviews"])
    response = client.post(url, date_data("meeting_on", None))
    assert "Enter the date of the review meeting" in response.content.decode()
    ahead = datetime.date.today() + datetime.timedelta(days=30)
    assert client.post(url, date_data("meeting_on", ahead)).status_code == 302
    review = ReviewInput.objects.get(child=child)
    edit = reverse("ehc:child_record_edit", args=[child.pk, "reviews", review.pk])
    assert client.get(edit).context["form"]["meeting_on"].value() == ahead


@pytest.mark.parametrize(
    "born, recorded, shown, adulthood",
    [
        # Born 1 September 2012: the school year of 2012-13 makes year 9 in 2026-27.
        (datetime.date(2012, 9, 1), None, "Year 9 (for their age)", True),
        # A day earlier, the year above.
        (datetime.date(2012, 8, 31), None, "Year 10 (for their age)", True),
        # Born 1 September 2013: year 8 for their age...
        (datetime.date(2013, 9, 1), None, "Year 8 (for their age)", False),
        # ...but taught with year 9: from year 9, not from their 14th birthday.
        (datetime.date(2013, 9, 1), 9, "Year 9 (recorded)", True),
        (datetime.date(2021, 9, 1), 0, "Reception (recorded)", False),
    ],
    ids=["year 9", "year 10", "year 8", "recorded year 9", "recorded reception"],
)
def test_child_page_shows_the_year_group_and_preparing_for_adulthood(
    client, area, today_is, born, recorded, shown, adulthood
):
    today_is(datetime.date(2026, 11, 23))
    child = f.ChildFactory(
        local_authority=area.local_authority, date_of_birth=born, year_group=recorded
    )
    login(client, area.officer)
    page = " ".join(client.get(child.get_absolute_url()).content.decode().split())
    assert f'Year group</dt><dd class="govuk-summary-list__value">{shown}</dd>' in page
    assert ("Preparing for adulthood: from year 9" in page) is adulthood


def test_child_page_shows_each_requests_working_date_and_clock(client, area, today_is):
    """Received 2 November 2026, so due 14 December; asked to return by 4
    December: 11 days left on 23 November."""
    today_is(datetime.date(2026, 11, 23))
    received = datetime.date(2026, 11, 2)
    child, request, contribution = case_in(area, sent_on=received, received_on=received)
    contribution.return_by = datetime.date(2026, 12, 4)
    contribution.save()
    login(client, area.officer)
    page = client.get(child.get_absolute_url()).content.decode()
    assert "Return by 4 Dec 2026" in page and "(due 14 Dec 2026)" in page
    assert "11 days left" in page


# --- Audit and query counts -----------------------------------------------------------------------


def test_viewing_a_request_or_child_is_audited(client, area, case):
    child, request, _ = case
    login(client, area.la_officer)
    client.get(request.get_absolute_url())
    client.get(child.get_absolute_url())
    seen = AccessEvent.objects.filter(user=area.la_officer).order_by("at", "pk")
    assert [(e.page, [c.pk for c in e.children.all()]) for e in seen] == [
        ("Request", [child.pk]),
        ("Child's page", [child.pk]),
    ]


def test_request_history_names_the_service_and_shows_old_and_new_values(client, area, case):
    _, request, contribution = case
    login(client, area.practitioner)
    client.post(
        reverse("ehc:contribution_return", args=[contribution.pk]),
        {
            "version": contribution.version,
            "outcome": "not_known",
            **date_data("returned_on", contribution.due_on),
        },
    )
    login(client, area.officer)
    response = client.get(request.get_absolute_url())
    page = response.content.decode()
    service = area.service.name
    assert f"{area.practitioner.full_name} changed the asking and return for {service}" in page
    returned = next(e for e in response.context["timeline"] if e["changes"])
    assert returned["service"] == service
    changes = {c["field"]: (c["old"], c["new"]) for c in returned["changes"]}
    assert changes["Date returned"] == ("nothing", f"{contribution.due_on:%-d %B %Y}")
    assert changes["Outcome"] == ("nothing", "Child or young person not known to the service")
    assert (
        'Date returned: nothing <span aria-hidden="true">→</span>'
        '<span class="govuk-visually-hidden">changed to</span> '
        f"{contribution.due_on:%-d %B %Y}"
    ) in page


def test_worklist_query_count_does_not_grow_with_rows(client, area):
    case_in(area)
    login(client, area.officer)
    client.get(reverse("ehc:request_list"))  # warm the session and content types
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        client.get(reverse("ehc:request_list"))
    for _ in range(15):
        case_in(area)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("ehc:request_list"))
    assert len(many) == len(one)
    # The session and the user; the filter choices (one cache read, none
    # with Redis); the status counts, the page's ids, its rows and their
    # contributions; the access event naming the rows' children and its links.
    assert len(one) <= 9, [q["sql"] for q in one.captured_queries]


def test_request_detail_query_count_does_not_grow_with_contributions(client, area):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _, request, contribution = case_in(area)
    advice = f.AdviceFactory(contribution=contribution)
    f.ProvisionItemFactory(advice=advice)
    login(client, area.officer)
    client.get(request.get_absolute_url())
    with CaptureQueriesContext(connection) as one:
        client.get(request.get_absolute_url())
    for _ in range(5):
        service = f.ServiceFactory(provider=area.provider)
        service.local_authorities.set([area.local_authority])
        more = f.ContributionFactory(request=request, service=service)
        f.ProvisionItemFactory(advice=f.AdviceFactory(contribution=more))
    with CaptureQueriesContext(connection) as many:
        client.get(request.get_absolute_url())
    assert len(many) == len(one), [q["sql"] for q in many.captured_queries]


def test_contributions_are_in_the_database_in_their_own_area_only(
    area, other_area, case, other_case
):
    assert set(Contribution.objects.visible_to(area.officer)) == {case[2]}
    assert set(Contribution.objects.visible_to(other_area.practitioner)) == {other_case[2]}
    assert not Contribution.objects.visible_to(area.commissioner).exists()


def test_home_pages_count_the_caseload_in_scope(client, area, other_area):
    from ehc.selectors import caseload_summary

    today = datetime.date.today()
    long_ago = today - datetime.timedelta(days=60)
    case_in(area, sent_on=long_ago, received_on=long_ago)  # overdue
    case_in(
        area,
        sent_on=today - datetime.timedelta(days=38),
        received_on=today - datetime.timedelta(days=38),
    )  # due in 4 days
    case_in(area, sent_on=today, received_on=today)
    case_in(other_area, sent_on=long_ago, received_on=long_ago)
    scoped = HealthAdviceRequest.objects.visible_to(area.officer)
    assert caseload_summary(scoped, today) == {"awaiting": 3, "overdue": 1, "due_soon": 1}
    for user, home in (
        (area.officer, "portal:officer_home"),
        (area.practitioner, "portal:practitioner_home"),
        (area.la_officer, "portal:la_home"),
    ):
        login(client, user)
        response = client.get(reverse(home))
        assert response.context["caseload"] == {"awaiting": 3, "overdue": 1, "due_soon": 1}
        assert reverse("ehc:request_list") + "?overdue=on" in response.content.decode()


def test_new_forms_start_with_sensible_defaults(client, area, case):
    child, request, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    login(client, area.officer)
    form = client.get(reverse("ehc:request_create", args=[child.pk])).context["form"]
    assert form["owner"].value() == area.officer.pk
    form = client.get(reverse("ehc:review_edit", args=[advice.pk])).context["form"]
    assert form["reviewed_on"].value() == datetime.date.today()


@pytest.mark.parametrize(
    "kind, heading",
    [
        ("reviews", "Record an annual review health input"),
        ("section-23", "Record a Section 23 notice"),
        ("mediation", "Record a mediation case"),
    ],
)
def test_new_record_headings_read_well(client, area, case, kind, heading):
    child, _, _ = case
    login(client, area.officer)
    response = client.get(reverse("ehc:child_record_create", args=[child.pk, kind]))
    assert response.status_code == 200
    assert heading in response.content.decode()


def test_review_input_offers_only_active_services_and_keeps_the_recorded_one(client, area, case):
    child, _, _ = case
    closed = f.ServiceFactory(provider=area.provider, is_active=False, name="Closed clinic")
    closed.local_authorities.set([area.local_authority])
    login(client, area.officer)
    page = client.get(reverse("ehc:child_record_create", args=[child.pk, "reviews"]))
    offered = list(page.context["form"].fields["service"].queryset)
    assert area.service in offered and closed not in offered
    record = ReviewInput.objects.create(
        child=child, meeting_on=datetime.date(2026, 3, 1), service=closed
    )
    page = client.get(reverse("ehc:child_record_edit", args=[child.pk, "reviews", record.pk]))
    assert closed in list(page.context["form"].fields["service"].queryset)


def _one_record_of_each_kind(area, child, n: int):
    from ehc.models import (
        MediationCase,
        PersonalHealthBudget,
        Section23Notice,
        TribunalCase,
    )

    day = datetime.date(2026, 3, 2) + datetime.timedelta(days=n)
    f.EHCPlanFactory(child=child, issued_on=day)
    f.ReviewInputFactory(child=child, meeting_on=day, decision_on=day)
    Section23Notice.objects.create(
        child=child,
        commissioning_body=area.body,
        professional_name="Health visitor",
        parent_told_on=day,
    )
    MediationCase.objects.create(child=child, requested_on=day, health_issues="Therapy")
    TribunalCase.objects.create(child=child, registered_on=day, health_issues="Therapy")
    PersonalHealthBudget.objects.create(child=child, considered_on=day, outcome="agreed")


def test_child_page_reads_only_the_tables_that_hold_rows(client, area):
    """Which of the child's tables (plans, and each kind of record) hold any
    rows is read with the child, so an empty one costs no query; the
    count does not grow with the rows."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    child, _, _ = case_in(area)
    login(client, area.officer)
    url = child.get_absolute_url()
    client.get(url)  # warm the session and content types
    with CaptureQueriesContext(connection) as empty:
        page = client.get(url).content.decode()
    assert page.count("None recorded.") == 5
    assert "No plans recorded." in page
    # The session and the user; the child (with which tables hold rows);
    # the access event and its link; the permissions the page asks about;
    # the requests.
    assert len(empty) <= 8, [q["sql"] for q in empty.captured_queries]
    _one_record_of_each_kind(area, child, 0)
    with CaptureQueriesContext(connection) as full:
        page = client.get(url).content.decode()
    assert "None recorded." not in page
    assert "No plans recorded." not in page
    # Six tables and the review clock (the child's dates, its open review).
    assert len(full) <= len(empty) + 8
    _one_record_of_each_kind(area, child, 1)
    with CaptureQueriesContext(connection) as more:
        client.get(url)
    assert len(more) == len(full)
