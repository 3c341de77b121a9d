"""The reviews worklist at ``/ehc/reviews/`` and its downloads
(docs/reviews.md).

Thin, like :mod:`ehc.list_views`: the rows start from the user's scope
(``Child.objects.visible_to``), are read by
:func:`ehc.reviews.selectors.worklist`, filtered through
:func:`core.lists.filter_list`, sorted by a whitelisted ``sort``
parameter and paged; every response that shows or downloads children names
them in one access event. For the designated officers who follow the
reviews (and administrators): the permission the review records' pages
ask for.
"""

from __future__ import annotations

from itertools import islice

from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone

from core.decorators import permission_required
from core.lists import SortColumn, Sorting, download, filter_list, page_size, query_with
from ehc.access_log import record_access
from ehc.models import Child
from ehc.reviews import selectors
from ehc.reviews.filters import ReviewFilter
from ehc.templatetags.ehc_tags import year_group_label

PERMISSION = "portal.manage_caseload"
PAGE_SIZE_KEY = "reviews_page_size"
DOWNLOAD_BATCH = 1000  # children whose open reviews are read in one query

SORTS = (
    SortColumn("due", "Due", ("due_key", "family_name", "given_name", "pk")),
    SortColumn("child", "Child", ("family_name", "given_name", "pk")),
    SortColumn("la", "Local authority", ("local_authority__name", "due_key", "pk")),
    # The meeting shown (the open review's), rows with none last.
    SortColumn("meeting", "Meeting", (selectors.open_meeting(), F("due_key"), F("pk"))),
)
DEFAULT_SORT = "due"

HEADERS = [
    "First name",
    "Last name",
    "NHS number",
    "Date of birth",
    "LA reference",
    "Local authority",
    "Year group",
    "Next review due",
    "Phase transfer",
    "Phase transfer deadline",
    "Phase transfer review done",
    "Preparing for adulthood (year 9 or above)",
    "Aged 18 to 25",
    "Review meeting",
    "Invitation due",
    "Invited on",
    "Advice due",
    "Advice sent on",
    "Decision due",
    "Decision on",
]


def _listed(request):
    today = timezone.localdate()
    children = Child.objects.visible_to(request.user).select_related("local_authority")
    listed = filter_list(
        ReviewFilter,
        request,
        selectors.worklist(children, today),
        user=request.user,
        today=today,
    )
    sorting = Sorting.from_request(request, SORTS, DEFAULT_SORT)
    return listed, sorting, today


@permission_required(PERMISSION)
def review_list(request):
    """Children with a plan whose review, or phase transfer deadline, is
    due in the next 8 weeks or overdue, or whose review's steps are owed:
    one page, earliest due first. Queries: the ids in order, the page's
    children, their open reviews, the filter's areas (plus the session and
    the access event), whatever the number of rows."""
    listed, sorting, today = _listed(request)
    size = page_size(request, remember_as=PAGE_SIZE_KEY)
    # One read of the matching ids in order gives both the count and the
    # page (the clock is aggregated over the scope once, not twice); the
    # page's children are then read with their clocks.
    ids = list(listed.queryset.order_by(*sorting.order_by).values_list("pk", flat=True))
    page = Paginator(ids, size).get_page(request.GET.get("page"))
    shown = selectors.with_review_clock(
        Child.objects.visible_to(request.user)
        .filter(pk__in=page.object_list)
        .select_related("local_authority"),
        today,
    )
    by_id = {child.pk: child for child in shown}
    # A child erased between the two reads is left out.
    page.object_list = selectors.rows([by_id[pk] for pk in page.object_list if pk in by_id], today)
    record_access(request, [row.child.pk for row in page.object_list], "Reviews worklist")
    return render(
        request,
        "ehc/review_list.html",
        {
            "filter": listed.filterset,
            "filters_valid": listed.valid,
            "page": page,
            "rows": page.object_list,
            "today": today,
            "sorting": sorting,
            "headings": sorting.headings(),
            "page_sizes": [
                {
                    "size": choice,
                    "query": query_with(request.GET, per_page=choice),
                    "current": choice == size,
                }
                for choice in (25, 50, 100)
            ],
            "download_query": query_with(request.GET, per_page=None),
        },
        status=listed.status,
    )


@permission_required(PERMISSION)
def review_download(request, file_format: str):
    """The worklist with its filters and order, every row, as CSV or .xlsx
    (an invalid filter is left out, as on the page)."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    listed, sorting, today = _listed(request)
    children = listed.queryset.order_by(*sorting.order_by).iterator(chunk_size=DOWNLOAD_BATCH)
    rows = []
    while batch := list(islice(children, DOWNLOAD_BATCH)):
        rows.extend(selectors.rows(batch, today))
    record_access(
        request,
        [row.child.pk for row in rows],
        f"Reviews worklist download ({file_format.upper()})",
    )
    return download(
        file_format,
        name=f"reviews-{today:%Y-%m-%d}",
        headers=HEADERS,
        rows=(_cells(row) for row in rows),
    )


def _cells(row: selectors.ReviewRow) -> list:
    child, state, review = row.child, row.clock, row.review
    steps = row.steps
    return [
        child.given_name,
        child.family_name,
        child.nhs_number_display,
        child.date_of_birth,
        child.la_reference,
        child.local_authority.name,
        year_group_label(child.year_group_now),
        state.next_review_due or "Not known",
        state.phase_label,
        state.phase_transfer_due or "",
        ("Yes" if state.phase_done else "No") if state.phase else "",
        "Yes" if state.preparing_for_adulthood else "No",
        "Yes" if state.adult_years else "No",
        review.meeting_on if review else "Not arranged",
        steps.invitation_due if steps else "",
        review.invited_on if review and review.invited_on else "",
        steps.advice_due if steps else "",
        review.advice_sent_on if review and review.advice_sent_on else "",
        steps.decision_due if steps else "",
        review.decision_on if review and review.decision_on else "",
    ]
