from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "edinsights.dashboard"
    label = "dashboard"
    verbose_name = "Insights dashboard"

    def ready(self) -> None:
        from edinsights.dashboard import assets  # noqa: F401  (registers the assets check)
