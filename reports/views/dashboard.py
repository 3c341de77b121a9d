"""The dashboard: the selection form, headline tiles, charts and tables for
one period, read from reports.metrics and shown through reports.presentation."""

from __future__ import annotations

from django.shortcuts import render

from core import periods
from core.decorators import permission_required
from reports import figures
from reports.presentation import Presenter
from reports.suppression import Figures
from reports.views.common import may_drill, selection_form, worklist_link

TREND_QUARTERS = 5


@permission_required("portal.view_aggregate_reports")
def dashboard(request):
    filterset, valid, today = selection_form(request)
    context = {"filter": filterset, "filters_valid": valid}
    if valid:
        selection = filterset.selection()
        trend = periods.recent_quarters(min(selection.period.end, today), TREND_QUARTERS)
        report = figures.compute(selection.scope, selection.period, today=today, trend=trend)
        drill = worklist_link(selection) if may_drill(request.user) else None
        presenter = Presenter(report, Figures(exact=selection.exact), drill=drill)
        year = periods.financial_year_of(selection.period.start)
        context.update(
            selection=selection,
            report=report,
            tiles=presenter.tiles(),
            charts=[
                presenter.comparison_chart(),
                *presenter.trend_charts(),
                *presenter.breakdown_charts(),
            ],
            tables=[
                *presenter.demand_tables(),
                presenter.timeliness_table("provider"),
                presenter.other_deadlines_table(),
                *presenter.overdue_tables(),
                presenter.quality_table(),
                presenter.section23_table(),
            ],
            quarterly_query=selection.query(
                period=periods.quarter_containing(selection.period.start).slug,
                date_from="",
                date_to="",
            ),
            annual_query=selection.query(period=str(year), date_from="", date_to=""),
        )
    return render(request, "reports/dashboard.html", context, status=200 if valid else 400)
