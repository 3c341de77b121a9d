"""The EHC casework screens. Returns, exceptions, advice, quality review and the audit sample."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from ehc.forms import ReturnForm
from ehc.models import (
    AccessEvent,
    Advice,
    Contribution,
    HealthAdviceRequest,
    QualityReview,
    RequestStatus,
)
from tests import factories as f
from tests.access import assert_access
from tests.ehc.helpers import advice_post, case_in, date_data, login, pdf_bytes

PDF = pdf_bytes("test")

pytestmark = pytest.mark.django_db


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


def test_a_return_declined_and_late_shows_both_messages_at_once(client, area, case):
    _, _, contribution = case
    login(client, area.practitioner)
    response = client.post(
        reverse("ehc:contribution_return", args=[contribution.pk]),
        {
            "version": contribution.version,
            "outcome": "declined",
            **date_data("returned_on", contribution.due_on + datetime.timedelta(days=3)),
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["declined_reason"] == ["Say why the service declined"]
    assert errors["late_reason"] == ["Choose why the advice was late"]
    contribution.refresh_from_db()
    assert contribution.returned_on is None


def test_a_contribution_asked_before_the_request_was_sent_can_still_be_returned(client, area, case):
    """A row from before the rule (the request's sent date was moved after the
    ask): recording its return or an exception is a 302, not a 500."""
    _, request, contribution = case
    HealthAdviceRequest.objects.filter(pk=request.pk).update(sent_on=datetime.date(2026, 9, 2))
    Contribution.objects.filter(pk=contribution.pk).update(asked_on=datetime.date(2026, 9, 1))
    login(client, area.officer)
    response = client.post(
        reverse("ehc:contribution_exception", args=[contribution.pk]),
        {
            "version": contribution.version,
            "exception": "absent_from_area",
            "exception_evidence": "Away 5 weeks.",
            **date_data("exception_on", datetime.date(2026, 9, 10)),
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    login(client, area.practitioner)
    response = client.post(
        reverse("ehc:contribution_return", args=[contribution.pk]),
        {
            "version": contribution.version,
            "outcome": "not_known",
            **date_data("returned_on", datetime.date(2026, 9, 20)),
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.returned_on == datetime.date(2026, 9, 20)


def test_a_model_error_about_a_field_the_form_lacks_goes_to_the_top(area, case):
    _, _, contribution = case
    contribution.asked_on = datetime.date(2026, 8, 1)  # before the LA sent the request
    form = ReturnForm(
        {
            "version": contribution.version,
            "outcome": "not_known",
            **date_data("returned_on", datetime.date(2026, 9, 20)),
        },
        instance=contribution,
    )
    assert not form.is_valid()
    assert any("cannot be asked before" in message for message in form.non_field_errors())


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
    assert "exception_on" in response.context["form"].errors
    response = client.post(
        url,
        {
            "version": contribution.version,
            "exception": "absent_from_area",
            "exception_evidence": "Away 5 weeks.",
            **date_data("exception_on", datetime.date(2026, 10, 20)),  # after the due date
        },
    )
    assert response.status_code == 400
    assert "must fall within the 6 weeks" in str(response.context["form"].errors["exception_on"])
    response = client.post(
        url,
        {
            "version": contribution.version,
            "exception": "absent_from_area",
            "exception_evidence": "Away 5 weeks.",
            **date_data("exception_on", datetime.date(2026, 9, 10)),
        },
    )
    assert response.status_code == 302
    contribution.refresh_from_db()
    assert contribution.exception == "absent_from_area"
    assert contribution.exception_recorded_by == area.officer


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
    pdf = SimpleUploadedFile("Jo's advice.pdf", PDF, content_type="application/pdf")
    client.post(
        reverse("ehc:advice_edit", args=[contribution.pk]), {**advice_post(), "document": pdf}
    )
    advice = Advice.objects.get()
    assert advice.document_name == "Jo's advice.pdf"
    url = reverse("ehc:advice_document", args=[advice.pk])
    # The advice page links the attached document through the scoped
    # download, by its own name, never by its storage path.
    page = client.get(reverse("ehc:advice_edit", args=[contribution.pk])).content.decode()
    assert f'href="{url}"' in page
    assert "Jo&#x27;s advice.pdf" in page
    assert advice.document.name not in page
    assert_access(
        url,
        allowed=[area.administrator, area.officer, area.practitioner, area.la_officer],
        denied=[area.commissioner],
        other_area=[other_area.officer, other_area.practitioner],
    )
    login(client, area.officer)
    response = client.get(url)
    assert b"".join(response.streaming_content) == PDF
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    events = AccessEvent.objects.filter(user=area.officer, page="Advice document download")
    assert events.exists()
    assert {c.pk for event in events for c in event.children.all()} == {
        contribution.request.child_id
    }


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
    page = first.content.decode()
    get_form = page[page.index('<form method="get"') :].split("</form>")[0]
    assert "csrfmiddlewaretoken" not in get_form  # it would land in the address
    second = client.get(reverse("ehc:audit_sample"), params)
    ids = [a.pk for a in first.context["sample"]]
    assert len(ids) == 4
    assert ids == [a.pk for a in second.context["sample"]]
    assert foreign.pk not in ids
    # A colleague in the same area draws the same sample, as the page promises.
    colleague = f.DesignatedOfficerFactory(
        local_authorities=[area.local_authority], commissioning_body=area.body
    )
    login(client, colleague)
    checked = client.get(reverse("ehc:audit_sample"), params)
    assert [a.pk for a in checked.context["sample"]] == ids
    login(client, area.officer)
    bad = client.get(reverse("ehc:audit_sample"), {**params, "size": "0"})
    assert bad.status_code == 400


def test_practitioner_cannot_record_for_another_service_in_their_area(client, area, case):
    _, request, _ = case
    elsewhere = f.ServiceFactory()
    elsewhere.local_authorities.set([area.local_authority])
    foreign = f.ContributionFactory(request=request, service=elsewhere)
    login(client, area.practitioner)
    assert client.get(reverse("ehc:contribution_return", args=[foreign.pk])).status_code == 404
    # They can still see the request through their own service's contribution.
    assert client.get(request.get_absolute_url()).status_code == 200


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


def test_a_document_with_a_long_name_is_kept_under_a_shortened_one(
    client, area, case, settings, tmp_path
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    _, _, contribution = case
    login(client, area.practitioner)
    name = "Advice for the EHC needs assessment from community paediatrics " * 4 + ".pdf"
    response = client.post(
        reverse("ehc:advice_edit", args=[contribution.pk]),
        {**advice_post(), "document": SimpleUploadedFile(name, PDF)},
    )
    assert response.status_code == 302
    advice = Advice.objects.get()
    assert len(name) > 200 and len(advice.document_name) == 200
    assert advice.document_name.endswith(".pdf")
