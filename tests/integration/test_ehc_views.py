"""The EHC casework screens: who may use each one, what they save and what
bad input they refuse."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from ehc import clock
from ehc.models import (
    Advice,
    Child,
    Contribution,
    HealthAdviceRequest,
    PersonalHealthBudget,
    QualityReview,
    RequestStatus,
    Section23Notice,
)
from tests import factories as f
from tests.access import assert_access

pytestmark = pytest.mark.django_db


def date_data(name: str, day: datetime.date | None) -> dict:
    """POST data for a GOV.UK date input."""
    if day is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(day.day), f"{name}_1": str(day.month), f"{name}_2": str(day.year)}


def case_in(area, **request_fields):
    """A child in the area with a request asking the area's service."""
    child = f.ChildFactory(local_authority=area.local_authority)
    request = f.HealthAdviceRequestFactory(child=child, **request_fields)
    contribution = f.ContributionFactory(request=request, service=area.service)
    return child, request, contribution


@pytest.fixture
def case(area):
    return case_in(area)


@pytest.fixture
def other_case(other_area):
    return case_in(other_area)


def login(client, user):
    client.force_login(user)
    return client


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


# --- Logging a request -------------------------------------------------------------------------


def child_post(area, **overrides):
    data = {
        "given_name": "Alex",
        "family_name": "Example",
        "nhs_number": "943 476 5919",
        "la_reference": "LA-1",
        "local_authority": area.local_authority.pk,
        "primary_need": "SLCN",
        **date_data("date_of_birth", datetime.date(2018, 3, 4)),
    }
    data.update(overrides)
    return data


def test_officer_adds_a_child_then_logs_a_request(client, area):
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area))
    child = Child.objects.get(family_name="Example")
    assert response.status_code == 302
    assert response["Location"] == reverse("ehc:request_create", args=[child.pk])
    assert child.nhs_number == "9434765919"
    assert child.created_by == area.officer

    received = datetime.date(2026, 10, 30)
    response = client.post(
        reverse("ehc:request_create", args=[child.pk]),
        {
            "process": "needs_assessment",
            "services": [area.service.pk],
            "owner": area.officer.pk,
            **date_data("sent_on", datetime.date(2026, 10, 28)),
            **date_data("received_on", received),
            **date_data("asked_on", None),
        },
    )
    request = HealthAdviceRequest.objects.get(child=child)
    assert response.status_code == 302
    assert request.due_on == clock.health_advice_due(received) == datetime.date(2026, 12, 11)
    contribution = request.contributions.get()
    assert contribution.service == area.service
    assert contribution.asked_on == received
    assert contribution.due_on == request.due_on
    assert request.status == RequestStatus.AWAITING


@pytest.mark.parametrize(
    "overrides, field, message",
    [
        ({"nhs_number": "943 476 5918"}, "nhs_number", "NHS number"),
        ({"given_name": ""}, "given_name", "Enter the first name"),
        (date_data("date_of_birth", datetime.date(1990, 1, 1)), "date_of_birth", "up to 25"),
        (
            {"date_of_birth_0": "31", "date_of_birth_1": "2", "date_of_birth_2": "2020"},
            "date_of_birth",
            "real date",
        ),
        (
            {"date_of_birth_0": "x", "date_of_birth_1": "y", "date_of_birth_2": "z"},
            "date_of_birth",
            "",
        ),
        (
            date_data("date_of_birth", datetime.date.today() + datetime.timedelta(days=3)),
            "date_of_birth",
            "future",
        ),
        ({"local_authority": "999999"}, "local_authority", "Choose a local authority"),
    ],
    ids=["nhs checksum", "no name", "over 25", "31 February", "letters", "future", "other LA"],
)
def test_child_form_refuses_bad_input(client, area, other_area, overrides, field, message):
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area, **overrides))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert field in errors
    assert message in " ".join(errors[field])
    assert not Child.objects.exists()


def test_child_form_refuses_another_areas_local_authority(client, area, other_area):
    login(client, area.officer)
    data = child_post(area, local_authority=other_area.local_authority.pk)
    assert client.post(reverse("ehc:child_create"), data).status_code == 400
    assert not Child.objects.exists()


def test_same_nhs_number_twice_in_one_la_is_refused(client, area):
    f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    login(client, area.officer)
    response = client.post(reverse("ehc:child_create"), child_post(area))
    assert response.status_code == 400
    assert Child.objects.count() == 1


def test_request_received_before_sent_is_refused(client, area, case):
    child, _, _ = case
    login(client, area.officer)
    response = client.post(
        reverse("ehc:request_create", args=[child.pk]),
        {
            "process": "needs_assessment",
            **date_data("sent_on", datetime.date(2026, 10, 28)),
            **date_data("received_on", datetime.date(2026, 10, 27)),
        },
    )
    assert response.status_code == 400
    assert "on or after the date the LA sent it" in response.content.decode()
    assert child.requests.count() == 1


def test_changing_receipt_moves_every_due_date(client, area, case):
    _, request, contribution = case
    login(client, area.officer)
    new_receipt = datetime.date(2026, 9, 10)
    response = client.post(
        reverse("ehc:request_edit", args=[request.pk]),
        {
            "version": request.version,
            "process": request.process,
            "state": "open",
            **date_data("sent_on", request.sent_on),
            **date_data("received_on", new_receipt),
        },
    )
    assert response.status_code == 302
    request.refresh_from_db()
    contribution.refresh_from_db()
    assert request.due_on == contribution.due_on == clock.health_advice_due(new_receipt)


def test_a_stale_edit_is_refused_and_nothing_is_lost(client, area, case):
    _, request, _ = case
    login(client, area.officer)
    opened_version = request.version
    data = {
        "version": opened_version,
        "process": request.process,
        "state": "open",
        "notes": "First person's note",
        **date_data("sent_on", request.sent_on),
        **date_data("received_on", request.received_on),
    }
    assert client.post(reverse("ehc:request_edit", args=[request.pk]), data).status_code == 302
    data["notes"] = "Second person's note, from the old copy"
    response = client.post(reverse("ehc:request_edit", args=[request.pk]), data)
    assert response.status_code == 400
    assert "Someone else saved changes" in response.content.decode()
    request.refresh_from_db()
    assert request.notes == "First person's note"


def test_closing_a_request_records_the_date(client, area, case):
    _, request, _ = case
    login(client, area.officer)
    client.post(
        reverse("ehc:request_edit", args=[request.pk]),
        {
            "version": request.version,
            "process": request.process,
            "state": "withdrawn",
            **date_data("sent_on", request.sent_on),
            **date_data("received_on", request.received_on),
        },
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.WITHDRAWN
    assert request.closed_on == datetime.date.today()


# --- Returns, exceptions, advice ------------------------------------------------------------


def test_practitioner_records_a_late_return_with_a_reason(client, area, case):
    _, request, contribution = case
    login(client, area.practitioner)
    late = contribution.due_on + datetime.timedelta(days=3)
    url = reverse("ehc:contribution_return", args=[contribution.pk])
    data = {
        "version": contribution.version,
        "outcome": "not_known",
        **date_data("returned_on", late),
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "late_reason" in response.context["form"].errors
    data["late_reason"] = "staffing"
    response = client.post(url, data)
    assert response.status_code == 302, response.context["form"].errors
    contribution.refresh_from_db()
    request.refresh_from_db()
    assert contribution.returned_on == late and contribution.is_late
    assert request.status == RequestStatus.RETURNED


def test_return_before_asked_is_refused(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    response = client.post(
        reverse("ehc:contribution_return", args=[contribution.pk]),
        {
            "version": contribution.version,
            "outcome": "not_known",
            **date_data("returned_on", contribution.asked_on - datetime.timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert "cannot be before the service was asked" in response.content.decode()
    contribution.refresh_from_db()
    assert contribution.returned_on is None


def test_exception_must_be_a_regulation_8_exception_with_evidence(client, area, case):
    _, _, contribution = case
    login(client, area.officer)
    url = reverse("ehc:contribution_exception", args=[contribution.pk])
    response = client.post(url, {"version": contribution.version, "exception": "holiday_season"})
    assert response.status_code == 400
    assert "exception" in response.context["form"].errors
    response = client.post(url, {"version": contribution.version, "exception": "absent_from_area"})
    assert response.status_code == 400
    assert "exception_evidence" in response.context["form"].errors
    response = client.post(
        url,
        {
            "version": contribution.version,
            "exception": "absent_from_area",
            "exception_evidence": "Away 5 weeks.",
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.exception == "absent_from_area"
    assert contribution.exception_recorded_by == area.officer


def advice_post(version=None, **overrides):
    data = {
        "version": version or "",
        "author_name": "Dr Jo Bloggs",
        "author_profession": "Speech and language therapist",
        "needs": "Needs help with expressive language.",
        "outcomes": "Will use three-word sentences by July.",
        "child_views": "Likes drawing.",
        **date_data("written_on", datetime.date(2026, 10, 1)),
        "provision-TOTAL_FORMS": "2",
        "provision-INITIAL_FORMS": "0",
        "provision-MIN_NUM_FORMS": "0",
        "provision-MAX_NUM_FORMS": "30",
        "provision-0-description": "Language group",
        "provision-0-delivered_by": "Speech and language therapist",
        "provision-0-frequency": "Weekly",
        "provision-0-duration": "Two terms",
        "provision-0-section": "F",
        "provision-0-available": "on",
    }
    data.update(overrides)
    return data


def test_saving_advice_records_the_return_and_provision(client, area, case):
    _, request, contribution = case
    login(client, area.practitioner)
    response = client.post(reverse("ehc:advice_edit", args=[contribution.pk]), advice_post())
    assert response.status_code == 302, (
        response.context["form"].errors,
        response.context["formset"].errors,
    )
    advice = Advice.objects.get(contribution=contribution)
    assert [p.description for p in advice.provision.all()] == ["Language group"]
    contribution.refresh_from_db()
    assert contribution.returned_on == datetime.date(2026, 10, 1)
    assert contribution.outcome == "advice_given"
    request.refresh_from_db()
    assert request.status == RequestStatus.RETURNED


def test_half_filled_provision_row_is_refused_and_nothing_saved(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    response = client.post(
        reverse("ehc:advice_edit", args=[contribution.pk]),
        advice_post(**{"provision-1-description": "Physio", "provision-1-section": "G"}),
    )
    assert response.status_code == 400
    assert "Say who delivers it" in response.content.decode()
    assert not Advice.objects.exists()


def test_advice_document_must_be_a_real_pdf_or_word_file(client, area, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, _, contribution = case
    login(client, area.practitioner)
    fake = SimpleUploadedFile("advice.pdf", b"MZ not a pdf", content_type="application/pdf")
    response = client.post(
        reverse("ehc:advice_edit", args=[contribution.pk]), {**advice_post(), "document": fake}
    )
    assert response.status_code == 400
    assert "not a real .pdf" in response.content.decode()
    exe = SimpleUploadedFile("advice.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(
        reverse("ehc:advice_edit", args=[contribution.pk]), {**advice_post(), "document": exe}
    )
    assert "must be a PDF or a Word document" in response.content.decode()
    assert not Advice.objects.exists()


def test_advice_document_is_downloaded_only_in_scope_and_audited(
    client, area, other_area, case, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    _, _, contribution = case
    login(client, area.practitioner)
    pdf = SimpleUploadedFile("Jo's advice.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    client.post(
        reverse("ehc:advice_edit", args=[contribution.pk]), {**advice_post(), "document": pdf}
    )
    advice = Advice.objects.get()
    assert advice.document_name == "Jo's advice.pdf"
    url = reverse("ehc:advice_document", args=[advice.pk])
    assert_access(
        url,
        allowed=[area.administrator, area.officer, area.practitioner, area.la_officer],
        denied=[area.commissioner],
        other_area=[other_area.officer, other_area.practitioner],
    )
    login(client, area.officer)
    response = client.get(url)
    assert b"".join(response.streaming_content) == b"%PDF-1.4 test"
    assert "attachment" in response["Content-Disposition"]
    assert LogEntry.objects.filter(
        action=LogEntry.Action.ACCESS, object_id=advice.pk, actor=area.officer
    ).exists()


def test_quality_review_scores_and_rates(client, area, case):
    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    login(client, area.officer)
    page = client.get(reverse("ehc:review_edit", args=[advice.pk])).content.decode()
    assert "The portal has ticked what it can check" in page
    criteria = [
        "dated_recently",
        "health_needs_stated",
        "sections_separated",
        "outcomes_smart",
        "provision_quantified",
        "placement_correct",
    ]
    response = client.post(
        reverse("ehc:review_edit", args=[advice.pk]),
        {"criteria": criteria, **date_data("reviewed_on", datetime.date.today())},
    )
    assert response.status_code == 302
    review = QualityReview.objects.get(advice=advice)
    assert review.score == 6
    assert review.rating == "amber"
    assert review.reviewer == area.officer


def test_review_form_ticks_what_the_portal_can_check(area, case):
    from ehc.forms import QualityReviewForm, suggested_criteria

    _, request, contribution = case
    advice = f.AdviceFactory(contribution=contribution, child_views="")
    f.ProvisionItemFactory(advice=advice)
    suggested = suggested_criteria(advice, request)
    assert suggested == {
        "dated_recently": True,
        "author_named": True,
        "provision_quantified": True,
        "sections_separated": True,
        "child_views": False,
    }
    form = QualityReviewForm(instance=QualityReview(advice=advice), suggested=suggested)
    assert set(form.fields["criteria"].initial) == {
        "dated_recently",
        "author_named",
        "provision_quantified",
        "sections_separated",
    }


def test_audit_sample_is_reproducible_and_scoped(client, area, other_area):
    for _ in range(6):
        _, _, contribution = case_in(area)
        f.AdviceFactory(contribution=contribution)
    _, _, theirs = case_in(other_area)
    foreign = f.AdviceFactory(contribution=theirs)
    login(client, area.officer)
    params = {
        **date_data("start", datetime.date(2026, 9, 1)),
        **date_data("end", datetime.date(2026, 10, 31)),
        "size": "4",
    }
    first = client.get(reverse("ehc:audit_sample"), params)
    second = client.get(reverse("ehc:audit_sample"), params)
    ids = [a.pk for a in first.context["sample"]]
    assert len(ids) == 4
    assert ids == [a.pk for a in second.context["sample"]]
    assert foreign.pk not in ids
    bad = client.get(reverse("ehc:audit_sample"), {**params, "size": "0"})
    assert bad.status_code == 400


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
    data.update(date_data("parent_told_on", datetime.date(2020, 1, 10)))
    data.update(date_data("la_notified_on", datetime.date(2020, 1, 12)))
    assert client.post(url, data).status_code == 302
    assert Section23Notice.objects.get(child=child).provider == area.provider


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


# --- Audit and query counts -----------------------------------------------------------------------


def test_viewing_a_request_or_child_is_audited(client, area, case):
    child, request, _ = case
    login(client, area.la_officer)
    client.get(request.get_absolute_url())
    client.get(child.get_absolute_url())
    seen = LogEntry.objects.filter(action=LogEntry.Action.ACCESS, actor=area.la_officer)
    assert {(e.content_type.model, int(e.object_id)) for e in seen} == {
        ("healthadvicerequest", request.pk),
        ("child", child.pk),
    }


def test_request_history_shows_changes_but_not_values(client, area, case):
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
    page = client.get(request.get_absolute_url()).content.decode()
    assert f"{area.practitioner.full_name} changed contribution" in page
    assert "date returned" in page


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
    assert len(one) <= 10


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


# --- Found in review ---------------------------------------------------------------


def test_practitioner_sees_only_their_own_services_part_of_a_request(client, area, case):
    _, request, mine = case
    other_service = f.ServiceFactory()
    other_service.local_authorities.set([area.local_authority])
    theirs = f.ContributionFactory(request=request, service=other_service)
    f.AdviceFactory(contribution=theirs, needs="Another service's confidential findings.")
    f.AdviceFactory(contribution=mine, needs="Our own findings.")
    login(client, area.practitioner)
    page = client.get(request.get_absolute_url()).content.decode()
    assert "Our own findings." in page
    assert "confidential findings" not in page
    assert other_service.name not in page
    login(client, area.officer)
    assert "confidential findings" in client.get(request.get_absolute_url()).content.decode()


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


def test_child_with_requests_cannot_move_local_authority(client, area, case):
    child, _, _ = case
    second = f.LocalAuthorityFactory()
    area.officer.local_authorities.add(second)
    login(client, area.officer)
    data = child_post(area, local_authority=second.pk, nhs_number="", version=child.version)
    data.update(date_data("date_of_birth", child.date_of_birth))
    response = client.post(reverse("ehc:child_edit", args=[child.pk]), data)
    assert response.status_code == 400
    assert "already has requests" in response.content.decode()
    child.refresh_from_db()
    assert child.local_authority == area.local_authority


@pytest.mark.parametrize(
    "url_name, method",
    [("ehc:audit_sample", "get"), ("ehc:child_create", "post")],
)
def test_an_absurd_year_is_a_message_not_a_server_error(client, area, url_name, method):
    login(client, area.officer)
    data = {
        "start_0": "1",
        "start_1": "1",
        "start_2": "9" * 25,
        "end_0": "1",
        "end_1": "1",
        "end_2": "2026",
        "size": "3",
        **child_post(area),
        "date_of_birth_2": "9" * 25,
    }
    response = getattr(client, method)(reverse(url_name), data)
    assert response.status_code == 400


def test_worklist_search_with_odd_digits_is_not_an_error(client, area, case):
    login(client, area.officer)
    for query in ("HA-²", "HA-①", "HA-" + "9" * 40):
        assert client.get(reverse("ehc:request_list"), {"q": query}).status_code == 200


def test_a_closed_request_cannot_be_received_after_it_closed(client, area, case):
    _, request, _ = case
    HealthAdviceRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.CLOSED, closed_on=datetime.date(2026, 9, 20)
    )
    request.refresh_from_db()
    login(client, area.officer)
    response = client.post(
        reverse("ehc:request_edit", args=[request.pk]),
        {
            "version": request.version,
            "process": request.process,
            "state": "closed",
            **date_data("sent_on", request.sent_on),
            **date_data("received_on", datetime.date(2026, 9, 25)),
        },
    )
    assert response.status_code == 400
    assert "was closed on 20 September 2026" in response.content.decode()


def test_advice_dated_after_the_due_date_needs_the_late_return_first(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    late = contribution.due_on + datetime.timedelta(days=5)
    data = advice_post(**date_data("written_on", late))
    response = client.post(reverse("ehc:advice_edit", args=[contribution.pk]), data)
    assert response.status_code == 400
    assert "Record the return first" in response.content.decode()
    assert not Advice.objects.exists()


def test_provision_formset_refuses_a_flood_of_forms(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    data = advice_post(**{"provision-TOTAL_FORMS": "1000000"})
    response = client.post(reverse("ehc:advice_edit", args=[contribution.pk]), data)
    assert response.status_code == 400
    assert len(response.context["formset"].forms) <= 30
    assert not Advice.objects.exists()


def test_a_closed_request_cannot_ask_more_services(client, area, case):
    _, request, _ = case
    HealthAdviceRequest.objects.filter(pk=request.pk).update(
        status=RequestStatus.CLOSED, closed_on=datetime.date(2026, 10, 1)
    )
    login(client, area.officer)
    response = client.get(reverse("ehc:contribution_add", args=[request.pk]), follow=True)
    assert response.redirect_chain[0][0] == request.get_absolute_url()
    assert "Reopen it to ask another service" in response.content.decode()


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


@pytest.mark.parametrize("outcome", ["not_known", "no_health_needs", "declined"])
def test_no_new_advice_for_a_return_that_gave_none(client, area, case, outcome):
    _, _, contribution = case
    Contribution.objects.filter(pk=contribution.pk).update(
        returned_on=contribution.asked_on, outcome=outcome, declined_reason="Not our service"
    )
    login(client, area.practitioner)
    response = client.post(
        reverse("ehc:advice_edit", args=[contribution.pk]),
        advice_post(**date_data("written_on", contribution.asked_on)),
    )
    assert response.status_code == 400
    assert "Change the return to “Advice given”" in response.content.decode()
    assert not Advice.objects.exists()
    contribution.refresh_from_db()
    assert contribution.outcome == outcome


def test_provision_added_later_comes_after_the_rows_already_there(client, area, case):
    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    first = f.ProvisionItemFactory(advice=advice, position=1, description="First")
    second = f.ProvisionItemFactory(advice=advice, position=2, description="Second")
    login(client, area.practitioner)
    data = advice_post(version=advice.version)
    for index, item in enumerate((first, second)):
        for name in ("description", "delivered_by", "frequency", "duration", "section"):
            data[f"provision-{index}-{name}"] = getattr(item, name)
        data[f"provision-{index}-id"] = item.pk
        data[f"provision-{index}-available"] = "on"
    third = {"description": "Third", "delivered_by": "Physio", "frequency": "Weekly"}
    third |= {"duration": "One term", "section": "G"}
    data |= {f"provision-2-{name}": value for name, value in third.items()}
    data |= {"provision-TOTAL_FORMS": "3", "provision-INITIAL_FORMS": "2"}
    response = client.post(reverse("ehc:advice_edit", args=[contribution.pk]), data)
    assert response.status_code == 302, response.context["formset"].errors
    assert [p.description for p in advice.provision.all()] == ["First", "Second", "Third"]


def test_child_search_takes_an_nhs_number_as_people_type_it(client, area):
    child = f.ChildFactory(local_authority=area.local_authority, nhs_number="9434765919")
    login(client, area.officer)
    for query in ("943 476 5919", "943-476-5919"):
        page = client.get(reverse("ehc:child_list"), {"q": query}).content.decode()
        assert child.get_absolute_url() in page, query


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


def test_a_review_cannot_be_dated_before_the_advice(client, area, case):
    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    login(client, area.officer)
    response = client.post(
        reverse("ehc:review_edit", args=[advice.pk]),
        {
            "criteria": ["dated_recently"],
            **date_data("reviewed_on", advice.written_on - datetime.timedelta(days=1)),
        },
    )
    assert response.status_code == 400
    assert "cannot be before the advice was written" in response.content.decode()
    assert not QualityReview.objects.exists()
