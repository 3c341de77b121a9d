from django.apps import AppConfig


class CoreConfig(AppConfig):
    """Domain-free building blocks; one table of its own (creating forms
    submitted, :mod:`core.submissions`)."""

    name = "core"
    verbose_name = "Core"
