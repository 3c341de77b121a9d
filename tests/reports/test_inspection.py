"""The inspection evidence pack (reports/inspection.py, reports/views/
inspection.py): every section built, figures for sharing by default
(as commissioners see them) and exact only when an officer asks, the
commissioner never offered exact figures, a bad choice shown beside its
field, a fixed number of queries, and the PDF rendered by WeasyPrint with
the same figures.

The data, in the last complete financial year: 12 requests, each with one
contribution from the area's service, 9 returned within 6 weeks and 3
late (an officer sees 12 and 75.0%; shared, 10 and "*"); 2 training
sessions (30 and 15 attendees); one plan with an overdue action.
"""

from __future__ import annotations

import datetime
import io
import re

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from core import periods
from ehc import models as ehc
from reports import inspection
from roles.models import TrainingSession
from tests import factories as f

pytestmark = pytest.mark.django_db

URL = "/reports/inspection/"
PDF = "/reports/inspection/pack.pdf"
FY = periods.financial_year_of(timezone.localdate()) - 1
YEAR = periods.financial_year(FY)
Q = {"period": str(FY)}


def day(month: int, dom: int) -> datetime.date:
    return datetime.date(FY if month >= 4 else FY + 1, month, dom)


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def pack_data(area, other_area):
    for i in range(12):
        received = day(4, 1) + datetime.timedelta(days=i)
        request = f.HealthAdviceRequestFactory(
            child=f.ChildFactory(local_authority=area.local_authority),
            sent_on=received,
            received_on=received,
        )
        f.ContributionFactory(
            request=request,
            service=area.service,
            returned_on=received + datetime.timedelta(days=20 if i < 9 else 50),
            outcome=ehc.Outcome.ADVICE_GIVEN,
        )
    post = f.PostFactory(
        holder=area.officer,
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )
    for attendees in (30, 15):
        TrainingSession.objects.create(
            post=post,
            title="EHC advice",
            audience="GPs",
            delivered_on=day(5, 1),
            attendees=attendees,
        )
    plan = f.ImprovementPlanFactory(
        local_authority=area.local_authority,
        title="Borough written statement of action",
        starts_on=day(4, 1),
    )
    f.ImprovementActionFactory(plan=plan, due_on=day(9, 1))
    return area


def table(page: str, key: str) -> str:
    start = page.index(f'id="table-{key}"')
    return page[start : page.index("</table>", start)]


def test_every_section_is_built_with_its_own_anchor(pack_data):
    selection_area = pack_data
    client = client_for(selection_area.officer)
    page = client.get(URL, Q).content.decode()
    keys = [
        "about",
        "timeliness",
        "quality",
        "plan-audits",
        "reviews",
        "review-clock",
        "section23",
        "disputes",
        "service-gaps",
        "waiting-times",
        "enquiries",
        "resourcing",
        "officer-activity",
        "improvement",
    ]
    assert re.findall(r'<h2 class="govuk-heading-l[^"]*" id="([a-z0-9-]+)"', page) == keys
    assert "Borough written statement of action" in page
    assert "45" in table(page, "officer_activity")  # attendees: staff figures are exact
    assert "In the period the posts covering the area delivered 2 training sessions to 45" in page


def test_for_sharing_by_default_exact_when_an_officer_asks(pack_data):
    client = client_for(pack_data.officer)
    shared = client.get(URL, Q).content.decode()
    assert "For sharing: small numbers hidden" in shared
    timeliness = table(shared, "timeliness")
    assert ">10<" in timeliness and ">12<" not in timeliness
    exact = client.get(URL, {**Q, "figures": "exact"}).content.decode()
    assert "Exact: not for sharing" in exact
    timeliness = table(exact, "timeliness")
    assert ">12<" in timeliness and "75.0%" in timeliness


def test_commissioners_always_get_the_shared_figures(pack_data):
    client = client_for(pack_data.commissioner)
    page = client.get(URL, {**Q, "figures": "exact"}).content.decode()
    assert 'name="figures"' not in page
    assert "For sharing: small numbers hidden" in page
    assert ">12<" not in table(page, "timeliness")


def test_the_officers_shared_pack_is_the_commissioners(pack_data):
    """Sharing applies exactly the suppression commissioners see."""
    officer = client_for(pack_data.officer).get(URL, Q).content.decode()
    commissioner = client_for(pack_data.commissioner).get(URL, Q).content.decode()
    for key in ("timeliness", "quality_headline", "enquiries", "section23"):
        assert table(officer, key) == table(commissioner, key), key


def test_a_bad_choice_is_shown_beside_its_field(area):
    response = client_for(area.officer).get(PDF, {**Q, "figures": "everything"})
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Choose an option from the list" in response.content.decode()


def test_the_page_reads_a_fixed_number_of_queries(
    pack_data, django_assert_max_num_queries, settings
):
    settings.REPORT_FIGURES_SECONDS = 0  # the figures read every time (kept: test_figures.py)
    client = client_for(pack_data.officer)
    client.get(URL, Q)
    with django_assert_max_num_queries(45) as small:
        client.get(URL, Q)
    for _ in range(3):
        plan = f.ImprovementPlanFactory(
            local_authority=pack_data.local_authority, starts_on=day(4, 1)
        )
        f.ImprovementActionFactory(plan=plan, due_on=day(9, 1))
        f.EnquiryFactory(local_authority=pack_data.local_authority, received_on=day(6, 1))
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(URL, Q)


def test_sections_are_functions_in_one_list():
    assert all(callable(make) for make in inspection.SECTIONS)
    assert inspection.SECTIONS[0] is inspection.about


@pytest.mark.slow
def test_the_pdf_has_the_same_figures(pack_data):
    client = client_for(pack_data.officer)
    response = client.get(PDF, Q)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "inspection-pack-" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    assert "Inspection evidence pack" in text
    assert "for sharing" in text
    assert "Borough written statement of action" in text
    assert "Returned within 6 weeks (all) *" in text  # 9 of 12 shared: "*"
    exact = client.get(PDF, {**Q, "figures": "exact"})
    reader = PdfReader(io.BytesIO(exact.content))
    text = " ".join(" ".join(p.extract_text() or "" for p in reader.pages).split())
    assert "exact figures, not for sharing" in text
    assert "Returned within 6 weeks (all) 75.0%" in text


def test_reviews_overdue_and_waiting_times_in_the_pack(area):
    """Two children with plans in the area: one issued 14 months before the
    year's end (review overdue), one 3 months before (not yet due); the
    area's service's waiting list in the year's second quarter."""
    for months in (14, 3):
        f.EHCPlanFactory(
            child=f.ChildFactory(local_authority=area.local_authority),
            issued_on=YEAR.end - datetime.timedelta(days=months * 30),
        )
    f.ServiceWaitFactory(service=area.service, financial_year=FY, quarter=2, waiting=40)
    client = client_for(area.officer)
    exact = client.get(URL, {**Q, "figures": "exact"}).content.decode()
    reviews = table(exact, "review_clock")
    assert re.search(r"With an EHC plan recorded.*?>2<", reviews, re.S)
    assert re.search(r"Review overdue.*?>1<", reviews, re.S)
    assert area.service.name in table(exact, "waits_waiting")
    assert 'id="plan-audits"' in exact and 'id="table-plan_audits"' in exact
    shared = client.get(URL, Q).content.decode()
    assert re.search(r"Review overdue.*?>\*<", table(shared, "review_clock"), re.S)
