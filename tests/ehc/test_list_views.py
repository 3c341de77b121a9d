"""The worklist and the children list (ehc/list_views.py): the default order,
sorting, page size, the received-date filters, the downloads, and "Log a
new request", which finds the child before adding one."""

from __future__ import annotations

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from ehc.models import AccessEvent, Child, HealthAdviceRequest, RequestStatus
from ehc.services.urgency import refresh_urgency
from tests import factories as f
from tests.ehc.helpers import case_in, child_post, date_data, login

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)
D = datetime.date


def received(days_ago: int) -> D:
    return TODAY - datetime.timedelta(days=days_ago)


def request_in(area, days_ago: int, *, service=True, **contribution):
    """A request received ``days_ago`` before TODAY (due 42 days after
    receipt), asking the area's service unless ``service`` is False."""
    child = f.ChildFactory(local_authority=area.local_authority)
    day = received(days_ago)
    req = f.HealthAdviceRequestFactory(child=child, sent_on=day, received_on=day)
    if service:
        f.ContributionFactory(request=req, service=area.service, **contribution)
    return req


@pytest.fixture
def caseload(area, today_is):
    """A worklist on TODAY, by name, in the expected default order."""
    today_is(TODAY)
    cases = {
        "overdue_140": request_in(area, 140),  # 98 days overdue
        "overdue_60": request_in(area, 60),  # 18 days overdue
        "nobody_asked_overdue": request_in(area, 50, service=False),  # 8 days overdue
        "due_in_2": request_in(area, 40),
        "due_in_30": request_in(area, 12),
        "excused": request_in(
            area,
            55,
            exception="absent_from_area",
            exception_evidence="Away for 5 weeks.",
            exception_on=received(50),
        ),
        "returned_recently": request_in(area, 20, returned_on=received(2), outcome="not_known"),
        "returned_long_ago": request_in(area, 90, returned_on=received(60), outcome="not_known"),
        "closed": request_in(area, 30),
    }
    HealthAdviceRequest.objects.filter(
        pk__in=[cases["returned_recently"].pk, cases["returned_long_ago"].pk]
    ).update(status=RequestStatus.RETURNED)
    HealthAdviceRequest.objects.filter(pk=cases["closed"].pk).update(
        status=RequestStatus.CLOSED, closed_on=received(1)
    )
    # The updates above skip the services, which would refresh the stored keys.
    refresh_urgency([case.pk for case in cases.values()])
    return cases


DEFAULT_ORDER = [
    "overdue_140",
    "overdue_60",
    "nobody_asked_overdue",
    "due_in_2",
    "due_in_30",
    "excused",
    "returned_recently",
    "returned_long_ago",
    "closed",
]


def references(response) -> list[str]:
    return [req.reference for req in response.context["requests"]]


def names(cases, order) -> list[str]:
    return [cases[name].reference for name in order]


# --- Order and sorting -------------------------------------------------------------------------


def test_the_worklist_starts_with_the_longest_overdue(client, area, caseload):
    login(client, area.officer)
    response = client.get(reverse("ehc:request_list"))
    assert response.status_code == 200
    assert references(response) == names(caseload, DEFAULT_ORDER)
    page = response.content.decode()
    assert "most urgent first" in page
    assert 'aria-sort="ascending"><a class="govuk-link app-sort-link" href="?sort=-urgency"' in page


def test_the_urgency_key_is_one_readable_number(area, caseload):
    from ehc.selectors import with_urgency

    keys = dict(with_urgency(HealthAdviceRequest.objects.all()).values_list("pk", "urgency"))
    assert keys[caseload["overdue_140"].pk] == 20260817  # due 17 August 2026
    assert keys[caseload["nobody_asked_overdue"].pk] == 20261115  # its own due date
    assert keys[caseload["excused"].pk] == 100000000 + 20261110
    assert keys[caseload["returned_recently"].pk] == 299999999 - 20261215
    assert keys[caseload["closed"].pk] // 100000000 == 3


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("reference", lambda r: r.pk),
        ("-reference", lambda r: -r.pk),
        ("child", lambda r: (r.child.family_name, r.child.given_name)),
        ("-child", lambda r: (r.child.family_name, r.child.given_name)),
        ("la", lambda r: (r.local_authority.name, r.pk)),
    ],
)
def test_columns_sort_on_the_server(client, area, caseload, sort, key):
    login(client, area.officer)
    response = client.get(reverse("ehc:request_list"), {"sort": sort})
    assert response.status_code == 200
    descending = sort == "-child"
    expected = sorted(
        HealthAdviceRequest.objects.select_related("child", "local_authority"),
        key=key,
        reverse=descending,
    )
    assert references(response) == [r.reference for r in expected]
    direction = "descending" if sort.startswith("-") else "ascending"
    assert response.content.decode().count(f'aria-sort="{direction}"') == 1


def test_the_due_column_sorts_by_the_date_it_shows(client, area, caseload):
    login(client, area.officer)
    rows = client.get(reverse("ehc:request_list"), {"sort": "-due"}).context["requests"]
    shown = [r.work_due_on or r.due_on for r in rows]
    assert shown == sorted(shown, reverse=True)


def test_a_practitioners_due_column_sorts_by_their_own_part(client, area, caseload):
    other = f.ServiceFactory(local_authorities=[area.local_authority])
    f.ContributionFactory(  # another service, owed earliest: not the practitioner's part
        request=caseload["due_in_30"], service=other, return_by=received(11)
    )
    login(client, area.practitioner)
    rows = client.get(reverse("ehc:request_list"), {"sort": "due"}).context["requests"]
    shown = [r.work_due_on or r.due_on for r in rows]
    assert shown == sorted(shown)
    assert rows[-1].pk in (caseload["due_in_30"].pk, caseload["returned_recently"].pk)


def test_the_worklist_reads_contributions_for_its_page_only(client, area, caseload):
    """The page's ids, the count and the status counts come from the requests
    table (its stored keys); then the page's rows, and the contributions
    of those rows only (docs/performance.md, "The worklist")."""
    login(client, area.officer)
    for query in ({}, {"sort": "due", "overdue": "on"}, {"due_within": "14", "page": "1"}):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("ehc:request_list"), query)
        assert response.status_code == 200
        sql = [q["sql"] for q in captured.captured_queries]
        reads = [s for s in sql if '"ehc_healthadvicerequest"' in s]
        parts = [s for s in sql if 'FROM "ehc_contribution"' in s]
        assert len(reads) == 3, query  # the status counts, the page's ids, its rows
        assert not any('"ehc_contribution"' in s for s in reads), query
        assert len(parts) == 1, query  # the page's contributions
        shown = [r.pk for r in response.context["requests"]]
        in_list = ", ".join(str(pk) for pk in sorted(shown))
        assert shown and f'"request_id" IN ({in_list})' in parts[0], parts[0]


@pytest.mark.parametrize(
    "sort", ["password", "-", "--urgency", "child__family_name", "x" * 500, "\x00"]
)
def test_an_unknown_sort_falls_back_to_the_default(client, area, caseload, sort):
    login(client, area.officer)
    response = client.get(reverse("ehc:request_list"), {"sort": sort})
    assert response.status_code == 200
    assert references(response) == names(caseload, DEFAULT_ORDER)


def test_page_size_is_chosen_and_remembered_for_the_session(client, area):
    for _ in range(30):
        case_in(area)
    login(client, area.officer)
    assert len(client.get(reverse("ehc:request_list")).context["requests"]) == 30  # 50 a page
    assert (
        len(client.get(reverse("ehc:request_list"), {"per_page": "25"}).context["requests"]) == 25
    )
    response = client.get(reverse("ehc:request_list"))  # remembered
    assert len(response.context["requests"]) == 25
    assert '<strong class="govuk-body" aria-current="true">25</strong>' in response.content.decode()
    for ignored in ("7", "abc", "100000", "-50"):
        response = client.get(reverse("ehc:request_list"), {"per_page": ignored})
        assert response.status_code == 200
        assert len(response.context["requests"]) == 25, ignored
    # The children list remembers its own.
    assert client.session["worklist_page_size"] == 25
    assert "children_page_size" not in client.session


def test_rows_are_one_line_each(client, area, caseload):
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list")).content.decode()
    assert 'class="govuk-table app-table-compact"' in page
    region = 'role="region" aria-label="Requests for health advice" tabindex="0">'
    assert f'<div class="app-table-scroll" {region}' in page
    assert "Born " not in page  # no second line under the name


# --- Filters ------------------------------------------------------------------------------------


def test_received_dates_use_the_date_boxes(client, area, caseload):
    login(client, area.officer)
    query = {**date_data("received_from", received(60)), **date_data("received_to", received(40))}
    response = client.get(reverse("ehc:request_list"), query)
    assert response.status_code == 200
    assert set(references(response)) == set(
        names(caseload, ["overdue_60", "nobody_asked_overdue", "excused", "due_in_2"])
    )
    page = response.content.decode()
    assert 'name="received_from_0"' in page and 'class="govuk-date-input"' in page


def test_received_to_before_received_from_is_an_error_beside_the_field(client, area, caseload):
    login(client, area.officer)
    query = {**date_data("received_from", received(40)), **date_data("received_to", received(60))}
    response = client.get(reverse("ehc:request_list"), query)
    assert response.status_code == 400
    errors = response.context["filter"].form.errors
    assert list(errors) == ["received_to"]
    assert "Received to must be the same as or after received from" in errors["received_to"][0]
    page = response.content.decode()
    assert (
        "govuk-error-summary" in page
        and 'id="received_to_error"' in page
        or "govuk-error-message" in page
    )
    # The list is filtered by the valid filter alone.
    assert set(references(response)) == {
        r.reference for r in HealthAdviceRequest.objects.filter(received_on__gte=received(40))
    }


def test_a_date_filled_in_part_is_an_error_not_ignored(client, area, caseload):
    login(client, area.officer)
    response = client.get(
        reverse("ehc:request_list"),
        {"received_from_0": "3", "received_from_1": "", "received_from_2": ""},
    )
    assert response.status_code == 400
    assert response.context["filter"].form.errors["received_from"] == [
        "Enter the day, month and year"
    ]


def test_the_reports_iso_links_still_filter(client, area, caseload):
    login(client, area.officer)
    iso = {"received_from": received(60).isoformat(), "received_to": received(40).isoformat()}
    response = client.get(reverse("ehc:request_list"), iso)
    assert response.status_code == 200
    assert len(references(response)) == 4
    assert (
        client.get(reverse("ehc:request_list"), {"received_from": "2026-13-01"}).status_code == 400
    )


def test_the_filter_panel_can_be_hidden_and_loads_no_inline_script(client, area):
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list")).content.decode()
    assert 'data-module="app-filter-toggle" data-start-shown="false"' in page
    assert '<div class="moj-action-bar"><div class="moj-action-bar__filter"></div></div>' in page
    assert '<script type="module" src="/static/js/filter-toggle.js"></script>' in page
    assert "<script>" not in page
    bad = client.get(reverse("ehc:request_list"), {"due_within": "lots"}).content.decode()
    assert 'data-start-shown="true"' in bad  # opened where the error is


# --- Downloads ----------------------------------------------------------------------------------


def read_csv(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def read_xlsx(response) -> list[tuple]:
    book = load_workbook(io.BytesIO(response.content))
    return list(book.active.iter_rows(values_only=True))


def test_the_worklist_downloads_as_csv_with_its_filters_and_order(
    client, area, other_area, caseload
):
    case_in(other_area)
    login(client, area.officer)
    response = client.get(
        reverse("ehc:request_download", args=["csv"]), {"sort": "-reference", "status": "awaiting"}
    )
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="worklist-2026-11-23.csv"'
    rows = read_csv(response)
    assert rows[0][:4] == ["Request", "LA request reference", "First name", "Last name"]
    awaiting = HealthAdviceRequest.objects.filter(
        local_authority=area.local_authority, status=RequestStatus.AWAITING
    ).order_by("-pk")
    assert [row[0] for row in rows[1:]] == [r.reference for r in awaiting]
    by_ref = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    overdue = by_ref[caseload["overdue_140"].reference]
    assert overdue["Clock"] == "98 days overdue"
    assert overdue["Advice due"] == "2026-08-17"
    assert overdue["Services"] == area.service.name


def test_a_download_is_audited_as_a_view_of_every_child_it_lists(client, area, caseload):
    login(client, area.officer)
    client.get(reverse("ehc:request_download", args=["xlsx"]))
    event = AccessEvent.objects.latest("pk")
    assert event.page == "Worklist download (XLSX)"
    listed = {r.child_id for r in caseload.values()}
    assert set(event.children.values_list("pk", flat=True)) == listed
    client.get(
        reverse("ehc:child_download", args=["csv"]), {"q": caseload["closed"].child.family_name}
    )
    event = AccessEvent.objects.latest("pk")
    assert event.page == "Children download (CSV)"
    assert list(event.children.values_list("pk", flat=True)) == [caseload["closed"].child_id]


def test_the_workbook_opens_with_dates_and_no_formulas(client, area, today_is):
    today_is(TODAY)
    child = f.ChildFactory(
        local_authority=area.local_authority,
        given_name='=HYPERLINK("http://evil","x")',
        family_name="@SUM(A1)",
        date_of_birth=D(2016, 5, 14),
    )
    req = f.HealthAdviceRequestFactory(
        child=child, la_reference="+44 1234", sent_on=received(3), received_on=received(3)
    )
    f.ContributionFactory(request=req, service=area.service)
    login(client, area.officer)
    rows = read_xlsx(client.get(reverse("ehc:request_download", args=["xlsx"])))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["First name"] == '\'=HYPERLINK("http://evil","x")'
    assert row["Last name"] == "'@SUM(A1)"
    assert row["LA request reference"] == "'+44 1234"
    assert row["Date of birth"].date() == D(2016, 5, 14)  # a real date cell
    assert row["Services asked"] == 1
    children = read_xlsx(client.get(reverse("ehc:child_download", args=["xlsx"])))
    assert children[1][:2] == ("'@SUM(A1)", '\'=HYPERLINK("http://evil","x")')
    csv_rows = read_csv(client.get(reverse("ehc:child_download", args=["csv"])))
    assert csv_rows[1][0] == "'@SUM(A1)"


def test_the_workbook_holds_only_the_users_scope(client, area, other_area):
    _, mine, _ = case_in(area)
    _, theirs, _ = case_in(other_area)
    login(client, area.officer)
    rows = read_xlsx(client.get(reverse("ehc:request_download", args=["xlsx"])))
    assert [row[0] for row in rows[1:]] == [mine.reference]
    children = read_xlsx(client.get(reverse("ehc:child_download", args=["xlsx"])))
    assert [row[0] for row in children[1:]] == [mine.child.family_name]


def test_a_practitioner_downloads_only_their_services_part(client, area):
    _, req, _ = case_in(area)
    other_service = f.ServiceFactory(
        provider=area.provider, local_authorities=[area.local_authority]
    )
    f.ContributionFactory(request=req, service=other_service)
    login(client, area.practitioner)
    rows = read_csv(client.get(reverse("ehc:request_download", args=["csv"])))
    row = dict(zip(rows[0], rows[1], strict=True))
    assert row["Services"] == area.service.name


@pytest.mark.parametrize("name", ["request_download", "child_download"])
def test_downloads_take_bounded_queries(client, area, name, django_assert_max_num_queries):
    case_in(area)
    login(client, area.officer)
    url = reverse(f"ehc:{name}", args=["xlsx"])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for _ in range(20):
        case_in(area)
    with django_assert_max_num_queries(len(one)):
        response = client.get(url)
    assert len(read_xlsx(response)) == 22
    assert client.get(reverse(f"ehc:{name}", args=["pdf"])).status_code == 404


def test_the_pages_link_to_their_downloads_with_the_filters(client, area):
    login(client, area.officer)
    page = client.get(
        reverse("ehc:request_list"), {"overdue": "on", "per_page": "25"}
    ).content.decode()
    assert 'href="/ehc/requests/download.csv?overdue=on">Download CSV' in page
    assert 'href="/ehc/requests/download.xlsx?overdue=on">Download Excel' in page
    page = client.get(reverse("ehc:child_list"), {"q": "Sam"}).content.decode()
    assert 'href="/ehc/children/download.xlsx?q=Sam">Download Excel' in page


# --- The children list --------------------------------------------------------------------------


def test_the_children_list_sorts_and_scrolls_in_its_own_region(client, area):
    older = f.ChildFactory(
        local_authority=area.local_authority, family_name="Zed", date_of_birth=D(2010, 1, 1)
    )
    younger = f.ChildFactory(
        local_authority=area.local_authority, family_name="Able", date_of_birth=D(2015, 1, 1)
    )
    login(client, area.officer)
    response = client.get(reverse("ehc:child_list"))
    assert list(response.context["children"]) == [younger, older]
    response = client.get(reverse("ehc:child_list"), {"sort": "born"})
    assert list(response.context["children"]) == [older, younger]
    page = response.content.decode()
    assert 'aria-label="Children and young people" tabindex="0"' in page
    assert client.get(reverse("ehc:child_list"), {"sort": "nonsense"}).status_code == 200


# --- Find before adding -------------------------------------------------------------------------


def find(client, **query):
    data = {}
    for name, value in query.items():
        data.update(date_data(name, value) if isinstance(value, D) else {name: value})
    return client.get(reverse("ehc:request_start"), data)


def test_log_a_new_request_starts_by_finding_the_child(client, area, other_area):
    mine = f.ChildFactory(
        local_authority=area.local_authority,
        nhs_number="9434765919",
        given_name="Robin",
        family_name="Hood",
    )
    f.ChildFactory(
        local_authority=other_area.local_authority,
        nhs_number="9434765919",
        given_name="Robin",
        family_name="Hood",
    )
    login(client, area.officer)
    page = client.get(reverse("ehc:request_list")).content.decode()
    assert 'href="/ehc/requests/new/"' in page and "Log a new request" in page
    first = client.get(reverse("ehc:request_start"))
    assert first.status_code == 200 and "Add a new child" not in first.content.decode()
    for query in (
        {"nhs_number": "943 476 5919"},
        {"name": "robin hood"},
        {"name": "hoo", "date_of_birth": mine.date_of_birth},
    ):
        response = find(client, **query)
        assert response.status_code == 200
        assert response.context["matches"] == [mine], query  # never the other area's
        page = response.content.decode()
        assert page.index("Log a request for this child") < page.index("Add a new child")
        assert f'href="/ehc/children/{mine.pk}/requests/new/"' in page
    event = AccessEvent.objects.latest("pk")
    assert event.page == "Log a new request (find the child)"
    assert list(event.children.values_list("pk", flat=True)) == [mine.pk]


def test_no_match_offers_to_add_the_child_with_what_was_typed(client, area):
    login(client, area.officer)
    response = find(client, nhs_number="943 476 5919", date_of_birth=D(2018, 3, 4))
    assert response.context["matches"] == []
    page = response.content.decode()
    assert "No child or young person in your areas matches" in page
    link = (
        "/ehc/children/new/?nhs_number=943+476+5919"
        "&amp;date_of_birth_0=4&amp;date_of_birth_1=3&amp;date_of_birth_2=2018"
    )
    assert link in page
    form = client.get(link.replace("&amp;", "&")).context["form"]
    assert form.initial["nhs_number"] == "943 476 5919"
    assert form.initial["date_of_birth"] == D(2018, 3, 4)


def test_a_search_that_cannot_match_says_why_beside_the_field(client, area):
    login(client, area.officer)
    response = find(client, nhs_number="12345")
    assert response.status_code == 400
    assert response.context["filter"].form.errors["nhs_number"] == [
        "Enter the NHS number as 10 digits, for example 943 476 5919"
    ]
    not_a_day = {"date_of_birth_0": "30", "date_of_birth_1": "2", "date_of_birth_2": "2018"}
    assert client.get(reverse("ehc:request_start"), not_a_day).status_code == 400
    assert find(client, name="\x00").status_code == 400


def test_adding_a_child_held_in_the_same_area_is_refused_with_a_link(client, area):
    held = f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area))
    assert response.status_code == 400
    [message] = response.context["form"].errors["nhs_number"]
    assert f"already recorded in {area.local_authority.name}: {held.full_name}" in message
    page = response.content.decode()
    assert f'href="{held.get_absolute_url()}"' in page
    assert f'href="/ehc/children/{held.pk}/requests/new/"' in page
    assert "other_area_confirmed" not in page
    assert Child.objects.count() == 1


def test_a_child_held_in_another_of_the_users_areas_needs_confirming(client, area):
    second = f.LocalAuthorityFactory(name="Southby")
    area.officer.local_authorities.add(second)
    held = f.ChildFactory(local_authority=second, nhs_number="9434765919")
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area))
    assert response.status_code == 400
    [message] = response.context["form"].errors["nhs_number"]
    assert "already recorded for a child in Southby" in message
    page = response.content.decode()
    assert f'href="{held.get_absolute_url()}"' in page
    assert 'name="other_area_confirmed"' in page
    assert page.index('name="nhs_number"') < page.index('name="other_area_confirmed"')
    assert AccessEvent.objects.latest("pk").page == "Add a child (NHS number already recorded)"
    # Sent again without the tick: still refused.
    data = child_post(area)
    assert client.post(reverse("ehc:child_create"), data).status_code == 400
    response = client.post(reverse("ehc:child_create"), {**data, "other_area_confirmed": "on"})
    assert response.status_code == 302
    added = Child.objects.get(local_authority=area.local_authority)
    assert response["Location"] == reverse("ehc:request_create", args=[added.pk])
    assert added.nhs_number == held.nhs_number


def test_a_child_held_outside_the_users_scope_is_never_revealed(client, area, other_area):
    theirs = f.ChildFactory(local_authority=other_area.local_authority, nhs_number="9434765919")
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area))
    assert response.status_code == 302
    assert theirs.family_name not in client.get(response["Location"]).content.decode()
    assert Child.objects.filter(nhs_number="9434765919").count() == 2


def test_the_new_child_form_still_checks_the_number_itself(client, area):
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area, nhs_number="943 476 5918"))
    assert response.status_code == 400
    [message] = response.context["form"].errors["nhs_number"]
    assert "the last digit does not match" in message
    assert not Child.objects.exists()


def test_the_children_download_says_who_is_eligible_for_continuing_care(client, area):
    f.ChildFactory(local_authority=area.local_authority, continuing_care=True)
    login(client, area.officer)
    rows = read_csv(client.get(reverse("ehc:child_download", args=["csv"])))
    assert dict(zip(rows[0], rows[1], strict=True))["Eligible for continuing care"] == "Yes"


@pytest.mark.parametrize(
    "query, a_status_at_a_time",
    [
        ({}, True),
        ({"overdue": "on", "process": "needs_assessment"}, True),
        ({"status": "open", "due_within": "30"}, True),
        ({"q": "a"}, False),  # joins the children
        ({"primary_need": "ASD"}, False),  # joins the children
        ({"provider": "__provider__"}, False),  # tests the contributions
    ],
)
def test_the_status_counts_count_what_the_list_holds(
    client, area, caseload, query, a_status_at_a_time
):
    """For an officer and for a practitioner, whatever the filters, the
    status counts are those of the requests the list holds. They are
    counted a status at a time (UNION ALL) only for an officer's list
    filtered on the requests' own columns; otherwise grouped, so a join or a
    subquery is not repeated for each status."""
    query = {k: (str(area.provider.pk) if v == "__provider__" else v) for k, v in query.items()}
    HealthAdviceRequest.objects.filter(pk=caseload["due_in_30"].pk).update(
        status=RequestStatus.WITHDRAWN
    )
    for user, splits in ((area.officer, a_status_at_a_time), (area.practitioner, False)):
        login(client, user)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse("ehc:request_list"), query)
        assert response.status_code == 200
        held = list(response.context["filter"].qs.values_list("status", flat=True))
        counts = {status: n for status, _, n in response.context["counts"]}
        assert counts == {s: held.count(s) for s in RequestStatus.values}, (user, query)
        assert sum(counts.values()) == response.context["page"].paginator.count
        counting = [q["sql"] for q in captured.captured_queries if 'COUNT(*) AS "n"' in q["sql"]]
        assert len(counting) == 1
        assert ("UNION ALL" in counting[0]) is splits, (user, query)
