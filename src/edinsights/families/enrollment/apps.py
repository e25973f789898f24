from django.apps import AppConfig


class EnrollmentConfig(AppConfig):
    name = "edinsights.families.enrollment"
    label = "enrollment"
    verbose_name = "edinsights enrollment results"
