"""The quarterly report as a web page, a PDF and a CSV: access, the same
figures in all three (rounded for commissioners, exact for officers), no
child in sight, CSV cells that cannot run as formulas, bad input and a
fixed number of queries."""

from __future__ import annotations

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import periods
from ehc import models as ehc
from tests import factories as f
from tests.access import assert_access, get_as

pytestmark = pytest.mark.django_db

PAGE = "/reports/quarterly/"
PDF = "/reports/quarterly/report.pdf"
CSV = "/reports/quarterly/tables.csv"
Q = "?period=2026-q1"
FAMILY_NAME = "Secretname"


def requests_in_q1(area, count: int, *, service=None, returned_after: int | None = None):
    """``count`` requests received from 1 April 2026, one a day, each asking
    one service for advice, returned ``returned_after`` days later (None:
    never, so overdue by the end of the quarter)."""
    for i in range(count):
        received = datetime.date(2026, 4, 1) + datetime.timedelta(days=i)
        child = f.ChildFactory(local_authority=area.local_authority, family_name=FAMILY_NAME)
        request = f.HealthAdviceRequestFactory(child=child, sent_on=received, received_on=received)
        returned = {}
        if returned_after is not None:
            returned = {
                "returned_on": received + datetime.timedelta(days=returned_after),
                "outcome": ehc.Outcome.ADVICE_GIVEN,
            }
        f.ContributionFactory(request=request, service=service or area.service, **returned)


def requests_indicator(html: str) -> str:
    """The first figure in the Indicators table's row for requests."""
    row = re.search(
        r"Requests for health advice received</th>\s*<td[^>]*>(?:<a [^>]*>)?([^<]+)", html
    )
    return row.group(1).strip()


def csv_table(response) -> list[list[str]]:
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response.content.startswith("\ufeff".encode())  # Excel reads it as UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def pdf_text(response) -> tuple[object, str]:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(response.content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, re.sub(r"\s+", " ", text)


# --- Access --------------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, PDF, CSV])
def test_access_four_ways(area, other_area, url):
    assert_access(
        url + Q,
        allowed=[area.officer, area.commissioner, area.administrator],
        denied=[area.practitioner, area.la_officer],
    )
    # Another area's officer cannot choose this area's local authority.
    assert_access(
        f"{url}{Q}&local_authority={area.local_authority.pk}",
        allowed=[area.officer],
        denied=[],
        other_area=[other_area.officer, other_area.commissioner],
        other_area_status=400,
    )


# --- The same figures in all three ---------------------------------------------------------


def test_web_page_rounds_for_commissioners_and_is_exact_for_officers(area):
    requests_in_q1(area, 12)
    response = get_as(area.commissioner, PAGE + Q)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Quarterly report: Q1 2026/27" in html
    assert area.body.name in html  # the caption names the scope
    assert requests_indicator(html) == "10"
    assert "Health received 10 requests for advice in Q1 2026/27" in html
    assert "Small numbers are hidden" in html
    assert FAMILY_NAME not in html
    assert "/ehc/requests/" not in html  # no drill-down for commissioners
    officer = get_as(area.officer, PAGE + Q).content.decode()
    assert requests_indicator(officer) == "12"
    assert "Health received 12 requests for advice in Q1 2026/27" in officer
    assert "Small numbers are hidden" not in officer
    assert "/ehc/requests/?received_from=2026-04-01" in officer  # officers may drill down


def test_web_page_links_carry_the_selection(area):
    html = get_as(area.officer, PAGE + Q).content.decode().replace("&amp;", "&")
    for url in (PDF, CSV, "/reports/dashboard/"):
        assert re.search(rf'href="{re.escape(url)}\?period=2026-q1[^"]*"', html), url
    for heading in (
        "Indicators",
        "Exceptions worth attention",
        "Demand",
        "Timeliness by provider",
        "Timeliness by service",
        "Quality reviews by rating",
        "Section 23 notifications",
    ):
        assert heading in html


def test_without_a_choice_the_last_complete_quarter_is_shown(area):
    response = get_as(area.commissioner, PAGE)
    assert response.status_code == 200
    last = periods.quarter_containing(timezone.localdate()).previous()
    assert response.context["selection"].period == last
    assert f"Quarterly report: {last.label}" in response.content.decode()


def test_a_quarter_in_progress_says_so(area):
    today = timezone.localdate()
    now = periods.quarter_containing(today)
    html = get_as(area.officer, f"{PAGE}?period={now.slug}").content.decode()
    if today < now.end:
        assert f"{now.label} is not over yet" in html


def test_exceptions_say_none_when_there_are_none(area):
    requests_in_q1(area, 3, returned_after=30)
    html = get_as(area.officer, PAGE + Q).content.decode()
    exceptions = html.split('id="exceptions"', 1)[1].split('id="demand"', 1)[0]
    assert exceptions.count("None this quarter.") == 2


def test_overdue_contributions_are_listed_by_how_late(area):
    # Received 1 April, due 13 May, never returned: 48 days overdue on 30 June.
    requests_in_q1(area, 1)
    html = get_as(area.officer, PAGE + Q).content.decode()
    exceptions = html.split('id="exceptions"', 1)[1].split('id="demand"', 1)[0]
    assert "4 to 8 weeks overdue" in exceptions
    assert exceptions.count("None this quarter.") == 1  # nothing fell: no earlier quarter


def test_csv_has_the_same_figures(area):
    requests_in_q1(area, 12)
    area_name = area.local_authority.name
    for user, expected in ((area.commissioner, "10"), (area.officer, "12")):
        response = get_as(user, CSV + Q)
        assert response.status_code == 200
        disposition = response["Content-Disposition"]
        assert disposition == 'attachment; filename="quarterly-report-2026-q1.csv"'
        rows = csv_table(response)
        assert rows[0] == [
            "Quarterly report",
            # An officer's scope is "Your areas": the CSV names them.
            area.body.name if user == area.commissioner else f"Your areas: {area_name}",
            "Q1 2026/27",
            "1 April 2026 to 30 June 2026",
        ]
        indicator = next(r for r in rows if r and r[0] == "Requests for health advice received")
        assert indicator[1] == expected
        # Tables are separated by a blank row, each starting with its title.
        titles = [rows[i + 1][0] for i, r in enumerate(rows[:-1]) if r == []]
        assert titles[:2] == ["Indicators", "Services whose timeliness fell"]
        assert "Section 23 notifications by source" in titles
        assert FAMILY_NAME not in response.content.decode()


def test_csv_keeps_stars_for_commissioners(area):
    requests_in_q1(area, 3)
    rows = csv_table(get_as(area.commissioner, CSV + Q))
    indicator = next(r for r in rows if r and r[0] == "Requests for health advice received")
    assert indicator[1] == "*"


def test_pdf_has_the_same_figures(area):
    requests_in_q1(area, 12)
    for user, expected in ((area.commissioner, "10"), (area.officer, "12")):
        response = get_as(user, PDF + Q)
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="quarterly-report-2026-q1.pdf"'
        )
        assert response.content.startswith(b"%PDF-")
        reader, text = pdf_text(response)
        first = reader.pages[0]
        size = (round(float(first.mediabox.width)), round(float(first.mediabox.height)))
        assert size == (595, 842)  # A4 in points
        scope = area.body.name if user == area.commissioner else "Your areas"
        assert reader.metadata.title == f"Quarterly report: Q1 2026/27 – {scope}"
        assert reader.metadata.author
        assert "Q1 2026/27" in reader.metadata.subject
        assert reader.trailer["/Root"]["/Lang"] == "en-GB"
        assert scope in text
        assert area.local_authority.name in text
        assert f"Health received {expected} requests for advice in Q1 2026/27" in text
        assert f"Page 1 of {len(reader.pages)}" in text
        assert "Timeliness and quality against earlier periods" in text  # the chart
        assert FAMILY_NAME not in text
        assert ("Small numbers are hidden" in text) is (user == area.commissioner)


# --- CSV injection -------------------------------------------------------------------------


def test_names_from_user_data_cannot_become_formulas(area):
    provider = f.ProviderFactory(name="@SUM(1+1)")
    service = f.ServiceFactory(provider=provider, name='=HYPERLINK("http://x.example","Open")')
    service.local_authorities.set([area.local_authority])
    requests_in_q1(area, 9, service=service)
    rows = csv_table(get_as(area.commissioner, CSV + Q))
    cells = [cell for row in rows for cell in row]
    hyperlinks = [cell for cell in cells if "HYPERLINK" in cell]
    assert hyperlinks and all(cell.startswith("'=HYPERLINK") for cell in hyperlinks)
    assert "'@SUM(1+1)" in cells  # the provider, in its own rows
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in cells)


# --- Bad input -----------------------------------------------------------------------------


@pytest.mark.parametrize("url", [PAGE, PDF, CSV])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?period=2026-q9", "Choose an option from the list"),
        ("?period=2026", "Choose an option from the list"),  # a year is not a quarter
        ("?provider=banana", "Choose an option from the list"),
    ],
)
def test_bad_input_gets_the_page_with_a_message(area, url, query, message):
    response = get_as(area.officer, url + query)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert message in html


# --- Cost ----------------------------------------------------------------------------------


def test_fixed_number_of_queries(area, settings):
    settings.REPORT_FIGURES_SECONDS = 0  # the figures read every time (kept: test_figures.py)
    requests_in_q1(area, 2)
    client = Client()
    client.force_login(area.officer)
    with CaptureQueriesContext(connection) as small:
        assert client.get(PAGE + Q).status_code == 200
    requests_in_q1(area, 25)
    f.ServiceFactory(provider=f.ProviderFactory()).local_authorities.set([area.local_authority])
    with CaptureQueriesContext(connection) as larger:
        assert client.get(PAGE + Q).status_code == 200
    assert len(small) == len(larger)
    assert len(larger) <= 26  # the summary store read for requests by group is one


# --- Advice with other deadlines -----------------------------------------------------------

OTHER = "Advice with other deadlines: returned by its own due date"


def other_processes_in_q1(area):
    """Q1 2026/27, one contribution each:

    - annual review received 1 April, meeting 15 May (due 1 May), returned
      30 April: on time;
    - phase transfer review received 1 April, meeting 15 May (due 1 May),
      returned 5 May (10 days before the meeting): late;
    - annual review received 2 April with no meeting recorded (due 14 May),
      returned 20 May: late;
    - mediation received 3 April (due 15 May), returned 15 May: on time;
    - tribunal received 4 April (due 16 May), never returned: late;
    - needs assessment received 5 April (due 17 May), returned 1 May: the
      only one in the 6-week rate.
    """

    def one(received, process, returned, meeting_on=None, phase_transfer=False):
        child = f.ChildFactory(local_authority=area.local_authority, family_name=FAMILY_NAME)
        review = None
        if meeting_on:
            review = ehc.ReviewInput.objects.create(
                child=child, meeting_on=meeting_on, phase_transfer=phase_transfer
            )
        request = f.HealthAdviceRequestFactory(
            child=child, sent_on=received, received_on=received, process=process, review=review
        )
        back = {"returned_on": returned, "outcome": ehc.Outcome.ADVICE_GIVEN} if returned else {}
        if returned and returned > request.due_on:
            back["late_reason"] = ehc.LateReason.STAFFING
        f.ContributionFactory(request=request, service=area.service, **back)

    D = datetime.date
    one(D(2026, 4, 1), ehc.Process.ANNUAL_REVIEW, D(2026, 4, 30), D(2026, 5, 15))
    one(D(2026, 4, 1), ehc.Process.PHASE_TRANSFER, D(2026, 5, 5), D(2026, 5, 15), True)
    one(D(2026, 4, 2), ehc.Process.ANNUAL_REVIEW, D(2026, 5, 20))
    one(D(2026, 4, 3), ehc.Process.MEDIATION, D(2026, 5, 15))
    one(D(2026, 4, 4), ehc.Process.TRIBUNAL, None)
    one(D(2026, 4, 5), ehc.Process.NEEDS_ASSESSMENT, D(2026, 5, 1))


def test_csv_has_advice_with_other_deadlines(area):
    other_processes_in_q1(area)
    rows = csv_table(get_as(area.officer, CSV + Q))
    start = rows.index([OTHER])
    assert rows[start + 1] == [
        "Advice for",
        "Contributions due and decided",
        "Of which meeting date not recorded",
        "Not returned: request withdrawn",
        "On time, Q1 2026/27",
        "Previous period",
        "A year earlier",
    ]
    assert rows[start + 2 : start + 6] == [
        [
            "Annual reviews: returned at least 2 weeks before the review meeting (reg 20(4))",
            "2",
            "1",
            "0",
            "50.0%",
            "–",
            "–",
        ],
        [
            "Phase transfer reviews: returned at least 2 weeks before the review meeting "
            "(reg 20(4))",
            "1",
            "0",
            "0",
            "0.0%",
            "–",
            "–",
        ],
        [
            "Mediation: returned by the date asked (a working standard of 6 weeks; no "
            "statutory limit for health advice)",
            "1",
            "–",
            "0",
            "100.0%",
            "–",
            "–",
        ],
        [
            "Tribunal: returned by the date asked (a working standard of 6 weeks; no "
            "statutory limit for health advice)",
            "1",
            "–",
            "0",
            "0.0%",
            "–",
            "–",
        ],
    ]
    # The 6-week rate holds the needs assessment alone.
    indicator = next(r for r in rows if r and r[0] == "Returned within 6 weeks (all)")
    assert indicator[1] == "100.0%"
    # A commissioner: 6 requests is too few to break down by process.
    rows = csv_table(get_as(area.commissioner, CSV + Q))
    start = rows.index([OTHER])
    assert rows[start + 2] == ["Too few requests in this selection to break them down."]


def test_web_page_and_pdf_have_advice_with_other_deadlines(area):
    other_processes_in_q1(area)
    html = get_as(area.officer, PAGE + Q).content.decode()
    timeliness = html.split('id="timeliness"', 1)[1].split('id="quality"', 1)[0]
    assert OTHER in timeliness
    assert "each against its own deadline" in timeliness
    # The indicators table carries the same shares.
    row = re.search(
        r"Mediation: returned by the date asked[^<]*</th>\s*<td[^>]*>([^<]+)", html
    ).group(1)
    assert row.strip() == "100.0%"
    _, text = pdf_text(get_as(area.officer, PDF + Q))
    assert OTHER in text
    assert "at least 2 weeks before the review meeting (reg 20(4))" in text
