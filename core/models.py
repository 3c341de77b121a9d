"""The one table ``core`` keeps: which creating forms have been submitted
(:mod:`core.submissions`). Nothing about SEND."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class FormSubmission(models.Model):
    """A creating form's one-time token, claimed by the first POST that
    carries it, and what that POST created (so a second POST, a double
    click or a browser retry, goes to it instead of creating it again)."""

    token = models.UUIDField(primary_key=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    result_model = models.CharField(max_length=100, blank=True)  # "app_label.model"
    result_pk = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = "form submission"

    def __str__(self) -> str:
        return f"{self.token} ({self.result_model} {self.result_pk})"
