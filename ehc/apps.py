from django.apps import AppConfig


class EhcConfig(AppConfig):
    """Health advice for EHC needs assessments and reviews (to come)."""

    name = "ehc"
    verbose_name = "EHC health advice"
