from django.apps import AppConfig


class CommissioningConfig(AppConfig):
    name = "commissioning"
    verbose_name = "Organisations"

    def ready(self) -> None:
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.CommissioningBody,
            models.LocalAuthority,
            models.ChildPopulation,
            models.CommissioningLink,
            models.Provider,
            models.Service,
        ):
            auditlog.register(model)
