from django.apps import AppConfig


class ActivityConfig(AppConfig):
    name = "edinsights.families.activity"
    label = "activity"
    verbose_name = "edinsights activity results"
