from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "edinsights.web"
    label = "web"
    verbose_name = "edinsights web"
