"""Who looked at which child's record: one access event per response that
showed identifiable data about children (docs/information-governance.md,
"Access history")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from ehc.models.casework import Child


class AccessEvent(models.Model):
    """One response that showed one or more children's identifiable data:
    who, when, from where, which page and which children. A list page
    writes one event naming every child on it, not one per child. Never
    changed or deleted through the portal (an erasure removes the child's
    links, the event stays)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", editable=False
    )
    at = models.DateTimeField(default=timezone.now, editable=False)
    page = models.CharField(max_length=100, editable=False)  # what was shown, in words
    path = models.CharField(max_length=500, editable=False)
    method = models.CharField(max_length=10, editable=False)
    remote_addr = models.GenericIPAddressField(null=True, blank=True, editable=False)
    children = models.ManyToManyField(Child, related_name="access_events", editable=False)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["user", "at"], name="access_event_user_at")]

    def __str__(self) -> str:
        return f"{self.page} by {self.user_id} at {self.at:%Y-%m-%d %H:%M}"
