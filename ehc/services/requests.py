"""Requests: logging the LA's request, asking services, status and the
clock. See :mod:`ehc.services`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db.models import Count, Q

from core.audit import service_write
from ehc import checks
from ehc.checks import (
    REQUEST_FIELDS,
)
from ehc.models import (
    OPEN_STATUSES,
    Child,
    Contribution,
    HealthAdviceRequest,
    LeftOutstanding,
    RequestStatus,
    ReviewInput,
)
from ehc.saving import assign, claim_version, save_checked, validate
from ehc.services.urgency import refresh_urgency
from ehc.summary import refresh_summary


@service_write
def log_request(
    *,
    child: Child,
    by,
    process: str,
    sent_on: datetime.date,
    received_on: datetime.date,
    la_reference: str = "",
    owner=None,
    notes: str = "",
    services: Iterable = (),
    asked_on: datetime.date | None = None,
    return_by: datetime.date | None = None,
    meeting_on: datetime.date | None = None,
) -> HealthAdviceRequest:
    """Log the LA's request for health advice and ask each of ``services``
    (a service listed twice is asked once) on ``asked_on`` (default: the day
    health received it), to return by ``return_by`` (an internal date, on or
    before the statutory due date; None: the due date).

    The 6-week clock (reg 8(1)) runs from ``received_on``. A request for an
    annual or phase transfer review needs ``meeting_on``, the date of the
    review meeting: it is linked to the child's record of health's input to
    that review (found by its meeting date, or made), and its advice is due
    2 weeks before the meeting (reg 20(4)). Raises ValidationError keyed by
    field: received before sent, either after today, sent before September
    2014, the young person over 25 (``received_on``); ``owner`` not an
    active designated officer of the child's area; ``services`` inactive or
    not covering the area; ``asked_on`` before health received the request
    or after today; ``return_by`` after the due date; ``meeting_on``
    missing for a review, or before the LA sent the request.
    """
    request = HealthAdviceRequest(
        child=child,
        local_authority_id=child.local_authority_id,
        process=process,
        la_reference=la_reference,
        sent_on=sent_on,
        received_on=received_on,
        owner=owner,
        notes=notes,
        created_by=by,
    )
    services = checks.distinct(services)
    errors = checks.child_problems(by, child)
    errors |= checks.owner_problems(owner, child.local_authority_id)
    errors |= checks.asking_problems(request, services, asked_on)
    errors |= checks.meeting_problems(request, meeting_on)
    if not errors and meeting_on and request.is_review:
        request.review = _review_for(child, process, meeting_on, by)
    errors |= checks.return_by_problems(request, asked_on or received_on, return_by)
    validate(request, errors)
    save_checked(request)
    # The services were checked with the request above; the asking date, if
    # it defaults to the receipt date, by the request's own rules.
    _ask(
        request=request,
        services=services,
        asked_on=asked_on or received_on,
        return_by=return_by,
        by=by,
    )
    refresh_status(request=request, by=by)
    return request


def _review_for(child: Child, process: str, meeting_on: datetime.date, by) -> ReviewInput:
    """The child's one record of health's input to the review meeting on
    ``meeting_on`` (made, unsaved checks aside, when there is none yet)."""
    review = ReviewInput.objects.filter(child=child, meeting_on=meeting_on).first()
    if review is None:
        review = new_review(child=child, process=process, meeting_on=meeting_on, by=by)
        save_checked(review)
    return review


def new_review(*, child: Child, process: str, meeting_on: datetime.date, by) -> ReviewInput:
    """The (unsaved) record of health's input to the review meeting on
    ``meeting_on`` that a new review request of ``child`` is linked to when
    the child has none for that meeting: one per child and meeting, a phase
    transfer review when the request's ``process`` is one."""
    return ReviewInput(
        child=child,
        meeting_on=meeting_on,
        phase_transfer=process == "phase_transfer",
        created_by=by,
    )


@service_write
def ask_services(
    *, request: HealthAdviceRequest, services: Iterable, asked_on: datetime.date, by
) -> list[Contribution]:
    """Ask each of ``services`` (once, however often listed) for its advice
    on ``asked_on``, due when the request is due. Returns the new
    contributions. Raises ValidationError keyed by field: ``asked_on``
    before health received the request or after today; ``services``
    inactive, not covering the request's area, or already asked."""
    services = checks.distinct(services)
    if request.pk is not None and not request.is_open:
        raise ValidationError("This request is closed. Reopen it to ask another service.")
    errors = checks.asking_problems(request, services, asked_on)
    if errors:
        raise ValidationError(errors)
    created = _ask(request=request, services=services, asked_on=asked_on, by=by)
    refresh_status(request=request, by=by)
    return created


def _ask(
    *,
    request: HealthAdviceRequest,
    services: list,
    asked_on: datetime.date,
    by,
    return_by: datetime.date | None = None,
):
    """Create the contributions for ``services`` already checked by the
    caller (:func:`ask_services` or :func:`log_request`), which then
    refreshes the request's status (:func:`refresh_status`)."""
    created = [
        Contribution(
            request=request,
            service=service,
            asked_on=asked_on,
            return_by=return_by,
            created_by=by,
        )
        for service in services
    ]
    for contribution in created:
        try:
            save_checked(contribution)  # one by one so that each is audited
        except ValidationError as error:
            raise ValidationError({"services": error.messages}) from error
    return created


@service_write
def add_contribution(
    *,
    request: HealthAdviceRequest,
    service,
    asked_on: datetime.date,
    by,
    received_on: datetime.date | None = None,
    return_by: datetime.date | None = None,
) -> Contribution:
    """Ask one more service on ``asked_on``. When the LA asked it directly,
    ``received_on`` is the day the service received the LA's request and
    its 6 weeks run from then (reg 8(1)); otherwise it is due when the
    request is due. ``return_by`` is an optional earlier internal date.

    Raises ValidationError: the request closed (no field); keyed
    ``service``: inactive, not covering the request's area, or already
    asked for this request (also when another user asked it at the same
    moment); keyed ``asked_on``: before the LA sent the request, before
    health received it when health asked, or after today; ``received_on``
    before asked or after today; ``return_by`` before asked or after the
    due date.
    """
    if not request.is_open:
        raise ValidationError("This request is closed. Reopen it to ask another service.")
    contribution = Contribution(
        request=request,
        service=service,
        asked_on=asked_on,
        received_on=received_on,
        return_by=return_by,
        created_by=by,
    )
    validate(contribution)
    save_checked(contribution)
    refresh_status(request=request, by=by)
    return contribution


@service_write
def change_status(
    *,
    request: HealthAdviceRequest,
    to: str,
    by,
    expected_version: int | None,
    confirm_outstanding: bool = False,
) -> HealthAdviceRequest:
    """Open, close or withdraw a request (``to``: "open", "closed" or
    "withdrawn"). Closing while services are still outstanding needs
    ``confirm_outstanding``; the services left outstanding at closing or
    withdrawal are marked so (:func:`mark_left_outstanding`). Raises
    ValidationError keyed by field (``confirm_outstanding`` naming the
    services), or :class:`StaleEdit`."""
    was_open = request.is_open
    checks.apply_status(request, to)
    errors = checks.closing_problems(request, was_open, confirm_outstanding)
    if errors:
        raise ValidationError(errors)
    claim_version(request, expected_version)
    request.save(update_fields=["status", "closed_on", "updated_at"])
    mark_left_outstanding(request=request)
    refresh_status(request=request, by=by)
    return request


def mark_left_outstanding(*, request: HealthAdviceRequest) -> int:
    """Mark the request's unreturned contributions as left outstanding at
    withdrawal or closure (or clear the mark when the request is open
    again), one audited save each. Returns how many changed. The one
    marker reports, reminders and the outstanding index read
    (:class:`ehc.models.LeftOutstanding`)."""
    marker = {
        RequestStatus.WITHDRAWN: LeftOutstanding.WITHDRAWN,
        RequestStatus.CLOSED: LeftOutstanding.CLOSED,
    }.get(request.status, "")
    changed = 0
    for contribution in request.contributions.filter(returned_on__isnull=True).exclude(
        left_outstanding=marker
    ):
        contribution.left_outstanding = marker
        contribution.save(update_fields=["left_outstanding", "updated_at"])
        changed += 1
    return changed


@service_write
def update_request(
    *,
    request: HealthAdviceRequest,
    values: dict,
    status: str,
    by,
    expected_version: int | None,
    confirm_outstanding: bool = False,
) -> HealthAdviceRequest:
    """Save an edit of the request (``values``: field name -> value, from
    process, la_reference, sent_on, received_on, owner, notes) and its
    status (as :func:`change_status`, with ``confirm_outstanding``). A new
    receipt date or process moves every contribution's due date with it
    (read only when they change).

    Raises ValidationError keyed by field (the rules of
    :func:`log_request`; ``sent_on`` after the day a service was asked;
    ``received_on`` after the day a service health asked was asked or
    returned; a return-by date the new due date would pass), or
    :class:`StaleEdit`.
    """
    # Rules about a field run only when it changes (against what was loaded,
    # whatever a form has set since), so an old request (its officer since
    # left, a service asked before the recorded sent date) can still be
    # corrected and closed.
    bucket_before = (request.local_authority_id, request.received_on)
    assign(request, values, allowed=REQUEST_FIELDS)
    errors = {}
    if request.changed("owner_id"):
        errors |= checks.owner_problems(request.owner, request.local_authority_id)
    if request.changed("sent_on"):
        errors |= checks.sent_after_asked(request)
    clock_changed = request.changed("received_on", "process", "review_id")
    if request.changed("received_on"):
        errors |= checks.received_after_asked(request)
    was_open = request.is_open
    try:
        checks.apply_status(request, status)
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    else:
        errors |= checks.closing_problems(request, was_open, confirm_outstanding)
    validate(request, errors)
    claim_version(request, expected_version)
    save_checked(request)
    if clock_changed:
        move_due_dates(request=request)
    mark_left_outstanding(request=request)
    refresh_status(request=request, by=by)
    if bucket_before != (request.local_authority_id, request.received_on):
        refresh_summary(buckets=[bucket_before])  # the day it counted on before
    return request


def move_due_dates(*, request: HealthAdviceRequest) -> None:
    """Save the request's due date and each contribution's again after the
    clock moved (a new receipt date, process or review meeting). Raises
    ValidationError keyed ``received_on`` when a service's internal
    return-by date would fall after its new due date. The caller then
    refreshes the worklist's keys (:func:`refresh_status`, or
    :func:`ehc.services.urgency.refresh_urgency` for several requests at
    once)."""
    due_on = request.compute_due_on()
    if due_on != request.due_on:
        request.save(update_fields=["due_on", "updated_at"])
    for contribution in request.contributions.all():
        before = (contribution.due_on, contribution.working_due_on)
        contribution.set_due_dates()
        if contribution.return_by and contribution.return_by > contribution.due_on:
            raise ValidationError(
                {
                    "received_on": f"{contribution.service.name} was asked to return by "
                    f"{contribution.return_by:%-d %B %Y}, after the new due date "
                    f"({contribution.due_on:%-d %B %Y}). Change its return-by date first."
                }
            )
        if (contribution.due_on, contribution.working_due_on) != before:
            contribution.save(update_fields=["due_on", "working_due_on", "updated_at"])


@service_write
def refresh_status(*, request: HealthAdviceRequest, by=None) -> HealthAdviceRequest:
    """Awaiting while any service is outstanding; all returned when none is.
    Closed and withdrawn requests are left as they are. Then the worklist's
    stored keys of the request are recomputed
    (:func:`ehc.services.urgency.refresh_urgency`), whatever changed: every
    service that changes a request or its contributions ends here or calls
    that function itself.

    The change is saved through the model, so the audit log records it,
    with ``by`` (the user whose action caused it; None for the portal
    itself) as its actor.
    """
    if request.status in OPEN_STATUSES:
        _refresh_open_status(request)
    refresh_urgency([request.pk])
    return request


def _refresh_open_status(request: HealthAdviceRequest) -> None:
    counts = request.contributions.aggregate(
        asked=Count("pk"), outstanding=Count("pk", filter=Q(returned_on__isnull=True))
    )
    status = open_status(asked=counts["asked"], outstanding=counts["outstanding"])
    if status != request.status:
        request.status = status
        request.save(update_fields=["status", "updated_at"])


def open_status(*, asked: int, outstanding: int) -> str:
    """An open request's status from how many services were ``asked`` and
    how many of them are still ``outstanding`` (not returned): all returned
    when some were asked and none is owed, else awaiting (docs/ehc.md)."""
    return RequestStatus.RETURNED if asked and not outstanding else RequestStatus.AWAITING
