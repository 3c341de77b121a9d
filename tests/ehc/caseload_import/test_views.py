"""The import pages: upload, preview, confirm; the file deleted afterwards;
a large file in a real worker on the real Redis."""

from __future__ import annotations

import io
import threading

import openpyxl
import pytest
from django.test import Client
from django.urls import reverse

from ehc.caseload_import import jobs
from ehc.models import AccessEvent, Child, ImportJob, ImportStatus
from tests import factories as f
from tests.ehc.caseload_import.helpers import HEADERS, VALID_NHS, csv_bytes, row


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def upload(client, data: bytes, name="tracker.csv"):
    file = io.BytesIO(data)
    file.name = name
    return client.post(reverse("ehc:import"), {"tracker": file})


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def uploads(media) -> list:
    folder = media / jobs.UPLOAD_DIR
    return list(folder.iterdir()) if folder.exists() else []


@pytest.mark.django_db
def test_upload_preview_confirm_then_the_file_is_deleted(area, media):
    client = signed_in(area.officer)
    rows = [row(area), row(area, **{"NHS number": VALID_NHS[1], "LA reference": "LA-2"})]
    response = upload(client, csv_bytes(rows))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/ehc/import/{job.pk}/"
    page = client.get(response["Location"]).content.decode()
    assert "Check before importing" in page and "Import all 2 rows" in page
    assert job.counts["children"] == {"create": 2, "update": 0, "unchanged": 0}
    assert not Child.objects.exists() and len(uploads(media)) == 1
    done = client.post(reverse("ehc:import_confirm", args=[job.pk]), follow=True)
    assert "Your tracker has been imported" in done.content.decode()
    assert Child.objects.count() == 2 and uploads(media) == []
    job.refresh_from_db()
    assert (job.status, job.file_path, job.conflicts) == (ImportStatus.IMPORTED, "", [])
    # A second click imports nothing again.
    client.post(reverse("ehc:import_confirm", args=[job.pk]))
    assert Child.objects.count() == 2


@pytest.mark.django_db
def test_problems_are_listed_by_line_and_column_and_nothing_is_kept(area, media):
    client = signed_in(area.officer)
    rows = [row(area), row(area, **{"NHS number": "1234567890", "LA reference": "LA-2"})]
    response = upload(client, csv_bytes(rows))
    page = client.get(response["Location"]).content.decode()
    assert "Your tracker cannot be imported yet" in page
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">3</td>' in page
    assert "Enter a valid NHS number: the last digit does not match the check" in page
    assert uploads(media) == [] and not Child.objects.exists()
    assert ImportJob.objects.get().can_confirm is False


@pytest.mark.django_db
def test_a_file_that_is_not_a_tracker_is_refused_beside_the_field(area):
    client = signed_in(area.officer)
    response = upload(client, b"%PDF-1.4", name="advice.pdf")
    assert response.status_code == 400
    assert "The file must be a CSV file or an Excel workbook (.xlsx)" in response.content.decode()
    assert 'id="id_tracker_1_error"' in response.content.decode()
    response = upload(client, b"not a zip", name="tracker.xlsx")
    assert "The workbook cannot be opened" in response.content.decode()
    assert not ImportJob.objects.exists()


@pytest.mark.django_db
def test_an_excel_workbook_with_date_cells_imports(area):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    cells = row(area)
    values = [cells.get(header, "") for header in HEADERS]
    values[HEADERS.index("Date of birth")] = __import__("datetime").datetime(2016, 5, 14)
    values[HEADERS.index("NHS number")] = 9434765919
    sheet.append(values)
    data = io.BytesIO()
    book.save(data)
    client = signed_in(area.officer)
    response = upload(client, data.getvalue(), name="tracker.xlsx")
    job = ImportJob.objects.get()
    assert job.problems == [], job.problems
    client.post(reverse("ehc:import_confirm", args=[job.pk]))
    child = Child.objects.get()
    assert (child.nhs_number, str(child.date_of_birth)) == ("9434765919", "2016-05-14")
    assert response.status_code == 302


@pytest.mark.django_db
def test_a_conflict_is_offered_and_changed_only_when_ticked(area):
    held = f.ChildFactory(
        local_authority=area.local_authority, nhs_number="9434765919", given_name="Robyn"
    )
    client = signed_in(area.officer)
    response = upload(client, csv_bytes([row(area, **{"Last name": held.family_name})]))
    page = client.get(response["Location"]).content.decode()
    assert "the portal holds “Robyn”, the file says “Robin”" in page
    assert 'name="update" type="checkbox" value="child-2"' in page
    # The preview showed what is held about the child: recorded as an access.
    assert AccessEvent.objects.get(page="Caseload import preview").children.get() == held
    job = ImportJob.objects.get()
    client.post(reverse("ehc:import_confirm", args=[job.pk]), {"update": ["child-2"]})
    held.refresh_from_db()
    assert held.given_name == "Robin"


@pytest.mark.django_db
def test_another_officer_cannot_see_or_confirm_an_import(area):
    mine = signed_in(area.officer)
    upload(mine, csv_bytes([row(area)]))
    job = ImportJob.objects.get()
    colleague = f.DesignatedOfficerFactory(local_authorities=[area.local_authority])
    theirs = signed_in(colleague)
    assert theirs.get(reverse("ehc:import_job", args=[job.pk])).status_code == 404
    assert theirs.post(reverse("ehc:import_confirm", args=[job.pk])).status_code == 404
    assert not Child.objects.exists()


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_a_large_file_is_checked_and_imported_by_a_real_worker(
    area, celery_worker_on_redis, monkeypatch, media
):
    worker = celery_worker_on_redis
    monkeypatch.setattr(jobs, "WORKER_ROWS", 1)  # two rows count as large here
    # The worker waits until this thread is done with the database: SQLite's
    # shared in-memory test database answers "table is locked" to a second
    # connection rather than waiting, as a file database would.
    may_check, may_import = threading.Event(), threading.Event()
    ended = threading.Event()  # the test is over: a waiting step does nothing
    check_job, import_job = jobs.check_job, jobs.import_job

    def gated(step, event):
        def run(**kwargs):
            event.wait(timeout=60)
            if ended.is_set() or not event.is_set():
                return "not run: the test ended first"
            return step(**kwargs)

        return run

    monkeypatch.setattr(jobs, "check_job", gated(check_job, may_check))
    monkeypatch.setattr(jobs, "import_job", gated(import_job, may_import))
    try:
        client = signed_in(area.officer)
        rows = [row(area), row(area, **{"NHS number": VALID_NHS[1], "LA reference": "LA-2"})]
        response = upload(client, csv_bytes(rows))
        job = ImportJob.objects.get()
        waiting = client.get(response["Location"]).content.decode()
        assert "js/import-progress.js" in waiting and 'data-progress-url="' in waiting
        may_check.set()
        assert worker.wait_for(ehc__check_caseload_import=1, timeout=120), worker.finished
        progress = client.get(reverse("ehc:import_progress", args=[job.pk])).json()
        assert progress == {"busy": False, "progress": 100, "status": "Checked"}
        client.post(reverse("ehc:import_confirm", args=[job.pk]))
        may_import.set()
        assert worker.wait_for(ehc__run_caseload_import=1, timeout=120), worker.finished
        job.refresh_from_db()
        assert job.status == ImportStatus.IMPORTED, job.problems
        assert Child.objects.count() == 2 and uploads(media) == []
    finally:
        # A step still waiting (the test failed first) returns at once, so
        # the worker stops without touching the database being torn down.
        ended.set()
        may_check.set()
        may_import.set()


@pytest.mark.django_db
def test_an_unconfirmed_upload_is_deleted_two_days_on(area, media):
    import datetime

    from django.utils import timezone

    client = signed_in(area.officer)
    upload(client, csv_bytes([row(area)]))
    old = ImportJob.objects.get()
    assert old.can_confirm and len(uploads(media)) == 1
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    ImportJob.objects.filter(pk=old.pk).update(created_at=three_days_ago)
    upload(client, csv_bytes([row(area)]))  # the next upload tidies up
    old.refresh_from_db()
    assert (old.file_path, old.conflicts, old.can_confirm) == ("", [], False)
    assert len(uploads(media)) == 1


@pytest.mark.django_db
def test_problems_quoting_cells_are_cleared_two_days_on(area):
    import datetime

    from django.utils import timezone

    client = signed_in(area.officer)
    upload(client, csv_bytes([row(area, **{"Date of birth": "31/02/2016"})]))
    old = ImportJob.objects.get()
    assert "31/02/2016" in str(old.problems)
    three_days_ago = timezone.now() - datetime.timedelta(days=3)
    ImportJob.objects.filter(pk=old.pk).update(created_at=three_days_ago)
    assert jobs.purge_stale() == 1
    old.refresh_from_db()
    assert (old.problems, old.counts["problems"]) == ([], 1)
