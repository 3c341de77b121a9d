from django.apps import AppConfig
from django.db.models.signals import post_migrate, pre_migrate


def _drop_triggers(sender, using="default", **kwargs):
    from reports import data_versions

    data_versions.uninstall(using)


def _keep_erased_counts(sender, child_ids, **kwargs):
    """Before children are erased, their counts move to the summary store's
    kept rows (decision 0010), so past reports still add up."""
    from ehc.summary import keep_erased

    keep_erased(child_ids)


def _install_triggers(sender, using="default", **kwargs):
    from reports import data_versions

    data_versions.install(using)


class ReportsConfig(AppConfig):
    """Dashboards, quarterly and annual reports."""

    name = "reports"
    verbose_name = "Reports"

    def ready(self):
        # The data versions' triggers (reports/data_versions.py) are dropped
        # before any migration and put back after, so a table a migration
        # rebuilds or a column it renames never leaves one stale or missing.
        pre_migrate.connect(_drop_triggers, sender=self, dispatch_uid="reports_drop_triggers")
        post_migrate.connect(_install_triggers, sender=self, dispatch_uid="reports_triggers")
        from governance.services import erasing

        erasing.connect(_keep_erased_counts, dispatch_uid="reports_keep_erased_counts")
