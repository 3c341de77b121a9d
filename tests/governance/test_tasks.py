"""The governance tasks (governance/tasks.py): the monthly run that prepares
the erasure list and deletes old subject access ZIPs, and the build of one
subject access ZIP; run in-process with apply() whether or not a broker is
configured."""

from __future__ import annotations

import datetime

import pytest
from auditlog.models import LogEntry
from django.core.files.base import ContentFile
from django.utils import timezone

from governance import services
from governance.models import ErasureBatch, SubjectAccessExport
from governance.tasks import build_subject_access_export, prepare_retention_list
from tests import factories as f
from tests.governance.helpers import old_case


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_task_prepares_a_list_and_erases_nothing(area):
    child = old_case(area).child
    batch_id = prepare_retention_list.apply().get()
    batch = ErasureBatch.objects.get(pk=batch_id)
    assert batch.is_prepared
    assert list(batch.candidates.values_list("child", flat=True)) == [child.pk]
    child.refresh_from_db()  # still there


def test_nobody_due_gives_no_list(area):
    assert prepare_retention_list.apply().get() is None
    assert not ErasureBatch.objects.exists()


# --- Subject access: queued for a worker, built by the task, files expired ------------------


@pytest.fixture
def with_broker(settings, monkeypatch):
    """As with REDIS_URL set: tasks are published by name (captured here,
    not sent) instead of run in this process."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    sent = []
    monkeypatch.setattr(
        "core.dispatch.send_task", lambda name, args, kwargs: sent.append((name, kwargs))
    )
    return sent


def test_with_a_broker_the_export_is_queued_then_built_by_the_task(
    area, with_broker, django_capture_on_commit_callbacks
):
    child = old_case(area).child
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_subject_access(child=child, by=area.officer)
    assert with_broker == [("governance.build_subject_access_export", {"export_id": export.pk})]
    export.refresh_from_db()
    assert export.status == SubjectAccessExport.Status.QUEUED and not export.file
    # Asked again while it waits: the same export, nothing more queued.
    with django_capture_on_commit_callbacks(execute=True):
        assert services.request_subject_access(child=child, by=area.officer) == export
    assert len(with_broker) == 1

    assert build_subject_access_export.apply(kwargs={"export_id": export.pk}).get() == "ready"
    export.refresh_from_db()
    assert export.status == SubjectAccessExport.Status.READY
    assert export.finished is not None and export.file.storage.exists(export.file.name)
    # A second delivery of the same task (acks_late, a retry) does nothing.
    assert build_subject_access_export.apply(kwargs={"export_id": export.pk}).get() == "skipped"


def test_a_broker_that_cannot_be_reached_fails_the_export_with_a_message(
    area, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def refused(name, args, kwargs):
        raise ConnectionRefusedError("no broker")

    monkeypatch.setattr("core.dispatch.send_task", refused)
    child = f.ChildFactory(local_authority=area.local_authority)
    with django_capture_on_commit_callbacks(execute=True):
        export = services.request_subject_access(child=child, by=area.officer)
    export.refresh_from_db()
    assert export.status == SubjectAccessExport.Status.FAILED
    assert export.error == services.COULD_NOT_QUEUE


def _ready_export(area, *, days_ago: float) -> SubjectAccessExport:
    child = f.ChildFactory(local_authority=area.local_authority)
    export = SubjectAccessExport(
        child=child,
        requested_by=area.officer,
        status=SubjectAccessExport.Status.READY,
        finished=timezone.now() - datetime.timedelta(days=days_ago),
    )
    export.file.save("subject-access.zip", ContentFile(b"PK"), save=False)
    export.save()
    return export


def test_the_retention_run_deletes_zip_files_older_than_the_setting(
    area, settings, tmp_path, django_capture_on_commit_callbacks
):
    settings.SUBJECT_ACCESS_KEEP_DAYS = 30
    old = _ready_export(area, days_ago=30.1)
    recent = _ready_export(area, days_ago=29.9)
    stuck = SubjectAccessExport.objects.create(
        child=f.ChildFactory(local_authority=area.local_authority), requested_by=area.officer
    )
    SubjectAccessExport.objects.filter(pk=stuck.pk).update(
        created=timezone.now() - datetime.timedelta(hours=2)
    )
    old_file = tmp_path / old.file.name

    with django_capture_on_commit_callbacks(execute=True):
        prepare_retention_list.apply()

    assert not old_file.exists()
    assert (tmp_path / recent.file.name).exists()
    old.refresh_from_db()
    assert (old.status, old.file.name) == (SubjectAccessExport.Status.DELETED, "")
    deletion = LogEntry.objects.get_for_object(old).latest("pk")
    assert deletion.changes_dict["status"] == ["ready", "deleted"]
    recent.refresh_from_db()
    assert recent.is_ready
    stuck.refresh_from_db()
    assert stuck.status == SubjectAccessExport.Status.FAILED
    assert stuck.error == services.TOOK_TOO_LONG
