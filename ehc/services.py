"""Every write to EHC records (docs/architecture.md, "Services and forms").

Each function takes keyword-only plain values (ids, dates, strings, model
instances; provision rows as a list of dicts), the acting user as ``by``,
and returns the saved object. Each runs in one transaction, with ``by``
named as the actor of the audit log entries it writes (in a request or
outside one: an importer, a task, the API). The business rules are
checked here or in the model's ``clean()`` (which these functions call)
and the table's constraints, and raise
:class:`django.core.exceptions.ValidationError` keyed by field name, so a
form, an importer or an API shows the same messages; a duplicate is such
an error, never an IntegrityError, even when two saves race.

Edits of existing records take ``expected_version``, the version of the
record the user opened: when two people edit the same record, the second
save fails with :class:`StaleEdit` instead of silently overwriting the
first person's work. How a service saves (the transaction, the actor, the
version, the checks) is :mod:`ehc.saving`.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone

from core.audit import service_write
from ehc import checks, quality
from ehc.checks import (
    ADVICE_FIELDS,
    CHILD_FIELDS,
    MAX_PROVISION_ROWS,
    PROVISION_FIELDS,
    RECORD_FIXED,
    REQUEST_FIELDS,
)
from ehc.documents import download_name, validate_advice_document
from ehc.models import (
    OPEN_STATUSES,
    Advice,
    Child,
    Contribution,
    HealthAdviceRequest,
    LeftOutstanding,
    Outcome,
    ProvisionItem,
    QualityReview,
    RequestStatus,
    ReviewInput,
)
from ehc.saving import StaleEdit as StaleEdit  # views catch services.StaleEdit
from ehc.saving import assign, claim_version, save_checked, validate
from ehc.saving import save_versioned as save_versioned

# --- Children -------------------------------------------------------------------------


@service_write
def create_child(
    *,
    by,
    local_authority,
    given_name: str,
    family_name: str,
    date_of_birth: datetime.date,
    nhs_number: str = "",
    la_reference: str = "",
    primary_need: str = "NK",
    looked_after: bool = False,
    electively_home_educated: bool = False,
    known_to_youth_justice: bool = False,
    year_group: int | None = None,
) -> Child:
    """Record a child or young person (born by today, 25 or under today) in
    ``local_authority``, one that ``by`` may see. ``year_group`` (reception
    0, year 1 to 14) only when the child is taught out of the year group
    for their age; it is dated today and moves up each September.

    Raises ValidationError keyed by field: ``local_authority`` not one of
    ``by``'s; ``nhs_number`` failing its checksum or already recorded in
    the area; ``la_reference`` already recorded in the area;
    ``date_of_birth`` over 25 or in the future.
    """
    child = Child(
        local_authority=local_authority,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        nhs_number=nhs_number,
        la_reference=la_reference,
        primary_need=primary_need,
        looked_after=looked_after,
        electively_home_educated=electively_home_educated,
        known_to_youth_justice=known_to_youth_justice,
        year_group=year_group,
        created_by=by,
    )
    validate(child, checks.area_problems(by, local_authority))
    save_checked(child)
    return child


@service_write
def update_child(*, child: Child, values: dict, by, expected_version: int | None) -> Child:
    """Change a child's details (``values``: field name -> value).

    The local authority must be one ``by`` may see, and cannot change once
    requests are logged with it (they belong to that area). Raises
    ValidationError keyed by field (as :func:`create_child`: a duplicate
    ``nhs_number`` or ``la_reference`` in the area included), or
    :class:`StaleEdit`.
    """
    new_area = values.get("local_authority")
    if new_area is not None:
        child.local_authority = new_area
    if new_area is not None and child.changed("local_authority_id"):
        errors = checks.area_problems(by, new_area)
        if not errors and child.requests.exclude(local_authority=new_area).exists():
            errors = {
                "local_authority": "This child already has requests logged with their local "
                "authority, so it cannot be changed here. Add them again under the new local "
                "authority."
            }
        if errors:
            raise ValidationError(errors)
    return save_versioned(
        instance=child,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=CHILD_FIELDS,
    )


# --- Requests ---------------------------------------------------------------------------


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
    return request


def _review_for(child: Child, process: str, meeting_on: datetime.date, by) -> ReviewInput:
    """The child's one record of health's input to the review meeting on
    ``meeting_on`` (made, unsaved checks aside, when there is none yet)."""
    phase_transfer = process == "phase_transfer"
    review = ReviewInput.objects.filter(child=child, meeting_on=meeting_on).first()
    if review is None:
        review = ReviewInput(
            child=child, meeting_on=meeting_on, phase_transfer=phase_transfer, created_by=by
        )
        save_checked(review)
    return review


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
    return _ask(request=request, services=services, asked_on=asked_on, by=by)


def _ask(
    *,
    request: HealthAdviceRequest,
    services: list,
    asked_on: datetime.date,
    by,
    return_by: datetime.date | None = None,
):
    """Create the contributions for ``services`` already checked by the
    caller (:func:`ask_services` or :func:`log_request`)."""
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
    if created:
        refresh_status(request=request, by=by)
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
    return request


def move_due_dates(*, request: HealthAdviceRequest) -> None:
    """Save the request's due date and each contribution's again after the
    clock moved (a new receipt date, process or review meeting). Raises
    ValidationError keyed ``received_on`` when a service's internal
    return-by date would fall after its new due date."""
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
    Closed and withdrawn requests are left as they are.

    The change is saved through the model, so the audit log records it,
    with ``by`` (the user whose action caused it; None for the portal
    itself) as its actor.
    """
    if request.status not in OPEN_STATUSES:
        return request
    counts = request.contributions.aggregate(
        asked=Count("pk"), outstanding=Count("pk", filter=Q(returned_on__isnull=True))
    )
    all_returned = counts["asked"] and not counts["outstanding"]
    status = RequestStatus.RETURNED if all_returned else RequestStatus.AWAITING
    if status != request.status:
        request.status = status
        request.save(update_fields=["status", "updated_at"])
    return request


# --- Contributions ---------------------------------------------------------------------------


@service_write
def record_return(
    *,
    contribution: Contribution,
    returned_on: datetime.date,
    outcome: str,
    by,
    expected_version: int | None,
    declined_reason: str = "",
    late_reason: str = "",
    late_note: str = "",
) -> Contribution:
    """A service's return: date, outcome and, when after the due date, why
    (a late reason; "other" needs a note). A decline says why. A declined
    reason is dropped unless declined, a late reason unless late.

    Raises ValidationError keyed by field, with every problem of the
    return at once (:meth:`ehc.models.Contribution.clean`:
    ``returned_on`` before asked or after today, ``declined_reason``,
    ``late_reason``, ``late_note``; ``returned_on`` before the advice
    already recorded was written), or :class:`StaleEdit`. A return
    recorded after the request was withdrawn or closed clears its "left
    outstanding" mark: it was returned.
    """
    if outcome != Outcome.DECLINED:
        declined_reason = ""
    if not (returned_on and returned_on > contribution.due_on):
        late_reason = ""
    advice = getattr(contribution, "advice", None)
    if advice is not None and returned_on and returned_on < advice.written_on:
        raise ValidationError(
            {
                "returned_on": "The service cannot have returned it before its advice was "
                f"written ({advice.written_on:%-d %B %Y})"
            }
        )
    values = {
        "returned_on": returned_on,
        "outcome": outcome,
        "declined_reason": declined_reason,
        "late_reason": late_reason,
        "late_note": late_note,
    }
    if returned_on:
        values["left_outstanding"] = ""
    save_versioned(instance=contribution, values=values, by=by, expected_version=expected_version)
    refresh_status(request=contribution.request, by=by)
    return contribution


@service_write
def record_exception(
    *,
    contribution: Contribution,
    exception: str,
    evidence: str,
    by,
    expected_version: int | None,
    exception_on: datetime.date | None = None,
) -> Contribution:
    """Record (``exception`` one of the three reg 8(2) reasons, with its
    evidence and, for (b) and (c), ``exception_on``: the first day of the
    absence or the day of the missed appointment) or clear (``exception``
    "") an exception to the 6-week limit, with who recorded it and when.
    Raises ValidationError keyed by field (no evidence; no date, or a date
    outside the 6 weeks, for (b) or (c)), or :class:`StaleEdit`."""
    if exception not in ("absent_from_area", "missed_appointment"):
        exception_on = None
    values = {
        "exception": exception,
        "exception_evidence": evidence,
        "exception_on": exception_on,
    }
    if exception:
        values |= {"exception_recorded_by": by, "exception_recorded_at": timezone.now()}
    else:
        values |= {
            "exception_evidence": "",
            "exception_recorded_by": None,
            "exception_recorded_at": None,
        }
    return save_versioned(
        instance=contribution, values=values, by=by, expected_version=expected_version
    )


@service_write
def update_asking(
    *,
    contribution: Contribution,
    values: dict,
    by,
    expected_version: int | None,
) -> Contribution:
    """Change how a service was asked (``values``: any of ``asked_on``;
    ``received_on``, the day it received the LA's request when the LA asked
    it directly, None when health asked it; ``return_by``, the internal
    date, None for none). The statutory and working due dates follow.
    Raises ValidationError keyed by field (the rules of
    :func:`add_contribution`), or :class:`StaleEdit`."""
    return save_versioned(
        instance=contribution,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=checks.ASKING_FIELDS,
    )


# --- Advice and quality -------------------------------------------------------------------------


def _check_new_advice(contribution: Contribution) -> None:
    if contribution.returned_on is not None and contribution.outcome != Outcome.ADVICE_GIVEN:
        raise ValidationError(
            f"The return from this service says “{contribution.get_outcome_display()}”. "
            "Change the return to “Advice given” before recording advice."
        )


@service_write
def save_advice(
    *,
    contribution: Contribution,
    values: dict,
    provision: Sequence[dict] = (),
    by,
    expected_version: int | None = None,
    document=None,
    document_name: str | None = None,
) -> Advice:
    """Save a service's advice and its provision rows together.

    ``values`` holds the advice's fields (written_on, author_name,
    author_profession, needs, outcomes, child_views). ``provision`` is a
    sequence of dicts, one per row, with those of :data:`PROVISION_FIELDS`,
    plus ``id`` for an existing row and ``delete`` (True) to remove it; new
    rows go after the rows already there. ``document`` is a new file (a
    Django ``File``; or False to clear it, None to keep it), stored with
    ``document_name``. A replaced or removed document's file is deleted
    once the change is committed; a new file is deleted again when the save
    is refused.

    Saving advice for a contribution not yet returned records the return
    (outcome "advice given") on the date of the advice. Raises
    ValidationError: new advice for a return that gave none (no field);
    keyed ``written_on``: after today, or after the due date before the
    late return is recorded, or after the day the service returned it;
    keyed ``document``: not a real PDF or Word
    document, or over ``settings.ADVICE_DOCUMENT_MAX_BYTES``
    (:func:`ehc.documents.validate_advice_document`); or
    :class:`StaleEdit`.
    """
    advice = getattr(contribution, "advice", None) or Advice(contribution=contribution)
    written_on = values.get("written_on", advice.written_on)
    if advice.pk is None:
        _check_new_advice(contribution)
    if written_on and contribution.returned_on is None and written_on > contribution.due_on:
        raise ValidationError(
            {
                "written_on": f"This advice is dated after it was due "
                f"({contribution.due_on:%-d %B %Y}). Record the return first, with the "
                "reason for the delay, then the advice."
            }
        )
    returned_on = contribution.returned_on
    # (A date after today gets the model's "not in the future" instead.)
    if written_on and returned_on is not None and returned_on < written_on <= timezone.localdate():
        raise ValidationError(
            {
                "written_on": "The advice cannot be dated after the service returned it "
                f"({returned_on:%-d %B %Y})"
            }
        )
    values = dict(values)
    if document is not None:
        if document:
            try:
                validate_advice_document(document)
            except ValidationError as error:
                raise ValidationError({"document": error.messages}) from error
        values["document"] = document or ""
        # The name it is downloaded under: the one given, else the file's
        # own; none once the document is taken away.
        name = (document_name or str(getattr(document, "name", ""))) if document else ""
        values["document_name"] = download_name(name) if name else ""
    replaced = advice.document.name if advice.document and "document" in values else ""
    try:
        advice = save_versioned(
            instance=advice,
            values=values,
            by=by,
            expected_version=expected_version,
            allowed=ADVICE_FIELDS,
        )
        _save_provision(advice, provision)
    except Exception:
        # Nothing is kept, so neither is the file just stored for it.
        stored = advice.document.name if advice.document else ""
        if document and stored and stored != replaced:
            advice.document.storage.delete(stored)
        raise
    if replaced and replaced != (advice.document.name or ""):
        # The old file goes once the new record is committed, never before.
        storage = advice.document.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    if contribution.returned_on is None:
        claim_version(contribution, contribution.version)
        contribution.returned_on = max(advice.written_on, contribution.asked_on)
        contribution.outcome = Outcome.ADVICE_GIVEN
        contribution.save()
        refresh_status(request=contribution.request, by=by)
    return advice


def _save_provision(advice: Advice, rows: Iterable[dict]) -> None:
    existing = {item.pk: item for item in advice.provision.all()}
    last = max((item.position for item in existing.values()), default=0)
    for row in rows:
        item = existing.get(row.get("id")) if row.get("id") else None
        if row.get("delete"):
            if item is not None:
                item.delete()
            continue
        if item is None:
            last += 1
            item = ProvisionItem(advice=advice, position=last)
        assign(item, {name: row[name] for name in PROVISION_FIELDS if name in row})
        try:
            item.full_clean(exclude=["advice"])
        except ValidationError as error:
            problems = "; ".join(error.messages)
            raise ValidationError(
                {"provision": f"Provision row {item.position}: {problems}"}
            ) from error
        item.save()
    if advice.provision.count() > MAX_PROVISION_ROWS:
        raise ValidationError(
            {"provision": f"Advice can hold at most {MAX_PROVISION_ROWS} rows of provision"}
        )


@service_write
def save_review(
    *,
    advice: Advice,
    reviewed_on: datetime.date,
    criteria: Iterable[str],
    by,
    notes: str = "",
    expected_version: int | None = None,
) -> QualityReview:
    """Record (or change) ``by``'s quality review of ``advice``: the names of
    the checklist criteria met (:data:`ehc.quality.QUALITY_CRITERIA`); the
    score and rating follow. Only a designated officer (or an
    administrator) reviews: PermissionDenied for anyone else. Raises
    ValidationError keyed ``reviewed_on`` (before the advice was written,
    or after today) or ``criteria`` (a name not on the checklist), or
    :class:`StaleEdit`."""
    if by is None or not by.has_perm("portal.manage_caseload"):
        raise PermissionDenied("Only a designated officer reviews the quality of advice.")
    errors = {}
    if reviewed_on and reviewed_on < advice.written_on:
        errors["reviewed_on"] = (
            f"The review cannot be before the advice was written ({advice.written_on:%-d %B %Y})"
        )
    criteria = list(criteria)
    if unknown := sorted(set(criteria) - set(quality.CRITERIA_NAMES)):
        errors["criteria"] = f"Not on the checklist: {', '.join(unknown)}"
    if errors:
        raise ValidationError(errors)
    review = getattr(advice, "review", None) or QualityReview(advice=advice)
    values = {"reviewed_on": reviewed_on, "notes": notes, "reviewer": by}
    values |= quality.criteria_flags(criteria)
    return save_versioned(instance=review, values=values, by=by, expected_version=expected_version)


# --- Records about a child ---------------------------------------------------------


@service_write
def save_child_record(
    *, record, child: Child, values: dict, by, expected_version: int | None = None
):
    """Create or edit a Section 23 notice, review input, mediation or
    tribunal case, or personal health budget (``record``, a new or stored
    instance) for ``child``, with ``values`` (field name -> value). The
    rules are the record's ``clean()`` (dates in order and not after today;
    a Section 23 notice's trust or body covering the child's area). Raises
    ValidationError keyed by field, or :class:`StaleEdit`."""
    if record.pk is not None and record.child_id != child.pk:
        raise ValidationError("This record belongs to another child.")
    record.child = child
    allowed = frozenset(
        field.name for field in record._meta.concrete_fields if field.name not in RECORD_FIXED
    )
    meeting_before = record.meeting_on if isinstance(record, ReviewInput) else None
    saved = save_versioned(
        instance=record,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=allowed,
    )
    if isinstance(record, ReviewInput) and record.pk and meeting_before != record.meeting_on:
        # The review's requests are due 2 weeks before its (new) meeting.
        for request in record.requests.all():
            request.review = record
            try:
                move_due_dates(request=request)
            except ValidationError as error:
                raise ValidationError({"meeting_on": error.messages}) from error
    return saved
