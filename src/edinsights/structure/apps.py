from django.apps import AppConfig


class StructureConfig(AppConfig):
    name = "edinsights.structure"
    label = "structure"
    verbose_name = "edinsights course structure"
