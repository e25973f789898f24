from django.apps import AppConfig


class TotalsConfig(AppConfig):
    name = "edinsights.families.totals"
    label = "totals"
    verbose_name = "edinsights totals results"
