"""The EHC casework screens. Who may use each EHC screen, and what each list shows."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ehc.models import (
    PersonalHealthBudget,
)
from tests import factories as f
from tests.access import assert_access
from tests.ehc.helpers import case_in, login

pytestmark = pytest.mark.django_db


# --- Who may use each screen ------------------------------------------------------------------


def test_worklist_access(area, other_area):
    assert_access(
        reverse("ehc:request_list"),
        allowed=[area.administrator, area.officer, area.practitioner, area.la_officer],
        denied=[area.commissioner],
    )


def test_request_detail_access(area, other_area, case):
    _, request, _ = case
    assert_access(
        request.get_absolute_url(),
        allowed=[area.administrator, area.officer, area.practitioner, area.la_officer],
        denied=[area.commissioner],
        other_area=[other_area.officer, other_area.practitioner, other_area.la_officer],
    )


@pytest.mark.parametrize(
    "name", ["request_edit", "contribution_add"], ids=["edit request", "ask another service"]
)
def test_request_management_access(area, other_area, case, name):
    _, request, _ = case
    assert_access(
        reverse(f"ehc:{name}", args=[request.pk]),
        allowed=[area.administrator, area.officer],
        denied=[area.commissioner, area.practitioner, area.la_officer],
        other_area=[other_area.officer],
    )


def test_return_and_advice_access(area, other_area, case):
    _, _, contribution = case
    for name in ("contribution_return", "advice_edit"):
        assert_access(
            reverse(f"ehc:{name}", args=[contribution.pk]),
            allowed=[area.administrator, area.officer, area.practitioner],
            denied=[area.commissioner, area.la_officer],
            other_area=[other_area.officer, other_area.practitioner],
        )


def test_practitioner_cannot_record_for_another_service_in_their_area(client, area, case):
    _, request, _ = case
    elsewhere = f.ServiceFactory()
    elsewhere.local_authorities.set([area.local_authority])
    foreign = f.ContributionFactory(request=request, service=elsewhere)
    login(client, area.practitioner)
    assert client.get(reverse("ehc:contribution_return", args=[foreign.pk])).status_code == 404
    # They can still see the request through their own service's contribution.
    assert client.get(request.get_absolute_url()).status_code == 200


def test_exception_access(area, other_area, case):
    _, _, contribution = case
    assert_access(
        reverse("ehc:contribution_exception", args=[contribution.pk]),
        allowed=[area.administrator, area.officer],
        denied=[area.commissioner, area.practitioner, area.la_officer],
        other_area=[other_area.officer],
    )


def test_review_access(area, other_area, case):
    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    assert_access(
        reverse("ehc:review_edit", args=[advice.pk]),
        allowed=[area.administrator, area.officer],
        denied=[area.commissioner, area.practitioner, area.la_officer],
        other_area=[other_area.officer],
    )


def test_audit_sample_access(area):
    assert_access(
        reverse("ehc:audit_sample"),
        allowed=[area.administrator, area.officer],
        denied=[area.commissioner, area.practitioner, area.la_officer],
    )


def test_child_pages_access(area, other_area, case):
    child, _, _ = case
    assert_access(
        reverse("ehc:child_list"),
        allowed=[area.administrator, area.officer, area.practitioner, area.la_officer],
        denied=[area.commissioner],
    )
    assert_access(
        child.get_absolute_url(),
        allowed=[area.administrator, area.officer, area.practitioner, area.la_officer],
        denied=[area.commissioner],
        other_area=[other_area.officer, other_area.practitioner, other_area.la_officer],
    )
    assert_access(
        reverse("ehc:child_create"),
        allowed=[area.administrator, area.officer, area.la_officer],
        denied=[area.commissioner, area.practitioner],
    )
    for url in (
        reverse("ehc:child_edit", args=[child.pk]),
        reverse("ehc:request_create", args=[child.pk]),
    ):
        assert_access(
            url,
            allowed=[area.administrator, area.officer, area.la_officer],
            denied=[area.commissioner, area.practitioner],
            other_area=[other_area.officer, other_area.la_officer],
        )


@pytest.mark.parametrize(
    "kind", ["section-23", "reviews", "mediation", "tribunal", "health-budgets"]
)
def test_child_record_access(area, other_area, case, kind):
    child, _, _ = case
    assert_access(
        reverse("ehc:child_record_create", args=[child.pk, kind]),
        allowed=[area.administrator, area.officer],
        denied=[area.commissioner, area.practitioner, area.la_officer],
        other_area=[other_area.officer],
    )


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


# --- Scope of lists ---------------------------------------------------------------


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
