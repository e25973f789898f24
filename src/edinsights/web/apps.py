from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "edinsights.web"
    label = "web"
    verbose_name = "edinsights web"

    def ready(self) -> None:
        from edinsights.modules import checks  # noqa: F401  (registers the modules' system checks)
