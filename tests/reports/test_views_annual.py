"""The annual report: access, content of the web page and the PDF,
suppression for commissioners, the stored PDF and its key, the worker path.

The data is built by hand for the last complete financial year (the one the
selection opens on), so the figures can be worked out on paper:

- 12 requests received in April and May, one contribution each from the
  area's service: 9 returned after 20 days (on time), 3 after 50 (late);
  12 of 86,000 children and young people is 1.4 per 10,000.
  A commissioner sees 10 requests, 10 of 10 on time (100.0%), 1.2 per 10,000.
- 5 quality reviews of that service (2 green, 3 red) and one item of
  provision recommended but unavailable.
- One DCO post (4 PAs a week) covering the area, with 2 training sessions
  (30 and 15 attendees), a board and 7.5 CPD points in the year.
"""

from __future__ import annotations

import datetime
import io
import re
import time
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from core import dispatch, periods
from ehc import models as ehc
from ehc.quality import QUALITY_CRITERIA
from reports import data_versions, services
from reports.models import AnnualReportFile, FileStatus
from roles import services as role_services
from roles.models import BoardKind, Membership, TrainingSession
from tests import factories as f
from tests.access import assert_access, get_as

URL = "/reports/annual/"
PDF = "/reports/annual/report.pdf"
D = datetime.date

FY = periods.financial_year_of(timezone.localdate()) - 1
YEAR = periods.financial_year(FY)
Q = f"?period={FY}"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def in_process_unless_told(settings, monkeypatch):
    """Render in the request unless a test chooses the worker path, so the
    results do not depend on whether this run has REDIS_URL set.

    A request runs outside any transaction (no ATOMIC_REQUESTS), so work
    core.dispatch starts "after commit" starts at once; the test's own
    transaction never commits, so start it at once here too."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(transaction, "on_commit", lambda func, using=None, robust=False: func())


def day(month: int, dom: int) -> datetime.date:
    """A day in the report's financial year (January to March fall in FY + 1)."""
    return D(FY if month >= 4 else FY + 1, month, dom)


def text_of(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() or "" for page in reader.pages).split())


def add_request(area, received, *, returned_after=20, family_name="Secretname"):
    child = f.ChildFactory(local_authority=area.local_authority, family_name=family_name)
    request = f.HealthAdviceRequestFactory(child=child, sent_on=received, received_on=received)
    return f.ContributionFactory(
        request=request,
        service=area.service,
        returned_on=received + datetime.timedelta(days=returned_after),
        outcome=ehc.Outcome.ADVICE_GIVEN,
    )


@pytest.fixture
def year_data(db, area, other_area):
    contributions = [
        add_request(
            area, day(4, 1) + datetime.timedelta(days=i), returned_after=20 if i < 9 else 50
        )
        for i in range(12)
    ]
    names = [name for name, _, _ in QUALITY_CRITERIA]
    for i, contribution in enumerate(contributions[:5]):
        advice = f.AdviceFactory(contribution=contribution, written_on=contribution.returned_on)
        met = 9 if i < 2 else 3
        f.QualityReviewFactory(
            advice=advice,
            reviewer=area.officer,
            reviewed_on=contribution.returned_on + datetime.timedelta(days=3),
            **{n: True for n in names[:met]},
        )
        if i == 4:
            f.ProvisionItemFactory(advice=advice, available=False)
    child = contributions[0].request.child
    ehc.Section23Notice.objects.create(
        child=child,
        provider=area.provider,
        professional_name="Health visitor",
        parent_told_on=day(6, 1),
    )
    ehc.MediationCase.objects.create(
        child=child, requested_on=day(7, 1), health_only=True, health_issues="Therapy."
    )
    ehc.TribunalCase.objects.create(
        child=child, registered_on=day(8, 1), health_issues="Hours.", recommendations="Fund it."
    )
    post = f.PostFactory(
        title="Designated clinical officer for the borough",
        pas_per_week=Decimal("4"),
        holder=area.officer,
        local_authorities=[area.local_authority],
        commissioning_bodies=[area.body],
    )
    TrainingSession.objects.create(
        post=post, title="EHC advice", audience="GPs", delivered_on=day(5, 1), attendees=30
    )
    TrainingSession.objects.create(
        post=post,
        title="SMART outcomes",
        audience="Therapists",
        delivered_on=day(9, 1),
        attendees=15,
    )
    TrainingSession.objects.create(  # the year before: not counted
        post=post,
        title="Old",
        audience="GPs",
        delivered_on=YEAR.start - datetime.timedelta(days=1),
        attendees=99,
    )
    Membership.objects.create(post=post, kind=BoardKind.SEND_PARTNERSHIP, name="SEND board")
    role_services.add_cpd(
        post=post, by=area.officer, activity="Course", completed_on=day(6, 1), points=Decimal("5")
    )
    role_services.add_cpd(
        post=post,
        by=area.officer,
        activity="Reading",
        completed_on=day(7, 1),
        points=Decimal("2.5"),
    )
    # Another area's casework, never counted here.
    add_request(other_area, day(4, 2))
    return {"post": post, "contributions": contributions}


# --- Access and input -------------------------------------------------------------------


@pytest.mark.parametrize("url", [URL, PDF])
def test_access_four_ways(area, other_area, url):
    assert_access(
        url + Q,
        allowed=[area.officer, area.commissioner, area.administrator],
        denied=[area.practitioner, area.la_officer],
    )
    assert_access(
        f"{url}{Q}&local_authority={area.local_authority.pk}",
        allowed=[area.officer],
        denied=[],
        other_area=[other_area.officer, other_area.commissioner],
        other_area_status=400,
    )


@pytest.mark.parametrize("url", [URL, PDF])
@pytest.mark.parametrize(
    ("query", "message"),
    [
        (f"?period={FY}-q1", "Choose an option from the list"),  # quarters are not offered
        ("?period=1999", "Choose an option from the list"),
        ("?period=%00", "Choose an option from the list"),
        ("?provider=banana", "Choose an option from the list"),
        ("?local_authority=99999999999", "Choose an option from the list"),
    ],
)
def test_bad_input_gets_the_page_with_a_message(area, url, query, message):
    response = get_as(area.officer, url + query)
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert "There is a problem" in html


def test_custom_dates_are_not_offered_and_are_ignored(area, year_data):
    response = get_as(area.officer, f"{URL}?date_from=2020-01-01&date_to=banana")
    assert response.status_code == 200
    assert response.context["annual"].period == YEAR


# --- The web page -----------------------------------------------------------------------


def test_web_page_has_every_section_and_the_officers_figures(area, year_data):
    response = get_as(area.officer, URL + Q)
    assert response.status_code == 200
    html = response.content.decode()
    for title in (
        "Contents",
        "Activity in the year",
        "Demand",
        "Timeliness",
        "Quality of advice",
        "Service gaps",
        "Designated officer resourcing",
        "Designated officers&#x27; work in the year",
        "Section 23, mediation and tribunal",
    ):
        assert title in html, title
    assert "Health received 12 requests for advice" in html
    assert "75.0% of contributions due were returned within 6 weeks" in html
    assert "1.4 for every 10,000" in html
    assert "Designated clinical officer for the borough" in html
    assert f"{PDF}?period={FY}" in html
    assert "Secretname" not in html
    assert "/ehc/requests/" in html  # officers can open the requests behind a count


def test_commissioner_sees_suppressed_figures_and_no_drill_down(area, year_data):
    html = get_as(area.commissioner, URL + Q).content.decode()
    assert "Health received 10 requests for advice" in html
    # 9 of 12 (75.0%) rounds to 10 of 10: too few to give a share, and
    # never "100.0%" (the precision rule of issue 14).
    assert "Too few contributions fell due to show the share" in html
    assert "100.0%" not in html
    assert "1.2 for every 10,000" in html
    assert "Small numbers are hidden" in html
    assert "in whole numbers from 400" in html  # each page says how precise it is
    assert "/ehc/requests/" not in html
    assert "Secretname" not in html
    # Officers' activity is about staff, not children: exact for everyone.
    assert "2 training sessions to 45 people" in html


def test_a_complete_year_shows_the_previous_year_once(area, year_data):
    annual = get_as(area.officer, URL + Q).context["annual"]
    indicators = next(
        b.item
        for s in annual.sections
        for b in s.blocks
        if b.kind == "table" and b.item.key == "indicators"
    )
    assert indicators.head == [
        "Indicator",
        f"{YEAR.label} (this year)",
        f"{YEAR.previous().label} (previous year)",
    ]
    assert all(len(row.cells) == 2 for row in indicators.rows)


def test_the_year_in_progress_runs_to_today(area, year_data):
    today = timezone.localdate()
    current = periods.financial_year(FY + 1)
    annual = get_as(area.officer, f"{URL}?period={FY + 1}").context["annual"]
    assert annual.in_progress and annual.as_of == today
    assert len(annual.report.quarters) == periods.quarter_of(today)
    demand = next(s for s in annual.sections if s.key == "demand")
    table = next(b.item for b in demand.blocks if b.kind == "table")
    assert len(table.head) == 4  # this year so far, the whole of last year, same dates
    assert table.head[1].startswith(f"{current.label} to ")


def test_service_gaps_name_the_weakest_services(area, year_data):
    annual = get_as(area.officer, URL + Q).context["annual"]
    gaps = next(s for s in annual.sections if s.key == "service-gaps")
    tables = {b.item.key: b.item for b in gaps.blocks if b.kind == "table"}
    assert [r.label for r in tables["gaps_timeliness"].rows] == [
        f"{area.service.name} ({area.provider.name})"
    ]
    # Five reviews: fewer than 8, so the service is not ranked on quality
    # (a ranking would tell a commissioner more than "*" does).
    assert tables["gaps_quality"].rows == []
    assert [c.text for c in tables["gaps_unavailable"].rows[0].cells] == ["1"]


def test_resourcing_and_activity_for_a_body(area, year_data):
    annual = get_as(area.commissioner, URL + Q).context["annual"]
    resourcing = next(s for s in annual.sections if s.key == "resourcing")
    facts = dict(next(b.item for b in resourcing.blocks if b.kind == "facts"))
    assert facts["Delivery model"] == "DCO only"
    assert facts["DCO time"] == "4 PAs (2 days) a week"
    assert facts["DCO time against the national survey"].startswith("In the '2 days' band")
    activity = next(s for s in annual.sections if s.key == "officer-activity")
    table = next(b.item for b in activity.blocks if b.kind == "table")
    assert [c.text for c in table.rows[0].cells] == ["DCO", "2", "45", "1", "7.5"]


def test_resourcing_for_one_local_authority(area, year_data):
    annual = get_as(area.officer, f"{URL}{Q}&local_authority={area.local_authority.pk}").context[
        "annual"
    ]
    resourcing = next(s for s in annual.sections if s.key == "resourcing")
    by_area = next(b.item for b in resourcing.blocks if b.kind == "table")
    assert [r.label for r in by_area.rows] == [area.local_authority.name]
    assert by_area.rows[0].cells[2].text == "2"  # DCO days a week


def test_an_officer_without_areas_sees_an_empty_report(area, year_data):
    lost = f.DesignatedOfficerFactory()
    response = get_as(lost, URL + Q)
    assert response.status_code == 200
    annual = response.context["annual"]
    assert annual.report.current.requests == 0
    assert "Designated clinical officer for the borough" not in response.content.decode()
    assert get_as(lost, PDF + Q)["Content-Type"] == "application/pdf"


def test_fixed_number_of_queries(area, year_data):
    client = Client()
    client.force_login(area.commissioner)
    with CaptureQueriesContext(connection) as small:
        assert client.get(URL + Q).status_code == 200
    for i in range(10):
        add_request(area, day(10, 1) + datetime.timedelta(days=i))
    post = f.PostFactory(role="dmo", local_authorities=[area.local_authority])
    TrainingSession.objects.create(
        post=post, title="More", audience="GPs", delivered_on=day(11, 1), attendees=5
    )
    Membership.objects.create(post=post, kind=BoardKind.PANEL, name="Panel")
    with CaptureQueriesContext(connection) as larger:
        assert client.get(URL + Q).status_code == 200
    assert len(small) == len(larger), [q["sql"][:120] for q in larger.captured_queries]


def test_advice_with_other_deadlines_is_shown_apart_on_the_page_and_in_the_pdf(area):
    """Two annual reviews, meetings 15 and 16 May (due 1 and 2 May): one
    returned 30 April (on time), one 6 May, 10 days before its meeting
    (late): 50.0%. One mediation received 1 June (due 13 July), returned 20
    June: 100.0%. None of it is in the 6-week rate."""

    def one(received, returned, process, meeting_on=None):
        child = f.ChildFactory(local_authority=area.local_authority)
        review = meeting_on and ehc.ReviewInput.objects.create(child=child, meeting_on=meeting_on)
        request = f.HealthAdviceRequestFactory(
            child=child, sent_on=received, received_on=received, process=process, review=review
        )
        f.ContributionFactory(
            request=request,
            service=area.service,
            returned_on=returned,
            outcome=ehc.Outcome.ADVICE_GIVEN,
            late_reason=ehc.LateReason.STAFFING if returned > request.due_on else "",
        )

    one(day(4, 1), day(4, 30), ehc.Process.ANNUAL_REVIEW, day(5, 15))
    one(day(4, 2), day(5, 6), ehc.Process.ANNUAL_REVIEW, day(5, 16))
    one(day(6, 1), day(6, 20), ehc.Process.MEDIATION)
    response = get_as(area.officer, URL + Q)
    timeliness = next(s for s in response.context["annual"].sections if s.key == "timeliness")
    table = next(
        b.item for b in timeliness.blocks if b.kind == "table" and b.item.key == "other_deadlines"
    )
    assert table.head[1:] == [
        "Contributions due and decided",
        "Of which meeting date not recorded",
        "Not returned: request withdrawn",
        f"On time, {YEAR.label} (this year)",
        f"On time, {YEAR.previous().label} (previous year)",
    ]
    html = response.content.decode()
    other = html.split('id="table-other_deadlines"', 1)[1].split("</table>", 1)[0]
    for label, cells in (
        ("Annual reviews: returned at least 2 weeks before the review meeting", "2 0 0 50.0% –"),
        ("Mediation: returned by the date asked", "1 – 0 100.0% –"),
    ):
        row = other.split(label, 1)[1].split("</tr>", 1)[0]
        assert " ".join(c.strip() for c in re.findall(r"<td[^>]*>([^<]*)</td>", row)) == cells
    assert "Returned within 6 weeks (all)" in html
    text = text_of(get_as(area.officer, PDF + Q).content)
    assert "Advice with other deadlines: returned by its own due date" in text
    assert "no statutory limit for health advice" in text


# --- The PDF ----------------------------------------------------------------------------


def test_pdf_has_the_sections_figures_and_metadata(area, year_data):
    response = get_as(area.officer, f"{PDF}{Q}&commissioning_body={area.body.pk}")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert reader.metadata.title == (
        f"Health and SEND annual report: {area.body.name}, {YEAR.label}"
    )
    assert reader.metadata.author == "SEND health portal"
    assert reader.metadata.subject.startswith("Annual report to the SEND governance board")
    first = reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (595, 842)
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "en-GB"
    assert "/StructTreeRoot" in catalog
    text = text_of(response.content)
    for title in (
        "Service gaps",
        "Demand",
        "Designated officer resourcing",
        "Section 23, mediation and tribunal",
    ):
        assert title in text, title
    assert "Health received 12 requests for advice" in text
    assert "75.0% of contributions due were returned within 6 weeks" in text
    assert "Designated clinical officer for the borough" in text
    assert "2 training sessions to 45 people" in text
    assert f"Page 2 of {len(reader.pages)}" in text
    # The contents give each section's page: "7. Service gaps ........ 9".
    assert any(f"Service gaps{dots}" in text for dots in (".", " .")), (
        "contents page has no leader to a page number"
    )
    assert "Secretname" not in text


def test_commissioner_pdf_is_suppressed(area, year_data):
    response = get_as(area.commissioner, PDF + Q)
    text = text_of(response.content)
    assert "Health received 10 requests for advice" in text
    assert "Small numbers are hidden" in text
    assert "Secretname" not in text
    assert "12 requests" not in text


# --- The stored PDF ---------------------------------------------------------------------


@pytest.fixture
def renders(monkeypatch):
    """Count the PDF renders."""
    calls = []
    real = services.render

    def counting(annual):
        calls.append(annual)
        return real(annual)

    monkeypatch.setattr(services, "render", counting)
    return calls


def test_the_second_request_reuses_the_stored_pdf(area, year_data, renders):
    first = get_as(area.officer, PDF + Q)
    row = AnnualReportFile.objects.get()
    assert row.status == FileStatus.READY and row.requested_by == area.officer
    assert row.render_seconds > 0
    # Another officer of the same area, same selection: same scope, same file.
    colleague = f.DesignatedOfficerFactory(local_authorities=[area.local_authority])
    second = get_as(colleague, PDF + Q)
    assert second.content == first.content
    assert len(renders) == 1
    again = AnnualReportFile.objects.get()
    assert (again.pk, again.finished_at) == (row.pk, row.finished_at)
    assert second["Content-Disposition"] == (
        f'inline; filename="annual-report-{FY}-{(FY + 1) % 100:02d}-your-areas.pdf"'
    )


def test_commissioner_and_officer_get_separate_files(area, year_data, renders):
    get_as(area.officer, f"{PDF}{Q}&commissioning_body={area.body.pk}")
    get_as(area.commissioner, PDF + Q)
    assert AnnualReportFile.objects.count() == 2
    assert sorted(r["params"]["exact"] for r in AnnualReportFile.objects.values("params")) == [
        False,
        True,
    ]
    assert len(renders) == 2


def test_new_data_makes_a_new_key_and_replaces_the_old_file(area, year_data, renders):
    get_as(area.commissioner, PDF + Q)
    old = AnnualReportFile.objects.get()
    add_request(area, day(12, 1))
    get_as(area.commissioner, PDF + Q)
    new = AnnualReportFile.objects.get()  # the old version is gone
    assert new.key != old.key and new.slot == old.slot
    assert len(renders) == 2


@pytest.mark.parametrize(
    "change",
    [
        "edit_request",
        "add_training",
        "edit_training",
        "delete_membership",
        "edit_provision",
    ],
)
def test_every_kind_of_change_changes_the_fingerprint(area, year_data, change):
    before = data_versions.fingerprint()
    post = year_data["post"]
    if change == "edit_request":
        request = year_data["contributions"][0].request
        request.save()  # updated_at moves on
    elif change == "add_training":
        role_services.add_training(
            post=post,
            by=area.officer,
            title="New",
            audience="GPs",
            delivered_on=day(6, 2),
            attendees=3,
        )
    elif change == "edit_training":
        session = TrainingSession.objects.filter(post=post).first()
        session.delivered_on = session.delivered_on - datetime.timedelta(days=400)
        session.save()  # same count, same sum: the audit log tells
    elif change == "delete_membership":
        Membership.objects.filter(post=post).delete()
    elif change == "edit_provision":
        item = ehc.ProvisionItem.objects.get()
        item.available = True
        item.save()
    assert data_versions.fingerprint() != before


def test_fingerprint_is_one_query(area, year_data):
    with CaptureQueriesContext(connection) as queries:
        data_versions.fingerprint()
    assert len(queries) == 1


def test_a_failed_build_offers_to_try_again(area, year_data, monkeypatch):
    real = services.render

    def broken(annual):
        raise RuntimeError("WeasyPrint fell over")

    monkeypatch.setattr(services, "render", broken)
    client = Client()
    client.force_login(area.commissioner)
    response = client.get(PDF + Q)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your report could not be prepared" in html and "Try again" in html
    assert "WeasyPrint" not in html
    assert AnnualReportFile.objects.get().status == FileStatus.FAILED

    monkeypatch.setattr(services, "render", real)
    client = Client(enforce_csrf_checks=True)
    client.force_login(area.commissioner)
    page = client.get(PDF + Q)
    token = page.cookies["csrftoken"].value
    retried = client.post(PDF + Q, {"csrfmiddlewaretoken": token})
    assert retried.status_code == 303 and retried["Location"] == PDF + Q
    assert client.get(PDF + Q)["Content-Type"] == "application/pdf"
    assert AnnualReportFile.objects.get().status == FileStatus.READY


def test_try_again_does_nothing_to_a_ready_file(area, year_data, renders):
    client = Client()
    client.force_login(area.officer)
    client.get(PDF + Q)
    finished = AnnualReportFile.objects.get().finished_at
    assert client.post(PDF + Q).status_code == 303
    assert AnnualReportFile.objects.get().finished_at == finished
    assert len(renders) == 1


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Call with the on-commit callbacks run (a test's transaction never
    commits, and the build is queued on commit)."""

    def call(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return call


def test_with_a_worker_the_page_says_it_is_being_prepared(
    area, year_data, settings, monkeypatch, committed
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(dispatch, "send_task", lambda name, args, kw: queued.append(kw["file_id"]))
    response = committed(get_as, area.commissioner, PDF + Q)
    assert response.status_code == 202
    html = response.content.decode()
    assert "Your report is being prepared" in html
    assert f'href="{PDF}{Q}"' in html and "Check again" in html
    assert "http-equiv" not in html  # no automatic refresh
    row = AnnualReportFile.objects.get()
    assert queued == [row.pk] and row.status == FileStatus.PENDING

    # Checking again does not queue a second build.
    assert committed(get_as, area.commissioner, PDF + Q).status_code == 202
    assert queued == [row.pk]

    # The worker does its job; the next check gets the PDF.
    assert services.build_file(file_id=row.pk) == "ready"
    assert services.build_file(file_id=row.pk) == "skipped"  # a duplicate message
    assert committed(get_as, area.commissioner, PDF + Q)["Content-Type"] == "application/pdf"


def test_a_build_that_never_finishes_is_offered_again(
    area, year_data, settings, monkeypatch, committed
):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(dispatch, "send_task", lambda name, args, kw: queued.append(kw["file_id"]))
    committed(get_as, area.commissioner, PDF + Q)
    AnnualReportFile.objects.update(queued_at=timezone.now() - datetime.timedelta(hours=1))
    response = committed(get_as, area.commissioner, PDF + Q)
    assert "Your report could not be prepared" in response.content.decode()
    client = Client()
    client.force_login(area.commissioner)
    committed(client.post, PDF + Q)
    assert len(queued) == 2
    assert is_fresh(AnnualReportFile.objects.get())


def is_fresh(row) -> bool:
    return row.status == FileStatus.PENDING and not services.is_stale(row)


def test_a_broker_that_is_down_fails_the_build_not_the_page(
    area, year_data, settings, monkeypatch, committed
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def down(name, args, kwargs):
        raise ConnectionRefusedError("no Redis")

    monkeypatch.setattr(dispatch, "send_task", down)
    # Outside a test's transaction the queueing runs before the first
    # response is made; here it runs after it, so the second one tells.
    committed(get_as, area.commissioner, PDF + Q)
    response = get_as(area.commissioner, PDF + Q)
    assert response.status_code == 200
    assert "Your report could not be prepared" in response.content.decode()


def test_a_ready_file_needs_its_content(db):
    with pytest.raises(IntegrityError):
        AnnualReportFile.objects.create(
            key="k", slot="s", params={}, filename="x", status=FileStatus.READY
        )


# --- Through a real worker and the real Redis -------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_the_pdf_is_built_by_a_real_worker(area, year_data, celery_worker_on_redis):
    worker = celery_worker_on_redis
    client = Client()
    client.force_login(area.commissioner)
    waiting = client.get(PDF + Q)
    assert waiting.status_code == 202
    assert "Your report is being prepared" in waiting.content.decode()

    assert worker.wait_for(reports__build_annual_report=1, timeout=60), worker.finished
    ready = client.get(PDF + Q)
    assert ready.status_code == 200 and ready["Content-Type"] == "application/pdf"
    assert "Health received 10 requests for advice" in text_of(ready.content)
    row = AnnualReportFile.objects.get()
    assert row.status == FileStatus.READY and row.started_at and row.finished_at

    # Asking again serves the same file and queues nothing.
    assert client.get(PDF + Q).content == ready.content
    time.sleep(0.5)
    assert worker.count("reports.build_annual_report") == 1
