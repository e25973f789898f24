from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "edinsights.results"
    label = "results"
    verbose_name = "edinsights result store"
