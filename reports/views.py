"""Dashboards and reports: every page reads reports.metrics through the
selection form and shows figures through reports.presentation."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from accounts.decorators import permission_required
from accounts.roles import Role, role_of
from core import periods
from reports import metrics
from reports.filters import ReportFilter
from reports.presentation import Presenter
from reports.suppression import Figures

TREND_QUARTERS = 5


def worklist_link(selection):
    """Drill-down to the worklist, for those who may see the requests."""

    def link(params: dict) -> str:
        query = {
            key: (value.isoformat() if hasattr(value, "isoformat") else value)
            for key, value in params.items()
        }
        if selection.local_authority is not None:
            query.setdefault("local_authority", selection.local_authority.pk)
        if selection.provider is not None:
            query.setdefault("provider", selection.provider.pk)
        return f"{reverse('ehc:request_list')}?{urlencode(query)}"

    return link


def may_drill(user) -> bool:
    return role_of(user) in (Role.DESIGNATED_OFFICER, Role.ADMINISTRATOR) and user.has_perm(
        "portal.view_ehc"
    )


def selection_form(request, *, periods_only=None):
    today = timezone.localdate()
    filterset = ReportFilter(
        request.GET or None, user=request.user, today=today, periods_only=periods_only
    )
    valid = not filterset.is_bound or filterset.is_valid()
    return filterset, valid, today


@permission_required("portal.view_aggregate_reports")
def dashboard(request):
    filterset, valid, today = selection_form(request)
    context = {"filter": filterset, "filters_valid": valid}
    if valid:
        selection = filterset.selection()
        trend = periods.recent_quarters(min(selection.period.end, today), TREND_QUARTERS)
        report = metrics.compute(selection.scope, selection.period, today=today, trend=trend)
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
