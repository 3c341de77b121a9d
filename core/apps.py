from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Domain-free building blocks; no models of its own."""

    name = "core"
    verbose_name = "Core"
