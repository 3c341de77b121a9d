"""The reviews worklist page and its downloads (ehc/reviews/views.py): the
user's scope, the filters, the order, the access event and the number of
queries a page takes."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from ehc.models import AccessEvent
from tests import factories as f
from tests.ehc.helpers import login
from tests.ehc.test_list_views import read_csv, read_xlsx

pytestmark = pytest.mark.django_db

URL = reverse("ehc:review_list")


def today():
    return timezone.localdate()


def due_in(area, days: int, name: str = "", **child):
    """A child of ``area`` whose first plan makes the review due in ``days``
    days (negative: overdue), in year 4 (no phase transfer)."""
    start = today()
    born = datetime.date(start.year - 9, 1, 10)  # year 4 or 5: never a transfer year
    kid = f.ChildFactory(
        local_authority=area.local_authority,
        date_of_birth=born,
        **({"family_name": name} if name else {}),
        **child,
    )
    issued = today() + datetime.timedelta(days=days + 1)
    f.EHCPlanFactory(child=kid, issued_on=issued.replace(year=issued.year - 1))
    return kid


def test_lists_only_children_in_scope_due_soon(client, area, other_area):
    soon = due_in(area, 10, "Soonreview")
    late = due_in(area, -5, "Latereview")
    due_in(area, 120, "Farreview")
    due_in(other_area, 10, "Otherarea")
    login(client, area.officer)
    response = client.get(URL)
    page = response.content.decode()
    assert response.status_code == 200
    assert page.index("Latereview") < page.index("Soonreview")
    assert "Farreview" not in page and "Otherarea" not in page
    assert soon.get_absolute_url() in page
    assert "5 days overdue" in page and "10 days left" in page
    event = AccessEvent.objects.get(page="Reviews worklist")
    assert set(event.children.values_list("pk", flat=True)) == {soon.pk, late.pk}


def test_filters_and_sorting(client, area):
    due_in(area, 10, "Soonreview")
    due_in(area, -5, "Latereview")
    login(client, area.officer)
    page = client.get(URL, {"when": "overdue"}).content.decode()
    assert "Latereview" in page and "Soonreview" not in page
    page = client.get(URL, {"when": "upcoming"}).content.decode()
    assert "Soonreview" in page and "Latereview" not in page
    page = client.get(URL, {"sort": "-due"}).content.decode()
    assert page.index("Soonreview") < page.index("Latereview")
    arranged = due_in(area, 30, "Arrangedreview")
    f.ReviewInputFactory(child=arranged, meeting_on=today() + datetime.timedelta(days=7))
    page = client.get(URL, {"sort": "meeting"}).content.decode()
    assert page.index("Arrangedreview") < page.index("Latereview")
    page = client.get(URL, {"sort": "-meeting"}).content.decode()
    assert page.index("Arrangedreview") > page.index("Soonreview")
    page = client.get(URL, {"q": "Soonrev"}).content.decode()
    assert "Latereview" not in page and "Soonreview" in page
    page = client.get(URL, {"adult_years": "on"}).content.decode()
    assert "No reviews match these filters" in page


def test_an_invalid_filter_is_shown_beside_the_field(client, area):
    due_in(area, 10, "Soonreview")
    login(client, area.officer)
    response = client.get(URL, {"when": "someday", "local_authority": "999999"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose an option from the list" in page
    assert "Soonreview" in page  # the valid filters still apply: none


def test_the_open_review_and_its_steps_are_shown(client, area):
    kid = due_in(area, 20, "Arranged")
    meeting = today() + datetime.timedelta(days=10)
    f.ReviewInputFactory(child=kid, meeting_on=meeting, invited_on=today())
    login(client, area.officer)
    page = client.get(URL).content.decode()
    assert "Done" in page  # invited
    assert "4 days overdue" in page  # advice was due 2 weeks before the meeting


def test_the_page_takes_the_same_queries_for_more_rows(client, area, django_assert_max_num_queries):
    for n in range(2):
        f.ReviewInputFactory(child=due_in(area, n), meeting_on=today())
    login(client, area.officer)
    client.get(URL)
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    for n in range(25):
        f.ReviewInputFactory(child=due_in(area, n), meeting_on=today())
    with django_assert_max_num_queries(len(few)):
        response = client.get(URL)
    assert response.content.decode().count('<tr class="govuk-table__row">') == 27 + 1


def test_downloads_hold_every_row_in_the_page_order(client, area, other_area):
    kid = due_in(area, -3, "Latereview")
    meeting = today() + datetime.timedelta(days=5)  # not yet held: the clock runs on
    f.ReviewInputFactory(child=kid, meeting_on=meeting, invited_on=today())
    due_in(area, 12, "Soonreview")
    due_in(other_area, 1, "Otherarea")
    login(client, area.officer)
    rows = read_csv(client.get(reverse("ehc:review_download", args=["csv"])))
    assert [r[1] for r in rows[1:]] == ["Latereview", "Soonreview"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Next review due"] == (today() - datetime.timedelta(days=3)).isoformat()
    assert first["Invited on"] == today().isoformat()
    assert first["Review meeting"] == meeting.isoformat()
    assert first["Decision due"] == (meeting + datetime.timedelta(weeks=4)).isoformat()
    workbook = read_xlsx(
        client.get(reverse("ehc:review_download", args=["xlsx"]), {"sort": "-due"})
    )
    assert [r[1] for r in workbook[1:]] == ["Soonreview", "Latereview"]
    assert client.get(reverse("ehc:review_download", args=["pdf"])).status_code == 404
    assert AccessEvent.objects.filter(page="Reviews worklist download (CSV)").exists()


def test_the_child_page_shows_the_review_clock(client, area):
    kid = due_in(area, 30, "Clockchild")
    login(client, area.officer)
    page = client.get(kid.get_absolute_url()).content.decode()
    due = today() + datetime.timedelta(days=30)
    assert "Next annual review due" in page
    assert f"{due.day} {due:%b %Y}" in page
    login(client, area.practitioner)
    f.ContributionFactory(request=f.HealthAdviceRequestFactory(child=kid), service=area.service)
    page = client.get(kid.get_absolute_url()).content.decode()
    assert "Next annual review due" not in page


def test_the_officer_reaches_the_worklist_from_home_and_the_requests(client, area):
    login(client, area.officer)
    home = client.get("/", follow=True).content.decode()
    assert f'href="{URL}"' in home
    requests = client.get(reverse("ehc:request_list")).content.decode()
    assert f'href="{URL}"' in requests
    login(client, area.la_officer)
    assert f'href="{URL}"' not in client.get(reverse("ehc:request_list")).content.decode()
