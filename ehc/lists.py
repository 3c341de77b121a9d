"""What the worklist and the children list show, sort by and download
(docs/ehc.md, "The worklist's order" and "Downloads").

The columns a user may sort by are a whitelist (:class:`core.lists.SortColumn`):
the ``sort`` parameter names one of them or is ignored. The downloads hold
the rows of the page with its filters and order, every one of them rather
than one page, in the words and dates the page shows.
"""

from __future__ import annotations

import datetime

from django.db.models import F, Prefetch

from core.lists import SortColumn
from ehc.models import Contribution, PrimaryNeed
from ehc.models.choices import PROCESS_BY_LABEL
from ehc.templatetags.ehc_tags import request_clock_label

# The worklist's columns that sort. "urgency" (the clock column) is the
# default: the request's stored key (ehc.selectors.with_urgency). "due" sorts
# by ``sort_on``, which ehc.selectors.worklist_ids and worklist give (the
# stored working_due_on for whole requests, or a practitioner's own part's).
WORKLIST_SORTS = (
    SortColumn("reference", "Request", ("pk",)),
    SortColumn("child", "Child", ("child__family_name", "child__given_name", "pk")),
    SortColumn("la", "LA", ("local_authority__name", "pk")),
    SortColumn("process", "Process", (PROCESS_BY_LABEL, F("pk"))),
    SortColumn("due", "Due", ("sort_on", "pk")),
    SortColumn("urgency", "Clock", ("urgency", "pk")),
)
WORKLIST_DEFAULT_SORT = "urgency"

CHILD_SORTS = (
    SortColumn("name", "Name", ("family_name", "given_name", "pk")),
    SortColumn("born", "Date of birth", ("date_of_birth", "pk")),
    SortColumn("nhs", "NHS number", ("nhs_number", "pk")),
    SortColumn("la", "Local authority", ("local_authority__name", "family_name", "pk")),
)
CHILD_DEFAULT_SORT = "name"


# --- Downloads ------------------------------------------------------------------------------

WORKLIST_HEADERS = [
    "Request",
    "LA request reference",
    "First name",
    "Last name",
    "NHS number",
    "Date of birth",
    "LA reference",
    "Local authority",
    "Process",
    "Date LA sent request",
    "Date health received request",
    "Advice due",
    "Earliest date owed (return by or due)",
    "Clock",
    "Status",
    "Services asked",
    "Services returned",
    "Services",
    "Owner",
]


def with_services(queryset, user):
    """The requests with the contributions ``user`` may see and their
    services, for the download's "Services" column: one more query,
    whatever the number of rows (a practitioner sees only their own
    services' part)."""
    return queryset.prefetch_related(
        Prefetch(
            "contributions",
            queryset=Contribution.objects.visible_to(user)
            .select_related("service")
            .order_by("service__name", "pk"),
            to_attr="visible_contributions",
        )
    )


def worklist_rows(requests, today: datetime.date):
    """One list of cells per request (:data:`WORKLIST_HEADERS`), from
    requests made by :func:`ehc.selectors.worklist` and
    :func:`with_services`. The clock is the tag's words on ``today``."""
    for req in requests:
        child = req.child
        yield [
            req.reference,
            req.la_reference,
            child.given_name,
            child.family_name,
            child.nhs_number_display,
            child.date_of_birth,
            child.la_reference,
            req.local_authority.name,
            req.get_process_display(),
            req.sent_on,
            req.received_on,
            req.due_on,
            req.work_due_on,
            request_clock_label(req, today)[1],
            req.get_status_display(),
            req.asked_count,
            req.returned_count,
            "; ".join(c.service.name for c in req.visible_contributions),
            req.owner.full_name if req.owner else "",
        ]


CHILD_HEADERS = [
    "Last name",
    "First name",
    "Date of birth",
    "NHS number",
    "LA reference",
    "Local authority",
    "Primary need",
    "Looked after",
    "Electively home educated",
    "Known to youth justice",
    "Eligible for continuing care",
]


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def child_rows(children):
    """One list of cells per child (:data:`CHILD_HEADERS`)."""
    needs = dict(PrimaryNeed.choices)
    for child in children:
        yield [
            child.family_name,
            child.given_name,
            child.date_of_birth,
            child.nhs_number_display,
            child.la_reference,
            child.local_authority.name,
            needs.get(child.primary_need, child.primary_need),
            _yes(child.looked_after),
            _yes(child.electively_home_educated),
            _yes(child.known_to_youth_justice),
            _yes(child.continuing_care),
        ]
