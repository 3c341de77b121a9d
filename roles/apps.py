from django.apps import AppConfig


class RolesConfig(AppConfig):
    """DMO/DCO job templates, posts, the PA policy and the post-holder's record."""

    name = "roles"
    verbose_name = "Designated officer roles"

    def ready(self):
        from auditlog.registry import auditlog

        from roles import models

        for model in (
            models.JobTemplate,
            models.TemplateSection,
            models.Duty,
            models.Criterion,
            models.PAPolicySettings,
            models.Post,
            models.PostDutyChange,
            models.Membership,
            models.TrainingSession,
            models.CPDEntry,
        ):
            auditlog.register(model)
