"""The annual report (being written)."""

from accounts.decorators import permission_required
from reports.views import dashboard


@permission_required("portal.view_aggregate_reports")
def annual_report(request):
    return dashboard(request)


@permission_required("portal.view_aggregate_reports")
def annual_pdf(request):
    return dashboard(request)
