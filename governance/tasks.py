"""Celery tasks: thin, they call a service (docs/architecture.md, "Thin tasks")."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from governance import services


@shared_task(name="governance.prepare_retention_list")
def prepare_retention_list() -> int | None:
    """The monthly beat entry: list the children due for erasure, for an
    administrator to approve in the portal (erases nothing), after deleting
    the files of subject access ZIPs past ``SUBJECT_ACCESS_KEEP_DAYS``.
    Returns the list's id, or None when nobody is due."""
    services.expire_subject_access_exports()
    batch = services.prepare_retention_batch(today=timezone.localdate())
    return batch.pk if batch else None


@shared_task(name="governance.build_subject_access_export", ignore_result=True)
def build_subject_access_export(export_id: int) -> str:
    """Prepare one subject access ZIP (a SubjectAccessExport row). Queued by
    this name from governance.services through core.dispatch. No automatic
    retry: a build that fails once fails the same way again, so the export
    is marked failed and the user asks again."""
    return services.build_subject_access_export(export_id=export_id)
