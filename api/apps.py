from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "api"
    verbose_name = "API"

    def ready(self) -> None:
        # The bearer scheme's description in the OpenAPI schema.
        from api import schema  # noqa: F401
