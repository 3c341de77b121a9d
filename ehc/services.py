"""Every write to EHC records (docs/architecture.md, "Services").

Each function takes keyword-only plain values (ids, dates, strings, model
instances; provision rows as a list of dicts), the acting user as ``by``,
and returns the saved object. The business rules are checked here or in
the model's ``clean()`` (which these functions call) and raise
:class:`django.core.exceptions.ValidationError` keyed by field name, so a
form, an importer or an API shows the same messages.

Edits of existing records take ``expected_version``, the version of the
record the user opened: when two people edit the same record, the second
save fails with :class:`StaleEdit` instead of silently overwriting the
first person's work.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from ehc import quality
from ehc.models import (
    OPEN_STATUSES,
    Advice,
    Child,
    Contribution,
    HealthAdviceRequest,
    Outcome,
    ProvisionItem,
    QualityReview,
    RequestStatus,
)

OPEN = "open"  # the state a user chooses to reopen a request (or keep it open)


class StaleEdit(Exception):
    """The record changed since the form was opened."""

    message = (
        "Someone else saved changes to this record after you opened it. Your changes "
        "have not been saved. Open the record again to see the latest version, then "
        "make your changes again."
    )


def _claim_version(instance, expected_version: int | None) -> None:
    """Move the stored version on by one if it still is ``expected_version``;
    raise :class:`StaleEdit` otherwise."""
    if expected_version is None:
        raise StaleEdit
    model = type(instance)
    updated = model._default_manager.filter(pk=instance.pk, version=expected_version).update(
        version=F("version") + 1
    )
    if not updated:
        raise StaleEdit
    instance.version = expected_version + 1


def _assign(instance, values: dict) -> None:
    for name, value in values.items():
        setattr(instance, name, value)


@transaction.atomic
def save_versioned(*, instance, values: dict, by, expected_version: int | None = None):
    """Set ``values`` (field name -> value) on ``instance``, check its
    ``clean()`` and save it.

    A new record is marked as made by ``by``; an edit of an existing one
    raises :class:`StaleEdit` unless ``expected_version`` is the stored
    version. Raises ValidationError keyed by field.
    """
    _assign(instance, values)
    instance.clean()
    if instance.pk is not None:
        _claim_version(instance, expected_version)
    elif instance.created_by_id is None:
        instance.created_by = by
    instance.save()
    return instance


# --- Children -------------------------------------------------------------------------


@transaction.atomic
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
) -> Child:
    """Record a child or young person (0 to 25 today) in ``local_authority``.

    Raises ValidationError keyed by field (an NHS number failing its
    checksum, over 25, a duplicate NHS number or LA reference in the area).
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
        created_by=by,
    )
    child.clean()
    child.validate_constraints()
    child.save()
    return child


@transaction.atomic
def update_child(*, child: Child, values: dict, by, expected_version: int | None) -> Child:
    """Change a child's details (``values``: field name -> value).

    The local authority cannot change once requests are logged with it
    (they belong to that area). Raises ValidationError keyed by field, or
    :class:`StaleEdit`.
    """
    new_area = values.get("local_authority")
    # Compared with the requests, not the instance: a form may have set the
    # new area on it already.
    if new_area is not None and child.requests.exclude(local_authority=new_area).exists():
        raise ValidationError(
            {
                "local_authority": "This child already has requests logged with their local "
                "authority, so it cannot be changed here. Add them again under the new local "
                "authority."
            }
        )
    return save_versioned(instance=child, values=values, by=by, expected_version=expected_version)


# --- Requests ---------------------------------------------------------------------------


@transaction.atomic
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
) -> HealthAdviceRequest:
    """Log the LA's request for health advice and ask each of ``services``
    on ``asked_on`` (default: the day health received it).

    The 6-week clock (reg 8(1)) runs from ``received_on``. Raises
    ValidationError keyed by field: received before sent, sent before
    September 2014, the young person over 25, services asked before the LA
    sent the request.
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
    errors: dict = {}
    try:
        request.clean()
    except ValidationError as error:
        errors = error.update_error_dict(errors)
    if asked_on and sent_on and asked_on < sent_on:
        errors.setdefault("asked_on", []).append(
            "Services cannot be asked before the LA sent the request"
        )
    if errors:
        raise ValidationError(errors)
    request.save()
    ask_services(request=request, services=services, asked_on=asked_on or received_on, by=by)
    return request


def ask_services(
    *, request: HealthAdviceRequest, services: Iterable, asked_on: datetime.date, by
) -> list[Contribution]:
    """Ask each of ``services`` for its advice on ``asked_on``, due when the
    request is due. Returns the new contributions."""
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
        refresh_status(request=request, by=by)
    return created


@transaction.atomic
def add_contribution(
    *, request: HealthAdviceRequest, service, asked_on: datetime.date, by
) -> Contribution:
    """Ask one more service. Raises ValidationError keyed by field: asked
    before the LA sent the request, or the request closed."""
    if not request.is_open:
        raise ValidationError("This request is closed. Reopen it to ask another service.")
    contribution = Contribution(
        request=request, service=service, asked_on=asked_on, due_on=request.due_on, created_by=by
    )
    contribution.clean()
    contribution.save()
    refresh_status(request=request, by=by)
    return contribution


def _apply_status(request: HealthAdviceRequest, to: str) -> None:
    """Set the status ``to`` ("open", "closed" or "withdrawn") on ``request``
    without saving: reopening makes it awaiting (then :func:`refresh_status`
    decides), closing keeps the first closing date or takes today.

    A request that was closed cannot be closed again with a receipt date
    after the day it closed. Raises ValidationError keyed by field.
    """
    if to == OPEN:
        if request.status not in OPEN_STATUSES:
            request.status = RequestStatus.AWAITING
        request.closed_on = None
        return
    if to not in (RequestStatus.CLOSED, RequestStatus.WITHDRAWN):
        raise ValidationError({"status": "Choose open, closed or withdrawn"})
    closed_on = request.closed_on
    if closed_on and request.received_on and request.received_on > closed_on:
        raise ValidationError(
            {
                "received_on": f"The request was closed on {closed_on:%-d %B %Y}: health cannot "
                "have received it after that. Reopen it first if the dates were wrong."
            }
        )
    request.status = to
    request.closed_on = closed_on or timezone.localdate()


@transaction.atomic
def change_status(
    *, request: HealthAdviceRequest, to: str, by, expected_version: int | None
) -> HealthAdviceRequest:
    """Open, close or withdraw a request (``to``: "open", "closed" or
    "withdrawn"). Raises ValidationError keyed by field, or
    :class:`StaleEdit`."""
    _apply_status(request, to)
    _claim_version(request, expected_version)
    request.save(update_fields=["status", "closed_on", "updated_at"])
    refresh_status(request=request, by=by)
    return request


@transaction.atomic
def update_request(
    *,
    request: HealthAdviceRequest,
    values: dict,
    status: str,
    by,
    expected_version: int | None,
) -> HealthAdviceRequest:
    """Save an edit of the request (``values``: field name -> value, from
    process, la_reference, sent_on, received_on, owner, notes) and its
    status (as :func:`change_status`). A new receipt date moves every
    contribution's due date with it. Raises ValidationError keyed by field,
    or :class:`StaleEdit`."""
    _assign(request, values)
    request.clean()
    _apply_status(request, status)
    _claim_version(request, expected_version)
    request.save()
    for contribution in request.contributions.exclude(due_on=request.due_on):
        contribution.due_on = request.due_on
        contribution.save(update_fields=["due_on", "updated_at"])
    refresh_status(request=request, by=by)
    return request


def refresh_status(*, request: HealthAdviceRequest, by=None) -> HealthAdviceRequest:
    """Awaiting while any service is outstanding; all returned when none is.
    Closed and withdrawn requests are left as they are.

    The change is saved through the model, so the audit log records it.
    ``by`` is the user whose action caused it (None for the portal itself).
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


@transaction.atomic
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
    (a late reason; "other" needs a note). A decline says why. Raises
    ValidationError keyed by field, or :class:`StaleEdit`."""
    if outcome != Outcome.DECLINED:
        declined_reason = ""
    if returned_on and returned_on > contribution.due_on:
        if not late_reason:
            raise ValidationError({"late_reason": "Choose why the advice was late"})
        if late_reason == "other" and not late_note.strip():
            raise ValidationError({"late_note": "Say why the advice was late"})
    else:
        late_reason = ""
    values = {
        "returned_on": returned_on,
        "outcome": outcome,
        "declined_reason": declined_reason,
        "late_reason": late_reason,
        "late_note": late_note,
    }
    save_versioned(instance=contribution, values=values, by=by, expected_version=expected_version)
    refresh_status(request=contribution.request, by=by)
    return contribution


@transaction.atomic
def record_exception(
    *,
    contribution: Contribution,
    exception: str,
    evidence: str,
    by,
    expected_version: int | None,
) -> Contribution:
    """Record (``exception`` one of the three reg 8(2) reasons, with its
    evidence) or clear (``exception`` "") an exception to the 6-week limit,
    with who recorded it and when. Raises ValidationError keyed by field
    (no evidence), or :class:`StaleEdit`."""
    values = {"exception": exception, "exception_evidence": evidence}
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


# --- Advice and quality -------------------------------------------------------------------------

PROVISION_FIELDS = ("description", "delivered_by", "frequency", "duration", "section", "available")


def _check_new_advice(contribution: Contribution) -> None:
    if contribution.returned_on is not None and contribution.outcome != Outcome.ADVICE_GIVEN:
        raise ValidationError(
            f"The return from this service says “{contribution.get_outcome_display()}”. "
            "Change the return to “Advice given” before recording advice."
        )


@transaction.atomic
def save_advice(
    *,
    contribution: Contribution,
    values: dict,
    provision: list[dict] = (),
    by,
    expected_version: int | None = None,
    document=None,
    document_name: str | None = None,
) -> Advice:
    """Save a service's advice and its provision rows together.

    ``values`` holds the advice's fields (written_on, author_name,
    author_profession, needs, outcomes, child_views). ``provision`` is a
    list of dicts, one per row, with those of :data:`PROVISION_FIELDS`, plus
    ``id`` for an existing row and ``delete`` (True) to remove it; new rows
    go after the rows already there. ``document`` is a new file (or False to
    clear it, None to keep it), stored with ``document_name``.

    Saving advice for a contribution not yet returned records the return
    (outcome "advice given") on the date of the advice. Raises
    ValidationError: new advice for a return that gave none; advice dated
    after the due date before the late return is recorded (``written_on``);
    :class:`StaleEdit`.
    """
    advice = getattr(contribution, "advice", None) or Advice(contribution=contribution)
    if advice.pk is not None and advice.contribution_id != contribution.pk:
        raise ValidationError("This advice belongs to another contribution.")
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
    values = dict(values)
    if document is not None:
        values["document"] = document or ""
        if document and document_name is not None:
            values["document_name"] = document_name[-200:]
    advice = save_versioned(
        instance=advice, values=values, by=by, expected_version=expected_version
    )
    _save_provision(advice, provision)
    if contribution.returned_on is None:
        _claim_version(contribution, contribution.version)
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
        _assign(item, {name: row[name] for name in PROVISION_FIELDS if name in row})
        item.save()


@transaction.atomic
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
    score and rating follow. Raises ValidationError (``reviewed_on`` before
    the advice was written), or :class:`StaleEdit`."""
    if reviewed_on and reviewed_on < advice.written_on:
        raise ValidationError(
            {
                "reviewed_on": "The review cannot be before the advice was written "
                f"({advice.written_on:%-d %B %Y})"
            }
        )
    review = getattr(advice, "review", None) or QualityReview(advice=advice)
    values = {"reviewed_on": reviewed_on, "notes": notes, "reviewer": by}
    values |= quality.criteria_flags(criteria)
    return save_versioned(instance=review, values=values, by=by, expected_version=expected_version)


# --- Records about a child ---------------------------------------------------------


@transaction.atomic
def save_child_record(
    *, record, child: Child, values: dict, by, expected_version: int | None = None
):
    """Create or edit a Section 23 notice, review input, mediation or
    tribunal case, or personal health budget (``record``, a new or stored
    instance) for ``child``, with ``values`` (field name -> value). The
    rules are the record's ``clean()``. Raises ValidationError keyed by
    field, or :class:`StaleEdit`."""
    if record.pk is not None and record.child_id != child.pk:
        raise ValidationError("This record belongs to another child.")
    record.child = child
    return save_versioned(instance=record, values=values, by=by, expected_version=expected_version)


def audit_sample(queryset, *, size: int, seed: str) -> list[int]:
    """Ids of a random sample of ``size`` advice records from ``queryset``,
    reproducible for the same ``seed`` (the DCO can redraw the same sample)."""
    ids = sorted(queryset.values_list("pk", flat=True))
    if len(ids) <= size:
        return ids
    return sorted(random.Random(seed).sample(ids, size))
