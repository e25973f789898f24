from django.apps import AppConfig


class ProblemsConfig(AppConfig):
    name = "edinsights.families.problems"
    label = "problems"
    verbose_name = "edinsights problems results"
