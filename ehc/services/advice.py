"""Advice and its quality review. See :mod:`ehc.services`."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from core.audit import service_write
from ehc import quality
from ehc.checks import (
    ADVICE_FIELDS,
    MAX_PROVISION_ROWS,
    PROVISION_FIELDS,
)
from ehc.documents import download_name, validate_advice_document
from ehc.models import (
    Advice,
    Contribution,
    Outcome,
    ProvisionItem,
    QualityReview,
)
from ehc.saving import assign, claim_version, save_versioned
from ehc.services.requests import refresh_status
from ehc.summary import refresh_summary


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
        refresh_status(request=contribution.request, by=by)  # the store's bucket too
    else:
        refresh_summary([contribution.request_id])  # its date and provision gaps
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
    review = save_versioned(
        instance=review, values=values, by=by, expected_version=expected_version
    )
    refresh_summary([advice.contribution.request_id])  # the reports' quality figures
    return review
