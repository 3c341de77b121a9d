"""Reads of the enquiries log that are more than one scoped queryset."""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from enquiries.models import Enquiry


def follow_ups_due(visible: QuerySet, *, today: datetime.date) -> list[Enquiry]:
    """The open enquiries among ``visible`` (already scoped to the user)
    whose follow-up date is today or has passed, earliest first: the
    worklist's "Follow-ups due" panel. One query."""
    return list(
        visible.open()
        .filter(follow_up_on__lte=today)
        .select_related("local_authority")
        .order_by("follow_up_on", "pk")
    )
