"""The quarterly report's three views: the web page, the PDF for board
papers and the CSV of every table. All three share one build
(reports/quarterly_content.py); a bad selection (an unknown quarter, an area
outside the viewer's scope) gets the web page with its error messages and
status 400, whichever was asked for.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from core import periods
from core.decorators import permission_required
from core.pdf import pdf_response, render_pdf
from reports import figures
from reports.quarterly_content import build, file_name, write_csv
from reports.views.common import may_drill, selection_form, worklist_link


def _form(request):
    """``(filterset, valid, today)``: the selection form of a quarter."""
    return selection_form(request, periods_only=periods.QUARTER)


def _prepare(request, *, web: bool, form=None):
    """The filter form (``form``, from :func:`_form`, or read now) and, when
    the selection is valid, the report."""
    filterset, valid, today = form or _form(request)
    context = {"filter": filterset, "filters_valid": valid, "today": today}
    if valid:
        selection = filterset.selection()
        # Links into the worklist only on the web page, and only for those
        # who may open the requests behind a count.
        drill = worklist_link(selection) if web and may_drill(request.user) else None
        context.update(
            selection=selection,
            quarterly=build(selection, today=today, drill=drill),
            query=selection.query(),
        )
    return context


def _page(request, context):
    valid = context["filters_valid"]
    return render(request, "reports/quarterly.html", context, status=200 if valid else 400)


@permission_required("portal.view_aggregate_reports")
def quarterly_report(request):
    return _page(request, _prepare(request, web=True))


@permission_required("portal.view_aggregate_reports")
def quarterly_pdf(request):
    form = _form(request)
    filterset, valid, today = form
    if not valid:
        return _page(request, _prepare(request, web=False, form=form))
    selection = filterset.selection()
    # Drawn once per selection, day and state of the data (reports/figures.py):
    # the PDF names neither the viewer nor the time of day.
    pdf = figures.kept_file(
        "quarterly-pdf",
        scope=selection.scope,
        query=selection.query(),
        exact=selection.exact,
        today=today,
        make=lambda: render_pdf(
            "pdf/quarterly_report.html", _prepare(request, web=False, form=form), request=request
        ),
    )
    return pdf_response(pdf, filename=file_name(selection), inline=False)


@permission_required("portal.view_aggregate_reports")
def quarterly_csv(request):
    context = _prepare(request, web=False)
    if not context["filters_valid"]:
        return _page(request, context)
    quarterly = context["quarterly"]
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{quarterly.filename}.csv"'
    response["Cache-Control"] = "private, no-store"
    # A byte order mark, so that Excel reads the file as UTF-8 (dashes, names).
    response.write("\ufeff")
    write_csv(quarterly, response)
    return response
