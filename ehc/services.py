"""Every write to EHC records (style: keyword-only, atomic, takes the acting user).

Views validate input with the forms in :mod:`ehc.forms` and hand the bound,
valid form to a service here. Edits of existing records go through
:func:`save_versioned`, which refuses a save based on an out-of-date copy:
when two people edit the same record, the second save fails with
:class:`StaleEdit` and the view shows them a message instead of silently
overwriting the first person's work.
"""

from __future__ import annotations

import datetime
import random

from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from ehc.models import (
    OPEN_STATUSES,
    Advice,
    Child,
    Contribution,
    HealthAdviceRequest,
    QualityReview,
    RequestStatus,
)


class StaleEdit(Exception):
    """The record changed since the form was opened."""

    message = (
        "Someone else saved changes to this record after you opened it. Your changes "
        "have not been saved. Open the record again to see the latest version, then "
        "make your changes again."
    )


def _claim_version(instance, expected_version: int | None) -> None:
    """Move the stored version on by one if it still is ``expected_version``."""
    if expected_version is None:
        raise StaleEdit
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise StaleEdit
    instance.version = expected_version + 1


@transaction.atomic
def save_versioned(form, *, by, expected_version: int | None):
    """Save a ModelForm: a new record is marked as made by ``by``; an edit
    of an existing one raises :class:`StaleEdit` if it is out of date."""
    instance = form.instance
    if instance.pk is not None:
        _claim_version(instance, expected_version)
    elif instance.created_by_id is None:
        instance.created_by = by
    return form.save()


# --- Children -------------------------------------------------------------------------


@transaction.atomic
def create_child(*, form, by) -> Child:
    child = form.save(commit=False)
    child.created_by = by
    child.save()
    return child


# --- Requests ---------------------------------------------------------------------------


@transaction.atomic
def log_request(*, form, child: Child, by) -> HealthAdviceRequest:
    """Log the LA's request and ask each chosen service."""
    request = form.save(commit=False)
    request.child = child
    request.local_authority_id = child.local_authority_id
    request.created_by = by
    request.save()
    asked_on = form.cleaned_data.get("asked_on") or request.received_on
    ask_services(
        request=request, services=form.cleaned_data.get("services") or [], asked_on=asked_on, by=by
    )
    return request


def ask_services(
    *, request: HealthAdviceRequest, services, asked_on: datetime.date, by
) -> list[Contribution]:
    created = [
        Contribution(
            request=request,
            service=service,
            asked_on=asked_on,
            due_on=request.due_on,
            created_by=by,
        )
        for service in services
    ]
    for contribution in created:
        contribution.save()  # one by one so that each is audited
    if created:
        refresh_status(request)
    return created


@transaction.atomic
def add_contribution(*, form, request: HealthAdviceRequest, by) -> Contribution:
    contribution = form.save(commit=False)
    contribution.request = request
    contribution.due_on = request.due_on
    contribution.created_by = by
    contribution.save()
    refresh_status(request)
    return contribution


@transaction.atomic
def update_request(*, form, by, expected_version: int | None) -> HealthAdviceRequest:
    """Save an edit of the request; a new receipt date moves every
    contribution's due date with it."""
    _claim_version(form.instance, expected_version)
    request = form.save(commit=False)  # sets the status the user chose
    if request.status in OPEN_STATUSES:
        request.closed_on = None
    elif request.closed_on is None:
        request.closed_on = timezone.localdate()
    request.save()
    if "received_on" in form.changed_data:
        for contribution in request.contributions.exclude(due_on=request.due_on):
            contribution.due_on = request.due_on
            contribution.save(update_fields=["due_on", "updated_at"])
    if request.status in OPEN_STATUSES:
        refresh_status(request)
    return request


def refresh_status(request: HealthAdviceRequest) -> None:
    """Awaiting while any service is outstanding; all returned when none is.
    Closed and withdrawn requests are left as they are."""
    if request.status not in OPEN_STATUSES:
        return
    counts = request.contributions.aggregate(
        asked=Count("pk"), outstanding=Count("pk", filter=Q(returned_on__isnull=True))
    )
    all_returned = counts["asked"] and not counts["outstanding"]
    status = RequestStatus.RETURNED if all_returned else RequestStatus.AWAITING
    if status != request.status:
        HealthAdviceRequest.objects.filter(pk=request.pk).update(status=status)
        request.status = status


# --- Contributions ---------------------------------------------------------------------------


@transaction.atomic
def record_return(*, form, by, expected_version: int | None) -> Contribution:
    """A service's return: date, outcome and, when late, why."""
    contribution = save_versioned(form, by=by, expected_version=expected_version)
    refresh_status(contribution.request)
    return contribution


@transaction.atomic
def record_exception(*, form, by, expected_version: int | None) -> Contribution:
    """Record (or clear) a reg 8(2) exception, with who recorded it."""
    contribution = form.instance
    if contribution.exception:
        contribution.exception_recorded_by = by
        contribution.exception_recorded_at = timezone.now()
    else:
        contribution.exception_evidence = ""
        contribution.exception_recorded_by = None
        contribution.exception_recorded_at = None
    return save_versioned(form, by=by, expected_version=expected_version)


# --- Advice and quality -------------------------------------------------------------------------


@transaction.atomic
def save_advice(
    *, form, formset, contribution: Contribution, by, expected_version: int | None
) -> Advice:
    """Save the advice and its provision rows together.

    Saving advice for a contribution not yet returned records the return
    (outcome "advice given") on the date of the advice.
    """
    advice = form.instance
    advice.contribution = contribution
    upload = form.cleaned_data.get("document")
    if upload and hasattr(upload, "name") and "document" in form.changed_data:
        advice.document_name = upload.name[-200:]
    advice = save_versioned(form, by=by, expected_version=expected_version)
    formset.instance = advice
    # New rows go after the rows already there.
    last = max((row.instance.position for row in formset.initial_forms), default=0)
    for item in formset.save(commit=False):
        item.advice = advice
        if item.pk is None:
            last += 1
            item.position = last
        item.save()
    for item in formset.deleted_objects:
        item.delete()
    if contribution.returned_on is None:
        _claim_version(contribution, contribution.version)
        contribution.returned_on = max(advice.written_on, contribution.asked_on)
        contribution.outcome = "advice_given"
        contribution.save()
        refresh_status(contribution.request)
    return advice


@transaction.atomic
def save_review(*, form, advice: Advice, by, expected_version: int | None) -> QualityReview:
    review = form.instance
    review.advice = advice
    review.reviewer = by
    return save_versioned(form, by=by, expected_version=expected_version)


# --- Records about a child ---------------------------------------------------------


@transaction.atomic
def save_child_record(*, form, child: Child, by, expected_version: int | None):
    """Create or edit a Section 23 notice, review input, mediation or
    tribunal case, or personal health budget for ``child``."""
    form.instance.child = child
    return save_versioned(form, by=by, expected_version=expected_version)


def audit_sample(queryset, *, size: int, seed: str) -> list[int]:
    """Ids of a random sample of ``size`` advice records from ``queryset``,
    reproducible for the same ``seed`` (the DCO can redraw the same sample)."""
    ids = sorted(queryset.values_list("pk", flat=True))
    if len(ids) <= size:
        return ids
    return sorted(random.Random(seed).sample(ids, size))
