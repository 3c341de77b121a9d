"""Creating forms that create once (docs/architecture.md, "Submitted twice").

A form that creates a record (a child, a request, a service asked) carries a
hidden one-time token made when the form is shown (:class:`OnceForm`). The
view saves through :func:`create_once`: the first POST with a token claims
it and creates the record in the same transaction; any later POST with the
same token (a double click, a resubmitted page, a second tab) gets the
record the first one created, never a duplicate and never a server error.
Two POSTs at the same moment are ordered by the token's primary key: the
second waits for the first to commit, then finds its result. When the first
fails (a rule refused it) its transaction is rolled back, the token with
it, so the corrected form can be sent again.
"""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Callable

from django import forms
from django.apps import apps
from django.db import IntegrityError, transaction
from django.utils import timezone

from core.models import FormSubmission

KEPT_FOR = datetime.timedelta(days=2)  # long enough for any retry, then purged


class OnceForm:
    """Mixin for a creating form (before the form class in the bases): adds
    the hidden ``submission`` token, a new one each time the form is shown;
    a posted form shown again keeps the token it was sent with."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission"] = forms.UUIDField(
            widget=forms.HiddenInput, required=False, initial=uuid.uuid4
        )

    @property
    def submission_token(self) -> uuid.UUID | None:
        return self.cleaned_data.get("submission")


def create_once(user, token: uuid.UUID | None, create: Callable[[], object]) -> tuple[object, bool]:
    """Run ``create`` (which returns the saved model instance, or raises)
    unless ``token`` was already used by ``user``. Returns ``(instance,
    created)``: the new record and True, or the record the first submission
    created and False. Without a token (a client that sends none) it simply
    creates. Raises what ``create`` raises; the token is then released."""
    if token is None:
        return create(), True
    with transaction.atomic():
        try:
            with transaction.atomic():
                FormSubmission.objects.create(token=token, user=user)
        except IntegrityError:
            return _earlier(user, token), False
        instance = create()
        FormSubmission.objects.filter(token=token).update(
            result_model=instance._meta.label_lower, result_pk=instance.pk
        )
    _purge_old()
    return instance, True


def earlier_result(user, raw_token) -> object | None:
    """The record ``user`` already created with the form token ``raw_token``
    (as posted: a string, perhaps not a UUID), or None. Views ask this
    before validating a form again, so a resubmitted form whose record now
    exists (a unique NHS number) is not refused as a duplicate of itself."""
    try:
        token = uuid.UUID(str(raw_token))
    except ValueError:
        return None
    earlier = FormSubmission.objects.filter(token=token, user=user).first()
    if earlier is None or earlier.result_pk is None:
        return None
    model = apps.get_model(earlier.result_model)
    return model._default_manager.filter(pk=earlier.result_pk).first()


def _earlier(user, token):
    """As :func:`earlier_result`, but a token another user sent, or one
    whose result is gone, raises :class:`AlreadySent` (views show it as a
    form error)."""
    earlier = earlier_result(user, token)
    if earlier is None:
        raise AlreadySent
    return earlier


class AlreadySent(Exception):
    """The form was already sent and its result cannot be shown."""

    message = "This form has already been sent. Check the list before sending it again."


def _purge_old() -> None:
    FormSubmission.objects.filter(created_at__lt=timezone.now() - KEPT_FOR).delete()
