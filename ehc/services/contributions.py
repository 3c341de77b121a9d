"""Contributions: a service's return, a reg 8(2) exception, how it was
asked. See :mod:`ehc.services`."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from core.audit import service_write
from ehc import checks
from ehc.models import (
    Contribution,
    Outcome,
)
from ehc.saving import save_versioned
from ehc.services.requests import refresh_status
from ehc.services.urgency import refresh_urgency


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
    advice = getattr(contribution, "advice", None)
    if advice is not None and returned_on and returned_on < advice.written_on:
        raise ValidationError(
            {
                "returned_on": "The service cannot have returned it before its advice was "
                f"written ({advice.written_on:%-d %B %Y})"
            }
        )
    values = return_values(
        due_on=contribution.due_on,
        returned_on=returned_on,
        outcome=outcome,
        declined_reason=declined_reason,
        late_reason=late_reason,
        late_note=late_note,
    )
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
    values = exception_values(
        exception=exception, evidence=evidence, exception_on=exception_on, by=by
    )
    save_versioned(instance=contribution, values=values, by=by, expected_version=expected_version)
    refresh_urgency([contribution.request_id])  # an excused service is less urgent
    return contribution


def return_values(
    *,
    due_on: datetime.date,
    returned_on: datetime.date | None,
    outcome: str,
    declined_reason: str = "",
    late_reason: str = "",
    late_note: str = "",
) -> dict:
    """The fields a return sets on a contribution due on ``due_on`` (field
    name -> value): a declined reason only with a decline, a late reason
    only when returned after the due date (reg 8(1)), and a return clears
    the "left outstanding" mark. The rules they must then meet are the
    model's (:meth:`ehc.models.Contribution.clean`). Used by
    :func:`record_return` and the bulk insert (:mod:`ehc.services.bulk`)."""
    if outcome != Outcome.DECLINED:
        declined_reason = ""
    if not (returned_on and returned_on > due_on):
        late_reason = ""
    values = {
        "returned_on": returned_on,
        "outcome": outcome,
        "declined_reason": declined_reason,
        "late_reason": late_reason,
        "late_note": late_note,
    }
    if returned_on:
        values["left_outstanding"] = ""
    return values


def exception_values(
    *, exception: str, evidence: str, exception_on: datetime.date | None, by
) -> dict:
    """The fields recording (or, with ``exception`` "", clearing) a reg
    8(2) exception (field name -> value): the date only for (b) and (c),
    and who recorded it and when. Used by :func:`record_exception` and the
    bulk insert (:mod:`ehc.services.bulk`)."""
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
    return values


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
    save_versioned(
        instance=contribution,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=checks.ASKING_FIELDS,
    )
    refresh_urgency([contribution.request_id])  # the working date may have moved
    return contribution
