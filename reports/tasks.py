"""Celery tasks for reports: thin, they take ids and call a service.

(docs/architecture.md, "Thin tasks")
"""

from __future__ import annotations

from celery import shared_task

from reports import services


@shared_task(name="reports.build_annual_report", ignore_result=True)
def build_annual_report(file_id: int) -> str:
    """Render and store one annual report PDF (an AnnualReportFile row).
    Queued by this name from reports.services through core.dispatch.

    No automatic retry: a render that fails once fails the same way again,
    so the row is marked failed and the user is offered "Try again".
    """
    return services.build_file(file_id=file_id)
