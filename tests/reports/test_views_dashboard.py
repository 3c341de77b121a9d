"""The dashboard: access, suppression for commissioners, drill-down for
officers, bad input and a fixed number of queries."""

from __future__ import annotations

import datetime
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ehc import models as ehc
from tests import factories as f
from tests.access import assert_access, get_as

pytestmark = pytest.mark.django_db

URL = "/reports/dashboard/"
Q = "?period=2026-q1"


def requests_in_q1(area, count: int, *, family_name="Secretname"):
    for i in range(count):
        received = datetime.date(2026, 4, 1) + datetime.timedelta(days=i)
        child = f.ChildFactory(local_authority=area.local_authority, family_name=family_name)
        request = f.HealthAdviceRequestFactory(child=child, sent_on=received, received_on=received)
        f.ContributionFactory(request=request, service=area.service)


def tile_value(html: str, key: str) -> str:
    block = html.split(f'id="tile-{key}"', 1)[1]
    match = re.search(r"app-tile__value[^>]*>(?:<a [^>]*>)?([^<]+)", block)
    return match.group(1).strip()


def test_access_four_ways(area, other_area):
    assert_access(
        URL + Q,
        allowed=[area.officer, area.commissioner, area.administrator],
        denied=[area.practitioner, area.la_officer],
    )
    # Another area's officer or commissioner cannot choose this area.
    assert_access(
        f"{URL}{Q}&local_authority={area.local_authority.pk}",
        allowed=[area.officer],
        denied=[],
        other_area=[other_area.officer, other_area.commissioner],
        other_area_status=400,
    )
    response = get_as(other_area.commissioner, f"{URL}{Q}&commissioning_body={area.body.pk}")
    assert response.status_code == 200  # the field is not offered: their own body is used
    assert response.context["selection"].scope.body_id == other_area.body.pk


def test_commissioner_sees_rounded_figures_and_no_child(area):
    requests_in_q1(area, 12)
    html = get_as(area.commissioner, URL + Q).content.decode()
    assert tile_value(html, "requests") == "10"
    assert "Small numbers are hidden" in html
    assert "Secretname" not in html
    assert "/ehc/requests/" not in html  # no drill-down for commissioners
    officer = get_as(area.officer, URL + Q).content.decode()
    assert tile_value(officer, "requests") == "12"
    assert "Small numbers are hidden" not in officer


def test_small_counts_are_stars_for_commissioners(area):
    requests_in_q1(area, 3)
    html = get_as(area.commissioner, URL + Q).content.decode()
    assert tile_value(html, "requests") == "*"


def test_officer_drills_down_to_the_requests_behind_a_figure(area, other_area):
    requests_in_q1(area, 3)
    requests_in_q1(other_area, 2)
    html = get_as(area.officer, URL + Q).content.decode()
    link = re.search(r'id="tile-requests".*?href="([^"]+)"', html, re.S).group(1)
    link = link.replace("&amp;", "&")
    assert "received_from=2026-04-01" in link and "received_to=2026-06-30" in link
    worklist = get_as(area.officer, link)
    assert worklist.status_code == 200
    assert worklist.context["page"].paginator.count == 3


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=2026-q9", "Choose an option from the list"),
        ("?date_from=2026-04-01", "Enter both dates of the range"),
        ("?date_from=2026-13-01&date_to=2026-06-30", "Enter a real date"),
        ("?date_from=2026-06-01&date_to=2026-04-30", "before it starts"),
        ("?provider=banana", "Choose an option from the list"),
    ],
)
def test_bad_input_gets_a_message_not_an_error(area, query, message):
    response = get_as(area.officer, URL + query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_custom_range(area):
    requests_in_q1(area, 3)
    response = get_as(area.officer, f"{URL}?date_from=2026-04-01&date_to=2026-04-02")
    assert response.status_code == 200
    assert response.context["report"].current.requests == 2
    assert "1 April 2026 to 2 April 2026" in response.content.decode()


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        # One day and one authority would single out a child: refused.
        ("?date_from=2026-04-01&date_to=2026-04-01", "date_to", "End on the last day of a month"),
        ("?date_from=2026-04-02&date_to=2026-06-30", "date_from", "Start on the first day"),
        ("?date_from=2026-04-01&date_to=2026-05-31", "date_to", "at least 3 whole months"),
    ],
)
def test_a_commissioners_custom_range_is_whole_months_and_at_least_three(
    area, query, field, message
):
    response = get_as(area.commissioner, URL + query)
    assert response.status_code == 400
    assert message in response.context["filter"].form.errors[field][0]


def test_a_commissioner_may_choose_three_whole_months(area):
    requests_in_q1(area, 3)
    response = get_as(area.commissioner, f"{URL}?date_from=2026-04-01&date_to=2026-06-30")
    assert response.status_code == 200
    assert "1 April 2026 to 30 June 2026" in response.content.decode()


def test_fixed_number_of_queries(area):
    requests_in_q1(area, 2)
    client = Client()
    client.force_login(area.commissioner)
    with CaptureQueriesContext(connection) as small:
        client.get(URL + Q)
    requests_in_q1(area, 20)
    with CaptureQueriesContext(connection) as larger:
        client.get(URL + Q)
    assert len(small) == len(larger)


def test_a_selection_too_small_to_break_down_shows_no_breakdown(area):
    """3 requests in the quarter: a commissioner sees no split by need, age,
    authority or service (it would point at the children), an officer does."""
    requests_in_q1(area, 3)
    response = get_as(area.commissioner, URL + Q)
    assert response.status_code == 200
    tables = {t.key: t for t in response.context["tables"]}
    for key in ("by_la", "by_provider", "by_process", "by_age", "by_need", "by_service"):
        assert tables[key].rows == [], key
    assert "Too few requests in this selection to break them down." in response.content.decode()

    officer = get_as(area.officer, URL + Q)
    officer_tables = {t.key: t for t in officer.context["tables"]}
    assert officer_tables["by_la"].rows[0].cells[0].value == 3


def test_a_commissioner_sees_breakdowns_once_the_selection_is_large_enough(area):
    requests_in_q1(area, 9)
    response = get_as(area.commissioner, URL + Q)
    tables = {t.key: t for t in response.context["tables"]}
    assert tables["by_la"].rows[0].cells[0].value == 10  # 9, rounded to the nearest 5


def review_requests_in_q1(area, *, on_time: int, late: int):
    """Annual review requests received from 1 April 2026, one a day, each
    for a meeting 6 weeks later (advice due 4 weeks after receipt): the
    first ``on_time`` returned after 20 days, the next ``late`` after 35."""
    for i in range(on_time + late):
        received = datetime.date(2026, 4, 1) + datetime.timedelta(days=i)
        child = f.ChildFactory(local_authority=area.local_authority)
        meeting = ehc.ReviewInput.objects.create(
            child=child, meeting_on=received + datetime.timedelta(weeks=6)
        )
        request = f.HealthAdviceRequestFactory(
            child=child,
            sent_on=received,
            received_on=received,
            process=ehc.Process.ANNUAL_REVIEW,
            review=meeting,
        )
        f.ContributionFactory(
            request=request,
            service=area.service,
            returned_on=received + datetime.timedelta(days=20 if i < on_time else 35),
            outcome=ehc.Outcome.ADVICE_GIVEN,
            late_reason="" if i < on_time else ehc.LateReason.STAFFING,
        )


def other_deadlines_row(html: str, label: str) -> list[str]:
    """The cells of one row of the dashboard's "Advice with other deadlines" table."""
    table = html.split('id="table-other_deadlines"', 1)[1].split("</table>", 1)[0]
    row = table.split(label, 1)[1].split("</tr>", 1)[0]
    return [cell.strip() for cell in re.findall(r"<td[^>]*>([^<]*)</td>", row)]


ANNUAL = "Annual reviews: returned at least 2 weeks before the review meeting (reg 20(4))"
MEDIATION = (
    "Mediation: returned by the date asked (a working standard of 6 weeks; no statutory "
    "limit for health advice)"
)


def test_review_advice_has_its_own_measure_apart_from_the_six_week_rate(area):
    """9 of 11 annual review contributions returned at least 2 weeks before
    the meeting: 81.8% for an officer; for a commissioner 10 of 10 once
    rounded, so "*" and never 100.0%. None of it is in the 6-week rate."""
    review_requests_in_q1(area, on_time=9, late=2)
    officer = get_as(area.officer, URL + Q).content.decode()
    assert other_deadlines_row(officer, ANNUAL) == ["11", "0", "0", "81.8%", "–", "–"]
    assert other_deadlines_row(officer, MEDIATION) == ["0", "–", "0", "–", "–", "–"]
    assert tile_value(officer, "timely") == "–"  # no reg 8 advice due
    assert "Review advice is due 2 weeks before the review meeting" in officer
    commissioner = get_as(area.commissioner, URL + Q).content.decode()
    assert other_deadlines_row(commissioner, ANNUAL) == ["10", "0", "0", "*", "–", "–"]
    assert "100.0%" not in commissioner
