from django.urls import path

from reports.views import annual, dashboard, inspection, quarterly

app_name = "reports"

urlpatterns = [
    path("dashboard/", dashboard.dashboard, name="dashboard"),
    path("quarterly/", quarterly.quarterly_report, name="quarterly"),
    path("quarterly/report.pdf", quarterly.quarterly_pdf, name="quarterly_pdf"),
    path("quarterly/tables.csv", quarterly.quarterly_csv, name="quarterly_csv"),
    path("annual/", annual.annual_report, name="annual"),
    path("annual/report.pdf", annual.annual_pdf, name="annual_pdf"),
    path("inspection/", inspection.inspection_pack, name="inspection"),
    path("inspection/pack.pdf", inspection.inspection_pdf, name="inspection_pdf"),
]
