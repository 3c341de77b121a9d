"""The EHC casework screens. The worklist and the child list: what each shows
in the user's scope, its filters and searches."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ehc import clock
from ehc.models import Contribution, HealthAdviceRequest, RequestStatus
from ehc.services.urgency import refresh_urgency
from tests import factories as f
from tests.ehc.helpers import case_in, covering_service, login

pytestmark = pytest.mark.django_db


def test_worklist_lists_only_requests_in_scope(client, area, case, other_case):
    _, mine, _ = case
    _, theirs, _ = other_case
    for user in (area.officer, area.practitioner, area.la_officer):
        login(client, user)
        page = client.get(reverse("ehc:request_list")).content.decode()
        assert mine.reference in page
        assert theirs.reference not in page


def test_practitioner_sees_only_requests_asking_their_services(client, area, case):
    child = f.ChildFactory(local_authority=area.local_authority)
    unrelated = f.ContributionFactory(
        request=f.HealthAdviceRequestFactory(child=child), service=f.ServiceFactory()
    )
    login(client, area.practitioner)
    page = client.get(reverse("ehc:request_list")).content.decode()
    assert case[1].reference in page
    assert unrelated.request.reference not in page
    assert client.get(unrelated.request.get_absolute_url()).status_code == 404


def test_child_list_search_is_scoped(client, area, case, other_case):
    child, _, _ = case
    stranger, _, _ = other_case
    login(client, area.officer)
    page = client.get(reverse("ehc:child_list"), {"q": child.family_name}).content.decode()
    assert child.get_absolute_url() in page
    page = client.get(reverse("ehc:child_list"), {"q": stranger.family_name}).content.decode()
    assert stranger.get_absolute_url() not in page
    assert "No one matches" in page


def test_worklist_filters_overdue(client, area):
    today = datetime.date.today()
    _, late, _ = case_in(
        area,
        sent_on=today - datetime.timedelta(days=60),
        received_on=today - datetime.timedelta(days=60),
    )
    _, fresh, _ = case_in(area, sent_on=today, received_on=today)
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list"), {"overdue": "on"}).content.decode()
    assert late.reference in page
    assert fresh.reference not in page


def test_worklist_refuses_a_bad_filter_with_a_message(client, area, case):
    login(client, area.officer)
    response = client.get(reverse("ehc:request_list"), {"due_within": "lots"})
    assert response.status_code == 400
    assert "govuk-error-summary" in response.content.decode()


def test_worklist_search_with_odd_digits_is_not_an_error(client, area, case):
    login(client, area.officer)
    for query in ("HA-²", "HA-①", "HA-" + "9" * 40):
        assert client.get(reverse("ehc:request_list"), {"q": query}).status_code == 200


def test_overdue_filter_and_home_count_agree(client, area):
    long_ago = datetime.date.today() - datetime.timedelta(days=60)
    child = f.ChildFactory(local_authority=area.local_authority)
    nobody_asked = f.HealthAdviceRequestFactory(child=child, sent_on=long_ago, received_on=long_ago)
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list"), {"overdue": "on"}).content.decode()
    assert nobody_asked.reference in page
    assert client.get(reverse("portal:officer_home")).context["caseload"]["overdue"] == 1


def test_due_soon_filter_and_home_count_agree(client, area):
    """The home page's "due in the next 7 days" links to ?due_within=7: both
    leave out a request whose services have all returned."""
    received = datetime.date.today() - datetime.timedelta(days=38)  # due in 4 days
    _, awaiting, _ = case_in(area, sent_on=received, received_on=received)
    _, returned, contribution = case_in(area, sent_on=received, received_on=received)
    Contribution.objects.filter(pk=contribution.pk).update(
        returned_on=received, outcome="not_known"
    )
    HealthAdviceRequest.objects.filter(pk=returned.pk).update(status=RequestStatus.RETURNED)
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list"), {"due_within": "7"}).content.decode()
    assert awaiting.reference in page
    assert returned.reference not in page
    assert client.get(reverse("portal:officer_home")).context["caseload"]["due_soon"] == 1


def test_worklist_age_filter_puts_a_birthday_today_in_the_new_group(client, area):
    today = datetime.date.today()
    five_today = clock.add_months(today, -60)
    four = f.ChildFactory(
        local_authority=area.local_authority, date_of_birth=five_today + datetime.timedelta(1)
    )
    five = f.ChildFactory(local_authority=area.local_authority, date_of_birth=five_today)
    younger = f.HealthAdviceRequestFactory(child=four, sent_on=today, received_on=today)
    older = f.HealthAdviceRequestFactory(child=five, sent_on=today, received_on=today)
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list"), {"age_group": "under_5"}).content.decode()
    assert younger.reference in page and older.reference not in page
    page = client.get(reverse("ehc:request_list"), {"age_group": "5_10"}).content.decode()
    assert older.reference in page and younger.reference not in page
    assert client.get(reverse("ehc:request_list"), {"age_group": "30_40"}).status_code == 400


def test_child_search_takes_an_nhs_number_as_people_type_it(client, area):
    child = f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    login(client, area.officer)
    for query in ("943 476 5919", "943-476-5919"):
        page = client.get(reverse("ehc:child_list"), {"q": query}).content.decode()
        assert child.get_absolute_url() in page, query


# --- Working dates, overdue and lawful exceptions ------------------------------------------

TODAY = datetime.date(2026, 11, 23)
OCT_5 = datetime.date(2026, 10, 5)  # received: due 16 November, 7 days before TODAY


def worklist_cases(area):
    """Requests of a worklist on 23 November 2026, by name:

    - ``overdue``: due 16 November, nothing excused: 7 days overdue;
    - ``lawful``: due 16 November, with a reg 8(2)(b) exception;
    - ``mixed``: due 16 November, one service excused and one not;
    - ``return_by``: received 2 November, so due 14 December, asked to
      return by 4 December (11 days away);
    - ``returned_late``: returned on 20 November, late, with a reg 8(2)(a)
      exception.
    """

    def request(received=OCT_5):
        child = f.ChildFactory(local_authority=area.local_authority)
        return f.HealthAdviceRequestFactory(child=child, sent_on=received, received_on=received)

    def ask(req, service=None, **fields):
        return f.ContributionFactory(request=req, service=service or area.service, **fields)

    absent = {
        "exception": "absent_from_area",
        "exception_evidence": "Family abroad for 5 weeks.",
        "exception_on": datetime.date(2026, 10, 12),
    }
    cases = {name: request() for name in ("overdue", "lawful", "mixed", "returned_late")}
    cases["return_by"] = request(datetime.date(2026, 11, 2))
    ask(cases["overdue"])
    ask(cases["lawful"], **absent)
    ask(cases["mixed"], **absent)
    ask(cases["mixed"], service=covering_service(area))
    ask(cases["return_by"], return_by=datetime.date(2026, 12, 4))
    ask(
        cases["returned_late"],
        returned_on=datetime.date(2026, 11, 20),
        outcome="not_known",
        late_reason="staffing",
        exception="exceptional_circumstances",
        exception_evidence="Bereavement in the family.",
    )
    HealthAdviceRequest.objects.filter(pk=cases["returned_late"].pk).update(
        status=RequestStatus.RETURNED
    )
    refresh_urgency([cases["returned_late"].pk])  # the update skips the services
    return cases


def listed(client, **filters) -> set[str]:
    response = client.get(reverse("ehc:request_list"), filters)
    assert response.status_code == 200
    return {req.reference for req in response.context["requests"]}


def refs(cases, *names) -> set[str]:
    return {cases[name].reference for name in names}


def test_overdue_leaves_out_requests_late_only_with_a_lawful_exception(client, area, today_is):
    today_is(TODAY)
    cases = worklist_cases(area)
    login(client, area.officer)
    assert listed(client, overdue="on") == refs(cases, "overdue", "mixed")
    assert client.get(reverse("portal:officer_home")).context["caseload"]["overdue"] == 2


def test_lawful_exception_filter_finds_owed_and_late_excused_services(client, area, today_is):
    today_is(TODAY)
    cases = worklist_cases(area)
    login(client, area.officer)
    assert listed(client, lawful_exception="on") == refs(cases, "lawful", "mixed", "returned_late")
    assert listed(client, lawful_exception="on", overdue="on") == refs(cases, "mixed")


def test_due_within_counts_to_the_return_by_date(client, area, today_is):
    """Due 14 December, to return by 4 December: within 14 days of 23
    November (to 7 December) by its return-by date, not within 7."""
    today_is(TODAY)
    cases = worklist_cases(area)
    login(client, area.officer)
    assert listed(client, due_within="14") == refs(cases, "return_by")
    assert listed(client, due_within="7") == set()


def test_worklist_rows_show_the_working_date_and_a_lawful_tag(client, area, today_is):
    today_is(TODAY)
    cases = worklist_cases(area)
    login(client, area.officer)
    page = " ".join(client.get(reverse("ehc:request_list")).content.decode().split())

    def row(name):
        start = page.index(f">{cases[name].reference}</a>")
        return page[start : page.index("</tr>", start)]

    assert ">Return by 4 Dec 2026<" in row("return_by")  # the date the clock counts to
    assert 'govuk-tag--yellow">11 days left' in row("return_by")
    assert 'govuk-tag--red">7 days overdue' in row("overdue")
    assert 'govuk-tag--red">7 days overdue' in row("mixed")
    assert 'govuk-tag--purple">Late: lawful exception' in row("lawful")
    assert "overdue" not in row("lawful")
    assert ">16 Nov 2026<" in row("lawful")
    # Most urgent first: overdue (by the earliest date owed, then the
    # reference), then due soonest, then lawfully late, then returned.
    order = [req.reference for req in client.get(reverse("ehc:request_list")).context["requests"]]
    names = ("overdue", "mixed", "return_by", "lawful", "returned_late")
    assert order == [cases[name].reference for name in names]


def test_worklist_with_the_new_filters_keeps_its_query_count(client, area, today_is):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today_is(TODAY)
    worklist_cases(area)
    login(client, area.officer)
    filters = {"overdue": "on", "lawful_exception": "on", "due_within": "30"}
    client.get(reverse("ehc:request_list"), filters)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("ehc:request_list"), filters)
    worklist_cases(area)
    worklist_cases(area)
    with CaptureQueriesContext(connection) as more:
        client.get(reverse("ehc:request_list"), filters)
    assert len(more) == len(few)
