from django.apps import AppConfig


class ReportsConfig(AppConfig):
    """Dashboards, quarterly and annual reports (to come)."""

    name = "reports"
    verbose_name = "Reports"
