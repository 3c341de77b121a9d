"""The quarterly report (being written)."""

from accounts.decorators import permission_required
from reports.views import dashboard


@permission_required("portal.view_aggregate_reports")
def quarterly_report(request):
    return dashboard(request)


@permission_required("portal.view_aggregate_reports")
def quarterly_pdf(request):
    return dashboard(request)


@permission_required("portal.view_aggregate_reports")
def quarterly_csv(request):
    return dashboard(request)
