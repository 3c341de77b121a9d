"""The annual report for the SEND governance board: a web page and a PDF.

Both take the selection form limited to financial years; a bad selection
gets the web page with its error messages and status 400, whichever was
asked for. The web page is computed on each visit. The PDF is stored
(reports/services.py): with Redis configured it is built by a worker
and the user sees "Your report is being prepared" with a "Check again" link
until it is ready; without Redis it is built during the request.
"""

from __future__ import annotations

from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from core import periods
from core.decorators import permission_required
from core.pdf import pdf_response
from reports import annual_content, services
from reports.models import FileStatus
from reports.views.common import may_drill, selection_form, worklist_link

PERMISSION = "portal.view_aggregate_reports"


def _invalid(request, filterset):
    return render(
        request,
        "reports/annual.html",
        {"filter": filterset, "filters_valid": False},
        status=400,
    )


@permission_required(PERMISSION)
def annual_report(request):
    filterset, valid, today = selection_form(request, periods_only=periods.YEAR)
    if not valid:
        return _invalid(request, filterset)
    selection = filterset.selection()
    drill = worklist_link(selection) if may_drill(request.user) else None
    annual = annual_content.build(selection, today=today, drill=drill)
    return render(
        request,
        "reports/annual.html",
        {
            "filter": filterset,
            "filters_valid": True,
            "selection": selection,
            "annual": annual,
            "pdf_query": selection.query(),
        },
    )


@permission_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def annual_pdf(request):
    """The stored PDF, or a page saying it is being prepared (or failed).

    POST is "Try again" after a failure; it redirects back to the GET.
    """
    filterset, valid, today = selection_form(request, periods_only=periods.YEAR)
    if not valid:
        return _invalid(request, filterset)
    selection = filterset.selection()
    if request.method == "POST":
        services.retry_file(selection=selection, by=request.user, today=today)
        response = redirect(request.get_full_path())
        response.status_code = 303  # see other: back to the GET, not a repeat of the POST
        return response
    row = services.request_file(selection=selection, by=request.user, today=today)
    if row.status == FileStatus.READY:
        return pdf_response(bytes(row.content), filename=row.filename)
    failed = row.status == FileStatus.FAILED or services.is_stale(row)
    return render(
        request,
        "reports/annual_status.html",
        {
            "selection": selection,
            "failed": failed,
            "here": request.get_full_path(),
            "report_query": selection.query(),
            "page_title": (
                "Your report could not be prepared" if failed else "Your report is being prepared"
            ),
        },
        # 202: accepted, still being worked on; a failure is reported on a
        # normal page with a way to try again.
        status=200 if failed else 202,
    )
