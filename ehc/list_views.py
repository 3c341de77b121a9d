"""The lists of the caseload and the way into it: the worklist, the children
list, their downloads, and "Log a new request", which finds the child
before adding one (docs/ehc.md, "The worklist", "Downloads" and "Find
before adding").

Every list starts from the user's scope (``visible_to``), is filtered
through :func:`core.lists.filter_list` and sorted on the server by a
whitelisted ``sort`` parameter (:mod:`ehc.lists`); every response that
shows or downloads children names them in one access event.
"""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone

from core.decorators import permission_required
from core.forms import add_errors, model_values
from core.lists import Sorting, download, filter_list, page_size, query_with
from core.submissions import AlreadySent, create_once, earlier_result
from core.views import render_form_page
from ehc import groups, lists, selectors, services
from ehc.access_log import record_access
from ehc.filters import (
    ChildFilter,
    FindChildFilter,
    RequestFilter,
    reads_request_columns_only,
)
from ehc.forms.finding import NewChildForm
from ehc.models import Child, HealthAdviceRequest

FIND_LIMIT = 25  # matches "Log a new request" shows; more means: search more closely


def _page(request, queryset, *, remember_as: str, count: int | None = None):
    """The page of ``queryset`` asked for, at the page size chosen (25, 50
    or 100, remembered for the session), read once. ``count``, when the
    caller has counted the rows already, saves the paginator's COUNT."""
    size = page_size(request, remember_as=remember_as)
    paginator = Paginator(queryset, size)
    if count is not None:
        paginator.count = count  # a cached property: given, it is not queried
    page = paginator.get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)  # read once: shown, then recorded
    return page, size


def _page_sizes(request, current: int) -> list[dict]:
    """The page size links: each size's query string and whether it is the
    current one."""
    return [
        {"size": size, "query": query_with(request.GET, per_page=size), "current": size == current}
        for size in (25, 50, 100)
    ]


# --- Worklist ---------------------------------------------------------------------------------


def _worklist(request):
    """The worklist's scope, its filtered requests (not yet annotated), its
    filters and its sorting, as the page and its downloads share them."""
    today = timezone.localdate()
    scoped = HealthAdviceRequest.objects.visible_to(request.user)
    listed = filter_list(RequestFilter, request, scoped, user=request.user, today=today)
    sorting = Sorting.from_request(request, lists.WORKLIST_SORTS, lists.WORKLIST_DEFAULT_SORT)
    return scoped, listed, sorting, today


@permission_required("portal.view_ehc")
def request_list(request):
    """The worklist, one page at a time: the page's request ids are picked
    first, in the chosen order, from the requests table (its stored keys
    and indexes; :func:`ehc.selectors.worklist_ids`), and only those
    requests are then read with their clocks and counts
    (:func:`ehc.selectors.worklist_page`): the cost of a page does not grow
    with the caseload (docs/performance.md, "The worklist")."""
    scoped, listed, sorting, today = _worklist(request)
    # Their sum is the paginator's count; each status counted on its own
    # when that repeats no join or subquery.
    counts = selectors.status_counts(
        listed.queryset,
        a_status_at_a_time=reads_request_columns_only(request.user, listed.cleaned),
    )
    ids = selectors.worklist_ids(listed.queryset, user=request.user).order_by(*sorting.order_by)
    page, size = _page(
        request, ids, remember_as="worklist_page_size", count=sum(n for _, _, n in counts)
    )
    page.object_list = selectors.worklist_page(scoped, page.object_list, user=request.user)
    record_access(request, [row.child_id for row in page.object_list], "Worklist")
    return render(
        request,
        "ehc/request_list.html",
        {
            "filter": listed.filterset,
            "filters_valid": listed.valid,
            "page": page,
            "requests": page.object_list,
            "counts": counts,
            "today": today,
            "sorting": sorting,
            "headings": sorting.headings(),
            "page_sizes": _page_sizes(request, size),
            "download_query": query_with(request.GET, per_page=None),
        },
        status=listed.status,
    )


@permission_required("portal.view_ehc")
def request_download(request, file_format: str):
    """The worklist with its filters and order, every row, as CSV or .xlsx.
    A filter that is not valid is left out, as on the page."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    _, listed, sorting, today = _worklist(request)
    rows = selectors.worklist(listed.queryset, user=request.user).order_by(*sorting.order_by)
    requests = list(lists.with_services(rows, request.user))
    record_access(
        request, [r.child_id for r in requests], f"Worklist download ({file_format.upper()})"
    )
    return download(
        file_format,
        name=f"worklist-{today:%Y-%m-%d}",
        headers=lists.WORKLIST_HEADERS,
        rows=lists.worklist_rows(requests, today),
    )


# --- Children ---------------------------------------------------------------------------------


def _children(request):
    scoped = Child.objects.visible_to(request.user).select_related("local_authority")
    listed = filter_list(ChildFilter, request, scoped)
    sorting = Sorting.from_request(request, lists.CHILD_SORTS, lists.CHILD_DEFAULT_SORT)
    return listed, sorting, listed.queryset.order_by(*sorting.order_by)


@permission_required("portal.view_ehc")
def child_list(request):
    listed, sorting, rows = _children(request)
    query = listed.cleaned.get("q", "").strip() if listed.valid else ""
    group = listed.cleaned.get("group") or ""
    page, size = _page(request, rows, remember_as="children_page_size")
    record_access(request, page.object_list, "Children (search)" if query else "Children")
    return render(
        request,
        "ehc/child_list.html",
        {
            "filter": listed.filterset,
            "filters_valid": listed.valid,
            "page": page,
            "children": page.object_list,
            "q": query,
            "group": group,
            "group_label": groups.GROUPS.get(group, ""),
            "headings": sorting.headings(),
            "page_sizes": _page_sizes(request, size),
            "download_query": query_with(request.GET, per_page=None),
        },
        status=listed.status,
    )


@permission_required("portal.view_ehc")
def child_download(request, file_format: str):
    """The children list with its search and order, every row, as CSV or .xlsx."""
    if file_format not in ("csv", "xlsx"):
        raise Http404
    _, _, rows = _children(request)
    children = list(rows)
    record_access(request, children, f"Children download ({file_format.upper()})")
    return download(
        file_format,
        name=f"children-{timezone.localdate():%Y-%m-%d}",
        headers=lists.CHILD_HEADERS,
        rows=lists.child_rows(children),
    )


# --- Find before adding -----------------------------------------------------------------------


@permission_required("portal.log_requests")
def request_start(request):
    """ "Log a new request": find the child first (NHS number, name, date
    of birth) among those in the user's scope, and log the request for one
    of them; "Add a new child" only after looking."""
    scoped = Child.objects.visible_to(request.user).select_related("local_authority")
    listed = filter_list(FindChildFilter, request, scoped)
    searched = listed.filterset.is_bound and any(listed.cleaned.values())
    matches, more = [], False
    if searched:
        found = list(listed.queryset.order_by("family_name", "given_name", "pk")[: FIND_LIMIT + 1])
        matches, more = found[:FIND_LIMIT], len(found) > FIND_LIMIT
        record_access(request, matches, "Log a new request (find the child)")
    return render(
        request,
        "ehc/request_start.html",
        {
            "filter": listed.filterset,
            "filters_valid": listed.valid,
            "searched": searched,
            "matches": matches,
            "more": more,
            "limit": FIND_LIMIT,
            "add_query": _add_child_query(listed.cleaned) if searched else "",
        },
        status=listed.status,
    )


def _add_child_query(cleaned: dict) -> str:
    """What the search already said, for the new child's form."""
    query = QueryDict(mutable=True)
    if cleaned.get("nhs_number"):
        query["nhs_number"] = cleaned["nhs_number"]
    born = cleaned.get("date_of_birth")
    if born:
        query.update({"date_of_birth_0": born.day, "date_of_birth_1": born.month})
        query["date_of_birth_2"] = born.year
    return query.urlencode()


def _initial_from_search(request) -> dict:
    """The NHS number and date of birth typed in the search, as the new
    child's form starts with them (anything unusable is left out)."""
    initial = {}
    nhs_number = request.GET.get("nhs_number", "")[:20]
    if nhs_number and nhs_number.replace(" ", "").isascii() and nhs_number.isprintable():
        initial["nhs_number"] = nhs_number
    parts = [request.GET.get(f"date_of_birth_{i}", "") for i in range(3)]
    if all(part.isascii() and part.isdigit() and len(part) <= 4 for part in parts):
        try:
            initial["date_of_birth"] = datetime.date(int(parts[2]), int(parts[1]), int(parts[0]))
        except ValueError:
            pass
    return initial


@permission_required("portal.log_requests")
def child_create(request):
    """Add a child, then log the request. An NHS number already recorded
    in the same local authority is refused with a link to that child; one
    recorded in another of the user's local authorities is shown, and the
    officer confirms before the child is added (the rule:
    :func:`ehc.services.children.nhs_number_problems`)."""
    user = request.user
    posted = request.method == "POST"
    if posted and request.POST.get("submission"):
        earlier = earlier_result(user, request.POST["submission"])
        if earlier is not None:  # sent before and saved: the same child again
            return redirect("ehc:request_create", child_pk=earlier.pk)
    asked = posted and "other_area_confirmed" in request.POST
    form = NewChildForm(
        request.POST if posted else None,
        user=user,
        ask_to_confirm=asked,
        initial=None if posted else _initial_from_search(request),
    )
    holders = None
    if posted and form.is_valid():
        values = model_values(form)
        confirmed = form.cleaned_data.get("other_area_confirmed", False)
        try:
            child, _ = create_once(
                user,
                form.cleaned_data.get("submission"),
                lambda: services.create_child(by=user, other_area_confirmed=confirmed, **values),
            )
        except AlreadySent:
            form.add_error(None, AlreadySent.message)
        except ValidationError as error:
            holders, form = _refused(request, form, error, values)
        else:
            messages.success(request, f"{child.full_name} added. Now log the LA's request.")
            return redirect("ehc:request_create", child_pk=child.pk)
    return render_form_page(
        request,
        form,
        heading="Add a child or young person",
        back_url="",
        template="ehc/child_create.html",
        extra={"holders": holders},
    )


def _refused(request, form, error: ValidationError, values: dict):
    """Show a refusal on the form. When the NHS number is already held, the
    children holding it within the user's scope are shown with it (and
    accessed: one event), and the form offers the confirmation box when
    they are in another local authority."""
    codes = {e.code for e in error.error_dict.get("nhs_number", [])}
    if services.HELD_IN_OTHER_AREA in codes and "other_area_confirmed" not in form.fields:
        form = NewChildForm(request.POST, user=request.user, ask_to_confirm=True)
        form.is_valid()
        form.cleaned_data.pop("other_area_confirmed", None)
    add_errors(form, error)
    if not codes & {services.HELD_IN_AREA, services.HELD_IN_OTHER_AREA}:
        return None, form
    holders = services.nhs_number_holders(
        by=request.user,
        nhs_number=values.get("nhs_number", ""),
        local_authority=values["local_authority"],
    )
    shown = [holders.in_area, *holders.elsewhere]
    record_access(request, shown, "Add a child (NHS number already recorded)")
    return holders, form
