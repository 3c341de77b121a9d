from django.apps import AppConfig


class EhcConfig(AppConfig):
    """Health advice for EHC needs assessments and reviews."""

    name = "ehc"
    verbose_name = "EHC health advice"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from ehc import models as m

        # Every change to a child's record is audited; views are logged by
        # the detail views (``ehc.views.record_view``).
        for model in (
            m.Child,
            m.HealthAdviceRequest,
            m.Contribution,
            m.Advice,
            m.ProvisionItem,
            m.QualityReview,
            m.Section23Notice,
            m.ReviewInput,
            m.MediationCase,
            m.TribunalCase,
            m.PersonalHealthBudget,
        ):
            auditlog.register(model, exclude_fields=["version", "updated_at", "created_at"])
