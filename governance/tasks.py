"""Celery tasks: thin, they call a service (docs/architecture.md, "Thin tasks")."""

from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from governance import services


@shared_task(name="governance.prepare_retention_list")
def prepare_retention_list() -> int | None:
    """The monthly beat entry: list the children due for erasure, for an
    administrator to approve in the portal. Erases nothing. Returns the
    list's id, or None when nobody is due."""
    batch = services.prepare_retention_batch(today=timezone.localdate())
    return batch.pk if batch else None
