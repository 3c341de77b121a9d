"""The plan pages through the test client: recording once, errors beside
their fields, the stale edit, the audit's suggested answers, the list's
filters, sorting, download and query counts, the sample and the child's
page (docs/plans.md)."""

from __future__ import annotations

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ehc.models import AccessEvent, EHCPlan, PlanAudit, PlanProvision
from tests import factories as f
from tests.access import date_data

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def officer_client(client, area):
    client.force_login(area.officer)
    return client


def token_of(client, url: str) -> str:
    return client.get(url).context["form"]["submission"].value()


def plan_in(area, **fields) -> EHCPlan:
    child = f.ChildFactory(local_authority=area.local_authority)
    return f.EHCPlanFactory(child=child, **fields)


def test_recording_a_plan_twice_with_one_form_saves_once_with_its_advice(officer_client, case):
    child, request, _ = case
    url = reverse("ehc:plan_create", args=[child.pk])
    data = {
        "kind": "final",
        **date_data("issued_on", "2026-10-20"),
        "la_reference": "EHCP-9",
        "informed_by": [str(request.pk)],
        "submission": token_of(officer_client, url),
    }
    first = officer_client.post(url, data)
    second = officer_client.post(url, data)
    plan = EHCPlan.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == plan.get_absolute_url()
    assert list(plan.informed_by.all()) == [request]
    page = officer_client.get(plan.get_absolute_url()).content.decode()
    assert "EHCP-9" in page and request.reference in page and "Not audited yet" in page


def test_a_bad_plan_form_says_what_is_wrong_beside_each_field(officer_client, case, area):
    child, request, _ = case
    other = f.HealthAdviceRequestFactory(child=f.ChildFactory(local_authority=area.local_authority))
    url = reverse("ehc:plan_create", args=[child.pk])
    response = officer_client.post(url, {"informed_by": [str(other.pk)]})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose whether it is a final or amended plan" in page
    assert "Enter the date the plan was issued" in page
    assert "Choose requests about this child from the list" in page
    # Advice asked for after the plan was issued cannot have informed it.
    response = officer_client.post(
        url, {"kind": "final", **date_data("issued_on", "2026-08-01"), "informed_by": [request.pk]}
    )
    assert response.status_code == 400
    assert "was received after the plan was issued" in response.content.decode()
    assert not EHCPlan.objects.exists()


def test_a_stale_plan_edit_is_refused(officer_client, area):
    plan = plan_in(area)
    url = reverse("ehc:plan_edit", args=[plan.pk])
    data = {"kind": "final", **date_data("issued_on", "2026-10-20"), "version": "1"}
    assert officer_client.post(url, data | {"la_reference": "A"}).status_code == 302
    response = officer_client.post(url, data | {"la_reference": "B"})
    assert response.status_code == 400
    assert "Someone else saved changes" in response.content.decode()
    plan.refresh_from_db()
    assert plan.la_reference == "A"


def test_a_new_audit_starts_from_the_section_g_rows_and_saves_a_rating(officer_client, area):
    plan = plan_in(area)
    f.PlanProvisionFactory(plan=plan, specific=True, quantified=False)
    url = reverse("ehc:plan_audit", args=[plan.pk])
    form = officer_client.get(url).context["form"]
    assert form["provision_specific"].value() == "yes"
    assert form["provision_quantified"].value() == "no"
    assert form["needs_in_c"].value() is None  # the officer's own judgement
    answers = dict.fromkeys(
        ["needs_in_c", "provision_specific", "provider_named", "outcomes_smart"], "yes"
    ) | {
        "provision_quantified": "no",
        "therapy_in_f": "na",
        "child_views": "partly",
        "needs_have_provision": "yes",
    }
    missing = officer_client.post(url, {**date_data("audited_on", "2026-11-02")})
    assert missing.status_code == 400
    assert "Answer: every health need in the health advice appears in section C" in (
        missing.content.decode()
    )
    data = {
        **date_data("audited_on", "2026-11-02"),
        **answers,
        "submission": token_of(officer_client, url),
    }
    response = officer_client.post(url, data)
    again = officer_client.post(url, data)  # a double click: the first audit, no error
    assert response.status_code == again.status_code == 302
    assert again["Location"] == plan.get_absolute_url()
    audit = PlanAudit.objects.get()
    assert (audit.score, audit.rating) == (79, "amber")  # 11 of 14 points
    page = officer_client.get(plan.get_absolute_url()).content.decode()
    assert "79% of the points possible" in page


def test_provision_waiting_needs_its_date_and_is_shown_on_the_plan(officer_client, area):
    plan = plan_in(area)
    url = reverse("ehc:provision_create", args=[plan.pk])
    data = {
        "description": "Gastrostomy care by trained staff",
        "service": str(area.service.pk),
        "status": "waiting",
        **date_data("checked_on", "2026-11-02"),
    }
    response = officer_client.post(url, data)
    assert response.status_code == 400
    assert "Give the date the wait started" in response.content.decode()
    data |= date_data("waiting_since", "2026-09-01") | {"submission": token_of(officer_client, url)}
    assert officer_client.post(url, data).status_code == 302
    row = PlanProvision.objects.get()
    assert (row.status, row.waiting_since) == ("waiting", D(2026, 9, 1))
    page = officer_client.get(plan.get_absolute_url()).content.decode()
    assert "Waiting</strong> since 1 Sep 2026" in page


def test_the_list_filters_sorts_and_reads_a_fixed_number_of_queries(
    officer_client, area, django_assert_max_num_queries
):
    audited = plan_in(area, issued_on=D(2026, 6, 1))
    PlanAudit.objects.create(
        plan=audited, auditor=area.officer, audited_on=D(2026, 7, 1), needs_in_c="no"
    )
    waiting = plan_in(area, issued_on=D(2026, 8, 1))
    f.PlanProvisionFactory(plan=waiting, status="waiting", waiting_since=D(2026, 9, 1))
    url = reverse("ehc:plan_list")
    plans = officer_client.get(url).context["plans"]
    assert plans == [waiting, audited]  # newest first
    assert plans[0].gap_count == 1 and plans[0].provision_count == 1
    assert officer_client.get(url, {"sort": "issued"}).context["plans"] == [audited, waiting]
    assert officer_client.get(url, {"audit": "red"}).context["plans"] == [audited]
    assert officer_client.get(url, {"audit": "none"}).context["plans"] == [waiting]
    assert officer_client.get(url, {"gaps": "any"}).context["plans"] == [waiting]
    assert officer_client.get(url, {"q": audited.reference}).context["plans"] == [audited]
    bad = officer_client.get(url, {"audit": "purple"})
    assert bad.status_code == 400
    assert "Choose an option from the list" in bad.content.decode()
    event = AccessEvent.objects.filter(page="EHC plans").latest("pk")
    assert set(event.children.values_list("pk", flat=True)) <= {
        audited.child_id,
        waiting.child_id,
    }
    with django_assert_max_num_queries(20) as few:
        officer_client.get(url)
    for _ in range(8):
        plan = plan_in(area)
        f.PlanProvisionFactory(plan=plan)
        PlanAudit.objects.create(
            plan=plan, auditor=area.officer, audited_on=D(2026, 11, 1), needs_in_c="yes"
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        officer_client.get(url)


def test_the_download_holds_the_scoped_rows_with_their_advice(
    officer_client, area, other_area, case
):
    child, request, _ = case
    mine = f.EHCPlanFactory(child=child, la_reference="MINE-1")
    mine.informed_by.add(request)
    plan_in(other_area, la_reference="THEIRS-1")
    book = load_workbook(
        io.BytesIO(officer_client.get(reverse("ehc:plan_download", args=["xlsx"])).content)
    )
    rows = list(book.active.values)
    assert rows[0][:2] == ("Plan", "LA plan reference")
    assert [row[1] for row in rows[1:]] == ["MINE-1"]
    assert rows[1][8] == request.reference
    assert rows[1][11] == "Not audited"
    csv = officer_client.get(reverse("ehc:plan_download", args=["csv"])).content.decode()
    assert "MINE-1" in csv and "THEIRS-1" not in csv
    assert officer_client.get(reverse("ehc:plan_download", args=["pdf"])).status_code == 404


def test_the_sample_is_the_same_whoever_draws_it(client, area):
    for day in range(1, 21):
        plan_in(area, issued_on=D(2026, 9, day))
    colleague = f.DesignatedOfficerFactory(local_authorities=[area.local_authority])
    query = "?start_0=1&start_1=9&start_2=2026&end_0=30&end_1=9&end_2=2026&size=5"
    drawn = []
    for user in (area.officer, colleague):
        client.force_login(user)
        drawn.append(client.get(reverse("ehc:plan_sample") + query).context["sample"])
    assert len(drawn[0]) == 5 and drawn[0] == drawn[1]
    assert all(p.issued_on.month == 9 for p in drawn[0])


def test_the_childs_page_lists_plans_for_officers_only(officer_client, client, area, case):
    child, _, _ = case
    plan = f.EHCPlanFactory(child=child)
    # The plan's link and its reference as a link's words: a bare "P1"
    # could be part of the page's random CSRF token.
    shown = f'href="{plan.get_absolute_url()}">{plan.reference}</a>'
    page = officer_client.get(child.get_absolute_url()).content.decode()
    assert shown in page and reverse("ehc:plan_create", args=[child.pk]) in page
    client.force_login(area.la_officer)
    page = client.get(child.get_absolute_url()).content.decode()
    assert plan.get_absolute_url() not in page and f">{plan.reference}<" not in page


def test_removing_a_row_asks_first_and_keeps_a_changed_one(officer_client, area):
    plan = plan_in(area)
    row = f.PlanProvisionFactory(plan=plan)
    url = reverse("ehc:provision_remove", args=[row.pk])
    page = officer_client.get(url)
    assert page.status_code == 200 and row.description in page.content.decode()
    assert (
        reverse("ehc:provision_remove", args=[row.pk])
        in officer_client.get(reverse("ehc:provision_edit", args=[row.pk])).content.decode()
    )
    edit = reverse("ehc:provision_edit", args=[row.pk])
    assert f'action="{edit}"' in page.content.decode()
    PlanProvision.objects.filter(pk=row.pk).update(version=2)  # changed since
    stale = officer_client.post(edit, {"version": "1", "remove": "yes"}, follow=True)
    assert "Nothing has been removed" in stale.content.decode()
    assert PlanProvision.objects.exists()
    # Another area's officer cannot remove it.
    officer_client.force_login(f.DesignatedOfficerFactory())
    assert officer_client.post(edit, {"version": "2", "remove": "yes"}).status_code == 404
    officer_client.force_login(area.officer)
    removed = officer_client.post(edit, {"version": "2", "remove": "yes"})
    assert removed.status_code == 302 and removed["Location"].endswith("#provision")
    assert not PlanProvision.objects.exists()


def test_a_plans_page_and_its_audit_read_a_fixed_number_of_queries(
    officer_client, area, case, django_assert_max_num_queries
):
    child, request, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    f.ProvisionItemFactory(advice=advice)
    plan = f.EHCPlanFactory(child=child)
    plan.informed_by.add(request)
    f.PlanProvisionFactory(plan=plan, service=area.service)
    pages = [plan.get_absolute_url(), reverse("ehc:plan_audit", args=[plan.pk])]
    counts = []
    for url in pages:
        with django_assert_max_num_queries(25) as few:
            assert officer_client.get(url).status_code == 200
        counts.append(len(few.captured_queries))
    for _ in range(5):
        f.PlanProvisionFactory(plan=plan, service=area.service)
        other = f.HealthAdviceRequestFactory(child=child)
        plan.informed_by.add(other)
        more = f.AdviceFactory(
            contribution=f.ContributionFactory(request=other, service=area.service)
        )
        f.ProvisionItemFactory(advice=more)
    for url, count in zip(pages, counts, strict=True):
        with django_assert_max_num_queries(count):
            officer_client.get(url)
