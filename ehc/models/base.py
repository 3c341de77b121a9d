"""What every record people edit carries: version, timestamps, author."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from accounts.scoping import local_authority_ids_for


class Tracked(models.Model):
    """Edit version and timestamps for records people change."""

    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_at = models.DateTimeField(auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        abstract = True


def areas_of(user):
    return local_authority_ids_for(user)
