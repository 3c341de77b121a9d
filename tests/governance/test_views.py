"""The information governance screens in use (governance/views.py): the
child page's links, subject access, legal holds, erasure on request and the
approval of an erasure list."""

from __future__ import annotations

import datetime
import io
import re
import zipfile

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from ehc.models import AccessEvent, Child
from governance import services
from governance.models import ErasureBatch, LegalHold, SubjectAccessExport
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


def test_an_officer_prepares_and_downloads_a_subject_access_zip(
    client, area, django_capture_on_commit_callbacks
):
    case = old_case(area)
    url = reverse("governance:subject_access", args=[case.child.pk])
    client = signed_in(client, area.officer)
    form = client.get(url).content.decode()
    assert "None yet" in form
    token = re.search(r'name="submission" value="([^"]+)"', form).group(1)

    # Without a broker the ZIP is built in this process once the request commits.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"submission": token})
    export = SubjectAccessExport.objects.get()
    assert response.status_code == 302 and response["Location"] == export.get_absolute_url()
    # The same form sent again (a double click) asks for nothing more.
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(url, {"submission": token})
    assert again["Location"] == export.get_absolute_url()
    assert SubjectAccessExport.objects.count() == 1

    page = client.get(export.get_absolute_url()).content.decode()
    assert "The subject access ZIP is ready" in page
    assert 'http-equiv="refresh"' not in page
    assert export.download_url in page

    status = client.get(reverse("governance:subject_access_export_status", args=[export.pk]))
    assert status.json() == {"pending": False, "status": "Ready to download"}
    assert "no-store" in status["Cache-Control"]

    download = client.get(export.download_url)
    assert download.status_code == 200
    assert {"private", "no-store"} <= {
        part.strip() for part in download["Cache-Control"].split(",")
    }
    assert download["Content-Disposition"].startswith("attachment; filename=")
    assert "Oldrecord" not in download["Content-Disposition"]
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "summary.pdf" in archive.namelist()
    viewed = LogEntry.objects.get_for_object(export).filter(action=LogEntry.Action.ACCESS)
    assert viewed.get().actor == area.officer
    pages = list(AccessEvent.objects.filter(children=case.child).values_list("page", flat=True))
    assert {"Subject access", "Subject access export", "Subject access download"} <= set(pages)
    listing = client.get(url).content.decode()
    assert "Ready" in listing and export.download_url in listing


def test_a_waiting_export_is_checked_by_its_script_and_cannot_be_downloaded(client, area):
    export = SubjectAccessExport.objects.create(
        child=f.ChildFactory(local_authority=area.local_authority), requested_by=area.officer
    )
    client = signed_in(client, area.officer)
    page = client.get(export.get_absolute_url()).content.decode()
    assert "being prepared" in page
    assert 'http-equiv="refresh"' not in page  # nothing reloads under the reader
    status_url = reverse("governance:subject_access_export_status", args=[export.pk])
    assert f'data-status-url="{status_url}"' in page
    assert "js/export-progress" in page
    assert client.get(status_url).json() == {
        "pending": True,
        "status": "Waiting to be prepared",
    }
    assert client.get(export.download_url).status_code == 404

    # One stuck for over an hour (its worker died) is no longer waited for:
    # the script reloads the page, which offers a new one.
    SubjectAccessExport.objects.filter(pk=export.pk).update(
        created=timezone.now() - datetime.timedelta(hours=2)
    )
    assert client.get(status_url).json()["pending"] is False
    page = client.get(export.get_absolute_url()).content.decode()
    assert "data-status-url" not in page
    assert "Prepare it again" in page


def test_a_failed_export_says_so_and_is_prepared_again(
    client, area, monkeypatch, django_capture_on_commit_callbacks
):
    child = f.ChildFactory(local_authority=area.local_authority)
    client = signed_in(client, area.officer)

    def broken(*args, **kwargs):
        raise RuntimeError("no PDF today")

    monkeypatch.setattr("governance.subject_access.build_zip", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("governance:subject_access", args=[child.pk]), {})
    failed = SubjectAccessExport.objects.get()
    assert (failed.status, failed.file.name) == ("failed", "")
    assert failed.error == services.COULD_NOT_PREPARE
    page = client.get(response["Location"]).content.decode()
    assert "could not be prepared" in page and "no PDF today" not in page
    assert client.get(failed.download_url).status_code == 404

    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(failed.get_absolute_url(), {})
    again = SubjectAccessExport.objects.exclude(pk=failed.pk).get()
    assert response["Location"] == again.get_absolute_url()
    assert again.status == "ready"


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


def test_every_governance_page_naming_a_child_records_who_looked(client, area):
    """The legal hold and erase pages, an erasure list and the lists page's
    children kept each write one access event naming the children shown."""
    due = old_case(area).child
    held = old_case(area, names=("Held", "Here")).child
    services.place_legal_hold(child=held, reason="Claim", by=area.administrator)
    batch = services.prepare_retention_batch(today=timezone.localdate(), by=area.administrator)
    client = signed_in(client, area.administrator)
    pages = {
        reverse("governance:legal_hold", args=[held.pk]): {held.pk},
        reverse("governance:erase_child", args=[due.pk]): {due.pk},
        batch.get_absolute_url(): {due.pk},
        reverse("governance:batch_list"): {held.pk, due.pk},  # both kept: held, on a list
    }
    for url, children in pages.items():
        before = AccessEvent.objects.count()
        assert client.get(url).status_code == 200
        assert AccessEvent.objects.count() == before + 1, url
        event = AccessEvent.objects.latest("pk")
        assert set(event.children.values_list("pk", flat=True)) == children, url
        assert event.user == area.administrator and event.path == url.split("?")[0]
