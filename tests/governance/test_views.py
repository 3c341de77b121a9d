"""The information governance screens in use (governance/views.py): the
child page's links, subject access, legal holds, erasure on request and the
approval of an erasure list."""

from __future__ import annotations

import datetime
import io
import zipfile

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from ehc.models import Child
from governance import services
from governance.models import ErasureBatch, LegalHold, SubjectAccessRequest
from tests import factories as f
from tests.governance.helpers import old_case

D = datetime.date


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_child_page_offers_each_user_what_they_may_do(client, area):
    child = f.ChildFactory(local_authority=area.local_authority)
    f.HealthAdviceRequestFactory(child=child)
    url = child.get_absolute_url()
    subject_access = reverse("governance:subject_access", args=[child.pk])
    hold = reverse("governance:legal_hold", args=[child.pk])
    erase = reverse("governance:erase_child", args=[child.pk])

    page = signed_in(client, area.officer).get(url).content.decode()
    assert subject_access in page and hold not in page and erase not in page
    page = signed_in(client, area.administrator).get(url).content.decode()
    assert subject_access in page and hold in page and erase in page
    for user in (area.la_officer, area.practitioner):
        page = signed_in(client, user).get(url).content.decode()
        assert subject_access not in page and hold not in page, user.role


def test_an_officer_prepares_and_downloads_a_subject_access_zip(client, area):
    case = old_case(area)
    url = reverse("governance:subject_access", args=[case.child.pk])
    client = signed_in(client, area.officer)
    assert "None yet" in client.get(url).content.decode()

    response = client.post(url, follow=True)
    prepared = SubjectAccessRequest.objects.get()
    page = response.content.decode()
    assert "The subject access ZIP is ready to download" in page
    assert prepared.get_absolute_url() in page

    download = client.get(prepared.get_absolute_url())
    assert download.status_code == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in download["Cache-Control"].split(",")
    }
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert "Oldrecord" not in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "summary.pdf" in archive.namelist()
    viewed = LogEntry.objects.get_for_object(prepared).filter(action=LogEntry.Action.ACCESS)
    assert viewed.get().actor == area.officer


def test_a_download_whose_file_is_gone_is_not_found(client, area, media):
    prepared = SubjectAccessRequest.objects.create(
        child=f.ChildFactory(local_authority=area.local_authority), file="subject-access/x.zip"
    )
    response = signed_in(client, area.officer).get(prepared.get_absolute_url())
    assert response.status_code == 404


def test_an_administrator_places_and_lifts_a_legal_hold(client, area):
    child = f.ChildFactory(local_authority=area.local_authority)
    url = reverse("governance:legal_hold", args=[child.pk])
    client = signed_in(client, area.administrator)

    response = client.post(url, {"reason": "  "})
    assert response.status_code == 400
    assert "Say why" in response.content.decode()
    assert not LegalHold.objects.exists()

    page = client.post(url, {"reason": "Coroner's inquest"}, follow=True).content.decode()
    assert "The records are under a legal hold" in page
    assert "Coroner&#x27;s inquest" in page and "Lift the legal hold" in page
    hold = LegalHold.objects.get()
    assert (hold.set_by, hold.is_active) == (area.administrator, True)

    page = client.post(url, {"action": "lift"}, follow=True).content.decode()
    assert "The legal hold is lifted" in page
    hold.refresh_from_db()
    assert hold.lifted_by == area.administrator and not hold.is_active


def test_erasure_on_request_is_prepared_then_approved(
    client, area, media, django_capture_on_commit_callbacks
):
    case = old_case(area, born=D(2010, 1, 1), last=D(2024, 5, 1))  # not due for years
    url = reverse("governance:erase_child", args=[case.child.pk])
    client = signed_in(client, area.administrator)

    response = client.post(url, {"reason": ""})
    assert response.status_code == 400 and "Say why" in response.content.decode()

    response = client.post(url, {"reason": "The young person asked on 2 May"}, follow=True)
    batch = ErasureBatch.objects.get()
    page = response.content.decode()
    assert response.redirect_chain[-1][0] == batch.get_absolute_url()
    assert "check it and approve it to erase" in page
    assert "Erin Oldrecord" in page and "Approve and erase" in page
    assert Child.objects.filter(pk=case.child.pk).exists()

    # Approving needs the box ticked.
    response = client.post(batch.get_absolute_url(), {"action": "approve"})
    assert response.status_code == 400
    assert "Confirm that you have checked the list" in response.content.decode()
    assert Child.objects.filter(pk=case.child.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            batch.get_absolute_url(), {"action": "approve", "confirm": "on"}, follow=True
        )
    page = response.content.decode()
    assert "1 children&#x27;s records erased, 0 kept" in page
    assert not Child.objects.filter(pk=case.child.pk).exists()
    assert "Erin" not in page and "erased child #" in page
    assert "Approve and erase" not in page  # decided: no more buttons
    assert not (media / case.advice.document.name).exists()


def test_erasure_on_request_is_refused_with_an_open_request(client, area):
    child = f.ChildFactory(local_authority=area.local_authority)
    f.HealthAdviceRequestFactory(child=child)
    url = reverse("governance:erase_child", args=[child.pk])
    response = signed_in(client, area.administrator).post(url, {"reason": "Asked"})
    assert response.status_code == 400
    assert "Open: health advice request" in response.content.decode()
    assert not ErasureBatch.objects.exists()


def test_a_list_can_be_discarded(client, area):
    child = f.ChildFactory(local_authority=area.local_authority)
    batch = services.request_erasure(child=child, reason="Asked", by=area.administrator)
    client = signed_in(client, area.administrator)
    page = client.post(batch.get_absolute_url(), {"action": "discard"}, follow=True)
    assert "is discarded: nothing was erased" in page.content.decode()
    batch.refresh_from_db()
    assert batch.status == ErasureBatch.Status.DISCARDED
    assert Child.objects.filter(pk=child.pk).exists()
    # Deciding again says so instead of failing.
    page = client.post(batch.get_absolute_url(), {"action": "discard"}, follow=True)
    assert page.status_code == 200


def test_the_list_page_prepares_a_list_and_shows_who_is_kept(client, area):
    client = signed_in(client, area.administrator)
    url = reverse("governance:batch_list")
    page = client.post(url, follow=True).content.decode()
    assert "Nobody&#x27;s records are due for erasure today" in page

    due = old_case(area).child
    held = old_case(area, names=("Held", "Here")).child
    services.place_legal_hold(child=held, reason="Claim", by=area.administrator)
    response = client.post(url, follow=True)
    batch = ErasureBatch.objects.get()
    assert response.redirect_chain[-1][0] == batch.get_absolute_url()
    assert list(batch.candidates.values_list("child", flat=True)) == [due.pk]

    page = client.get(url).content.decode()
    assert str(batch) in page and "Waiting for approval" in page
    assert "Held Here" in page and "Legal hold" in page
    assert "Erin Oldrecord" in page and f"Already on erasure list {batch.pk}" in page
