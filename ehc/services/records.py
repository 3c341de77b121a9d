"""Records about a child beyond the requests (Section 23, reviews,
mediation, tribunal, budgets). See :mod:`ehc.services`."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from core.audit import service_write
from ehc.checks import (
    RECORD_FIXED,
)
from ehc.models import (
    Child,
    ReviewInput,
)
from ehc.saving import save_versioned
from ehc.services.requests import move_due_dates
from ehc.services.urgency import refresh_urgency


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
        moved = []
        for request in record.requests.all():
            request.review = record
            try:
                move_due_dates(request=request)
            except ValidationError as error:
                raise ValidationError({"meeting_on": error.messages}) from error
            moved.append(request.pk)
        refresh_urgency(moved)
    return saved
