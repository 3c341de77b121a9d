"""Every write to the enquiries log (docs/architecture.md, "Services and
forms"). Services take plain values and model instances, never a form or a
request; the acting user is ``by``. The forms, and later the API, call
these same functions, so every caller gets the same rules and messages.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError

from commissioning.models import LocalAuthority
from core.audit import service_write
from ehc.checks import area_problems, child_problems
from ehc.models import Child
from ehc.saving import StaleEdit, save_versioned
from enquiries.models import Enquiry

__all__ = ["EDITABLE", "EDITABLE_FIELDS", "StaleEdit", "log_enquiry", "update_enquiry"]

# What a person may set on an enquiry, in the order the forms ask for it;
# the area and the child of an existing enquiry are not moved by an edit.
EDITABLE_FIELDS = (
    "received_on",
    "source",
    "enquirer_name",
    "enquirer_contact",
    "organisation",
    "topic",
    "question",
    "advice_given",
    "minutes_spent",
    "follow_up_on",
    "status",
)
EDITABLE = frozenset(EDITABLE_FIELDS)


def _check_area(*, by, local_authority: LocalAuthority, child: Child | None) -> None:
    """The enquiry's local authority (and child) must be in ``by``'s scope:
    an officer logs enquiries for their own areas only. The same checks and
    words as a request's (``ehc.checks``). Raises ValidationError keyed by
    ``local_authority`` and ``child``."""
    errors = area_problems(by, local_authority)
    if child is not None:
        errors |= child_problems(by, child)
    if errors:
        raise ValidationError(errors)


@service_write
def log_enquiry(
    *,
    by,
    local_authority: LocalAuthority,
    received_on: datetime.date,
    source: str,
    topic: str,
    question: str,
    child: Child | None = None,
    enquirer_name: str = "",
    enquirer_contact: str = "",
    organisation: str = "",
    advice_given: str = "",
    minutes_spent: int = 0,
    follow_up_on: datetime.date | None = None,
    status: str = "open",
) -> Enquiry:
    """Log a new enquiry and return it.

    ``source``, ``topic`` and ``status`` are the values of
    :class:`~enquiries.models.EnquirySource`, :class:`~enquiries.models.EnquiryTopic`
    and :class:`~enquiries.models.EnquiryStatus`; ``minutes_spent`` is the
    time spent in minutes (0 to ``MAX_MINUTES``); ``follow_up_on`` is on or
    after ``received_on``, which is not after today. ``child``, when given,
    must belong to ``local_authority``; both must be in ``by``'s scope
    (docs/enquiries.md). Raises ValidationError keyed by field.
    """
    _check_area(by=by, local_authority=local_authority, child=child)
    enquiry = Enquiry(local_authority=local_authority, child=child)
    return save_versioned(
        instance=enquiry,
        values={
            "received_on": received_on,
            "source": source,
            "topic": topic,
            "question": question,
            "enquirer_name": enquirer_name,
            "enquirer_contact": enquirer_contact,
            "organisation": organisation,
            "advice_given": advice_given,
            "minutes_spent": minutes_spent,
            "follow_up_on": follow_up_on,
            "status": status,
        },
        by=by,
    )


@service_write
def update_enquiry(*, enquiry: Enquiry, values: dict, by, expected_version: int | None) -> Enquiry:
    """Change ``enquiry`` with ``values`` (field name -> value, only names in
    :data:`EDITABLE`, else TypeError), refusing an edit made on an
    out-of-date copy (:class:`StaleEdit` unless ``expected_version`` is the
    stored version). The same rules as :func:`log_enquiry`; raises
    ValidationError keyed by field."""
    return save_versioned(
        instance=enquiry,
        values=values,
        by=by,
        expected_version=expected_version,
        allowed=EDITABLE,
    )
