"""The EHC services hold every rule a form shows, and more (duplicates, races,
scoping, unknown fields, old rows): called directly with plain values."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ehc import services
from ehc.models import (
    Advice,
    Child,
    Contribution,
    HealthAdviceRequest,
    PersonalHealthBudget,
    QualityReview,
    RequestStatus,
    ReviewInput,
    Section23Notice,
)
from tests import factories as f
from tests.ehc.helpers import (
    ADVICE,
    ROW,
    case_in,
    child_values,
    covering_service,
    docx_bytes,
    edit_values,
    pdf_bytes,
    refused,
    request_values,
)

pytestmark = pytest.mark.django_db

D = datetime.date


# --- Rules the forms also show, held by the services ------------------------------------------

TOMORROW = datetime.date.today() + datetime.timedelta(days=1)


def test_update_request_refuses_a_sent_date_after_a_service_was_asked(area, case):
    _, request, contribution = case  # asked on 2 September 2026
    refused(
        lambda: services.update_request(
            request=request,
            values=edit_values(request, sent_on=D(2026, 9, 5), received_on=D(2026, 9, 5)),
            status="open",
            by=area.officer,
            expected_version=request.version,
        ),
        "sent_on",
        "2 September 2026",
    )
    assert HealthAdviceRequest.objects.get(pk=request.pk).sent_on == D(2026, 9, 1)


def test_an_old_contribution_asked_before_sent_can_still_be_returned(area, case):
    _, request, contribution = case
    # A row saved before the rule: the request now says it was sent after the ask.
    HealthAdviceRequest.objects.filter(pk=request.pk).update(sent_on=D(2026, 9, 2))
    Contribution.objects.filter(pk=contribution.pk).update(asked_on=D(2026, 9, 1))
    contribution = Contribution.objects.get(pk=contribution.pk)
    services.record_return(
        contribution=contribution,
        returned_on=D(2026, 9, 20),
        outcome="not_known",
        by=area.practitioner,
        expected_version=contribution.version,
    )
    assert Contribution.objects.get(pk=contribution.pk).returned_on == D(2026, 9, 20)


def test_record_return_gives_every_problem_at_once(area, case):
    _, _, contribution = case
    with pytest.raises(ValidationError) as exc:
        services.record_return(
            contribution=contribution,
            returned_on=D(2026, 10, 20),
            outcome="declined",
            by=area.practitioner,
            expected_version=contribution.version,
        )
    assert {"declined_reason", "late_reason"} <= set(exc.value.message_dict)


def test_duplicate_nhs_number_is_a_validation_error_keyed_by_field(area, case):
    child, _, _ = case
    services.create_child(by=area.officer, **child_values(area))
    again = child_values(area, given_name="Other")
    refused(
        lambda: services.create_child(by=area.officer, **again),
        "nhs_number",
        "already recorded",
    )
    refused(
        lambda: services.update_child(
            child=child,
            values={"nhs_number": "943 476 5919"},
            by=area.officer,
            expected_version=child.version,
        ),
        "nhs_number",
        "already recorded",
    )
    assert Child.objects.filter(nhs_number="9434765919").count() == 1


def test_asking_a_service_twice_is_a_validation_error_or_asks_once(area, case):
    _, request, contribution = case
    refused(
        lambda: services.add_contribution(
            request=request, service=area.service, asked_on=D(2026, 9, 5), by=area.officer
        ),
        "service",
        "already been asked",
    )
    refused(
        lambda: services.ask_services(
            request=request, services=[area.service], asked_on=D(2026, 9, 5), by=area.officer
        ),
        "services",
        "already been asked",
    )
    extra = covering_service(area)
    created = services.ask_services(
        request=request, services=[extra, extra], asked_on=D(2026, 9, 5), by=area.officer
    )
    assert [c.service for c in created] == [extra]
    child = f.ChildFactory(local_authority=area.local_authority)
    logged = services.log_request(
        by=area.officer, services=[area.service, area.service], **request_values(child)
    )
    assert logged.contributions.count() == 1


def test_a_duplicate_saved_meanwhile_is_a_validation_error_not_a_500(area, monkeypatch):
    """Two people add the same child at once: both pass the checks, the
    database refuses the second insert, and the service says why."""
    services.create_child(by=area.officer, **child_values(area))
    real = Child.validate_constraints
    calls = []

    def checks_before_the_other_save(self, exclude=None):
        calls.append(exclude)
        if len(calls) > 1:  # after the refused insert: the real check
            real(self, exclude)

    monkeypatch.setattr(Child, "validate_constraints", checks_before_the_other_save)
    again = child_values(area, given_name="Other")
    refused(lambda: services.create_child(by=area.officer, **again), "nhs_number", "already")
    assert Child.objects.count() == 1


def test_services_name_by_as_the_audit_actor_outside_a_request(area, case):
    child = services.create_child(by=area.officer, **child_values(area, nhs_number=""))
    entry = LogEntry.objects.get_for_object(child).get(action=LogEntry.Action.CREATE)
    assert entry.actor == area.officer
    _, request, contribution = case
    Contribution.objects.filter(pk=contribution.pk).update(
        returned_on=D(2026, 9, 10), outcome="not_known"
    )
    services.refresh_status(request=request, by=area.practitioner)
    change = LogEntry.objects.get_for_object(request).filter(action=LogEntry.Action.UPDATE).get()
    assert "status" in change.changes_dict
    assert change.actor == area.practitioner


def test_ask_services_is_one_transaction(area, monkeypatch):
    request = f.HealthAdviceRequestFactory(child__local_authority=area.local_authority)

    def fails(**kwargs):
        raise RuntimeError("the status could not be saved")

    from ehc.services import requests as request_services

    monkeypatch.setattr(request_services, "refresh_status", fails)
    with pytest.raises(RuntimeError):
        services.ask_services(
            request=request,
            services=[area.service, covering_service(area)],
            asked_on=D(2026, 9, 3),
            by=area.officer,
        )
    assert not request.contributions.exists()


def test_create_child_only_in_an_area_by_may_see(area, other_area):
    values = child_values(area, local_authority=other_area.local_authority)
    refused(lambda: services.create_child(by=area.officer, **values), "local_authority")
    assert not Child.objects.exists()


def test_log_request_owner_and_services_must_belong_to_the_area(area, other_area):
    child = f.ChildFactory(local_authority=area.local_authority)
    refused(
        lambda: services.log_request(
            by=area.officer, owner=other_area.officer, **request_values(child)
        ),
        "owner",
        "designated officer",
    )
    refused(
        lambda: services.log_request(
            by=area.officer, owner=area.practitioner, **request_values(child)
        ),
        "owner",
    )
    refused(
        lambda: services.log_request(
            by=area.officer, services=[other_area.service], **request_values(child)
        ),
        "services",
        "does not cover",
    )
    retired = covering_service(area)
    retired.is_active = False
    retired.save()
    refused(
        lambda: services.log_request(by=area.officer, services=[retired], **request_values(child)),
        "services",
        "no longer active",
    )
    assert not HealthAdviceRequest.objects.exists()
    request = services.log_request(by=area.officer, owner=area.officer, **request_values(child))
    assert request.owner == area.officer


def test_add_contribution_service_must_be_active_and_cover_the_area(area, other_area, case):
    _, request, _ = case
    refused(
        lambda: services.add_contribution(
            request=request, service=other_area.service, asked_on=D(2026, 9, 5), by=area.officer
        ),
        "service",
        "does not cover",
    )
    retired = covering_service(area)
    retired.is_active = False
    retired.save()
    refused(
        lambda: services.add_contribution(
            request=request, service=retired, asked_on=D(2026, 9, 5), by=area.officer
        ),
        "service",
        "no longer active",
    )
    assert request.contributions.count() == 1


@pytest.mark.parametrize("field", ["provider", "commissioning_body"])
def test_section_23_notifier_must_cover_the_childs_area(area, other_area, case, field):
    child, _, _ = case
    notifier = {"provider": other_area.provider, "commissioning_body": other_area.body}[field]
    values = {field: notifier, "professional_name": "HV", "parent_told_on": D(2020, 1, 10)}
    refused(
        lambda: services.save_child_record(
            record=Section23Notice(), child=child, values=values, by=area.officer
        ),
        field,
        "covers the child's local authority",
    )


def test_save_advice_checks_the_document(area, case, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    _, _, contribution = case
    fake = SimpleUploadedFile("advice.pdf", b"not really a pdf")
    refused(
        lambda: services.save_advice(
            contribution=contribution,
            values=ADVICE,
            by=area.practitioner,
            document=fake,
            document_name="advice.pdf",
        ),
        "document",
        "not a real .pdf",
    )
    settings.ADVICE_DOCUMENT_MAX_BYTES = 4
    big = SimpleUploadedFile("advice.pdf", b"%PDF-1.7 and more")
    refused(
        lambda: services.save_advice(
            contribution=contribution, values=ADVICE, by=area.practitioner, document=big
        ),
        "document",
        "smaller than",
    )
    assert not Advice.objects.exists()


@pytest.mark.parametrize(
    "name,content,message",
    [
        # Starts like a PDF, but is a web page: pypdf cannot open it.
        ("advice.pdf", b"%PDF-1.4\n<html><script>alert(1)</script></html>", "cannot be read"),
        ("advice.docx", b"PK\x03\x04 then nothing", "cannot be read"),
        ("advice.docx", docx_bytes(parts=("word/document.xml",)), "cannot be read"),
        ("advice.docx", docx_bytes(padding=60 * 1024 * 1024), "unpacks to more than 50 MB"),
    ],
)
def test_a_document_must_open_as_what_it_says(area, case, name, content, message):
    _, _, contribution = case
    refused(
        lambda: services.save_advice(
            contribution=contribution,
            values=ADVICE,
            by=area.practitioner,
            document=SimpleUploadedFile(name, content),
        ),
        "document",
        message,
    )
    assert not Advice.objects.exists()


def test_real_documents_and_long_names_are_kept(area, case, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _, _, contribution = case
    long_name = "Speech and language therapy advice " * 8 + ".docx"  # 281 characters
    advice = services.save_advice(
        contribution=contribution,
        values=ADVICE,
        by=area.practitioner,
        document=SimpleUploadedFile(long_name, docx_bytes()),
    )
    assert len(advice.document_name) == 200
    assert advice.document_name.startswith("Speech and language therapy advice")
    assert advice.document_name.endswith("….docx")
    advice = services.save_advice(
        contribution=contribution,
        values={},
        by=area.practitioner,
        document=SimpleUploadedFile("advice.pdf", pdf_bytes()),
        expected_version=advice.version,
    )
    assert advice.document_name == "advice.pdf"


def test_services_refuse_dates_in_the_future(area, case):
    child, request, contribution = case
    future = "The date cannot be in the future"
    values = request_values(child, received_on=TOMORROW)
    refused(lambda: services.log_request(by=area.officer, **values), "received_on", future)
    refused(
        lambda: services.record_return(
            contribution=contribution,
            returned_on=TOMORROW,
            outcome="not_known",
            late_reason="staffing",
            by=area.practitioner,
            expected_version=contribution.version,
        ),
        "returned_on",
        future,
    )
    refused(
        lambda: services.create_child(
            by=area.officer, **child_values(area, date_of_birth=TOMORROW)
        ),
        "date_of_birth",
        future,
    )
    refused(
        lambda: services.save_child_record(
            record=PersonalHealthBudget(),
            child=child,
            values={"considered_on": TOMORROW},
            by=area.officer,
        ),
        "considered_on",
        future,
    )
    advice = f.AdviceFactory(contribution=contribution)
    refused(
        lambda: services.save_review(
            advice=advice, reviewed_on=TOMORROW, criteria=[], by=area.officer
        ),
        "reviewed_on",
        future,
    )
    Contribution.objects.filter(pk=contribution.pk).update(
        returned_on=D(2026, 9, 20), outcome="advice_given"
    )
    contribution = Contribution.objects.select_related("advice").get(pk=contribution.pk)
    refused(
        lambda: services.save_advice(
            contribution=contribution,
            values={"written_on": TOMORROW},
            by=area.practitioner,
            expected_version=advice.version,
        ),
        "written_on",
        future,
    )


# --- Found in the second review: old rows, closed doors, unknown fields -------------


def test_an_old_request_asked_before_its_sent_date_can_still_be_closed(area, case):
    """The sent-after-asked rule runs only when sent_on changes."""
    _, request, contribution = case
    HealthAdviceRequest.objects.filter(pk=request.pk).update(sent_on=D(2026, 9, 2))
    Contribution.objects.filter(pk=contribution.pk).update(asked_on=D(2026, 9, 1))
    request = HealthAdviceRequest.objects.get(pk=request.pk)
    services.update_request(
        request=request,
        values=edit_values(request, notes="Closing the old case"),
        status="closed",
        by=area.officer,
        expected_version=request.version,
        confirm_outstanding=True,
    )
    assert HealthAdviceRequest.objects.get(pk=request.pk).status == RequestStatus.CLOSED


def test_a_request_whose_officer_has_left_can_still_be_edited(area, case):
    """The owner rule runs only when the owner changes."""
    _, request, _ = case
    request.owner = area.officer
    request.save()
    area.officer.is_active = False
    area.officer.save()
    request = HealthAdviceRequest.objects.get(pk=request.pk)
    services.update_request(
        request=request,
        values=edit_values(request, notes="Handed over"),
        status="open",
        by=area.administrator,
        expected_version=request.version,
    )
    assert HealthAdviceRequest.objects.get(pk=request.pk).notes == "Handed over"


def test_services_refuse_fields_a_caller_may_not_set(area, other_area, case):
    child, request, _ = case
    other_child, _, _ = case_in(other_area)
    with pytest.raises(TypeError, match="local_authority"):
        services.update_request(
            request=request,
            values={"local_authority": other_area.local_authority},
            status="open",
            by=area.officer,
            expected_version=request.version,
        )
    with pytest.raises(TypeError, match="child"):
        services.save_child_record(
            record=PersonalHealthBudget(),
            child=child,
            values={"child": other_child, "considered_on": D(2026, 1, 5)},
            by=area.officer,
        )
    with pytest.raises(TypeError, match="created_by"):
        services.update_child(
            child=child,
            values={"created_by": area.administrator},
            by=area.officer,
            expected_version=child.version,
        )
    assert not PersonalHealthBudget.objects.exists()


def test_missing_values_are_keyed_messages_not_a_conflict_or_a_500(area, case):
    child, _, _ = case
    refused(
        lambda: services.create_child(
            by=area.officer,
            **child_values(area, date_of_birth=None, nhs_number=""),
        ),
        "date_of_birth",
    )
    refused(
        lambda: services.log_request(by=area.officer, **request_values(child, received_on=None)),
        "received_on",
    )
    refused(
        lambda: services.create_child(
            by=area.officer, **child_values(area, given_name="", nhs_number="")
        ),
        "given_name",
    )


def test_ask_services_refuses_a_closed_request(area, case):
    _, request, _ = case
    request.status = RequestStatus.CLOSED
    request.closed_on = D(2026, 10, 1)
    request.save()
    another = f.ServiceFactory(provider=area.provider)
    another.local_authorities.set([area.local_authority])
    with pytest.raises(ValidationError, match="closed"):
        services.ask_services(
            request=request, services=[another], asked_on=D(2026, 9, 5), by=area.officer
        )
    assert not Contribution.objects.filter(service=another).exists()


def test_a_replaced_document_is_downloaded_under_its_own_name(area, case, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path
    _, _, contribution = case
    first = SimpleUploadedFile("first.pdf", pdf_bytes("one"))
    advice = services.save_advice(
        contribution=contribution,
        values=ADVICE,
        by=area.practitioner,
        document=first,
        document_name="First advice.pdf",
    )
    second = SimpleUploadedFile("second.pdf", pdf_bytes("two"))
    advice = services.save_advice(
        contribution=contribution,
        values={},
        by=area.practitioner,
        document=second,
        expected_version=advice.version,
    )
    assert advice.document_name == "second.pdf"
    advice = services.save_advice(
        contribution=contribution,
        values={},
        by=area.practitioner,
        document=False,
        expected_version=advice.version,
    )
    assert advice.document_name == "" and not advice.document


def test_provision_rows_are_checked(area, case):
    _, _, contribution = case
    refused(
        lambda: services.save_advice(
            contribution=contribution,
            values=ADVICE,
            by=area.practitioner,
            provision=[{**ROW, "description": ""}],
        ),
        "provision",
        "Provision row 1",
    )
    assert not Advice.objects.exists()


def test_an_old_section_23_notice_can_be_corrected_after_its_trust_moved(area, other_area, case):
    """The notifier rule runs when the trust or body changes, not on every edit."""
    child, _, _ = case
    notice = services.save_child_record(
        record=Section23Notice(),
        child=child,
        values={
            "provider": area.provider,
            "professional_name": "HV",
            "parent_told_on": D(2020, 1, 10),
        },
        by=area.officer,
    )
    area.service.local_authorities.set([other_area.local_authority])  # the trust moves
    notice = Section23Notice.objects.get(pk=notice.pk)
    services.save_child_record(
        record=notice,
        child=child,
        values={"professional_name": "Health visitor"},
        by=area.officer,
        expected_version=notice.version,
    )
    assert Section23Notice.objects.get(pk=notice.pk).professional_name == "Health visitor"


def test_log_request_only_for_a_child_by_may_see(area, other_area, case):
    child, _, _ = case
    refused(
        lambda: services.log_request(by=other_area.officer, **request_values(child)),
        "child",
        "your own areas",
    )
    assert HealthAdviceRequest.objects.filter(child=child).count() == 1


def test_save_review_only_by_an_officer_and_only_checklist_criteria(area, case):
    from django.core.exceptions import PermissionDenied

    _, _, contribution = case
    advice = f.AdviceFactory(contribution=contribution)
    with pytest.raises(PermissionDenied):
        services.save_review(
            advice=advice, reviewed_on=advice.written_on, criteria=[], by=area.practitioner
        )
    refused(
        lambda: services.save_review(
            advice=advice,
            reviewed_on=advice.written_on,
            criteria=["dated_recently", "looks_nice"],
            by=area.officer,
        ),
        "criteria",
        "looks_nice",
    )
    assert not QualityReview.objects.exists()


def test_review_input_service_must_cover_the_childs_area(area, other_area, case):
    child, _, _ = case
    refused(
        lambda: services.save_child_record(
            record=ReviewInput(),
            child=child,
            values={"meeting_on": D(2026, 9, 1), "service": other_area.service},
            by=area.officer,
        ),
        "service",
        "does not cover",
    )
    assert not ReviewInput.objects.exists()


def test_review_meetings_are_after_birth_and_within_the_coming_year(area, case):
    child, _, _ = case

    def meeting(day):
        return lambda: services.save_child_record(
            record=ReviewInput(), child=child, values={"meeting_on": day}, by=area.officer
        )

    born = child.date_of_birth
    refused(meeting(born - datetime.timedelta(days=1)), "meeting_on", "before the child was born")
    far = timezone.localdate() + datetime.timedelta(days=400)
    refused(meeting(far), "meeting_on", "within the coming year")
    assert not ReviewInput.objects.exists()


def test_advice_cannot_be_dated_after_its_return(area, case):
    _, _, contribution = case
    contribution.returned_on = D(2026, 9, 20)
    contribution.outcome = "advice_given"
    contribution.save()
    refused(
        lambda: services.save_advice(
            contribution=contribution,
            values={**ADVICE, "written_on": D(2026, 9, 25)},
            by=area.practitioner,
        ),
        "written_on",
        "20 September 2026",
    )
    assert not Advice.objects.exists()


def test_a_replaced_document_file_is_deleted_after_commit_and_a_refused_one_not_kept(
    area, case, settings, tmp_path, django_capture_on_commit_callbacks
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    settings.MEDIA_ROOT = tmp_path

    def files():
        return sorted(p.name for p in tmp_path.rglob("*") if p.is_file())

    _, _, contribution = case
    with django_capture_on_commit_callbacks(execute=True):
        advice = services.save_advice(
            contribution=contribution,
            values=ADVICE,
            by=area.practitioner,
            document=SimpleUploadedFile("first.pdf", pdf_bytes("one")),
        )
    assert len(files()) == 1
    first = files()
    with django_capture_on_commit_callbacks(execute=True):
        advice = services.save_advice(
            contribution=contribution,
            values={},
            by=area.practitioner,
            document=SimpleUploadedFile("second.pdf", pdf_bytes("two")),
            expected_version=advice.version,
        )
    assert len(files()) == 1 and files() != first  # the first file is gone
    kept = files()
    # A save refused after the file was stored (a bad provision row) keeps
    # neither the new file nor loses the old one.
    with django_capture_on_commit_callbacks(execute=True):
        refused(
            lambda: services.save_advice(
                contribution=contribution,
                values={},
                by=area.practitioner,
                document=SimpleUploadedFile("third.pdf", pdf_bytes("three")),
                provision=[{**ROW, "description": ""}],
                expected_version=advice.version,
            ),
            "provision",
        )
    assert files() == kept
    contribution = Contribution.objects.get(pk=contribution.pk)  # as a new request would
    advice = contribution.advice
    with django_capture_on_commit_callbacks(execute=True):
        services.save_advice(
            contribution=contribution,
            values={},
            by=area.practitioner,
            document=False,
            expected_version=advice.version,
        )
    assert files() == []
