from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The top floor: what composes several apps."""

    name = "portal"
    verbose_name = "Portal"
