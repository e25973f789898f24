from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "edinsights.api"
    label = "api"
    verbose_name = "Data API"
    default_auto_field = "django.db.models.BigAutoField"
