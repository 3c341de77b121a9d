from django.apps import AppConfig


class RolesConfig(AppConfig):
    """DMO/DCO job templates, posts and programmed activities (to come)."""

    name = "roles"
    verbose_name = "Designated officer roles"
