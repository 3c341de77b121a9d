from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    """The area's SEND improvement plan (docs/improvement.md)."""

    name = "improvement"
    verbose_name = "Improvement plans"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from improvement import reminders
        from improvement.models import (
            EvidenceLink,
            ImprovementAction,
            ImprovementPlan,
            ProgressNote,
        )

        # Every change is audited with its actor (core.audit.service_write).
        # Plans are about an area, never a child: nothing to register in
        # ehc/registry.py.
        auditlog.register(ImprovementPlan, exclude_fields=["version", "updated_at", "created_at"])
        auditlog.register(ImprovementAction, exclude_fields=["version", "updated_at", "created_at"])
        auditlog.register(ProgressNote)
        auditlog.register(EvidenceLink)
        # Overdue actions reach the daily digest (ehc/reminders/sources.py).
        reminders.register()
